/**
 * The initiative CSV format: a public contract shared by the bundled 2019 dataset, exports and
 * `gcm import`. Lists are separated by ";" (sources by newlines inside the cell, citation and
 * URL kept in parallel cells). Pure mapping between CSV records and InitiativeInput.
 */
import type { FieldIssue } from '../shared/errors';
import { initiativeInputSchema, normalizeInitiativeInput, type Initiative, type InitiativeInput } from './initiative';

export const INITIATIVE_CSV_COLUMNS = [
	'key',
	'title',
	'description',
	'action_type',
	'initiator_kinds',
	'initiators',
	'scope',
	'regional_scope',
	'region',
	'countries',
	'date_start',
	'date_end',
	'date_precision',
	'date_text',
	'predates_gcm',
	'objectives',
	'principles',
	'source_citation',
	'source_url',
	'verification_status',
	'report_table',
	'report_row',
	'original_text'
] as const;
export type InitiativeCsvColumn = (typeof INITIATIVE_CSV_COLUMNS)[number];

/** Columns a file must have; the rest may be omitted (they take their defaults). */
export const REQUIRED_INITIATIVE_COLUMNS: readonly InitiativeCsvColumn[] = ['key', 'title', 'action_type', 'scope'];

const FIELD_TO_COLUMN: Record<string, InitiativeCsvColumn> = {
	key: 'key',
	title: 'title',
	description: 'description',
	actionType: 'action_type',
	initiatorKinds: 'initiator_kinds',
	initiators: 'initiators',
	scope: 'scope',
	regionalScope: 'regional_scope',
	region: 'region',
	countries: 'countries',
	dateStart: 'date_start',
	dateEnd: 'date_end',
	datePrecision: 'date_precision',
	dateText: 'date_text',
	predatesGcm: 'predates_gcm',
	objectives: 'objectives',
	principles: 'principles',
	sources: 'source_citation',
	verificationStatus: 'verification_status',
	reportTable: 'report_table',
	reportRow: 'report_row',
	originalText: 'original_text'
};

const splitList = (v: string): string[] =>
	v
		.split(';')
		.map((s) => s.trim())
		.filter((s) => s !== '');

const orNull = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v);

type Parsed = { ok: true; input: InitiativeInput } | { ok: false; issues: FieldIssue[] };

/**
 * Maps one CSV record (column → text) to a validated, normalised input. `row` is the 1-based
 * line of the record in the file, used in error reports.
 */
export function initiativeFromCsvRecord(record: Record<string, string>, row: number): Parsed {
	const issues: FieldIssue[] = [];
	const get = (c: InitiativeCsvColumn) => record[c] ?? '';
	const bool = (c: InitiativeCsvColumn, fallback: boolean): boolean => {
		const v = get(c).trim().toLowerCase();
		if (v === '') return fallback;
		if (v === 'true' || v === '1' || v === 'yes') return true;
		if (v === 'false' || v === '0' || v === 'no') return false;
		issues.push({ row, field: c, message: `"${v.slice(0, 20)}" must be true or false` });
		return fallback;
	};
	const objectives: number[] = [];
	for (const v of splitList(get('objectives'))) {
		if (/^\d{1,2}$/.test(v)) objectives.push(Number(v));
		else issues.push({ row, field: 'objectives', message: `"${v.slice(0, 20)}" is not a GCM objective number (1-23)` });
	}
	const citations = get('source_citation')
		.split('\n')
		.map((s) => s.trim());
	const urls = get('source_url')
		.split('\n')
		.map((s) => s.trim());
	const sources = citations
		.map((citation, i) => ({ citation, url: orNull(urls[i]) }))
		.filter((s) => s.citation !== '' || s.url !== null)
		.map((s) => ({ citation: s.citation === '' ? (s.url ?? '') : s.citation, url: s.url }));
	if (
		urls.filter((u) => u !== '').length > citations.filter((c) => c !== '').length &&
		citations.some((c) => c !== '')
	) {
		issues.push({ row, field: 'source_url', message: 'has more lines than source_citation' });
	}
	const reportRowText = get('report_row').trim();
	let reportRow: number | null = null;
	if (reportRowText !== '') {
		if (/^\d{1,6}$/.test(reportRowText)) reportRow = Number(reportRowText);
		else issues.push({ row, field: 'report_row', message: 'must be a positive integer' });
	}
	const regionalScope = bool('regional_scope', false);
	const predatesGcm = bool('predates_gcm', false);
	const dateStart = orNull(get('date_start').trim());
	const candidate = {
		key: get('key').trim(),
		title: get('title'),
		description: get('description'),
		actionType: get('action_type').trim(),
		initiatorKinds: splitList(get('initiator_kinds')),
		initiators: splitList(get('initiators')),
		scope: get('scope').trim(),
		regionalScope,
		region: orNull(get('region')),
		countries: splitList(get('countries')).map((c) => c.toUpperCase()),
		dateStart,
		dateEnd: orNull(get('date_end').trim()),
		datePrecision:
			get('date_precision').trim() || (dateStart ? precisionOf(dateStart) : predatesGcm ? 'predates_gcm' : 'unknown'),
		dateText: orNull(get('date_text')),
		predatesGcm,
		objectives,
		principles: splitList(get('principles')),
		sources,
		verificationStatus: get('verification_status').trim() || 'reported',
		reportTable: orNull(get('report_table')),
		reportRow,
		originalText: orNull(get('original_text'))
	};
	const result = initiativeInputSchema.safeParse(candidate);
	if (!result.success) {
		for (const issue of result.error.issues) {
			const [field, index] = issue.path;
			const column = FIELD_TO_COLUMN[String(field)] ?? String(field ?? 'row');
			let value = '';
			if (typeof index === 'number') {
				const v = (candidate as Record<string, unknown>)[String(field)];
				if (Array.isArray(v) && typeof v[index] === 'string') value = ` ("${String(v[index]).slice(0, 40)}")`;
			}
			issues.push({ row, field: column, message: `${issue.message}${value}` });
		}
	}
	if (issues.length > 0 || !result.success) return { ok: false, issues };
	return { ok: true, input: normalizeInitiativeInput(result.data as InitiativeInput) };
}

function precisionOf(date: string): string {
	return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day';
}

/** One initiative as a CSV record (strings only), in INITIATIVE_CSV_COLUMNS order. */
export function initiativeToCsvRecord(i: Initiative | InitiativeInput): string[] {
	const record: Record<InitiativeCsvColumn, string> = {
		key: i.key,
		title: i.title,
		description: i.description,
		action_type: i.actionType,
		initiator_kinds: i.initiatorKinds.join(';'),
		initiators: i.initiators.join(';'),
		scope: i.scope,
		regional_scope: String(i.regionalScope),
		region: i.region ?? '',
		countries: i.countries.join(';'),
		date_start: i.dateStart ?? '',
		date_end: i.dateEnd ?? '',
		date_precision: i.datePrecision,
		date_text: i.dateText ?? '',
		predates_gcm: String(i.predatesGcm),
		objectives: i.objectives.join(';'),
		principles: i.principles.join(';'),
		source_citation: i.sources.map((s) => s.citation).join('\n'),
		source_url: i.sources
			.map((s) => s.url ?? '')
			.join('\n')
			.replace(/\n+$/, ''),
		verification_status: i.verificationStatus,
		report_table: i.reportTable ?? '',
		report_row: i.reportRow === null ? '' : String(i.reportRow),
		original_text: i.originalText ?? ''
	};
	return INITIATIVE_CSV_COLUMNS.map((c) => record[c]);
}
