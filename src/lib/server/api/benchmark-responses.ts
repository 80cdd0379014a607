/**
 * Public shapes of the benchmarking observatory (issue #5) for /api/v1/assessments and
 * /api/v1/benchmarks: explicit mapping from the read models of benchmark-public.service.ts (never
 * DB rows), the query parameters those endpoints accept, and the open-data serializers of the
 * score and evidence downloads. The shapes are described in the OpenAPI document (openapi.ts);
 * the download columns are a public contract: add columns at the end, never rename or reorder.
 *
 * Everything here is about PUBLISHED assessments only (the service never returns anything else),
 * and expert identities appear only as a count plus the names of experts who opted in.
 */
import type { PerspectiveComparison, PerspectiveRow } from '../../core/benchmarking/perspectives';
import type { EditionTrendPoint } from '../../core/benchmarking/trends';
import {
	ASSESSMENT_PERSPECTIVES,
	type AssessmentPerspective,
	type ScoreFlag,
	type SpreadStats
} from '../../core/benchmarking/types';
import { getObjective } from '../../core/reference';
import { validationError, type FieldIssue } from '../../core/shared/errors';
import { csvLine } from '../io/csv';
import type {
	BenchmarkFilter,
	BenchmarkPublicService,
	CountryBenchmark,
	EvidenceExportRow,
	PublishedAssessment,
	ScoreExportRow
} from '../services/benchmark-public.service';

// Query parameters ------------------------------------------------------------------------------

/** Parameters of the assessment list and of the four downloads (all optional, each at most once). */
export const BENCHMARK_QUERY_PARAMS = ['country', 'perspective', 'edition'] as const;

/** Editions are years; outside this range a value is a typo, not a year. */
export const EDITION_MIN = 2000;
export const EDITION_MAX = 2100;

/**
 * Parses `country`, `perspective` and `edition` strictly: unknown parameters, repeated ones and
 * bad values are one VALIDATION_FAILED naming each offending parameter (→ 400). An unknown but
 * well-formed country code is left to the service (COUNTRY_NOT_FOUND → 404).
 */
export function parseBenchmarkQuery(params: URLSearchParams): BenchmarkFilter {
	const issues: FieldIssue[] = [];
	const filter: BenchmarkFilter = {};
	for (const key of new Set(params.keys())) {
		if (!(BENCHMARK_QUERY_PARAMS as readonly string[]).includes(key)) {
			issues.push({ field: key, message: 'is not a known parameter' });
			continue;
		}
		const values = params.getAll(key);
		if (values.length > 1) {
			issues.push({ field: key, message: 'must be given at most once' });
			continue;
		}
		const value = (values[0] ?? '').trim();
		if (key === 'country') {
			if (/^[A-Za-z]{3}$/.test(value)) filter.country = value.toUpperCase();
			else issues.push({ field: key, message: 'must be an ISO 3166-1 alpha-3 code, e.g. MEX' });
		} else if (key === 'perspective') {
			if ((ASSESSMENT_PERSPECTIVES as readonly string[]).includes(value))
				filter.perspective = value as AssessmentPerspective;
			else issues.push({ field: key, message: `must be one of ${ASSESSMENT_PERSPECTIVES.join(', ')}` });
		} else {
			const n = /^\d{4}$/.test(value) ? Number(value) : NaN;
			if (Number.isInteger(n) && n >= EDITION_MIN && n <= EDITION_MAX) filter.edition = n;
			else issues.push({ field: key, message: `must be a year between ${EDITION_MIN} and ${EDITION_MAX}` });
		}
	}
	if (issues.length > 0) throw validationError(issues);
	return filter;
}

// JSON shapes -----------------------------------------------------------------------------------

export const methodologyUrl = (m: { key: string; version: string }) =>
	`/api/v1/methodologies/${encodeURIComponent(m.key)}/${encodeURIComponent(m.version)}`;

function toStatsResponse(s: SpreadStats) {
	return { n: s.n, mean: s.mean, median: s.median, sd: s.sd, min: s.min, max: s.max };
}

