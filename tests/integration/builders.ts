/**
 * Test data builders. `csvOf` writes an initiatives CSV independently of the code under test
 * (plain csv-stringify, no formula escaping) with valid defaults whose text is hostile:
 * markup, right-to-left and CJK script, and a 250-character initiator name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import type { Evidence } from '../../src/lib/core/benchmarking/types';
import type { InitiativeInput } from '../../src/lib/core/registry/initiative';
import { INITIATIVE_CSV_COLUMNS, type InitiativeCsvColumn } from '../../src/lib/core/registry/initiative-csv';
import { BUNDLED_DATA_DIR } from './harness';

export type CsvRow = Partial<Record<InitiativeCsvColumn, string>>;

export const HOSTILE = {
	script: '<script>window.__pwned=1</script>',
	arabic: 'الهجرة',
	cjk: '移民',
	longName: `Organisation ${'x'.repeat(250 - 'Organisation '.length)}`
} as const;

let counter = 0;

/** A unique key prefix per call site, so files never collide across tests. */
export function uniqueKey(prefix = 'it'): string {
	counter += 1;
	return `${prefix}-${process.pid}-${counter}`;
}

export function defaultRow(n: number, key = uniqueKey()): Record<InitiativeCsvColumn, string> {
	const day = String((n % 28) + 1).padStart(2, '0');
	return {
		key,
		title: `Test initiative ${n} ${HOSTILE.script}`,
		description: `Description ${n}: ${HOSTILE.arabic} ${HOSTILE.cjk} ${HOSTILE.script}`,
		action_type: 'meeting',
		initiator_kinds: 'civil_society',
		initiators: HOSTILE.longName,
		scope: 'national',
		regional_scope: 'false',
		region: '',
		countries: 'CHL',
		date_start: `2019-05-${day}`,
		date_end: '',
		date_precision: 'day',
		date_text: '',
		predates_gcm: 'false',
		objectives: '',
		principles: '',
		source_citation: '',
		source_url: '',
		verification_status: 'reported',
		report_table: '',
		report_row: '',
		original_text: ''
	};
}

/** A valid initiatives CSV (header = INITIATIVE_CSV_COLUMNS); each row overrides the defaults. */
export function csvOf(rows: CsvRow[]): string {
	const records = rows.map((r, i) => ({ ...defaultRow(i + 1), ...r }));
	return stringify(records, { header: true, columns: [...INITIATIVE_CSV_COLUMNS], record_delimiter: '\n' });
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The bundled 2019 dataset, parsed independently of the application's CSV reader. */
export type BundledRow = Record<InitiativeCsvColumn, string>;

export function bundledInitiatives(): BundledRow[] {
	const text = readFileSync(join(BUNDLED_DATA_DIR, 'mmc-2019', 'initiatives.csv'), 'utf8');
	return parse(text, { columns: true, skip_empty_lines: true }) as BundledRow[];
}

export function bundledPractices(): Record<string, string>[] {
	const text = readFileSync(join(BUNDLED_DATA_DIR, 'mmc-2019', 'practices.csv'), 'utf8');
	return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

export const listOf = (v: string | undefined): string[] =>
	(v ?? '')
		.split(';')
		.map((s) => s.trim())
		.filter((s) => s !== '');

/** A valid initiative (service input shape) with hostile text; `over` replaces fields. */
export function initiativeInput(over: Partial<InitiativeInput> = {}): InitiativeInput {
	return {
		key: uniqueKey('wf'),
		title: `Workflow initiative ${HOSTILE.script} ${HOSTILE.arabic}`,
		description: `Draft text ${HOSTILE.cjk} ${HOSTILE.script}`,
		actionType: 'project',
		initiatorKinds: ['civil_society'],
		initiators: [HOSTILE.longName],
		scope: 'national',
		regionalScope: false,
		region: null,
		countries: ['KEN'],
		dateStart: '2021-03',
		dateEnd: null,
		datePrecision: 'month',
		dateText: null,
		predatesGcm: false,
		objectives: [2, 23],
		principles: [],
		sources: [{ citation: `Report ${HOSTILE.arabic}`, url: 'https://example.org/report' }],
		verificationStatus: 'reported',
		reportTable: null,
		reportRow: null,
		originalText: null,
		...over
	};
}

// Benchmarking (issue #5) ------------------------------------------------------------------------

/**
 * A small methodology for hand-checkable scores: every GCM item is listed (the schema requires
 * it), but only objectives 1 and 2 and the principles people_centred and human_rights are scored;
 * two variables each (O2.1 weighs 2); overall = 0.5 × objectives + 0.5 × principles; 1 decimal.
 */
export function miniMethodology(version = '1.0'): Record<string, unknown> {
	const scoredPrinciples = ['people_centred', 'human_rights'];
	return {
		...DEFAULT_METHODOLOGY,
		key: 'it-mini',
		version,
		status: 'draft',
		title: { en: `Mini method ${HOSTILE.script}`, es: `Método mínimo ${HOSTILE.arabic}` },
		objectives: DEFAULT_METHODOLOGY.objectives.map((o) => ({ ...o, scored: o.number <= 2, weight: 1 })),
		principles: DEFAULT_METHODOLOGY.principles.map((p) => ({
			...p,
			scored: scoredPrinciples.includes(p.key),
			weight: 1
		})),
		variables: [
			{
				key: 'O1.1',
				objective: 1,
				question: { en: `Q1.1 ${HOSTILE.script}` },
				guidance: { en: 'g' },
				gcmParagraph: '19(a)',
				weight: 1
			},
			{
				key: 'O1.2',
				objective: 1,
				question: { en: `Q1.2 ${HOSTILE.arabic}` },
				guidance: { en: 'g' },
				gcmParagraph: '19(b)',
				weight: 1
			},
			{
				key: 'O2.1',
				objective: 2,
				question: { en: `Q2.1 ${HOSTILE.cjk}` },
				guidance: { en: 'g' },
				gcmParagraph: '18(a)',
				weight: 2
			},
			{ key: 'O2.2', objective: 2, question: { en: 'Q2.2' }, guidance: { en: 'g' }, gcmParagraph: '18(b)', weight: 1 }
		],
		weights: { objectives: 0.5, principles: 0.5 },
		objectiveScoreSource: { kind: 'policy' },
		missingData: { minCoverage: 0.8, minExperts: 2, unscoredItems: 'exclude' },
		divergenceThreshold: 20,
		decimals: 1
	};
}

/** A valid piece of desk evidence with hostile text; `over` replaces fields. */
export function evidenceInput(over: Partial<Evidence> = {}): Evidence {
	return {
		title: `Migration Act ${HOSTILE.script} ${HOSTILE.arabic}`,
		type: 'law',
		issuingBody: HOSTILE.longName,
		date: '2021-06',
		url: 'https://example.org/act',
		excerpt: `Article 1 ${HOSTILE.cjk}`,
		...over
	};
}
