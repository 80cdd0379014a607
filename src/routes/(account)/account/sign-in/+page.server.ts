import { fail, redirect } from '@sveltejs/kit';
import { field, webContext } from '$lib/server/http/request-context';
import { readSessionToken, setSessionCookie } from '$lib/server/http/session-cookie';
import { safeNext } from '$lib/server/http/workspace';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, '/account');
	if (locals.session) redirect(303, '/account/two-factor');
	return {
		notice: url.searchParams.get('done') === 'password' ? 'password_set' : null,
		// Where to go after signing in (a same-site path only; see safeNext).
		next: safeNext(url.searchParams.get('next'), '/account')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { services } = await getRuntime();
		const form = await event.request.formData();
		const email = field(form, 'email', 320);
		const result = await services.accounts.signIn(webContext(event), {
			email,
			password: field(form, 'password'),
			currentToken: readSessionToken(event.cookies, event.url)
		});
		if (!result.ok) {
			// One generic message: the response does not say whether the account exists.
			if (result.retryAfterSeconds !== null) {
				event.setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
				return fail(429, { email, error: 'rate_limited' as const, retryAfterSeconds: result.retryAfterSeconds });
			}
			return fail(400, { email, error: 'invalid' as const, retryAfterSeconds: 0 });
		}
		setSessionCookie(event.cookies, event.url, result.token, result.expiresAt);
		const next = safeNext(field(form, 'next', 1_000), '/account');
		// A pending second factor carries `next` on (the two-factor page makes it safe again).
		redirect(303, result.mfa === 'ok' ? next : `/account/two-factor?next=${encodeURIComponent(next)}`);
	}
};
