import { error, redirect } from '@sveltejs/kit';
import { getCountry } from '$lib/core/reference';
import { parseInitiativeQuery } from '$lib/core/registry/query';
import { headlineAssessment } from '$lib/server/api/benchmark-responses';
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
	const [result, assessments] = await Promise.all([
		services.registry.search(PUBLIC_WEB, query),
		services.benchmark.listPublishedAssessments({ country: code })
	]);
	// The benchmark summary: the headline published assessment, if any (never a score otherwise).
	const headline = headlineAssessment(assessments);
	const benchmark = headline
		? {
				overall: headline.scores.overall,
				edition: headline.edition,
				perspective: headline.perspective,
				methodology: `${headline.methodology.key} ${headline.methodology.version}`
			}
		: null;
	// Only what the page shows: SvelteKit serializes load results on every request (even without
	// client-side rendering), so neither the facets nor whole records are sent.
	const items = result.items.map((i) => ({
		id: i.id,
		title: i.title,
		actionType: i.actionType,
		dateStart: i.dateStart,
		dateEnd: i.dateEnd,
		datePrecision: i.datePrecision
	}));
	return { country, total: result.total, items, benchmark };
};
