import { fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { readSessionToken, setSessionCookie } from '$lib/server/http/session-cookie';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.session) redirect(303, '/account/sign-in');
	if (!locals.user) redirect(303, '/account/two-factor');
	const { services } = await getRuntime();
	const user = locals.user;
	return {
		account: { email: user.email, displayName: user.displayName, role: user.role, totpEnabled: user.totpEnabled },
		recoveryCodesLeft: user.totpEnabled ? await services.accounts.unusedRecoveryCodes(user.id) : 0
	};
};

type PasswordError = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'mismatch' | 'wrong_current';

export const actions: Actions = {
	password: async (event) => {
		const form = await event.request.formData();
		const newPassword = field(form, 'new_password');
		if (newPassword !== field(form, 'confirm'))
			return fail(400, { error: 'mismatch' as PasswordError, changed: false });
		const { services } = await getRuntime();
		try {
			const session = await services.accounts.changePassword(
				webContext(event),
				readSessionToken(event.cookies, event.url),
				{ currentPassword: field(form, 'current_password'), newPassword }
			);
			setSessionCookie(event.cookies, event.url, session.token, session.expiresAt);
		} catch (err) {
			if (err instanceof DomainError && err.code === 'PASSWORD_REJECTED') {
				const issue = err.issues[0];
				const error = issue?.field === 'current_password' ? 'wrong_current' : (issue?.message ?? 'too_short');
				return fail(400, { error: error as PasswordError, changed: false });
			}
			if (err instanceof DomainError && err.code === 'RATE_LIMITED') {
				return fail(429, { error: 'wrong_current' as PasswordError, changed: false });
			}
			if (err instanceof DomainError && (err.code === 'AUTH_REQUIRED' || err.code === 'FORBIDDEN')) {
				redirect(303, '/account/sign-in');
			}
			throw err;
		}
		return { error: null, changed: true };
	}
};
