import { error, redirect } from '@sveltejs/kit';
import { getCountry } from '$lib/core/reference';
import { parseInitiativeQuery } from '$lib/core/registry/query';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const code = params.iso3.toUpperCase();
	if (code !== params.iso3 && getCountry(code)) redirect(308, `/countries/${code}`);
	const country = getCountry(code);
	if (!country) error(404, 'Not found');
	const { services } = await getRuntime();
	const query = parseInitiativeQuery(new URLSearchParams({ country: code, limit: '20' }), { strict: true });
	const result = await services.registry.search(PUBLIC_WEB, query);
	return { country, total: result.total, items: result.items, facets: result.facets };
};
