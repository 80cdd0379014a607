import { COUNTRIES, listRegions } from '$lib/core/reference';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { services } = await getRuntime();
	const stats = await services.registry.stats(PUBLIC_WEB);
	const regions = listRegions().map((r) => ({
		...r,
		countries: COUNTRIES.filter((c) => c.region?.code === r.code).map((c) => ({
			...c,
			count: stats.byCountry.get(c.iso3) ?? 0
		}))
	}));
	const other = COUNTRIES.filter((c) => !c.region).map((c) => ({ ...c, count: stats.byCountry.get(c.iso3) ?? 0 }));
	return { regions, other };
};
