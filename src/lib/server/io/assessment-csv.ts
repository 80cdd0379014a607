/**
 * CSV variants of the offline assessment templates (issue #5), for people who prefer plain files
 * or whose tools cannot open .xlsx. They reuse the hostile-input CSV reader and the formula-safe
 * writer (csv.ts) and the same validation as the workbooks (assessment-workbook.ts), so the rules,
 * limits and messages are identical; issue fields are `<file>!<column>` and rows are file lines.
 *
 * Decisions:
 * - Desk findings are two files, `answers.csv` (one row per variable) and `evidence.csv` (one row
 *   per evidence item), both required on upload: repeating evidence columns would cap the number
 *   of sources, and one long table would repeat (and could contradict) the answer on every line.
 *   An evidence file with only its header means "no evidence" for the variables in answers.csv.
 * - CSV has no hidden _meta sheet, so every row carries `assessment_id`, `methodology_key` and
 *   `methodology_version` (and `rater` for ratings). Filled cells must match the assessment being
 *   imported; rows a user adds may leave them empty. At least one answers/ratings row must name
 *   the assessment, so a file for another assessment can never be imported silently.
 * - Files start with a UTF-8 BOM so Excel opens Arabic or Spanish text correctly; the reader
 *   accepts files with or without it. Values are trimmed and CRLF is normalised to LF.
 * - Replace semantics as for the workbooks: rows present replace what is stored; rows absent
 *   leave it unchanged (the caller merges).
 */
import type { DeskAnswer, ExpertRating, Methodology } from '../../core/benchmarking/types';
import { getObjective } from '../../core/reference';
import {
	ASSESSMENT_IMPORT_LIMITS,
	IssueList,
	ratedItems,
	validateDeskRows,
	validateRatingRows,
	type AssessmentIdentity,
	type TableRow,
	type TemplateLocale
} from './assessment-workbook';
import { readCsv, writeCsv } from './csv';

const IDENTITY = ['assessment_id', 'methodology_key', 'methodology_version'] as const;

export const DESK_ANSWERS_CSV_COLUMNS = [
	...IDENTITY,
	'variable_key',
	'objective',
	'question',
	'guidance',
	'gcm_paragraph',
	'answer',
	'note'
] as const;
export const DESK_EVIDENCE_CSV_COLUMNS = [
	...IDENTITY,
	'variable_key',
	'title',
	'type',
	'issuing_body',
	'date',
	'url',
	'excerpt'
] as const;
export const RATINGS_CSV_COLUMNS = [
	...IDENTITY,
	'rater',
	'item_type',
	'item_key',
	'title',
	'rating',
	'comment'
] as const;

/** Display-only columns: written for context, optional on upload and never read back. */
const DISPLAY_ONLY = {
	answers: ['objective', 'question', 'guidance', 'gcm_paragraph'],
	evidence: [],
	ratings: ['title']
} as const satisfies Record<keyof typeof CSV_FILES, readonly string[]>;

export const CSV_FILES = { answers: 'answers.csv', evidence: 'evidence.csv', ratings: 'ratings.csv' } as const;

const BOM = '\uFEFF';

function tr(t: { en: string; es?: string } | undefined, locale: TemplateLocale): string {
	if (!t) return '';
	return (locale === 'es' ? t.es : undefined) || t.en;
}

function identity(m: Methodology, assessmentId: string): string[] {
	return [assessmentId, m.key, m.version];
}

/** Pre-filled desk findings as two CSV texts (UTF-8 with BOM when encoded). */
export function deskCsv(args: {
	methodology: Methodology;
	assessment: AssessmentIdentity;
	answers: readonly DeskAnswer[];
	locale?: TemplateLocale;
}): { answers: string; evidence: string } {
	const { methodology: m } = args;
	const locale = args.locale ?? 'en';
	const id = identity(m, args.assessment.id);
	const by = new Map(args.answers.map((a) => [a.variableKey, a]));
	const answerRows = m.variables.map((v) => {
		const a = by.get(v.key);
		const o = getObjective(v.objective);
		return [
			...id,
			v.key,
			o ? `O${v.objective}: ${o.title}` : `O${v.objective}`,
			tr(v.question, locale),
			tr(v.guidance, locale),
			v.gcmParagraph,
			a?.answer ?? '',
			a?.note ?? ''
		];
	});
	const evidenceRows = m.variables.flatMap((v) =>
		(by.get(v.key)?.evidence ?? []).map((e) => [...id, v.key, e.title, e.type, e.issuingBody, e.date, e.url, e.excerpt])
	);
	return {
		answers: BOM + writeCsv(DESK_ANSWERS_CSV_COLUMNS, answerRows),
		evidence: BOM + writeCsv(DESK_EVIDENCE_CSV_COLUMNS, evidenceRows)
	};
}

/** One expert's pre-filled ratings as CSV text. */
export function ratingsCsv(args: {
	methodology: Methodology;
	assessment: AssessmentIdentity;
	expert: { rater: string };
	ratings: readonly ExpertRating[];
}): string {
	const { methodology: m, expert } = args;
	const id = identity(m, args.assessment.id);
	const mine = new Map(
		args.ratings.filter((r) => r.rater === expert.rater).map((r) => [`${r.itemType}:${r.itemKey}`, r])
	);
	const rows = ratedItems(m).map((i) => {
		const r = mine.get(`${i.itemType}:${i.itemKey}`);
		return [
			...id,
			expert.rater,
			i.itemType,
			i.itemKey,
			i.title,
			r?.value === null || r?.value === undefined ? '' : String(r.value),
			r?.comment ?? ''
		];
	});
	return BOM + writeCsv(RATINGS_CSV_COLUMNS, rows);
}

