/**
 * The initiative CSV format: a public contract shared by the bundled 2019 dataset, exports and
 * `gcm import`. Lists are separated by ";" (sources by newlines inside the cell, citation and
 * URL kept in parallel cells). Pure mapping between CSV records and InitiativeInput.
 */
import { isCountryCode, isObjectiveNumber, isPrincipleKey } from '../reference';
import type { FieldIssue } from '../shared/errors';
import {
	LIMITS,
	initiativeInputSchema,
	normalizeInitiativeInput,
	type Initiative,
	type InitiativeInput,
	type Source
} from './initiative';
import { parsePartialDate } from './partial-date';
import { ACTION_TYPES, DATE_PRECISIONS, INITIATOR_KINDS, SCOPES, VERIFICATION_STATUSES } from './vocabulary';

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

// The helpers below are plain functions and loops, not per-record closures: this runs once per
// row of a file import (100k rows and more), where allocations dominate.

/** ";"-separated list, items trimmed, empty items dropped. */
function splitList(v: string): string[] {
	const out: string[] = [];
	if (v === '') return out;
	for (const part of v.split(';')) {
		const t = part.trim();
		if (t !== '') out.push(t);
	}
	return out;
}

/** Lines of a cell, each trimmed (sources keep empty lines: citation i goes with URL i). */
function splitLines(v: string): string[] {
	const out = v.split('\n');
	for (let i = 0; i < out.length; i++) out[i] = out[i]!.trim();
	return out;
}

const orNull = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v);

function field(record: Record<string, string>, c: InitiativeCsvColumn): string {
	return record[c] ?? '';
}

function parseBool(record: Record<string, string>, c: InitiativeCsvColumn, row: number, issues: FieldIssue[]): boolean {
	const v = field(record, c).trim().toLowerCase();
	if (v === '') return false;
	if (v === 'true' || v === '1' || v === 'yes') return true;
	if (v === 'false' || v === '0' || v === 'no') return false;
	issues.push({ row, field: c, message: `"${v.slice(0, 20)}" must be true or false` });
	return false;
}

function parseSources(record: Record<string, string>, row: number, issues: FieldIssue[]): Source[] {
	const citationText = field(record, 'source_citation');
	const urlText = field(record, 'source_url');
	if (citationText === '' && urlText === '') return [];
	const citations = splitLines(citationText);
	const urls = splitLines(urlText);
	const sources: Source[] = [];
	let citationCount = 0;
	let urlCount = 0;
	for (let i = 0; i < citations.length; i++) {
		const citation = citations[i]!;
		const url = orNull(urls[i]);
		if (citation !== '') citationCount++;
		if (citation !== '' || url !== null) sources.push({ citation: citation === '' ? (url ?? '') : citation, url });
	}
	for (const u of urls) if (u !== '') urlCount++;
	if (urlCount > citationCount && citationCount > 0) {
		issues.push({ row, field: 'source_url', message: 'has more lines than source_citation' });
	}
	return sources;
}

const OBJECTIVE_RE = /^\d{1,2}$/;
const REPORT_ROW_RE = /^\d{1,6}$/;

type Parsed = { ok: true; input: InitiativeInput } | { ok: false; issues: FieldIssue[] };

/**
 * Maps one CSV record (column → text) to a validated, normalised input. `row` is the 1-based
 * line of the record in the file, used in error reports.
 */
export function initiativeFromCsvRecord(record: Record<string, string>, row: number): Parsed {
	const issues: FieldIssue[] = [];
	const objectives: number[] = [];
	for (const v of splitList(field(record, 'objectives'))) {
		if (OBJECTIVE_RE.test(v)) objectives.push(Number(v));
		else issues.push({ row, field: 'objectives', message: `"${v.slice(0, 20)}" is not a GCM objective number (1-23)` });
	}
	const sources = parseSources(record, row, issues);
	const reportRowText = field(record, 'report_row').trim();
	let reportRow: number | null = null;
	if (reportRowText !== '') {
		if (REPORT_ROW_RE.test(reportRowText)) reportRow = Number(reportRowText);
		else issues.push({ row, field: 'report_row', message: 'must be a positive integer' });
	}
	const regionalScope = parseBool(record, 'regional_scope', row, issues);
	const predatesGcm = parseBool(record, 'predates_gcm', row, issues);
	const dateStart = orNull(field(record, 'date_start').trim());
	const countries = splitList(field(record, 'countries'));
	for (let i = 0; i < countries.length; i++) countries[i] = countries[i]!.toUpperCase();
	const candidate = {
		key: field(record, 'key').trim(),
		title: field(record, 'title'),
		description: field(record, 'description'),
		actionType: field(record, 'action_type').trim(),
		initiatorKinds: splitList(field(record, 'initiator_kinds')),
		initiators: splitList(field(record, 'initiators')),
		scope: field(record, 'scope').trim(),
		regionalScope,
		region: orNull(field(record, 'region')),
		countries,
		dateStart,
		dateEnd: orNull(field(record, 'date_end').trim()),
		datePrecision:
			field(record, 'date_precision').trim() ||
			(dateStart ? precisionOf(dateStart) : predatesGcm ? 'predates_gcm' : 'unknown'),
		dateText: orNull(field(record, 'date_text')),
		predatesGcm,
		objectives,
		principles: splitList(field(record, 'principles')),
		sources,
		verificationStatus: field(record, 'verification_status').trim() || 'reported',
		reportTable: orNull(field(record, 'report_table')),
		reportRow,
		originalText: orNull(field(record, 'original_text'))
	};
	if (issues.length === 0 && passesInitiativeRules(candidate)) {
		return { ok: true, input: normalizeInitiativeInput(candidate as InitiativeInput) };
	}
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

// The rules of initiativeInputSchema, written out for the file-import hot path: the schema costs
// about 30 µs a record (3 s for 100k rows), this check about a tenth of that. It only ever says
// "valid" for a record the schema accepts (initiative-csv.spec.ts checks both on valid and broken
// records); anything it doubts goes through the schema, so every error message is the schema's own.

/** Same as the schema's control-character rule (no C0 controls except tab and newlines, no DEL). */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const KEY_RE = /^[a-z0-9][a-z0-9._-]*$/;
const ACTION_TYPE_SET: ReadonlySet<string> = new Set(ACTION_TYPES);
const INITIATOR_KIND_SET: ReadonlySet<string> = new Set(INITIATOR_KINDS);
const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);
const DATE_PRECISION_SET: ReadonlySet<string> = new Set(DATE_PRECISIONS);
const VERIFICATION_SET: ReadonlySet<string> = new Set(VERIFICATION_STATUSES);

