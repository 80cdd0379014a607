/**
 * View helpers shared by the public benchmark pages (/benchmarks, /benchmarks/[iso3],
 * /benchmarks/compare and the benchmark section of /objectives/[n]): localised names, flag texts
 * and chart inputs. Server-only; every number comes from a published assessment's stored scores.
 */
import { DEMO_COUNTRY } from '$lib/core/benchmarking/demo';
import type { AssessmentScores, ScoreFlag, Translatable } from '$lib/core/benchmarking/types';
import { countryName, getCountry, getObjective, getPrinciple } from '$lib/core/reference';
import type { Translator } from '$lib/i18n';
import { numberFormat } from '$lib/i18n/format';
import type { BarDatum } from '$lib/server/charts/bar-chart';
import type { SpreadDatum } from '$lib/server/charts/spread-chart';
import type { PublishedAssessment } from '$lib/server/services/benchmark-public.service';

/** Text in the page's language where the data has it, else English marked lang="en". */
export interface Localised {
	text: string;
	lang: string | null;
}

export function pick(t: Translatable, locale: string): Localised {
	const own = (t as unknown as Record<string, string | undefined>)[locale];
	if (own) return { text: own, lang: null };
	return { text: t.en, lang: locale === 'en' ? null : 'en' };
}

/** A country's name in the reader's language; the fictional demo country has its own names. */
export function localCountryName(iso3: string, locale: string): string {
	if (iso3 === DEMO_COUNTRY.iso3) {
		const names = DEMO_COUNTRY.name as Translatable;
		return pick(names, locale).text;
	}
	const c = getCountry(iso3);
	return c ? countryName(c, locale) : iso3;
}

/** Objective and principle names are English reference data: marked lang="en" elsewhere. */
export function objectiveLabel(n: number, locale: string): { label: string; lang?: string } {
	const o = getObjective(n);
	const label = `${n}. ${o?.shortLabel ?? o?.title ?? ''}`.trim();
	return locale === 'en' ? { label } : { label, lang: 'en' };
}

export function principleLabel(key: string, locale: string): { label: string; lang?: string } {
	const p = getPrinciple(key);
	const label = p ? p.name : key;
	return locale === 'en' ? { label } : { label, lang: 'en' };
}

/** Formats a 0–100 score (or a 0–1 share as a percentage) in the reader's locale. */
export function formatter(locale: string, decimals = 1) {
	const nf = numberFormat(locale, { maximumFractionDigits: decimals, useGrouping: false });
	return {
		score: (v: number | null): string | null => (v === null ? null : nf.format(v)),
		share: (v: number): string => numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(v)
	};
}

/** Human text of one flag, for the notes next to numbers (LOW_COVERAGE, FEW_EXPERTS, …). */
export function flagText(f: ScoreFlag, t: Translator): string {
	const fmt = formatter(t.locale);
	switch (f.code) {
		case 'LOW_COVERAGE':
			return t.t('bench.flag.low_coverage', { pct: fmt.share(f.coverage) });
		case 'FEW_EXPERTS':
			return t.t('bench.flag.few_experts', { n: f.n });
		case 'NO_DESK_ANSWERS':
			return t.t('bench.flag.no_desk_answers');
		case 'ALPHA_UNDEFINED':
			return t.t('bench.flag.alpha_undefined');
		case 'DISPUTED_ANSWER':
			return t.t('bench.flag.disputed', { key: f.variableKey });
	}
}

/** Flags grouped by the item they concern (`O7`, `people_centred`). */
export function flagsByItem(scores: AssessmentScores): Map<string, ScoreFlag[]> {
	const out = new Map<string, ScoreFlag[]>();
	for (const f of scores.flags) {
		if (!('item' in f)) continue;
		out.set(f.item, [...(out.get(f.item) ?? []), f]);
	}
	return out;
}

function joinFlags(
	flags: readonly ScoreFlag[] | undefined,
	t: Translator,
	only?: ScoreFlag['code'][]
): string | undefined {
	const list = (flags ?? []).filter((f) => !only || only.includes(f.code));
	return list.length > 0 ? list.map((f) => flagText(f, t)).join('; ') : undefined;
}

/** Rows of the objectives bar chart: the headline score, flagged for coverage and missing answers. */
export function objectiveBars(a: PublishedAssessment, t: Translator): BarDatum[] {
	const flags = flagsByItem(a.scores);
	return a.scores.objectives
		.filter((o) => o.scored)
		.map((o) => ({
			key: `O${o.number}`,
			...objectiveLabel(o.number, t.locale),
			value: o.score,
			flag: joinFlags(flags.get(`O${o.number}`), t, ['LOW_COVERAGE', 'NO_DESK_ANSWERS']),
			href: `/objectives/${o.number}`
		}));
}

/** Rows of the principles bar chart: the expert panel's mean, flagged when few experts rated. */
export function principleBars(a: PublishedAssessment, t: Translator): BarDatum[] {
	const flags = flagsByItem(a.scores);
	return a.scores.principles
		.filter((p) => p.scored)
		.map((p) => ({
			key: p.key,
			...principleLabel(p.key, t.locale),
			value: p.score,
			flag: joinFlags(flags.get(p.key), t, ['FEW_EXPERTS'])
		}));
}

/** Expert spread rows: implementation ratings of objectives, then ratings of principles. */
export function spreadRows(
	a: PublishedAssessment,
	t: Translator
): { objectives: SpreadDatum[]; principles: SpreadDatum[] } {
	const flags = flagsByItem(a.scores);
	return {
		objectives: a.scores.objectives
			.filter((o) => o.scored)
			.map((o) => ({
				key: `O${o.number}`,
				...objectiveLabel(o.number, t.locale),
				stats: o.implementation,
				flag: joinFlags(flags.get(`O${o.number}`), t, ['FEW_EXPERTS'])
			})),
		principles: a.scores.principles
			.filter((p) => p.scored)
			.map((p) => ({
				key: p.key,
				...principleLabel(p.key, t.locale),
				stats: p.expert,
				flag: joinFlags(flags.get(p.key), t, ['FEW_EXPERTS'])
			}))
	};
}

/** What a page says about an assessment's method, its date and its panel (never expert identities). */
export function assessmentFacts(a: PublishedAssessment, t: Translator) {
	const fmt = formatter(t.locale);
	const alphaUndefined = a.scores.flags.some((f) => f.code === 'ALPHA_UNDEFINED');
	return {
		id: a.id,
		edition: a.edition,
		perspective: a.perspective,
		fictional: a.fictional,
		title: a.title,
		summary: a.summary,
		methodology: { key: a.methodology.key, version: a.methodology.version, title: pick(a.methodology.title, t.locale) },
		publishedAt: a.publishedAt.slice(0, 10),
		overall: fmt.score(a.scores.overall),
		objectivesOverall: fmt.score(a.scores.objectivesOverall),
		principlesOverall: fmt.score(a.scores.principlesOverall),
		alpha: a.scores.alpha === null ? null : numberFormat(t.locale, { maximumFractionDigits: 3 }).format(a.scores.alpha),
		alphaUndefined,
		lowCoverage: a.scores.flags.filter((f) => f.code === 'LOW_COVERAGE').length,
		fewExperts: a.scores.flags.filter((f) => f.code === 'FEW_EXPERTS').length,
		experts: { count: a.experts.count, publicNames: [...a.experts.publicNames] }
	};
}
export type AssessmentFacts = ReturnType<typeof assessmentFacts>;