/** One shape for every flag, so clients need no union: fields a flag does not carry are null. */
export function toFlagResponse(f: ScoreFlag) {
	return {
		code: f.code,
		item: 'item' in f ? f.item : null,
		coverage: f.code === 'LOW_COVERAGE' ? f.coverage : null,
		n: f.code === 'FEW_EXPERTS' ? f.n : null,
		variable_key: f.code === 'DISPUTED_ANSWER' ? f.variableKey : null
	};
}

/** An assessment in lists: who, when, which method, the three headline numbers. */
export function toAssessmentSummaryResponse(a: PublishedAssessment) {
	return {
		id: a.id,
		url: `/api/v1/assessments/${a.id}`,
		country: a.country,
		country_name: a.countryName,
		fictional: a.fictional,
		edition: a.edition,
		perspective: a.perspective,
		title: a.title,
		summary: a.summary,
		methodology: { key: a.methodology.key, version: a.methodology.version, url: methodologyUrl(a.methodology) },
		published_at: a.publishedAt,
		overall: a.scores.overall,
		objectives_overall: a.scores.objectivesOverall,
		principles_overall: a.scores.principlesOverall,
		alpha: a.scores.alpha,
		experts: { count: a.experts.count, public_names: [...a.experts.publicNames] }
	};
}
export type AssessmentSummaryResponse = ReturnType<typeof toAssessmentSummaryResponse>;

/** One published assessment with every stored score and flag. */
export function toAssessmentResponse(a: PublishedAssessment) {
	const s = a.scores;
	return {
		...toAssessmentSummaryResponse(a),
		objectives: s.objectives.map((o) => ({
			number: o.number,
			roundtable: o.roundtable,
			scored: o.scored,
			score: o.score,
			policy: o.policy,
			coverage: o.coverage,
			answered: o.answered,
			applicable: o.applicable,
			implementation: toStatsResponse(o.implementation),
			gap: o.gap
		})),
		principles: s.principles.map((p) => ({
			key: p.key,
			scored: p.scored,
			score: p.score,
			expert: toStatsResponse(p.expert)
		})),
		roundtables: s.roundtables.map((r) => ({ number: r.number, score: r.score, objectives: [...r.objectives] })),
		flags: s.flags.map(toFlagResponse)
	};
}
export type AssessmentResponse = ReturnType<typeof toAssessmentResponse>;

function toPerspectiveScores(scores: PerspectiveRow['scores']) {
	const out: Partial<Record<AssessmentPerspective, number | null>> = {};
	for (const p of ASSESSMENT_PERSPECTIVES) if (p in scores) out[p] = scores[p] ?? null;
	return out;
}

function toPerspectiveRow(r: PerspectiveRow) {
	return {
		scores: toPerspectiveScores(r.scores),
		max_difference: r.maxDifference,
		divergent: r.divergent,
		pair: r.pair ? [...r.pair] : null
	};
}

export function toPerspectiveComparisonResponse(c: PerspectiveComparison) {
	return {
		perspectives: [...c.perspectives],
		threshold: c.threshold,
		comparable: c.comparable,
		reason: c.reason,
		overall: toPerspectiveRow(c.overall),
		objectives_overall: toPerspectiveRow(c.objectivesOverall),
		principles_overall: toPerspectiveRow(c.principlesOverall),
		objectives: c.objectives.map((o) => ({ number: o.number, ...toPerspectiveRow(o) })),
		principles: c.principles.map((p) => ({ key: p.key, ...toPerspectiveRow(p) })),
		divergent_items: c.divergentItems
	};
}

