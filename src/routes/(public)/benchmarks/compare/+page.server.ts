/**
 * /benchmarks/compare?country=AAA&country=BBB…: 2–4 countries side by side, each by its headline
 * published assessment. A plain GET form (works without JavaScript); fewer than two, more than
 * four, repeated or unknown countries answer 400, and +error.svelte shows them with the form kept
 * as submitted (the form and the checks are in +layout.server.ts, so both pages have them).
 * Countries without a published assessment are shown as "not assessed", never as a low score.
 */
import type { ScoreFlag } from '$lib/core/benchmarking/types';
import { DomainError } from '$lib/core/shared/errors';
import { error } from '@sveltejs/kit';
import { GUIDING_PRINCIPLES, OBJECTIVES } from '$lib/core/reference';
import { translator } from '$lib/i18n';
import { numberFormat } from '$lib/i18n/format';
import { barChart } from '$lib/server/charts/bar-chart';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';
import {
	assessmentFacts,
	flagsByItem,
	flagText,
	localCountryName,
	objectiveLabel,
	principleLabel
} from '../view.server';

export const load: PageServerLoad = async ({ locals, parent }) => {
	const locale = locals.locale;
	const t = translator(locale);
	const { chosen, errors } = await parent();
	if (chosen.length === 0) return { result: null };
	// A bad selection is a 400; the error page next to this one shows the form and the errors.
	if (errors.length > 0) error(400, errors.join(' '));

	const { services } = await getRuntime();
	let compared;
	try {
		compared = await services.benchmark.compareCountries(chosen);
	} catch (err) {
		if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
			error(400, err.issues.map((i) => i.message).join(' ') || err.message);
		}
		throw err;
	}

	const fmt = numberFormat(locale, { maximumFractionDigits: 1, useGrouping: false });
	const score = (v: number | null | undefined) => (v === null || v === undefined ? null : fmt.format(v));
	const columns = compared.map(({ country, assessment: a }) => ({
		iso3: country.iso3,
		name: localCountryName(country.iso3, locale),
		fictional: country.fictional || (a?.fictional ?? false),
		facts: a ? assessmentFacts(a, t) : null,
		flags: a ? flagsByItem(a.scores) : new Map<string, ScoreFlag[]>()
	}));
	const methodologies = new Set(
		columns.flatMap((c) => (c.facts ? [`${c.facts.methodology.key} ${c.facts.methodology.version}`] : []))
	);

	const itemRow = (
		key: string,
		label: { label: string; lang?: string },
		get: (i: number) => number | null | undefined
	) => ({
		key,
		label: label.label,
		lang: label.lang ?? null,
		cells: compared.map((c, i) => {
			if (!c.assessment) return { text: null, assessed: false, notes: '' };
			const flags = columns[i]?.flags.get(key) ?? [];
			return { text: score(get(i)), assessed: true, notes: flags.map((f) => flagText(f, t)).join('; ') };
		})
	});
	const scoresOf = (i: number) => compared[i]?.assessment?.scores;
	const rows = [
		itemRow('overall', { label: t.t('bench.overall') }, (i) => scoresOf(i)?.overall),
		itemRow('objectives', { label: t.t('bench.objectives_overall') }, (i) => scoresOf(i)?.objectivesOverall),
		itemRow('principles', { label: t.t('bench.principles_overall') }, (i) => scoresOf(i)?.principlesOverall),
		...OBJECTIVES.map((o) =>
			itemRow(
				`O${o.number}`,
				objectiveLabel(o.number, locale),
				(i) => scoresOf(i)?.objectives.find((x) => x.number === o.number)?.score
			)
		),
		...GUIDING_PRINCIPLES.filter((p) =>
			compared.some((c) => c.assessment?.scores.principles.some((x) => x.key === p.key && x.scored))
		).map((p) =>
			itemRow(p.key, principleLabel(p.key, locale), (i) => scoresOf(i)?.principles.find((x) => x.key === p.key)?.score)
		)
	];

	const assessedColumns = columns.filter((c) => c.facts);
	return {
		result: {
			columns: columns.map(({ flags: _flags, ...c }) => c),
			rows,
			comparable: methodologies.size <= 1,
			anyFictional: columns.some((c) => c.fictional),
			chart:
				assessedColumns.length > 0
					? barChart(
							compared
								.filter((c) => c.assessment)
								.map((c) => ({
									key: c.country.iso3,
									label: localCountryName(c.country.iso3, locale),
									value: c.assessment?.scores.overall ?? null,
									href: `/benchmarks/${c.country.iso3}`
								})),
							{ locale, rtl: t.dir === 'rtl', decimals: 1 }
						)
					: null
		}
	};
};
