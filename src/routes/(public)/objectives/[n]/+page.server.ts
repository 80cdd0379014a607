import { error } from '@sveltejs/kit';
import { getObjective, getRoundtable } from '$lib/core/reference';
import { parseInitiativeQuery } from '$lib/core/registry/query';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';
import { objectiveBenchmark } from '../../benchmarks/objective-section.server';

export const load: PageServerLoad = async ({ params, locals }) => {
	const objective = /^\d{1,2}$/.test(params.n) ? getObjective(Number(params.n)) : undefined;
	if (!objective) error(404, 'Not found');
	const { services } = await getRuntime();
	const query = parseInitiativeQuery(new URLSearchParams({ objective: String(objective.number), limit: '20' }), {
		strict: true
	});
	const [result, benchmark] = await Promise.all([
		services.registry.search(PUBLIC_WEB, query),
		objectiveBenchmark(services, objective.number, locals.locale)
	]);
	return {
		objective,
		roundtable: getRoundtable(objective.roundtable),
		total: result.total,
		items: result.items,
		benchmark
	};
};
