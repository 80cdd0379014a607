/**
 * The assessment workspace forms as plain values (what the browser sent, as strings) and the
 * conversions around them: stored record → values (to fill a form), FormData → values (to show
 * exactly what was typed again after an error), values → service input (validated by the
 * service, not here), and which steps of the status machine a person may take now.
 * Pure: no I/O, no SvelteKit; shared by the routes and their unit tests.
 *
 * Decisions (the issue is silent on these):
 * - A desk-research page is one objective, posted as one form. Only variables whose content
 *   differs from what the page showed are saved (a fingerprint of the shown content travels in
 *   a hidden field), so an untouched variable never overwrites a colleague's newer answer and
 *   never conflicts. Each changed variable is its own save (versioned); valid ones are saved
 *   even when another one has a problem, which is reported beside it with the typed text kept.
 * - Evidence rows without JavaScript: the stored rows plus one empty row; "add another evidence
 *   row" re-renders with one more row and saves nothing. A row left completely empty is ignored;
 *   a stored row is removed with its "remove" checkbox.
 * - The rating form is one form with a save button per item (each returns to its item's anchor).
 *   An item with no choice and no comment is not saved; a comment without a choice is refused
 *   (choose a value or "cannot rate"), and then nothing is saved.
 */
import type { AssessmentAction } from '$lib/core/access/assessment-policy';
import type { AssessmentStatus, Evidence, ItemType } from '$lib/core/benchmarking/types';
import type { FieldIssue } from '$lib/core/shared/errors';

/** Anything with FormData's `get`: FormData itself, or a Map in tests. */
export interface FormLike {
	get(name: string): FormDataEntryValue | null;
}

/** Text is read up to a little over the service limits, so "too long" is reported, never cut. */
const READ_CAP = 12_000;

function text(form: FormLike, name: string, max = READ_CAP): string {
	const v = form.get(name);
	return typeof v === 'string' ? v.slice(0, max) : '';
}

// Status steps --------------------------------------------------------------------------------

export const ASSESSMENT_STEPS = [
	'startDeskResearch',
	'openPanel',
	'closePanel',
	'reopenPanel',
	'publish',
	'unpublish'
] as const;
export type AssessmentStep = (typeof ASSESSMENT_STEPS)[number];

const STEP_RULES: Record<AssessmentStep, { from: AssessmentStatus; action: AssessmentAction }> = {
	startDeskResearch: { from: 'draft', action: 'assessment.update' },
	openPanel: { from: 'desk_research', action: 'assessment.update' },
	closePanel: { from: 'expert_panel', action: 'assessment.close_panel' },
	reopenPanel: { from: 'validation', action: 'assessment.validate' },
	publish: { from: 'validation', action: 'assessment.publish' },
	unpublish: { from: 'published', action: 'assessment.unpublish' }
};

export function isAssessmentStep(s: string): s is AssessmentStep {
	return (ASSESSMENT_STEPS as readonly string[]).includes(s);
}

/** The steps the person may take from the current status (the service checks again). */
export function stepsFor(
	status: AssessmentStatus,
	permissions: Partial<Record<AssessmentAction, boolean>>
): AssessmentStep[] {
	return ASSESSMENT_STEPS.filter((s) => STEP_RULES[s].from === status && permissions[STEP_RULES[s].action] === true);
}

// Desk research ---------------------------------------------------------------------------------

export const EVIDENCE_FIELDS = ['title', 'type', 'issuingBody', 'date', 'url', 'excerpt'] as const;
export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

export interface EvidenceRowValues extends Record<EvidenceField, string> {
	remove: boolean;
}

export interface DeskVariableValues {
	variableKey: string;
	answer: string;
	note: string;
	/** The answer's version the form was based on (0: never answered). */
	version: number;
	/** Fingerprint of the content the form showed (see deskFingerprint). */
	base: string;
	evidence: EvidenceRowValues[];
}

/** At most this many evidence rows in the form (the service accepts 50 per answer). */
export const EVIDENCE_ROWS_MAX = 50;

const emptyRow = (): EvidenceRowValues => ({
	title: '',
	type: '',
	issuingBody: '',
	date: '',
	url: '',
	excerpt: '',
	remove: false
});

