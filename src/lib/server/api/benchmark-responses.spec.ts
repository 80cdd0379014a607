import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildDemoAssessments } from '../../core/benchmarking/demo';
import { DEFAULT_METHODOLOGY } from '../../core/benchmarking/default-methodology';
import { comparePerspectives } from '../../core/benchmarking/perspectives';
import { computeScores } from '../../core/benchmarking/scoring';
import { compareEditions } from '../../core/benchmarking/trends';
import { DomainError } from '../../core/shared/errors';
import type { EvidenceExportRow, PublishedAssessment, ScoreExportRow } from '../services/benchmark-public.service';
import {
	benchmarkCsv,
	benchmarkJson,
	EVIDENCE_EXPORT_COLUMNS,
	headlineAssessment,
	parseBenchmarkQuery,
	SCORE_EXPORT_COLUMNS,
	toAssessmentResponse,
	toAssessmentSummaryResponse,
	toCountryBenchmarkResponse,
	toFlagResponse
} from './benchmark-responses';
import { openApiDocument } from './openapi';

const demo = buildDemoAssessments(DEFAULT_METHODOLOGY);

function published(i: number, extra: Partial<PublishedAssessment> = {}): PublishedAssessment {
	const d = demo[i]!;
	return {
		id: `00000000-0000-4000-8000-00000000000${i}`,
		country: d.country,
		countryName: 'Demoland (fictional)',
		edition: d.edition,
		perspective: d.perspective,
		title: d.title,
		summary: d.summary,
		methodology: {
			key: DEFAULT_METHODOLOGY.key,
			version: DEFAULT_METHODOLOGY.version,
			title: DEFAULT_METHODOLOGY.title
		},
		fictional: true,
		publishedAt: '2026-01-02T03:04:05.000Z',
		scores: computeScores(DEFAULT_METHODOLOGY, { answers: d.answers, ratings: d.ratings }),
		experts: { count: 4, publicNames: ['إحسان مثال (fictional)'] },
		...extra
	};
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
	let out = '';
	for await (const c of chunks) out += c;
	return out;
}

const schema = (name: string) =>
	(openApiDocument('https://x.example') as { components: { schemas: Record<string, Record<string, unknown>> } })
		.components.schemas[name]!;

