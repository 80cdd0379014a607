import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	// Links to the same page in each language (the language is remembered in a cookie).
	const params = new URLSearchParams(url.searchParams);
	params.delete('lang');
	return {
		locale: locals.locale,
		path: url.pathname,
		search: params.toString(),
		// Only what the header shows: never the whole account record.
		account: locals.user ? { name: locals.user.displayName } : null
	};
};