/** cyrb53: a fast 53-bit string hash; only used to notice that a form section was edited. */
function hash53(s: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Browsers send CRLF line breaks from text areas; text is stored with LF and without outer spaces. */
export function clean(s: string): string {
	return s.replace(/\r\n?/g, '\n').trim();
}

/** Rows that carry content: not removed and not completely empty. */
export function keptEvidence(rows: readonly EvidenceRowValues[]): { row: number; values: EvidenceRowValues }[] {
	return rows
		.map((values, row) => ({ row, values }))
		.filter(({ values }) => !values.remove && EVIDENCE_FIELDS.some((f) => values[f].trim() !== ''));
}

/**
 * What a variable's section says, normalised the way the service stores it (trimmed; CRLF → LF),
 * so re-posting an untouched section gives the same fingerprint as the stored answer.
 */
export function deskFingerprint(v: {
	answer: string | null;
	note: string;
	evidence: readonly Record<EvidenceField, string>[];
}): string {
	return hash53(
		JSON.stringify([v.answer ?? '', clean(v.note), v.evidence.map((e) => EVIDENCE_FIELDS.map((f) => clean(e[f])))])
	);
}

/** A stored answer (or none) as form values, with `extraRows` empty evidence rows below it. */
export function deskValuesOf(
	variableKey: string,
	stored: { answer: string | null; note: string; version: number; evidence: readonly Evidence[] } | null,
	extraRows = 1
): DeskVariableValues {
	const evidence: EvidenceRowValues[] = (stored?.evidence ?? []).map((e) => ({
		title: e.title,
		type: e.type,
		issuingBody: e.issuingBody,
		date: e.date,
		url: e.url,
		excerpt: e.excerpt,
		remove: false
	}));
	const base = deskFingerprint({ answer: stored?.answer ?? null, note: stored?.note ?? '', evidence });
	for (let i = 0; i < extraRows && evidence.length < EVIDENCE_ROWS_MAX; i++) evidence.push(emptyRow());
	return {
		variableKey,
		answer: stored?.answer ?? '',
		note: stored?.note ?? '',
		version: stored?.version ?? 0,
		base,
		evidence
	};
}

/** Form field names of variable `i` of the page (ids are the same strings). */
export const deskName = {
	key: (i: number) => `q${i}-key`,
	answer: (i: number) => `q${i}-answer`,
	note: (i: number) => `q${i}-note`,
	version: (i: number) => `q${i}-version`,
	base: (i: number) => `q${i}-base`,
	rows: (i: number) => `q${i}-rows`,
	evidence: (i: number, row: number, f: EvidenceField | 'remove') => `q${i}-e${row}-${f}`
};

/** Exactly what was typed for the page's variables (in the page's order), evidence rows in place. */
export function deskValuesFromForm(form: FormLike, variableKeys: readonly string[]): DeskVariableValues[] {
	return variableKeys.map((variableKey, i) => {
		const rowsRaw = Number(text(form, deskName.rows(i), 4));
		const rows = Number.isInteger(rowsRaw) ? Math.min(Math.max(rowsRaw, 0), EVIDENCE_ROWS_MAX) : 0;
		const evidence: EvidenceRowValues[] = [];
		for (let r = 0; r < rows; r++) {
			const row = emptyRow();
			for (const f of EVIDENCE_FIELDS) row[f] = text(form, deskName.evidence(i, r, f));
			row.remove = form.get(deskName.evidence(i, r, 'remove')) !== null;
			evidence.push(row);
		}
		const version = Number(text(form, deskName.version(i), 12));
		return {
			variableKey,
			answer: text(form, deskName.answer(i), 100),
			note: text(form, deskName.note(i)),
			version: Number.isInteger(version) && version >= 0 ? version : 0,
			base: text(form, deskName.base(i), 40),
			evidence
		};
	});
}

/** Whether the section differs from what the page showed. */
export function deskChanged(v: DeskVariableValues): boolean {
	const kept = keptEvidence(v.evidence).map((k) => k.values);
	return deskFingerprint({ answer: v.answer === '' ? null : v.answer, note: v.note, evidence: kept }) !== v.base;
}

/** The service input for one section, and where each kept evidence row came from. */
export function deskInputOf(v: DeskVariableValues): {
	input: {
		variableKey: string;
		answer: string;
		note: string;
		evidence: Record<EvidenceField, string>[];
		expectedVersion: number;
	};
	rowOf: number[];
} {
	const kept = keptEvidence(v.evidence);
	return {
		input: {
			variableKey: v.variableKey,
			answer: v.answer,
			note: clean(v.note),
			evidence: kept.map(({ values }) => ({
				title: clean(values.title),
				type: values.type,
				issuingBody: clean(values.issuingBody),
				date: clean(values.date),
				url: clean(values.url),
				excerpt: clean(values.excerpt)
			})),
			expectedVersion: v.version
		},
		rowOf: kept.map((k) => k.row)
	};
}

/**
 * The form field an issue of saveDeskAnswer is about (`answer`, `note`, `evidence.2.url` …), for
 * variable `i`; evidence indexes are mapped back to the row they were typed in. Null: the form.
 */
export function deskFieldOf(issueField: string, i: number, rowOf: readonly number[]): string | null {
	if (issueField === 'answer') return deskName.answer(i);
	if (issueField === 'note') return deskName.note(i);
	const m = /^evidence(?:\.(\d+)(?:\.(\w+))?)?$/.exec(issueField);
	if (!m) return null;
	const row = m[1] === undefined ? (rowOf[0] ?? 0) : (rowOf[Number(m[1])] ?? 0);
	const f = (EVIDENCE_FIELDS as readonly string[]).includes(m[2] ?? '') ? (m[2] as EvidenceField) : 'title';
	return deskName.evidence(i, row, f);
}

// Expert ratings ------------------------------------------------------------------------------

/** The choice of one item: '' (not rated yet), 'none' ("cannot rate") or a scale value. */
export interface RatingItemValues {
	itemType: ItemType;
	itemKey: string;
	choice: string;
	comment: string;
}

export const ratingName = {
	choice: (itemKey: string) => `rate-${itemKey}`,
	comment: (itemKey: string) => `comment-${itemKey}`
};

export const CANNOT_RATE = 'none';

export function ratingValuesOf(
	items: readonly { itemType: ItemType; itemKey: string; rated: boolean; value: number | null; comment: string }[]
): RatingItemValues[] {
	return items.map((x) => ({
		itemType: x.itemType,
		itemKey: x.itemKey,
		choice: !x.rated ? '' : x.value === null ? CANNOT_RATE : String(x.value),
		comment: x.comment
	}));
}

export function ratingValuesFromForm(
	form: FormLike,
	items: readonly { itemType: ItemType; itemKey: string }[]
): RatingItemValues[] {
	return items.map((x) => ({
		itemType: x.itemType,
		itemKey: x.itemKey,
		choice: text(form, ratingName.choice(x.itemKey), 10),
		comment: text(form, ratingName.comment(x.itemKey))
	}));
}

/**
 * The ratings to save: items whose choice or comment differs from what is stored. A comment
 * without a choice is an issue (the expert must choose a value or "cannot rate").
 */
export function ratingsToSave(
	posted: readonly RatingItemValues[],
	stored: readonly RatingItemValues[]
): {
	ratings: { itemType: ItemType; itemKey: string; value: number | string | null; comment: string }[];
	issues: FieldIssue[];
} {
	const before = new Map(stored.map((s) => [`${s.itemType}:${s.itemKey}`, s]));
	const issues: FieldIssue[] = [];
	const ratings: { itemType: ItemType; itemKey: string; value: number | string | null; comment: string }[] = [];
	for (const p of posted) {
		const s = before.get(`${p.itemType}:${p.itemKey}`);
		const comment = clean(p.comment);
		if (p.choice === '') {
			if (comment !== '' && (s === undefined || s.choice === '')) {
				issues.push({
					field: ratingName.choice(p.itemKey),
					message: 'choose a rating or "cannot rate" for your comment'
				});
			}
			continue;
		}
		if (s && s.choice === p.choice && clean(s.comment) === comment) continue;
		// Not a number on the scale: sent as the text typed, so the service names the problem.
		const value = p.choice === CANNOT_RATE ? null : /^\d{1,3}$/.test(p.choice) ? Number(p.choice) : p.choice;
		ratings.push({ itemType: p.itemType, itemKey: p.itemKey, value, comment });
	}
	return { ratings, issues };
}

/** The form field of a saveRatings issue (`ratings.3.comment`), given the items that were sent. */
export function ratingFieldOf(issueField: string, sent: readonly { itemKey: string }[]): string | null {
	const m = /^ratings\.(\d+)\.(\w+)$/.exec(issueField);
	const item = m ? sent[Number(m[1])] : undefined;
	if (!m || !item) return null;
	return m[2] === 'comment' ? ratingName.comment(item.itemKey) : ratingName.choice(item.itemKey);
}

// Uploads ---------------------------------------------------------------------------------------

export interface ImportIssueRow {
	/** Sheet or file name (`Answers`, `answers.csv`), '' when the issue is about the whole file. */
	sheet: string;
	row: number | null;
	column: string;
	message: string;
}

/** Issues of an upload (`Answers!answer`, row 12) as the rows of the error table. */
export function importIssueRows(issues: readonly FieldIssue[]): ImportIssueRow[] {
	return issues.map((i) => {
		const bang = i.field.indexOf('!');
		return bang >= 0
			? { sheet: i.field.slice(0, bang), row: i.row ?? null, column: i.field.slice(bang + 1), message: i.message }
			: i.field === 'file'
				? { sheet: '', row: i.row ?? null, column: '', message: i.message }
				: { sheet: '', row: i.row ?? null, column: i.field, message: i.message };
	});
}

// Navigation -------------------------------------------------------------------------------------

export interface AssessmentNav {
	desk: boolean;
	experts: boolean;
	ratings: boolean;
	validation: boolean;
	templates: boolean;
}

/** Which sub-pages of an assessment to link for this person (each page checks access itself). */
export function navOf(
	relations: readonly string[],
	permissions: Partial<Record<AssessmentAction, boolean>>,
	isAdmin: boolean
): AssessmentNav {
	const coordinator = isAdmin || relations.includes('coordinator');
	const expert = relations.includes('expert');
	return {
		desk: true,
		experts: coordinator,
		ratings: expert,
		validation: permissions['assessment.read_ratings'] === true,
		templates: permissions['assessment.answer'] === true || coordinator || expert
	};
}
