import { COUNTRIES } from '$lib/core/reference';
import { choroplethBins, worldMapShapes } from '$lib/server/charts/world-map';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { services } = await getRuntime();
	const [stats, practices] = await Promise.all([
		services.registry.stats(PUBLIC_WEB),
		services.registry.listPractices(PUBLIC_WEB)
	]);
	const counts = Object.fromEntries(stats.byCountry);
	const max = Math.max(0, ...stats.byCountry.values());
	const table = COUNTRIES.filter((c) => stats.byCountry.has(c.iso3))
		.map((c) => ({ iso3: c.iso3, name: c.name, nameEs: c.nameEs, count: stats.byCountry.get(c.iso3) ?? 0 }))
		.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
	return {
		stats: {
			initiatives: stats.initiatives,
			countries: stats.countries,
			objectives: stats.byObjective.size,
			practices: practices.length
		},
		counts,
		shapes: worldMapShapes(),
		bins: choroplethBins(max),
		table
	};
};