const cleanText = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max && !CONTROL_RE.test(v);
const nullableText = (v: unknown, max: number): boolean => v === null || cleanText(v, max);
const nonEmpty = (v: unknown, max: number): boolean => cleanText(v, max) && (v as string).trim().length > 0;

function isHttpUrl(v: string): boolean {
	if (!cleanText(v, LIMITS.url)) return false;
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

function isInitiatorKind(x: unknown): boolean {
	return typeof x === 'string' && INITIATOR_KIND_SET.has(x);
}
function isInitiatorName(x: unknown): boolean {
	return nonEmpty(x, LIMITS.name) && !(x as string).includes(';');
}
function isCountry(x: unknown): boolean {
	return typeof x === 'string' && isCountryCode(x);
}
function isObjective(x: unknown): boolean {
	return Number.isInteger(x) && isObjectiveNumber(x as number);
}
function isPrinciple(x: unknown): boolean {
	return typeof x === 'string' && isPrincipleKey(x);
}
function isSource(x: unknown): boolean {
	if (typeof x !== 'object' || x === null) return false;
	const s = x as Record<string, unknown>;
	if (Object.keys(s).length !== 2 || !('citation' in s) || !('url' in s)) return false;
	const url = s['url'];
	return nonEmpty(s['citation'], LIMITS.citation) && (url === null || (typeof url === 'string' && isHttpUrl(url)));
}

function everyOf(v: unknown, max: number, ok: (x: unknown) => boolean): boolean {
	if (!Array.isArray(v) || v.length > max) return false;
	for (const x of v) if (!ok(x)) return false;
	return true;
}

/**
 * True only when `initiativeInputSchema` accepts `c` unchanged (a conservative, faster check:
 * false means "ask the schema", not necessarily "invalid").
 */
export function passesInitiativeRules(c: Record<string, unknown>): boolean {
	const key = c['key'];
	if (typeof key !== 'string' || key.length > LIMITS.key || !KEY_RE.test(key)) return false;
	if (!nonEmpty(c['title'], LIMITS.title) || !cleanText(c['description'], LIMITS.description)) return false;
	if (typeof c['actionType'] !== 'string' || !ACTION_TYPE_SET.has(c['actionType'])) return false;
	if (!everyOf(c['initiatorKinds'], INITIATOR_KINDS.length, isInitiatorKind)) {
		return false;
	}
	if (!everyOf(c['initiators'], LIMITS.listItems, isInitiatorName)) {
		return false;
	}
	const scope = c['scope'];
	if (typeof scope !== 'string' || !SCOPE_SET.has(scope)) return false;
	if (typeof c['regionalScope'] !== 'boolean' || typeof c['predatesGcm'] !== 'boolean') return false;
	if (!nullableText(c['region'], LIMITS.region)) return false;
	if (!everyOf(c['countries'], 300, isCountry)) return false;
	const { dateStart, dateEnd, datePrecision } = c;
	if ((dateStart !== null && typeof dateStart !== 'string') || (dateEnd !== null && typeof dateEnd !== 'string')) {
		return false;
	}
	const start = dateStart === null ? null : parsePartialDate(dateStart);
	const end = dateEnd === null ? null : parsePartialDate(dateEnd);
	if ((dateStart !== null && !start) || (dateEnd !== null && !end)) return false;
	if (typeof datePrecision !== 'string' || !DATE_PRECISION_SET.has(datePrecision)) return false;
	if (!nullableText(c['dateText'], LIMITS.dateText)) return false;
	if (!everyOf(c['objectives'], 23, isObjective)) return false;
	if (!everyOf(c['principles'], 10, isPrinciple)) return false;
	if (!everyOf(c['sources'], 20, isSource)) return false;
	if (typeof c['verificationStatus'] !== 'string' || !VERIFICATION_SET.has(c['verificationStatus'])) return false;
	if (!nullableText(c['reportTable'], 80) || !nullableText(c['originalText'], LIMITS.originalText)) return false;
	const reportRow = c['reportRow'];
	if (reportRow !== null && !(Number.isSafeInteger(reportRow) && (reportRow as number) > 0)) return false;
	// The schema's cross-field rules (superRefine).
	if (end && !start) return false;
	if (start && end && end.last < start.first) return false;
	if (start && datePrecision !== start.precision) return false;
	if (!start && (datePrecision === 'day' || datePrecision === 'month' || datePrecision === 'year')) return false;
	if (datePrecision === 'predates_gcm' && c['predatesGcm'] !== true) return false;
	if (c['regionalScope'] === true && scope !== 'regional') return false;
	// The schema is strict: no other fields.
	return Object.keys(c).length === FIELD_COUNT;
}

const FIELD_COUNT = Object.keys(FIELD_TO_COLUMN).length;

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
