/**
 * The practice and actor edit forms as plain values (strings and string lists, exactly what the
 * browser sent) and the conversions around them, driven by a field list per record type:
 * record → values, FormData → values, values → service input (converted, not validated: the
 * service's schema names the field in its error), and field-by-field comparison (to build a PATCH
 * and to show what someone else changed). Pure: no I/O, shared by RecordForm.svelte and the routes.
 */
import { INITIATOR_KINDS } from '../../core/registry/vocabulary';

export type RecordFieldKind = 'text' | 'textarea' | 'year' | 'url' | 'country' | 'countries' | 'objectives' | 'kind';

export interface RecordFieldSpec {
	name: string;
	kind: RecordFieldKind;
	/** Empty text becomes null in the input (nullable columns). */
	nullable: boolean;
	/** The i18n key of the label (and of the hint, `<label>_hint`, when `hint` is set). */
	label: string;
	hint?: boolean;
	required?: boolean;
}

export type RecordFormValues = Record<string, string | string[]>;

/** The practice form (Annex 3 of the seed report: name, partners, period, countries, objectives …). */
export const PRACTICE_FORM: readonly RecordFieldSpec[] = [
	{ name: 'name', kind: 'text', nullable: false, label: 'actors.practice_form.name', required: true },
	{ name: 'description', kind: 'textarea', nullable: false, label: 'actors.practice_form.description' },
	{
		name: 'implementingPartners',
		kind: 'textarea',
		nullable: false,
		label: 'actors.practice_form.partners',
		hint: true
	},
	{ name: 'periodStart', kind: 'year', nullable: true, label: 'actors.practice_form.period_start' },
	{ name: 'periodEnd', kind: 'year', nullable: true, label: 'actors.practice_form.period_end' },
	{ name: 'periodText', kind: 'text', nullable: true, label: 'actors.practice_form.period_text', hint: true },
	{ name: 'countries', kind: 'countries', nullable: false, label: 'actors.practice_form.countries', hint: true },
	{ name: 'objectives', kind: 'objectives', nullable: false, label: 'actors.practice_form.objectives', hint: true },
	{ name: 'moreInformation', kind: 'text', nullable: true, label: 'actors.practice_form.more_information' },
	{ name: 'key', kind: 'text', nullable: false, label: 'actors.practice_form.key', hint: true },
	{ name: 'reportRow', kind: 'year', nullable: true, label: 'actors.practice_form.report_row' },
	{ name: 'originalText', kind: 'textarea', nullable: true, label: 'actors.practice_form.original_text' }
];

/** The actor form. */
export const ACTOR_FORM: readonly RecordFieldSpec[] = [
	{ name: 'name', kind: 'text', nullable: false, label: 'actors.form.name', required: true, hint: true },
	{ name: 'kind', kind: 'kind', nullable: true, label: 'actors.form.kind' },
	{ name: 'country', kind: 'country', nullable: true, label: 'actors.form.country', hint: true },
	{ name: 'website', kind: 'url', nullable: true, label: 'actors.form.website', hint: true },
	{ name: 'description', kind: 'textarea', nullable: false, label: 'actors.form.description' }
];

export const KIND_OPTIONS = INITIATOR_KINDS;

/** Text is read up to a little over the largest limit, so "too long" is reported instead of cut silently. */
const READ_CAP = 40_001;

const isList = (k: RecordFieldKind) => k === 'countries' || k === 'objectives';

export function emptyRecordValues(spec: readonly RecordFieldSpec[]): RecordFormValues {
	return Object.fromEntries(spec.map((f) => [f.name, isList(f.kind) ? [] : '']));
}

/** The form values of a record (or of any object holding the fields). */
export function recordValuesOf(spec: readonly RecordFieldSpec[], r: object): RecordFormValues {
	const rec = r as Record<string, unknown>;
	return Object.fromEntries(
		spec.map((f) => {
			const v = rec[f.name];
			if (isList(f.kind)) return [f.name, Array.isArray(v) ? v.map(String) : []];
			return [f.name, v === null || v === undefined ? '' : String(v)];
		})
	);
}

/** Exactly what was typed. */
export function recordValuesFromForm(spec: readonly RecordFieldSpec[], form: FormData): RecordFormValues {
	return Object.fromEntries(
		spec.map((f) => {
			if (isList(f.kind)) {
				return [
					f.name,
					form
						.getAll(f.name)
						.filter((v): v is string => typeof v === 'string')
						.slice(0, 400)
						.map((v) => v.slice(0, 20))
				];
			}
			const v = form.get(f.name);
			return [f.name, typeof v === 'string' ? v.slice(0, READ_CAP) : ''];
		})
	);
}

function converted(f: RecordFieldSpec, v: string | string[]): unknown {
	if (Array.isArray(v)) return f.kind === 'objectives' ? v.map((o) => (/^\d{1,3}$/.test(o) ? Number(o) : o)) : v;
	const s = f.kind === 'textarea' ? v : v.trim();
	if (f.kind === 'year') {
		if (s === '') return null;
		return /^\d{1,9}$/.test(s) ? Number(s) : s;
	}
	if (f.nullable && s.trim() === '') return null;
	return s;
}

/** The service input for some fields (all by default). */
export function recordInputFromValues(
	spec: readonly RecordFieldSpec[],
	v: RecordFormValues,
	fields: readonly string[] = spec.map((f) => f.name)
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const f of spec) if (fields.includes(f.name)) out[f.name] = converted(f, v[f.name] ?? '');
	return out;
}

function canonical(f: RecordFieldSpec, v: RecordFormValues): string {
	const c = converted(f, v[f.name] ?? '');
	if (Array.isArray(c)) return JSON.stringify([...c].map(String).sort());
	return JSON.stringify(typeof c === 'string' ? c.trim() : c);
}

/** The fields whose meaning differs between two sets of values. */
export function changedRecordFields(
	spec: readonly RecordFieldSpec[],
	a: RecordFormValues,
	b: RecordFormValues
): string[] {
	return spec.filter((f) => canonical(f, a) !== canonical(f, b)).map((f) => f.name);
}

/** A value as text (the "their current value" box of a conflict). */
export function displayRecordValue(v: RecordFormValues, name: string): string {
	const x = v[name];
	return Array.isArray(x) ? x.join(', ') : (x ?? '');
}

/** The form element an issue points at (`countries.0` → `countries`); unknown → null. */
export function recordFieldIdOf(spec: readonly RecordFieldSpec[], issueField: string): string | null {
	const head = issueField.split('.')[0] ?? '';
	return spec.some((f) => f.name === head) ? head : null;
}

/** A readable, unique key from a name: ascii words and a random tail (when the person leaves it empty). */
export function keyFromName(name: string, random: string): string {
	const slug = name
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/, '');
	const tail = random.replace(/[^a-z0-9]/g, '').slice(0, 8);
	return slug ? `${slug}-${tail}` : `practice-${tail}`;
}
