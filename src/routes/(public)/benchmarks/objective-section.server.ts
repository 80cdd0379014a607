/**
 * The benchmark section of /objectives/[n]: that objective's published scores across countries,
 * each country's latest edition per perspective (the rule of getObjectiveBenchmark, which serves
 * /api/v1/benchmarks/objectives/{n}), with the stored flags of each score next to it. Built from
 * one listing of published assessments, because the flags live in the stored scores.
 */
import { ASSESSMENT_PERSPECTIVES, type AssessmentPerspective } from '$lib/core/benchmarking/types';
import { translator, type Locale } from '$lib/i18n';
import { barChart } from '$lib/server/charts/bar-chart';
import type { Runtime } from '$lib/server/runtime';
import type { PublishedAssessment } from '$lib/server/services/benchmark-public.service';
import { flagText, formatter, localCountryName } from './view.server';

export async function objectiveBenchmark(services: Runtime['services'], n: number, locale: Locale) {
	const t = translator(locale);
	const fmt = formatter(locale);
	const all = await services.benchmark.listPublishedAssessments();
	const latest = new Map<string, Partial<Record<AssessmentPerspective, PublishedAssessment>>>();
	for (const a of all) {
		const byPerspective = latest.get(a.country) ?? {};
		const prev = byPerspective[a.perspective];
		if (!prev || a.edition > prev.edition) byPerspective[a.perspective] = a;
		latest.set(a.country, byPerspective);
	}
	const key = `O${n}`;
	const rows = [...latest.entries()]
		.map(([iso3, byPerspective]) => {
			const cells = ASSESSMENT_PERSPECTIVES.flatMap((p) => {
				const a = byPerspective[p];
				const o = a?.scores.objectives.find((x) => x.number === n);
				if (!a || !o) return [];
				const flags = a.scores.flags.filter((f) => 'item' in f && f.item === key).map((f) => flagText(f, t));
				return [
					{
						perspective: p,
						edition: a.edition,
						methodology: `${a.methodology.key} ${a.methodology.version}`,
						value: o.scored ? o.score : null,
						score: o.scored ? fmt.score(o.score) : null,
						coverage: fmt.share(o.coverage),
						experts: o.implementation.n,
						fictional: a.fictional,
						notes: flags.join('; ')
					}
				];
			});
			return { iso3, name: localCountryName(iso3, locale), cells };
		})
		.filter((r) => r.cells.length > 0)
		.sort((a, b) => a.name.localeCompare(b.name, locale));

	const present = ASSESSMENT_PERSPECTIVES.filter((p) => rows.some((r) => r.cells.some((c) => c.perspective === p)));
	const valueOf = (r: (typeof rows)[number], p: AssessmentPerspective | undefined) =>
		p === undefined ? undefined : (r.cells.find((c) => c.perspective === p)?.value ?? null);
	const chart =
		rows.length === 0
			? null
			: barChart(
					rows.map((r) => ({
						key: r.iso3,
						label: r.name,
						value: valueOf(r, present[0]) ?? null,
						secondary: valueOf(r, present[1]),
						tertiary: valueOf(r, present[2]),
						href: `/benchmarks/${r.iso3}`
					})),
					{
						locale,
						rtl: t.dir === 'rtl',
						decimals: 1,
						series: present.map((p) => ({ key: p, label: t.label('bench.perspective', p) }))
					}
				);
	return { rows, chart, anyFictional: rows.some((r) => r.cells.some((c) => c.fictional)) };
}
