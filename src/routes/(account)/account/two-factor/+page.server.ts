import { fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { readSessionToken, setSessionCookie } from '$lib/server/http/session-cookie';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// After the password: verify a code (2FA on), or set up TOTP (required for admins and
// coordinators, optional for others). Set-up starts with a POST: a GET never changes state.
export const load: PageServerLoad = async ({ locals, cookies, url }) => {
	const session = locals.session;
	if (!session) redirect(303, '/account/sign-in');
	if (session.mfa === 'ok' && session.user.totpEnabled) redirect(303, '/account');
	if (session.mfa === 'verify') return { mode: 'verify' as const, required: true, pending: null };
	const { services } = await getRuntime();
	const pending = await services.accounts.pendingTwoFactor(readSessionToken(cookies, url));
	return { mode: 'enrol' as const, required: session.mfa === 'enrol', pending };
};

function rateLimited(event: RequestEvent, err: DomainError) {
	const seconds = Number(err.issues[0]?.message ?? '60');
	event.setHeaders({ 'retry-after': String(seconds) });
	return fail(429, { error: 'rate_limited' as const, retryAfterSeconds: seconds, recoveryCodes: null });
}

async function withCodeErrors<T>(event: RequestEvent, fn: () => Promise<T>) {
	try {
		return { ok: true as const, value: await fn() };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'RATE_LIMITED')
			return { ok: false as const, response: rateLimited(event, err) };
		if (err instanceof DomainError && err.code === 'TWO_FACTOR_INVALID') {
			return {
				ok: false as const,
				response: fail(400, { error: 'code' as const, retryAfterSeconds: 0, recoveryCodes: null })
			};
		}
		if (err instanceof DomainError && (err.code === 'AUTH_REQUIRED' || err.code === 'FORBIDDEN')) {
			redirect(303, '/account/sign-in');
		}
		throw err;
	}
}

export const actions: Actions = {
	start: async (event) => {
		const { services } = await getRuntime();
		await withCodeErrors(event, () =>
			services.accounts.beginTwoFactor(webContext(event), readSessionToken(event.cookies, event.url))
		);
		redirect(303, '/account/two-factor');
	},
	confirm: async (event) => {
		const { services } = await getRuntime();
		const code = field(await event.request.formData(), 'code', 64);
		const r = await withCodeErrors(event, () =>
			services.accounts.confirmTwoFactor(webContext(event), readSessionToken(event.cookies, event.url), code)
		);
		if (!r.ok) return r.response;
		setSessionCookie(event.cookies, event.url, r.value.session.token, r.value.session.expiresAt);
		// Shown once, in this response only (Cache-Control: no-store).
		return { error: null, retryAfterSeconds: 0, recoveryCodes: r.value.recoveryCodes };
	},
	verify: async (event) => {
		const { services } = await getRuntime();
		const code = field(await event.request.formData(), 'code', 64);
		const r = await withCodeErrors(event, () =>
			services.accounts.verifyTwoFactor(webContext(event), readSessionToken(event.cookies, event.url), code)
		);
		if (!r.ok) return r.response;
		setSessionCookie(event.cookies, event.url, r.value.token, r.value.expiresAt);
		redirect(303, '/account');
	}
};
