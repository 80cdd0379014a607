/**
 * The initiative edit form as plain values (what the browser sent, as strings), and the
 * conversions around it: record → values (to fill the form), FormData → values (to re-render
 * exactly what was typed), values → service input (validated by the service, not here), and
 * field-by-field comparison (to build a PATCH and to show what someone else changed).
 * Pure: no I/O, shared by the form component and the workspace routes.
 */
import type { InitiativeInput } from '../../core/registry/initiative';
import { LIMITS } from '../../core/registry/initiative';

export interface SourceRowValues {
	citation: string;
	url: string;
}

export interface InitiativeFormValues {
	key: string;
	title: string;
	description: string;
	actionType: string;
	initiatorKinds: string[];
	/** One initiator per line. */
	initiators: string;
	scope: string;
	regionalScope: boolean;
	region: string;
	countries: string[];
	dateStart: string;
	dateEnd: string;
	datePrecision: string;
	dateText: string;
	predatesGcm: boolean;
	objectives: string[];
	principles: string[];
	sources: SourceRowValues[];
	verificationStatus: string;
	reportTable: string;
	reportRow: string;
	originalText: string;
}

export type FormField = keyof InitiativeFormValues;

/** The fields in the order the form shows them (the error summary follows it). */
export const FORM_FIELDS: readonly FormField[] = [
	'key',
	'title',
	'description',
	'actionType',
	'initiatorKinds',
	'initiators',
	'scope',
	'regionalScope',
	'region',
	'countries',
	'dateStart',
	'dateEnd',
	'datePrecision',
	'dateText',
	'predatesGcm',
	'objectives',
	'principles',
	'sources',
	'verificationStatus',
	'reportTable',
	'reportRow',
	'originalText'
];

/** Empty rows offered for sources, and how many more the "add more rows" button adds. */
export const SOURCE_ROWS_MIN = 3;
export const SOURCE_ROWS_STEP = 3;
export const SOURCE_ROWS_MAX = 20;

/** Text is read up to a little over its limit, so "too long" is reported instead of cut silently. */
const READ_CAP = LIMITS.originalText + 1;

export function emptyFormValues(): InitiativeFormValues {
	return {
		key: '',
		title: '',
		description: '',
		actionType: '',
		initiatorKinds: [],
		initiators: '',
		scope: 'national',
		regionalScope: false,
		region: '',
		countries: [],
		dateStart: '',
		dateEnd: '',
		datePrecision: 'unknown',
		dateText: '',
		predatesGcm: false,
		objectives: [],
		principles: [],
		sources: [],
		verificationStatus: 'reported',
		reportTable: '',
		reportRow: '',
		originalText: ''
	};
}

export function formValuesOf(r: InitiativeInput): InitiativeFormValues {
	return {
		key: r.key,
		title: r.title,
		description: r.description,
		actionType: r.actionType,
		initiatorKinds: [...r.initiatorKinds],
		initiators: r.initiators.join('\n'),
		scope: r.scope,
		regionalScope: r.regionalScope,
		region: r.region ?? '',
		countries: [...r.countries],
		dateStart: r.dateStart ?? '',
		dateEnd: r.dateEnd ?? '',
		datePrecision: r.datePrecision,
		dateText: r.dateText ?? '',
		predatesGcm: r.predatesGcm,
		objectives: r.objectives.map(String),
		principles: [...r.principles],
		sources: r.sources.map((s) => ({ citation: s.citation, url: s.url ?? '' })),
		verificationStatus: r.verificationStatus,
		reportTable: r.reportTable ?? '',
		reportRow: r.reportRow === null ? '' : String(r.reportRow),
		originalText: r.originalText ?? ''
	};
}

function text(form: FormData, name: string): string {
	const v = form.get(name);
	return typeof v === 'string' ? v.slice(0, READ_CAP) : '';
}

function all(form: FormData, name: string, max = 400): string[] {
	return form
		.getAll(name)
		.filter((v): v is string => typeof v === 'string')
		.slice(0, max)
		.map((v) => v.slice(0, 200));
}

/** How many source rows the form posted (`source_rows`), within bounds. */
export function postedSourceRows(form: FormData): number {
	const n = Number(text(form, 'source_rows'));
	return Number.isInteger(n) ? Math.min(Math.max(n, 0), SOURCE_ROWS_MAX) : SOURCE_ROWS_MIN;
}

