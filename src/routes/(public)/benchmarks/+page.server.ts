/**
 * /benchmarks: the world map of overall GCM compliance and the list of assessed countries, from
 * published assessments only. Each country is shown by its headline assessment (the latest
 * edition's independent one, else another perspective of it). With nothing published, the page
 * says so and explains what the observatory does — the default install shows exactly that.
 */
import { translator } from '$lib/i18n';
import { headlineAssessment } from '$lib/server/api/benchmark-responses';
import { benchmarkMap } from '$lib/server/charts/benchmark-map';
import { getRuntime } from '$lib/server/runtime';
import type { PublishedAssessment } from '$lib/server/services/benchmark-public.service';
import type { PageServerLoad } from './$types';
import { assessmentFacts, flagText, localCountryName } from './view.server';

export const load: PageServerLoad = async ({ locals }) => {
	const t = translator(locals.locale);
	const { services } = await getRuntime();
	const all = await services.benchmark.listPublishedAssessments();
	const byCountry = new Map<string, PublishedAssessment[]>();
	for (const a of all) {
		const list = byCountry.get(a.country);
		if (list) list.push(a);
		else byCountry.set(a.country, [a]);
	}

	const rows = [...byCountry.entries()]
		.map(([iso3, list]) => {
			const h = headlineAssessment(list) as PublishedAssessment;
			const notes = h.scores.flags.filter((f) => f.code === 'ALPHA_UNDEFINED').map((f) => flagText(f, t));
			const facts = assessmentFacts(h, t);
			if (facts.lowCoverage > 0) notes.push(t.plural('bench.flag.low_coverage_items', facts.lowCoverage));
			if (facts.fewExperts > 0) notes.push(t.plural('bench.flag.few_experts_items', facts.fewExperts));
			return {
				iso3,
				name: localCountryName(iso3, locals.locale),
				overallValue: h.scores.overall,
				facts,
				editions: [...new Set(list.map((a) => a.edition))].sort((x, y) => x - y),
				perspectives: new Set(list.map((a) => a.perspective)).size,
				notes
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name, locals.locale));

	const map =
		rows.length === 0
			? null
			: benchmarkMap(new Map(rows.map((r) => [r.iso3, r.overallValue])), {
					locale: locals.locale,
					decimals: 1,
					nameFor: (iso3) => localCountryName(iso3, locals.locale)
				});
	return {
		rows: rows.map(({ overallValue, ...r }) => ({ ...r, scored: overallValue !== null })),
		map,
		anyFictional: rows.some((r) => r.facts.fictional)
	};
};
