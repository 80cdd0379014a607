/**
 * /benchmarks/[iso3]: a country's benchmark profile from its published assessments — the headline
 * (latest edition, independent perspective first) with objective, principle and roundtable scores
 * as server-rendered charts with data tables, the expert spread, the latest edition's perspectives
 * side by side (divergence highlighted), the trend across editions and the evidence behind each
 * objective. A real country without published assessments gets an honest "not assessed" page.
 */
import { error, redirect } from '@sveltejs/kit';
import { ASSESSMENT_PERSPECTIVES } from '$lib/core/benchmarking/types';
import { DomainError } from '$lib/core/shared/errors';
import { translator } from '$lib/i18n';
import { headlineAssessment } from '$lib/server/api/benchmark-responses';
import { barChart, type BarDatum } from '$lib/server/charts/bar-chart';
import { spreadChart } from '$lib/server/charts/spread-chart';
import { trendChart, type TrendEdition } from '$lib/server/charts/trend-chart';
import { getRuntime } from '$lib/server/runtime';
import type { CountryBenchmark } from '$lib/server/services/benchmark-public.service';
import type { PageServerLoad } from './$types';
import {
	assessmentFacts,
	flagText,
	localCountryName,
	objectiveBars,
	objectiveLabel,
	pick,
	principleBars,
	principleLabel,
	spreadRows
} from '../view.server';

