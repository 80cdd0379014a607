import { redirect } from '@sveltejs/kit';
import { webContext } from '$lib/server/http/request-context';
import { clearSessionCookie, readSessionToken } from '$lib/server/http/session-cookie';
import { getRuntime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so it is a POST (a GET only shows the button).
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.session) redirect(303, '/account/sign-in');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const { services } = await getRuntime();
		await services.accounts.signOut(webContext(event), readSessionToken(event.cookies, event.url));
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/');
	}
};