/** Reads one CSV file into rows keyed by column, with the file's own issues prefixed by its name. */
function readFile(
	bytes: Uint8Array,
	file: string,
	columns: readonly string[],
	displayOnly: readonly string[],
	maxRows: number,
	issues: IssueList
): TableRow[] | null {
	if (bytes.length > ASSESSMENT_IMPORT_LIMITS.maxFileBytes) {
		issues.add(file, `is larger than ${ASSESSMENT_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB`);
		return null;
	}
	const required = columns.filter((c) => !displayOnly.includes(c));
	const read = readCsv(bytes, columns, required);
	if (!read.ok) {
		for (const i of read.issues) issues.add(i.field === 'file' ? file : `${file}!${i.field}`, i.message, i.row);
		return null;
	}
	const rows: TableRow[] = [];
	for (const rec of read.table.records) {
		const values: Record<string, string> = Object.create(null) as Record<string, string>;
		for (const c of required) values[c] = (rec.values[c] ?? '').replace(/\r\n?/g, '\n').trim();
		rows.push({ row: rec.line, values });
	}
	const filled = rows.filter((r) => Object.values(r.values).some((v) => v !== ''));
	if (filled.length > maxRows) {
		issues.add(file, `has more than ${maxRows} rows; this is not a template for this assessment`);
		return null;
	}
	return filled;
}

/**
 * Filled identity cells must match; `mustName` files also need one row that names the assessment.
 * Only the first mismatch per column is reported: a file for another assessment mismatches on
 * every row and one message says it all.
 */
function checkIdentity(
	rows: readonly TableRow[],
	file: string,
	expected: Record<string, string>,
	mustName: boolean,
	issues: IssueList
): void {
	for (const [col, want] of Object.entries(expected)) {
		const bad = rows.find((r) => (r.values[col] ?? '') !== '' && r.values[col] !== want);
		if (bad) {
			const what =
				col === 'assessment_id'
					? 'names a different assessment; download the template of this assessment'
					: col === 'rater'
						? 'names another expert; download your own template'
						: `is "${(bad.values[col] ?? '').slice(0, 40)}", but the assessment uses ${expected['methodology_key']} ${expected['methodology_version']}; download a fresh template`;
			issues.add(`${file}!${col}`, what, bad.row);
		}
	}
	if (mustName && rows.length > 0 && !rows.some((r) => r.values['assessment_id'] === expected['assessment_id'])) {
		issues.add(
			`${file}!assessment_id`,
			'no row names the assessment; keep the identity columns of the downloaded template'
		);
	}
	for (const r of rows) {
		for (const col of Object.keys(expected)) delete r.values[col];
	}
}

/**
 * Parses uploaded desk findings CSVs (both files). Returns the answers (with evidence) of the
 * variables that have a row in answers.csv, or throws IMPORT_INVALID with every problem.
 */
export function parseDeskCsv(
	files: { answers: Uint8Array; evidence: Uint8Array },
	expected: { methodology: Methodology; assessmentId: string }
): { answers: DeskAnswer[] } {
	const issues = new IssueList();
	const m = expected.methodology;
	const want = { assessment_id: expected.assessmentId, methodology_key: m.key, methodology_version: m.version };
	const answerRows = readFile(
		files.answers,
		CSV_FILES.answers,
		DESK_ANSWERS_CSV_COLUMNS,
		DISPLAY_ONLY.answers,
		ASSESSMENT_IMPORT_LIMITS.maxAnswerRows,
		issues
	);
	const evidenceRows = readFile(
		files.evidence,
		CSV_FILES.evidence,
		DESK_EVIDENCE_CSV_COLUMNS,
		DISPLAY_ONLY.evidence,
		ASSESSMENT_IMPORT_LIMITS.maxEvidenceRows,
		issues
	);
	if (answerRows) checkIdentity(answerRows, CSV_FILES.answers, want, true, issues);
	if (evidenceRows) checkIdentity(evidenceRows, CSV_FILES.evidence, want, false, issues);
	issues.throwIfAny('upload');
	const answers = validateDeskRows(
		m,
		answerRows,
		evidenceRows,
		{ answers: CSV_FILES.answers, evidence: CSV_FILES.evidence },
		issues
	);
	issues.throwIfAny('upload');
	return { answers };
}

/**
 * Parses an uploaded ratings CSV for one rater. Returns the ratings of the items that have a row,
 * or throws IMPORT_INVALID with every problem.
 */
export function parseRatingsCsv(
	bytes: Uint8Array,
	expected: { methodology: Methodology; assessmentId: string; rater: string }
): { ratings: ExpertRating[] } {
	const issues = new IssueList();
	const m = expected.methodology;
	const rows = readFile(
		bytes,
		CSV_FILES.ratings,
		RATINGS_CSV_COLUMNS,
		DISPLAY_ONLY.ratings,
		ASSESSMENT_IMPORT_LIMITS.maxRatingRows,
		issues
	);
	if (rows) {
		checkIdentity(
			rows,
			CSV_FILES.ratings,
			{
				assessment_id: expected.assessmentId,
				methodology_key: m.key,
				methodology_version: m.version,
				rater: expected.rater
			},
			true,
			issues
		);
	}
	issues.throwIfAny('upload');
	const ratings = validateRatingRows(m, expected.rater, rows ?? [], CSV_FILES.ratings, issues);
	issues.throwIfAny('upload');
	return { ratings };
}