export const load: PageServerLoad = async ({ params, locals }) => {
	const code = params.iso3.toUpperCase();
	if (!/^[A-Z]{3}$/.test(code)) error(404, 'Not found');
	const { services } = await getRuntime();
	let b: CountryBenchmark;
	try {
		b = await services.benchmark.getCountryBenchmark(code);
	} catch (err) {
		if (err instanceof DomainError && err.code === 'COUNTRY_NOT_FOUND') error(404, 'Not found');
		throw err;
	}
	if (code !== params.iso3) redirect(308, `/benchmarks/${code}`);

	const locale = locals.locale;
	const t = translator(locale);
	const rtl = t.dir === 'rtl';
	const country = {
		iso3: b.country.iso3,
		name: localCountryName(b.country.iso3, locale),
		fictional: b.country.fictional
	};
	const h = headlineAssessment(b.assessments);
	if (!h) return { country, assessed: false as const };

	const chart = { locale, rtl, decimals: 1 };
	const spread = spreadRows(h, t);
	const perspectiveLabel = (p: string) => t.label('bench.perspective', p);

	// Perspectives of the latest edition, side by side.
	const cmp = b.perspectives;
	let perspectiveChart = null;
	if (cmp && cmp.perspectives.length > 1) {
		const rows: BarDatum[] = [
			{ key: 'overall', label: t.t('bench.overall'), ...values(cmp.overall.scores) },
			{ key: 'objectives', label: t.t('bench.objectives_overall'), ...values(cmp.objectivesOverall.scores) },
			{ key: 'principles', label: t.t('bench.principles_overall'), ...values(cmp.principlesOverall.scores) },
			...cmp.objectives.map((o) => ({ key: `O${o.number}`, ...objectiveLabel(o.number, locale), ...values(o.scores) })),
			...cmp.principles.map((p) => ({ key: p.key, ...principleLabel(p.key, locale), ...values(p.scores) }))
		];
		perspectiveChart = barChart(rows, {
			...chart,
			series: cmp.perspectives.map((p) => ({ key: p, label: perspectiveLabel(p) })),
			// Different methodologies are not differenced (core/benchmarking/perspectives.ts).
			divergenceThreshold: cmp.comparable ? cmp.threshold : null
		});
	}
	function values(scores: Partial<Record<string, number | null>>) {
		const present = cmp?.perspectives ?? [];
		return {
			value: scores[present[0] ?? ''] ?? null,
			secondary: present.length > 1 ? (scores[present[1] ?? ''] ?? null) : undefined,
			tertiary: present.length > 2 ? (scores[present[2] ?? ''] ?? null) : undefined
		};
	}

	// Trend: the overall score of each perspective across editions.
	const editions = [...new Set(b.assessments.map((a) => a.edition))].sort((x, y) => x - y);
	const trendSeries = ASSESSMENT_PERSPECTIVES.filter((p) => b.trend[p]);
	const trendEditions: TrendEdition[] = editions.map((e) => {
		const points = trendSeries.flatMap((p) => b.trend[p]?.filter((x) => x.edition === e) ?? []);
		const first = points[0];
		return {
			key: String(e),
			label: String(e),
			methodology: first?.methodology ?? { key: '', version: '' },
			// Not comparable when any perspective's methodology changed at this edition.
			comparableWithPrevious: points.some((x) => x.comparable === false) ? false : undefined
		};
	});
	const trend = trendChart(
		trendEditions,
		trendSeries.map((p) => ({
			key: p,
			label: perspectiveLabel(p),
			values: editions.map((e) => b.trend[p]?.find((x) => x.edition === e)?.overall ?? null)
		})),
		chart
	);
	const deltas = trendSeries.flatMap((p) =>
		(b.trend[p] ?? [])
			.filter((x) => x.previousEdition !== null)
			.map((x) => ({
				perspective: p,
				from: x.previousEdition as number,
				to: x.edition,
				comparable: x.comparable === true,
				reason: x.reason,
				overall: x.deltas?.overall ?? null
			}))
	);

	// Evidence behind each objective (desk research of the evidence source assessment).
	const source = b.assessments.find((a) => a.id === b.evidenceSource?.assessmentId) ?? h;
	const disputed = new Set(source.scores.flags.flatMap((f) => (f.code === 'DISPUTED_ANSWER' ? [f.variableKey] : [])));
	const evidence = b.evidenceByObjective.map((o) => {
		const score = source.scores.objectives.find((x) => x.number === o.objective);
		return {
			objective: o.objective,
			...objectiveLabel(o.objective, locale),
			score: score?.score ?? null,
			coverage: score?.coverage ?? null,
			variables: o.variables.map((v) => ({
				key: v.key,
				question: pick(v.question, locale),
				answer: v.answer ? { key: v.answer.key, label: pick(v.answer.label, locale) } : null,
				disputed: disputed.has(v.key),
				evidence: v.evidence.map((e) => ({
					title: e.title,
					type: e.type,
					issuingBody: e.issuingBody,
					date: e.date,
					// Only http(s) links become <a href>; anything else is shown as text.
					url: /^https?:\/\//i.test(e.url) ? e.url : null,
					rawUrl: e.url,
					excerpt: e.excerpt
				}))
			}))
		};
	});

	return {
		country,
		assessed: true as const,
		headline: assessmentFacts(h, t),
		alphaNote: h.scores.flags.find((f) => f.code === 'ALPHA_UNDEFINED')
			? flagText({ code: 'ALPHA_UNDEFINED' }, t)
			: null,
		assessments: b.assessments.map((a) => assessmentFacts(a, t)),
		anyFictional: b.country.fictional || b.assessments.some((a) => a.fictional),
		charts: {
			objectives: barChart(objectiveBars(h, t), chart),
			principles: barChart(principleBars(h, t), chart),
			roundtables: barChart(
				h.scores.roundtables.map((r) => ({
					key: `RT${r.number}`,
					label: t.t('bench.roundtable', { n: r.number, list: r.objectives.join(', ') }),
					value: r.score
				})),
				chart
			),
			spreadObjectives: spreadChart(spread.objectives, chart),
			spreadPrinciples: spreadChart(spread.principles, chart),
			perspectives: perspectiveChart,
			trend
		},
		perspectives: cmp
			? {
					edition: b.latestEdition,
					list: cmp.perspectives,
					comparable: cmp.comparable,
					reason: cmp.reason,
					threshold: cmp.threshold,
					divergentItems: cmp.divergentItems,
					overall: cmp.perspectives.map((p) => ({
						perspective: p,
						score: cmp.overall.scores[p] ?? null
					})),
					overallDivergent: cmp.overall.divergent
				}
			: null,
		deltas,
		evidenceSource: b.evidenceSource,
		evidence
	};
};