export function toTrendPointResponse(t: EditionTrendPoint) {
	return {
		edition: t.edition,
		methodology: { key: t.methodology.key, version: t.methodology.version },
		overall: t.overall,
		objectives_overall: t.objectivesOverall,
		principles_overall: t.principlesOverall,
		previous_edition: t.previousEdition,
		comparable: t.comparable,
		reason: t.reason,
		deltas: t.deltas
			? {
					overall: t.deltas.overall,
					objectives_overall: t.deltas.objectivesOverall,
					principles_overall: t.deltas.principlesOverall,
					objectives: t.deltas.objectives.map((d) => ({ number: d.number, delta: d.delta })),
					principles: t.deltas.principles.map((d) => ({ key: d.key, delta: d.delta }))
				}
			: null
	};
}

/**
 * The headline of a country's benchmark: the latest edition's independent assessment, else
 * another perspective of that edition (the service's rule, repeated here for the pages and the
 * API so both show the same number).
 */
export function headlineAssessment(list: readonly PublishedAssessment[]): PublishedAssessment | null {
	let best: PublishedAssessment | null = null;
	for (const a of list) {
		if (
			best === null ||
			a.edition > best.edition ||
			(a.edition === best.edition &&
				ASSESSMENT_PERSPECTIVES.indexOf(a.perspective) < ASSESSMENT_PERSPECTIVES.indexOf(best.perspective))
		) {
			best = a;
		}
	}
	return best;
}

/** A country's benchmark (evidence is in the evidence downloads, linked from `evidence_url`). */
export function toCountryBenchmarkResponse(b: CountryBenchmark) {
	const headline = headlineAssessment(b.assessments);
	const trend: Partial<Record<AssessmentPerspective, ReturnType<typeof toTrendPointResponse>[]>> = {};
	for (const p of ASSESSMENT_PERSPECTIVES) {
		const points = b.trend[p];
		if (points) trend[p] = points.map(toTrendPointResponse);
	}
	const q = `country=${encodeURIComponent(b.country.iso3)}`;
	return {
		country: { iso3: b.country.iso3, name: b.country.name, fictional: b.country.fictional },
		assessed: b.assessments.length > 0,
		latest_edition: b.latestEdition,
		headline: headline ? toAssessmentSummaryResponse(headline) : null,
		assessments: b.assessments.map(toAssessmentSummaryResponse),
		perspectives: b.perspectives ? toPerspectiveComparisonResponse(b.perspectives) : null,
		trend,
		evidence_source: b.evidenceSource
			? {
					assessment_id: b.evidenceSource.assessmentId,
					edition: b.evidenceSource.edition,
					perspective: b.evidenceSource.perspective
				}
			: null,
		scores_url: `/api/v1/benchmarks/scores.json?${q}`,
		evidence_url: `/api/v1/benchmarks/evidence.json?${q}`
	};
}
export type CountryBenchmarkResponse = ReturnType<typeof toCountryBenchmarkResponse>;

type ObjectiveBenchmark = Awaited<ReturnType<BenchmarkPublicService['getObjectiveBenchmark']>>;

export function toObjectiveBenchmarkResponse(b: ObjectiveBenchmark) {
	const objective = getObjective(b.objective);
	return {
		objective: b.objective,
		title: objective?.title ?? null,
		countries: b.countries.map((c) => {
			const perspectives: Partial<Record<AssessmentPerspective, unknown>> = {};
			for (const p of ASSESSMENT_PERSPECTIVES) {
				const x = c.perspectives[p];
				if (!x) continue;
				perspectives[p] = {
					assessment_id: x.assessmentId,
					edition: x.edition,
					methodology: { key: x.methodology.key, version: x.methodology.version },
					scored: x.scored,
					score: x.score,
					policy: x.policy,
					coverage: x.coverage,
					implementation: toStatsResponse(x.implementation),
					gap: x.gap
				};
			}
			return { country: c.country, name: c.name, fictional: c.fictional, perspectives };
		})
	};
}

// Open-data downloads ---------------------------------------------------------------------------

/** Columns of scores.csv (and the keys of scores.json items), in order. A public contract. */
export const SCORE_EXPORT_COLUMNS = [
	'country',
	'country_name',
	'fictional',
	'edition',
	'perspective',
	'methodology',
	'item_type',
	'item_key',
	'score',
	'policy',
	'coverage',
	'implementation_mean',
	'implementation_median',
	'implementation_sd',
	'implementation_n',
	'gap'
] as const satisfies readonly (keyof ScoreExportRow)[];