describe('parseBenchmarkQuery', () => {
	it('accepts the three filters, normalising the country code', () => {
		expect(parseBenchmarkQuery(new URLSearchParams('country=xdm&perspective=government&edition=2026'))).toEqual({
			country: 'XDM',
			perspective: 'government',
			edition: 2026
		});
		expect(parseBenchmarkQuery(new URLSearchParams())).toEqual({});
	});

	it('names every bad, repeated or unknown parameter in one error', () => {
		let err: unknown;
		try {
			parseBenchmarkQuery(
				new URLSearchParams('country=<script>&perspective=x&edition=20x6&edition=2026&limit=5&perspective=y')
			);
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(DomainError);
		const e = err as DomainError;
		expect(e.code).toBe('VALIDATION_FAILED');
		expect(e.issues.map((i) => i.field).sort()).toEqual(['country', 'edition', 'limit', 'perspective']);
	});

	it.each(['1999', '2101', '-2026', '2026.5', '', 'ⅠⅠ'])('rejects edition=%s', (v) => {
		expect(() => parseBenchmarkQuery(new URLSearchParams({ edition: v }))).toThrow(DomainError);
	});
});

describe('JSON shapes', () => {
	it('the summary carries the headline numbers and never expert identities beyond opted-in names', () => {
		const a = published(0);
		const r = toAssessmentSummaryResponse(a);
		expect(r).toMatchObject({
			id: a.id,
			country: 'XDM',
			fictional: true,
			overall: a.scores.overall,
			methodology: { key: 'gcm-benchmark', version: '1.0', url: '/api/v1/methodologies/gcm-benchmark/1.0' },
			experts: { count: 4, public_names: ['إحسان مثال (fictional)'] }
		});
		expect(JSON.stringify(r)).not.toMatch(/email|rater|coi/i);
	});

	it('keys match the OpenAPI schemas exactly (every property required)', () => {
		const a = published(3);
		const check = (name: string, value: object) => {
			const s = schema(name);
			expect(Object.keys(value).sort(), name).toEqual(Object.keys(s.properties as object).sort());
			expect(new Set(s.required as string[]), name).toEqual(new Set(Object.keys(value)));
		};
		check('AssessmentSummary', toAssessmentSummaryResponse(a));
		const full = toAssessmentResponse(a);
		check('Assessment', full);
		check('ScoreFlag', full.flags[0]!);
		const country = toCountryBenchmarkResponse({
			country: { iso3: 'XDM', name: 'Demoland (fictional)', fictional: true },
			assessments: [published(0), published(3)],
			latestEdition: 2026,
			perspectives: comparePerspectives({ independent: published(3).scores, government: published(4).scores }, 20),
			trend: { independent: compareEditions([published(0), published(3)]) },
			evidenceSource: { assessmentId: a.id, edition: 2026, perspective: 'independent' },
			evidenceByObjective: []
		});
		check('CountryBenchmark', country);
		check('TrendPoint', country.trend.independent![1]!);
		check('PerspectiveComparison', country.perspectives!);
		expect(country.headline?.id).toBe(a.id);
		expect(country.trend.independent![1]!.deltas?.overall).toBeTypeOf('number');
	});

	it('maps each kind of flag to one shape', () => {
		expect(toFlagResponse({ code: 'LOW_COVERAGE', item: 'O7', coverage: 0.5 })).toEqual({
			code: 'LOW_COVERAGE',
			item: 'O7',
			coverage: 0.5,
			n: null,
			variable_key: null
		});
		expect(toFlagResponse({ code: 'ALPHA_UNDEFINED' })).toEqual({
			code: 'ALPHA_UNDEFINED',
			item: null,
			coverage: null,
			n: null,
			variable_key: null
		});
		expect(toFlagResponse({ code: 'DISPUTED_ANSWER', variableKey: 'O1.2' }).variable_key).toBe('O1.2');
	});

	it('the headline is the latest edition, independent first', () => {
		const list = [published(0), published(4), published(5), published(3)];
		expect(headlineAssessment(list)?.id).toBe(list[3]!.id);
		expect(headlineAssessment(list.filter((x) => x.perspective !== 'independent'))?.perspective).toBe('government');
		expect(headlineAssessment([])).toBeNull();
	});
});

describe('downloads', () => {
	const scoreRow: ScoreExportRow = {
		country: 'XDM',
		country_name: '=HYPERLINK("http://evil.example")',
		fictional: true,
		edition: 2026,
		perspective: 'independent',
		methodology: 'gcm-benchmark 1.0',
		item_type: 'objective',
		item_key: 'O7',
		policy: 40,
		coverage: 0.75,
		implementation_mean: 32.5,
		implementation_median: null,
		implementation_sd: null,
		implementation_n: 1,
		gap: -7.5,
		score: 40
	};

	it('CSV: header in contract order, formulas escaped in text, numbers stay numbers, null is empty', async () => {
		const text = await collect(benchmarkCsv(SCORE_EXPORT_COLUMNS, [scoreRow]));
		const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
		expect(text.split('\r\n')[0]).toBe(SCORE_EXPORT_COLUMNS.join(','));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			country_name: `'=HYPERLINK("http://evil.example")`,
			fictional: 'true',
			gap: '-7.5',
			implementation_median: '',
			score: '40'
		});
	});

	it('CSV: hostile evidence text (quotes, commas, line breaks, Arabic) round-trips', async () => {
		const row: EvidenceExportRow = {
			country: 'XDM',
			fictional: true,
			edition: 2022,
			perspective: 'civil_society',
			methodology: 'gcm-benchmark 1.0',
			objective: 1,
			variable_key: 'O1.1',
			question: 'Is there a law, "really", with commas?',
			answer: 'partial',
			answer_label: 'Partial',
			evidence_position: null,
			evidence_title: '<script>alert(1)</script>',
			evidence_type: 'law',
			issuing_body: 'وزارة الداخلية\nline two',
			date: '2021-05',
			url: 'https://example.org/a?b=1,2',
			excerpt: '@SUM(A1)'
		};
		const text = await collect(benchmarkCsv(EVIDENCE_EXPORT_COLUMNS, [row, row]));
		const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatchObject({
			question: row.question,
			issuing_body: row.issuing_body,
			evidence_title: row.evidence_title,
			evidence_position: '',
			excerpt: "'@SUM(A1)"
		});
	});

	it('CSV of no rows is the header only; JSON is valid with licence, note and only the contract fields', async () => {
		expect(await collect(benchmarkCsv(SCORE_EXPORT_COLUMNS, []))).toBe(`${SCORE_EXPORT_COLUMNS.join(',')}\r\n`);
		const extra = { ...scoreRow, secret: 'not exported' } as ScoreExportRow;
		const many = Array.from({ length: 1201 }, () => extra);
		const doc = JSON.parse(await collect(benchmarkJson(SCORE_EXPORT_COLUMNS, many, '2026-01-01T00:00:00.000Z'))) as {
			licence: string;
			note: string;
			items: Record<string, unknown>[];
		};
		expect(doc.licence).toBe('CC-BY-4.0');
		expect(doc.note).toMatch(/fictional/);
		expect(doc.items).toHaveLength(1201);
		expect(Object.keys(doc.items[0]!)).toEqual([...SCORE_EXPORT_COLUMNS]);
		expect(doc.items[0]!.gap).toBe(-7.5);
		const empty = JSON.parse(await collect(benchmarkJson(SCORE_EXPORT_COLUMNS, [], 'x'))) as { items: unknown[] };
		expect(empty.items).toEqual([]);
	});

	it('JSON download item schemas list the CSV columns', () => {
		expect(Object.keys(schema('ScoreExportRow').properties as object)).toEqual([...SCORE_EXPORT_COLUMNS]);
		expect(Object.keys(schema('EvidenceExportRow').properties as object)).toEqual([...EVIDENCE_EXPORT_COLUMNS]);
	});
});
