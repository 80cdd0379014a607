import { COUNTRIES } from '$lib/core/reference';
import { choroplethBins } from '$lib/components/map/world-map';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

/** Position of each country in English name order, for the table's tie-break (sorted once). */
const NAME_RANK = new Map(
	[...COUNTRIES].sort((a, b) => a.name.localeCompare(b.name)).map((c, i) => [c.iso3, i] as const)
);

// Only numbers leave this load function: SvelteKit serializes its result on every request (even
// without client-side rendering), so the map shapes and country names are imported by the
// components instead of being sent through here.
export const load: PageServerLoad = async () => {
	const { services } = await getRuntime();
	const [stats, practices] = await Promise.all([
		services.registry.stats(PUBLIC_WEB),
		services.registry.listPractices(PUBLIC_WEB)
	]);
	const counts: Record<string, number> = {};
	const table: string[] = [];
	let max = 0;
	for (const [iso3, count] of stats.byCountry) {
		counts[iso3] = count;
		if (count > max) max = count;
		if (NAME_RANK.has(iso3)) table.push(iso3);
	}
	// The table's rows (ISO3 codes; the counts are in `counts`): most initiatives first, then by name.
	table.sort((a, b) => counts[b]! - counts[a]! || NAME_RANK.get(a)! - NAME_RANK.get(b)!);
	return {
		stats: {
			initiatives: stats.initiatives,
			countries: stats.countries,
			objectives: stats.byObjective.size,
			practices: practices.length
		},
		counts,
		bins: choroplethBins(max),
		table
	};
};
