import { fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { getRuntime } from '$lib/server/runtime';
import { purposeOfToken } from '$lib/server/services/account.service';
import type { Actions, PageServerLoad } from './$types';

// The link carries a single-use token (?token=…): its prefix names its purpose (invite or
// password reset) and the stored purpose must match. Referrer-Policy: same-origin keeps it out
// of other sites' logs.
export const load: PageServerLoad = async ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	const purpose = purposeOfToken(token);
	const { services } = await getRuntime();
	const link = purpose ? await services.accounts.checkLink(token, purpose) : null;
	return { token: link ? token : '', email: link?.email ?? null };
};

type PasswordError = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'mismatch' | 'link';

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const token = field(form, 'token', 300);
		const password = field(form, 'password');
		const purpose = purposeOfToken(token);
		if (!purpose) return fail(400, { error: 'link' as PasswordError });
		if (password !== field(form, 'confirm')) return fail(400, { error: 'mismatch' as PasswordError });
		const { services } = await getRuntime();
		try {
			await services.accounts.setPasswordWithToken(webContext(event), purpose, token, password);
		} catch (err) {
			if (err instanceof DomainError && err.code === 'PASSWORD_REJECTED') {
				return fail(400, { error: (err.issues[0]?.message ?? 'too_short') as PasswordError });
			}
			if (err instanceof DomainError && err.code === 'TOKEN_INVALID')
				return fail(400, { error: 'link' as PasswordError });
			throw err;
		}
		redirect(303, '/account/sign-in?done=password');
	}
};