/** Exactly what was typed (source rows keep their positions, empty ones included). */
export function formValuesFromForm(form: FormData): InitiativeFormValues {
	const sources: SourceRowValues[] = [];
	for (let i = 0; i < postedSourceRows(form); i++) {
		sources.push({ citation: text(form, `sources.${i}.citation`), url: text(form, `sources.${i}.url`) });
	}
	return {
		key: text(form, 'key'),
		title: text(form, 'title'),
		description: text(form, 'description'),
		actionType: text(form, 'actionType'),
		initiatorKinds: all(form, 'initiatorKinds'),
		initiators: text(form, 'initiators'),
		scope: text(form, 'scope'),
		regionalScope: form.get('regionalScope') === 'on',
		region: text(form, 'region'),
		countries: all(form, 'countries'),
		dateStart: text(form, 'dateStart'),
		dateEnd: text(form, 'dateEnd'),
		datePrecision: text(form, 'datePrecision'),
		dateText: text(form, 'dateText'),
		predatesGcm: form.get('predatesGcm') === 'on',
		objectives: all(form, 'objectives'),
		principles: all(form, 'principles'),
		sources,
		verificationStatus: text(form, 'verificationStatus'),
		reportTable: text(form, 'reportTable'),
		reportRow: text(form, 'reportRow'),
		originalText: text(form, 'originalText')
	};
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());
const lines = (s: string): string[] =>
	s
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter((l) => l !== '');
const filledSources = (rows: readonly SourceRowValues[]) =>
	rows.filter((s) => s.citation.trim() !== '' || s.url.trim() !== '');

/**
 * The service input for some fields (all by default). Values are converted, not validated: a
 * non-number report row stays text so the service's schema names the field in its error.
 */
export function inputFromFormValues(
	v: InitiativeFormValues,
	fields: readonly FormField[] = FORM_FIELDS
): Record<string, unknown> {
	const full: Record<FormField, unknown> = {
		key: v.key.trim(),
		title: v.title,
		description: v.description,
		actionType: v.actionType,
		initiatorKinds: v.initiatorKinds,
		initiators: lines(v.initiators),
		scope: v.scope,
		regionalScope: v.regionalScope,
		region: orNull(v.region),
		countries: v.countries,
		dateStart: orNull(v.dateStart),
		dateEnd: orNull(v.dateEnd),
		datePrecision: v.datePrecision,
		dateText: orNull(v.dateText),
		predatesGcm: v.predatesGcm,
		objectives: v.objectives.map((o) => (/^\d{1,3}$/.test(o) ? Number(o) : o)),
		principles: v.principles,
		sources: filledSources(v.sources).map((s) => ({ citation: s.citation.trim(), url: orNull(s.url) })),
		verificationStatus: v.verificationStatus,
		reportTable: orNull(v.reportTable),
		reportRow: /^\d{1,9}$/.test(v.reportRow.trim())
			? Number(v.reportRow.trim())
			: v.reportRow.trim() === ''
				? null
				: v.reportRow,
		originalText: orNull(v.originalText)
	};
	const out: Record<string, unknown> = {};
	for (const f of fields) out[f] = full[f];
	return out;
}

/** A field's value in a canonical form, so equal meanings compare equal (order of sets, blanks). */
function canonical(v: InitiativeFormValues, f: FormField): string {
	const input = inputFromFormValues(v, [f])[f];
	if (Array.isArray(input) && f !== 'sources' && f !== 'initiators') {
		return JSON.stringify([...input].map(String).sort());
	}
	if (typeof input === 'string') return JSON.stringify(f === 'title' || f === 'description' ? input.trim() : input);
	return JSON.stringify(input);
}

/** The fields whose meaning differs between two sets of values. */
export function changedFields(a: InitiativeFormValues, b: InitiativeFormValues): FormField[] {
	return FORM_FIELDS.filter((f) => canonical(a, f) !== canonical(b, f));
}

/**
 * The form element a service issue points at: `sources.1.url` → `sources-1-url`, `countries.0` →
 * `countries`, `objectives.3` → `objectives`; anything unknown → null (shown in the summary only).
 */
export function fieldIdOf(issueField: string): string | null {
	const parts = issueField.split('.');
	const head = parts[0] as FormField;
	if (!FORM_FIELDS.includes(head)) return null;
	if (head === 'sources' && parts.length >= 3 && /^\d+$/.test(parts[1] ?? '')) {
		return `sources-${parts[1]}-${parts[2] === 'url' ? 'url' : 'citation'}`;
	}
	return head;
}

/** The top-level field of an issue path (`sources.1.url` → `sources`), or null. */
export function formFieldOf(issueField: string): FormField | null {
	const head = issueField.split('.')[0] as FormField;
	return FORM_FIELDS.includes(head) ? head : null;
}

/** Source rows to show: what was typed plus empty rows, at least SOURCE_ROWS_MIN. */
export function sourceRowsFor(v: InitiativeFormValues, wanted = 0): number {
	const typed = filledSources(v.sources).length;
	return Math.min(SOURCE_ROWS_MAX, Math.max(SOURCE_ROWS_MIN, typed + 1, wanted, v.sources.length));
}

/** A short, human-readable rendering of one field's value (for "their version" beside a field). */
export function displayValue(v: InitiativeFormValues, f: FormField): string {
	const x = v[f];
	if (typeof x === 'boolean') return x ? '✓' : '✗';
	if (f === 'sources') {
		return filledSources(v.sources)
			.map((s) => [s.citation, s.url].filter((p) => p.trim() !== '').join(' — '))
			.join('\n');
	}
	if (Array.isArray(x)) return x.join(', ');
	return String(x);
}
