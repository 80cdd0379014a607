import { COUNTRIES, countryName, getCountry } from '$lib/core/reference';
import { choroplethBins, worldMapShapes } from '$lib/server/charts/world-map';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
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
		shapes: localisedShapes(locals.locale),
		bins: choroplethBins(max),
		table
	};
};

/** Map shapes with country names in the reader's language (the shapes themselves are cached). */
function localisedShapes(locale: string) {
	const shapes = worldMapShapes();
	if (locale === 'en') return shapes;
	return {
		...shapes,
		countries: shapes.countries.map((c) => {
			const ref = c.iso3 ? getCountry(c.iso3) : undefined;
			return ref ? { ...c, name: countryName(ref, locale) } : c;
		})
	};
}
