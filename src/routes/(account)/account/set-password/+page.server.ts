import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { getRuntime } from '$lib/server/runtime';
import { purposeOfToken } from '$lib/server/services/account.service';
import type { Actions, PageServerLoad } from './$types';

// The link carries a single-use token (?token=…): its prefix names its purpose (invite or
// password reset) and the stored purpose must match. Referrer-Policy: same-origin keeps it out
// of other sites' logs. Invalid links count against the client address (the account service's
// limiter): a locked address gets 429 with Retry-After, on the page and on the form.

/** The seconds to wait from a RATE_LIMITED error (sent as Retry-After). */
function retryAfter(event: Pick<RequestEvent, 'setHeaders'>, err: DomainError): number {
	const seconds = Number(err.issues.find((i) => i.field === 'retry_after')?.message);
	const wait = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60;
	event.setHeaders({ 'retry-after': String(wait) });
	return wait;
}

export const load: PageServerLoad = async (event) => {
	const token = event.url.searchParams.get('token') ?? '';
	if (token === '') return { token: '', email: null };
	const { services } = await getRuntime();
	if (event.request.method === 'POST') {
		// After the form action, which already checked (and counted) the link: look, do not count twice.
		const purpose = purposeOfToken(token);
		const link = purpose ? await services.accounts.checkLink(token.slice(0, 300), purpose) : null;
		return { token: link ? token : '', email: link?.email ?? null };
	}
	try {
		const link = await services.accounts.openLink(webContext(event), token.slice(0, 300));
		return { token: link ? token : '', email: link?.email ?? null };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'RATE_LIMITED') {
			retryAfter(event, err);
			// The page's +error.svelte explains it (status 429).
			error(429, 'Too many attempts with invalid links; try again later.');
		}
		throw err;
	}
};

type PasswordError = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'mismatch' | 'link' | 'rate_limited';

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const token = field(form, 'token', 300);
		const password = field(form, 'password');
		if (password !== field(form, 'confirm')) {
			return fail(400, { error: 'mismatch' as PasswordError, retryAfterSeconds: 0 });
		}
		const { services } = await getRuntime();
		try {
			await services.accounts.setPasswordWithLink(webContext(event), token, password);
		} catch (err) {
			if (err instanceof DomainError && err.code === 'RATE_LIMITED') {
				const seconds = retryAfter(event, err);
				return fail(429, { error: 'rate_limited' as PasswordError, retryAfterSeconds: seconds });
			}
			if (err instanceof DomainError && err.code === 'PASSWORD_REJECTED') {
				return fail(400, { error: (err.issues[0]?.message ?? 'too_short') as PasswordError, retryAfterSeconds: 0 });
			}
			if (err instanceof DomainError && err.code === 'TOKEN_INVALID') {
				return fail(400, { error: 'link' as PasswordError, retryAfterSeconds: 0 });
			}
			throw err;
		}
		redirect(303, '/account/sign-in?done=password');
	}
};
