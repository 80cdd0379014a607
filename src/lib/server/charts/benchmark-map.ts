/**
 * World choropleth of overall GCM compliance (0–100), on the shapes of world-map.ts (same Equal
 * Earth projection, cached paths). Pure apart from that cache; `BenchmarkMap.svelte` draws it.
 *
 * Three states per country, never confused:
 * - `scored`: a published assessment with an overall score → one of three sequential fills;
 * - `no_score`: assessed, but the overall score is null (not enough evidence) → cross-hatch;
 * - `not_assessed`: no published assessment → diagonal hatch. Not the lightest fill: "not assessed"
 *   must not read as a low score.
 *
 * Colour classes. The brief asks for ≥ 3:1 contrast between neighbouring steps. On the WCAG
 * relative-luminance scale the whole range white→black is 21:1, so at most three steps can be 3:1
 * apart (3 × 3 × 3 = 27 > 21 for four). Hence three classes, split at 33 and 67 (below a third of
 * the commitments met / between / two thirds or more; a score on a boundary goes to the higher
 * class). Fills (YlGnBu family, colour-blind safe): #ccece6 → #2c7fb8 3.46:1 → #081d58 3.64:1.
 * The legend always prints the ranges, and every country's <title> and the table give the number.
 *
 * Countries assessed but not on the 1:110m map (small island states, fictional test countries,
 * codes the reference data lacks) are returned in `unmapped` so the page can list them.
 */
import { COUNTRIES, countryName } from '../../core/reference';
import { checkDecimals, checkScore, scoreFormatter } from './chart-common';
import { worldMapShapes, type MapCountry } from '../../components/map/world-map';

export type MapStatus = 'scored' | 'no_score' | 'not_assessed';

export interface ScoreClass {
	index: number;
	/** Inclusive lower bound. */
	min: number;
	/** Upper bound: exclusive, except for the last class (100 inclusive). */
	max: number;
	fill: string;
	minText: string;
	maxText: string;
	last: boolean;
}

/**
 * One shape of the map. Its path data is not in the model: `BenchmarkMap.svelte` takes it from
 * `worldMapShapes()` by the same key (`m49`, or `name` for shapes without a code), so the ~70 KB of
 * geometry is not serialized with the page's load data on every request.
 */
export interface BenchmarkMapCountry {
	m49: string;
	iso3: string | null;
	name: string;
	status: MapStatus;
	value: number | null;
	text: string | null;
	/** Solid fill for scored countries; null for the two patterns. */
	fill: string | null;
	classIndex: number | null;
}

export interface BenchmarkMapModel {
	width: number;
	height: number;
	sphere: string;
	countries: BenchmarkMapCountry[];
	classes: ScoreClass[];
	/** Counts per state among the countries on the map. */
	counts: Record<MapStatus, number>;
	/** Assessed ISO3 codes that have no shape on the map, with their score, sorted by name. */
	unmapped: { iso3: string; name: string; value: number | null; text: string | null }[];
}

export interface BenchmarkMapOptions {
	locale?: string;
	decimals?: number;
	/** Localised country name for an ISO3 code; default: reference data (es or en), else the code. */
	nameFor?: (iso3: string) => string | undefined;
}

/** Light → dark. Adjacent contrast ratios 3.46 and 3.64 (tested). */
export const SCORE_FILLS: readonly string[] = ['#ccece6', '#2c7fb8', '#081d58'];
/** Class boundaries (see the module comment). */
export const SCORE_BREAKS: readonly number[] = [33, 67];

/** The three classes for the 0–100 domain, with formatted bounds for the legend. */
export function scoreClasses(locale = 'en', decimals = 1): ScoreClass[] {
	const fmt = scoreFormatter(locale, decimals);
	const bounds = [0, ...SCORE_BREAKS, 100];
	return SCORE_FILLS.map((fill, index) => {
		const min = bounds[index]!;
		const max = bounds[index + 1]!;
		const last = index === SCORE_FILLS.length - 1;
		return { index, min, max, fill, minText: fmt(min), maxText: fmt(max), last };
	});
}

/** The class of a score (0–100): the last class whose lower bound it reaches. */
export function classFor(value: number, classes: readonly ScoreClass[]): ScoreClass {
	let found = classes[0]!;
	for (const c of classes) if (value >= c.min) found = c;
	return found;
}

/**
 * Builds the choropleth model from ISO3 → overall score. A key present with null means "assessed,
 * no overall score"; a key absent means "not assessed". Scores outside 0–100 throw.
 */
export function benchmarkMap(
	scores: ReadonlyMap<string, number | null> | Readonly<Record<string, number | null>>,
	options: BenchmarkMapOptions = {}
): BenchmarkMapModel {
	const decimals = checkDecimals(options.decimals);
	const locale = options.locale ?? 'en';
	const fmt = scoreFormatter(locale, decimals);
	const entries: [string, number | null][] =
		scores instanceof Map ? [...scores.entries()] : Object.entries(scores as Record<string, number | null>);
	const byIso = new Map<string, number | null>();
	for (const [iso3, v] of entries) byIso.set(iso3, checkScore(v, `benchmark map ${JSON.stringify(iso3)}`));

	const classes = scoreClasses(locale, decimals);
	const ref = new Map(COUNTRIES.map((c) => [c.iso3, c]));
	const nameFor = (iso3: string): string => {
		const custom = options.nameFor?.(iso3);
		if (custom) return custom;
		const c = ref.get(iso3);
		return c ? countryName(c, locale) : iso3;
	};

	const shapes = worldMapShapes();
	const counts: Record<MapStatus, number> = { scored: 0, no_score: 0, not_assessed: 0 };
	const onMap = new Set<string>();
	const countries = shapes.countries.map((c: MapCountry): BenchmarkMapCountry => {
		const iso3 = c.iso3;
		if (iso3) onMap.add(iso3);
		const assessed = iso3 !== null && byIso.has(iso3);
		const value = assessed ? (byIso.get(iso3) ?? null) : null;
		const status: MapStatus = !assessed ? 'not_assessed' : value === null ? 'no_score' : 'scored';
		counts[status]++;
		const cls = value === null ? null : classFor(value, classes);
		return {
			m49: c.m49,
			iso3,
			name: iso3 ? nameFor(iso3) : c.name,
			status,
			value,
			text: value === null ? null : fmt(value),
			fill: cls?.fill ?? null,
			classIndex: cls?.index ?? null
		};
	});

	const unmapped = [...byIso]
		.filter(([iso3]) => !onMap.has(iso3))
		.map(([iso3, value]) => ({ iso3, name: nameFor(iso3), value, text: value === null ? null : fmt(value) }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));

	return {
		width: shapes.width,
		height: shapes.height,
		sphere: shapes.sphere,
		countries,
		classes,
		counts,
		unmapped
	};
}
