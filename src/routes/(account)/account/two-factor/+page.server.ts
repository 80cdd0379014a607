import { fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { readSessionToken, setSessionCookie } from '$lib/server/http/session-cookie';
import { safeNext } from '$lib/server/http/workspace';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// After the password: verify a code (2FA on), or set up TOTP (required for admins and
// coordinators, optional for others). Set-up starts with a POST: a GET never changes state.
// Where the person was going (`next`, from sign-in) is carried through every step, but only as a
// same-site path (safeNext): anything else — another site, `//host`, the account pages — is /account.
export const load: PageServerLoad = async ({ locals, cookies, url }) => {
	const next = nextOf(url.searchParams.get('next'));
	const session = locals.session;
	if (!session) redirect(303, withNext('/account/sign-in', next));
	if (session.mfa === 'ok' && session.user.totpEnabled) redirect(303, next);
	if (session.mfa === 'verify') return { mode: 'verify' as const, required: true, pending: null, next };
	const { services } = await getRuntime();
	const pending = await services.accounts.pendingTwoFactor(readSessionToken(cookies, url));
	return { mode: 'enrol' as const, required: session.mfa === 'enrol', pending, next };
};

const nextOf = (raw: string | null | undefined) => safeNext(raw, '/account');

/** A path with `?next=` when it is not the default. */
function withNext(path: string, next: string): string {
	return next === '/account' ? path : `${path}?next=${encodeURIComponent(next)}`;
}

/**
 * The `next` a form posted (hidden field), made safe. A form posting to `?/verify` drops the page's
 * query string, so every action result carries `next` back to the page too.
 */
const postedNext = (form: FormData) => nextOf(field(form, 'next', 1_000));

function rateLimited(event: RequestEvent, err: DomainError, next: string) {
	const seconds = Number(err.issues[0]?.message ?? '60');
	event.setHeaders({ 'retry-after': String(seconds) });
	return fail(429, { error: 'rate_limited' as const, retryAfterSeconds: seconds, recoveryCodes: null, next });
}

async function withCodeErrors<T>(event: RequestEvent, fn: () => Promise<T>, next = '/account') {
	try {
		return { ok: true as const, value: await fn() };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'RATE_LIMITED')
			return { ok: false as const, response: rateLimited(event, err, next) };
		if (err instanceof DomainError && err.code === 'TWO_FACTOR_INVALID') {
			return {
				ok: false as const,
				response: fail(400, { error: 'code' as const, retryAfterSeconds: 0, recoveryCodes: null, next })
			};
		}
		if (err instanceof DomainError && (err.code === 'AUTH_REQUIRED' || err.code === 'FORBIDDEN')) {
			redirect(303, withNext('/account/sign-in', next));
		}
		throw err;
	}
}

export const actions: Actions = {
	start: async (event) => {
		const { services } = await getRuntime();
		const next = postedNext(await event.request.formData());
		await withCodeErrors(
			event,
			() => services.accounts.beginTwoFactor(webContext(event), readSessionToken(event.cookies, event.url)),
			next
		);
		redirect(303, withNext('/account/two-factor', next));
	},
	confirm: async (event) => {
		const { services } = await getRuntime();
		const form = await event.request.formData();
		const code = field(form, 'code', 64);
		const next = postedNext(form);
		const r = await withCodeErrors(
			event,
			() => services.accounts.confirmTwoFactor(webContext(event), readSessionToken(event.cookies, event.url), code),
			next
		);
		if (!r.ok) return r.response;
		setSessionCookie(event.cookies, event.url, r.value.session.token, r.value.session.expiresAt);
		// Shown once, in this response only (Cache-Control: no-store); "continue" then goes to `next`.
		return { error: null, retryAfterSeconds: 0, recoveryCodes: r.value.recoveryCodes, next };
	},
	verify: async (event) => {
		const { services } = await getRuntime();
		const form = await event.request.formData();
		const code = field(form, 'code', 64);
		const next = postedNext(form);
		const r = await withCodeErrors(
			event,
			() => services.accounts.verifyTwoFactor(webContext(event), readSessionToken(event.cookies, event.url), code),
			next
		);
		if (!r.ok) return r.response;
		setSessionCookie(event.cookies, event.url, r.value.token, r.value.expiresAt);
		redirect(303, next);
	}
};