/** Columns of evidence.csv (and the keys of evidence.json items), in order. A public contract. */
export const EVIDENCE_EXPORT_COLUMNS = [
	'country',
	'fictional',
	'edition',
	'perspective',
	'methodology',
	'objective',
	'variable_key',
	'question',
	'answer',
	'answer_label',
	'evidence_position',
	'evidence_title',
	'evidence_type',
	'issuing_body',
	'date',
	'url',
	'excerpt'
] as const satisfies readonly (keyof EvidenceExportRow)[];

// Compile-time checks that the column lists name every field of the export rows.
type MissingScoreColumn = Exclude<keyof ScoreExportRow, (typeof SCORE_EXPORT_COLUMNS)[number]>;
type MissingEvidenceColumn = Exclude<keyof EvidenceExportRow, (typeof EVIDENCE_EXPORT_COLUMNS)[number]>;
const scoreColumnsComplete: [MissingScoreColumn] extends [never] ? true : never = true;
const evidenceColumnsComplete: [MissingEvidenceColumn] extends [never] ? true : never = true;
void scoreColumnsComplete;
void evidenceColumnsComplete;

export const BENCHMARK_LICENCE = 'CC-BY-4.0';
export const BENCHMARK_ATTRIBUTION = 'GCM Observatory benchmarking (published assessments).';
/** Said in every JSON download, so a `fictional: true` row is never mistaken for a real country's score. */
export const FICTIONAL_NOTE =
	'Rows with fictional = true describe the fictional demo country Demoland (XDM): invented demonstration data, not an assessment of any real country.';

type Cell = string | number | boolean | null;

/**
 * One CSV cell. Text goes through the formula-safe writer of io/csv.ts (a leading = + - @ tab or
 * CR gets an apostrophe). Finite numbers are written as they are: a number cannot be a formula, and
 * escaping a negative gap as "'-3.5" would turn it into text in every spreadsheet. Null is empty;
 * booleans are `true`/`false`.
 */
function csvCell(value: Cell): string {
	if (value === null) return '';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
		return String(value);
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	return csvLine([value]).slice(0, -2);
}

/** RFC 4180 CSV (UTF-8, CRLF) with a header row, in chunks of 500 rows. */
export async function* benchmarkCsv<C extends string>(
	columns: readonly C[],
	rows: readonly Readonly<Record<C, Cell>>[]
): AsyncGenerator<string> {
	yield csvLine(columns);
	for (let i = 0; i < rows.length; i += 500) {
		let text = '';
		for (const row of rows.slice(i, i + 500)) text += columns.map((c) => csvCell(row[c])).join(',') + '\r\n';
		yield text;
	}
}

/** The JSON download: licence, attribution, the fictional-data note, and the rows (only `columns`). */
export async function* benchmarkJson<C extends string>(
	columns: readonly C[],
	rows: readonly Readonly<Record<C, Cell>>[],
	generatedAt: string
): AsyncGenerator<string> {
	yield `{"licence":${JSON.stringify(BENCHMARK_LICENCE)},"attribution":${JSON.stringify(BENCHMARK_ATTRIBUTION)},"note":${JSON.stringify(FICTIONAL_NOTE)},"generated_at":${JSON.stringify(generatedAt)},"columns":${JSON.stringify(columns)},"items":[`;
	for (let i = 0; i < rows.length; i += 500) {
		const part = rows
			.slice(i, i + 500)
			.map((row) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c]]))))
			.join(',');
		yield (i === 0 ? '' : ',') + part;
	}
	yield ']}';
}

/** Suffix of a download's file name for a filter, e.g. `-XDM-2026-independent`. */
export function filterSuffix(f: BenchmarkFilter): string {
	return [f.country, f.edition, f.perspective]
		.filter((x) => x !== undefined)
		.map((x) => `-${String(x)}`)
		.join('');
}
