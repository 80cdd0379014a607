/**
 * Offline templates for benchmarking assessments (issue #5): a coordinator downloads a pre-filled
 * XLSX workbook of desk findings (answers + evidence) or of one expert's ratings, fills it in
 * Excel or LibreOffice without a connection, and uploads it back. Uploads are validated in full,
 * all or nothing: every problem is collected as `{ field: '<Sheet>!<column>', row, message }` and
 * thrown together in one `DomainError('IMPORT_INVALID')`; nothing is returned half-valid.
 *
 * Decisions (the issue is silent on these):
 * - An upload replaces the answers (note and evidence included) of the variables that have a row
 *   in the Answers sheet, and the ratings of the items that have a row in the Ratings sheet.
 *   Variables or items without a row are left as they are: the caller merges. An empty answer
 *   cell means "unanswered" (null); an empty rating cell means "cannot rate" (null).
 * - Evidence rows must point at a variable that has a row in the Answers sheet; otherwise the
 *   replace semantics would be ambiguous, so it is reported as an error.
 * - The second researcher check (`DeskAnswer.check`) is not part of the template; parsed answers
 *   carry no `check` and the caller keeps the stored one.
 * - Columns are found by header (English or Spanish label, or the stable column id), so reordered
 *   columns still import; extra columns are ignored. Read-only columns (question, guidance…) are
 *   never read back.
 * - Cells holding formulas or error values are refused (we never trust a cached result); text that
 *   merely starts with = + - @ is written as a string cell and round-trips exactly. Values are
 *   trimmed and CRLF is normalised to LF. Dates typed into cells become `YYYY-MM-DD`; a year typed
 *   as a number becomes `YYYY`. Input columns are formatted as text (`@`) so Excel keeps `2019-05`
 *   as typed instead of turning it into a date.
 * - Sheet protection has no password: it only guards against accidental edits of the keys and
 *   questions (Answers, Ratings, Instructions); the Evidence sheet is all input and unprotected.
 *   Nothing relies on it: uploads are validated as if every cell could have been changed.
 * - Numbers in the date column: 1800–2200 is a year; larger numbers are Excel date serials (a date
 *   that lost its format), read in the 1900 date system (1904-system workbooks are not supported).
 * - Hostile files: at most 5 MB; the zip's central directory is read before exceljs sees the
 *   file, and each entry is inflated with a hard output cap equal to its declared size, so a zip
 *   bomb (lying or huge declared sizes) is refused without allocating its payload. Data validation
 *   and merged-cell ranges are bounded too, because exceljs expands them cell by cell on load.
 */
import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';
import {
	EVIDENCE_TYPES,
	type DeskAnswer,
	type Evidence,
	type EvidenceType,
	type ExpertRating,
	type ItemKey,
	type ItemType,
	type Methodology,
	type Translatable
} from '../../core/benchmarking/types';
import { objectiveOfItem, ratingItems } from '../../core/benchmarking/rated-items';
import { getObjective, getPrinciple } from '../../core/reference';
import { DomainError, type FieldIssue } from '../../core/shared/errors';

export const TEMPLATE_VERSION = 1;

export const ASSESSMENT_IMPORT_LIMITS = {
	/** Upload size, checked before anything is parsed. */
	maxFileBytes: 5 * 1024 * 1024,
	/** Sum of the declared uncompressed sizes of the zip entries (zip-bomb guard). */
	maxUncompressedBytes: 40 * 1024 * 1024,
	maxZipEntries: 500,
	/** Cells covered by data-validation and merged ranges, which exceljs expands one by one. */
	maxRangeCells: 250_000,
	maxAnswerRows: 2_000,
	maxEvidenceRows: 10_000,
	maxEvidencePerVariable: 100,
	maxRatingRows: 500,
	maxIssues: 200,
	/** Characters per cell (Excel's own cell limit is 32,767). */
	chars: {
		key: 64,
		answer: 64,
		note: 10_000,
		title: 500,
		type: 32,
		issuingBody: 300,
		date: 10,
		url: 2_000,
		excerpt: 10_000,
		rating: 16,
		comment: 10_000
	}
} as const;

export type TemplateLocale = 'en' | 'es';
export type TemplateKind = 'desk_findings' | 'expert_ratings';

export interface AssessmentIdentity {
	id: string;
	country: string;
	countryName: string;
	edition: number;
	perspective: string;
}

// ---------------------------------------------------------------------------------------------
// Column definitions (shared by the XLSX and CSV variants)
// ---------------------------------------------------------------------------------------------

export interface ColumnSpec {
	/** Stable id, used in CSV headers and in issue fields (`Answers!answer`). */
	id: string;
	en: string;
	es: string;
	/** Read back on upload (input) or display-only (locked in the workbook, ignored on upload). */
	input: boolean;
	width: number;
	maxChars?: number;
	/** How a typed cell value is turned into text. */
	kind?: 'text' | 'date' | 'url';
}

const L = ASSESSMENT_IMPORT_LIMITS.chars;

export const ANSWER_COLUMNS: readonly ColumnSpec[] = [
	{ id: 'variable_key', en: 'Variable key', es: 'Clave de variable', input: true, width: 12, maxChars: L.key },
	{ id: 'objective', en: 'Objective', es: 'Objetivo', input: false, width: 28 },
	{ id: 'question', en: 'Question', es: 'Pregunta', input: false, width: 50 },
	{ id: 'guidance', en: 'Guidance', es: 'Orientación', input: false, width: 50 },
	{ id: 'gcm_paragraph', en: 'GCM paragraph', es: 'Párrafo del PMM', input: false, width: 12 },
	{ id: 'answer', en: 'Answer', es: 'Respuesta', input: true, width: 16, maxChars: L.answer },
	{ id: 'note', en: 'Note', es: 'Nota', input: true, width: 50, maxChars: L.note }
];

export const EVIDENCE_COLUMNS: readonly ColumnSpec[] = [
	{ id: 'variable_key', en: 'Variable key', es: 'Clave de variable', input: true, width: 12, maxChars: L.key },
	{ id: 'title', en: 'Title', es: 'Título', input: true, width: 40, maxChars: L.title },
	{ id: 'type', en: 'Type', es: 'Tipo', input: true, width: 14, maxChars: L.type },
	{ id: 'issuing_body', en: 'Issuing body', es: 'Organismo emisor', input: true, width: 30, maxChars: L.issuingBody },
	{ id: 'date', en: 'Date', es: 'Fecha', input: true, width: 12, maxChars: L.date, kind: 'date' },
	{ id: 'url', en: 'URL', es: 'URL', input: true, width: 40, maxChars: L.url, kind: 'url' },
	{ id: 'excerpt', en: 'Excerpt', es: 'Extracto', input: true, width: 60, maxChars: L.excerpt }
];

export const RATING_COLUMNS: readonly ColumnSpec[] = [
	{ id: 'item_type', en: 'Item type', es: 'Tipo de elemento', input: true, width: 12, maxChars: L.key },
	{ id: 'item_key', en: 'Item key', es: 'Clave', input: true, width: 28, maxChars: L.key },
	{ id: 'title', en: 'Title', es: 'Título', input: false, width: 60 },
	{ id: 'rating', en: 'Rating', es: 'Valoración', input: true, width: 12, maxChars: L.rating },
	{ id: 'comment', en: 'Comment', es: 'Comentario', input: true, width: 60, maxChars: L.comment }
];

export const SHEETS = {
	instructions: 'Instructions',
	answers: 'Answers',
	evidence: 'Evidence',
	ratings: 'Ratings',
	lists: '_lists',
	meta: '_meta'
} as const;

// ---------------------------------------------------------------------------------------------
// Localised template text (the workbook is a document, not UI: its strings live here)
// ---------------------------------------------------------------------------------------------

const TEXT = {
	en: {
		deskTitle: 'GCM Observatory: desk findings template',
		ratingsTitle: 'GCM Observatory: expert ratings template',
		assessment: 'Assessment',
		country: 'Country',
		edition: 'Edition',
		perspective: 'Perspective',
		methodology: 'Methodology',
		rater: 'Expert (rater id)',
		howTo: 'How to fill this workbook',
		deskSteps: [
			'Work in the "Answers" sheet: one row per variable (policy question). Pick an answer from the drop-down in the Answer column and explain it in the Note column. Grey columns are locked.',
			'Leave the Answer empty if you have not answered yet. Rows you delete are left unchanged when you upload; the rows present replace the stored answers, notes and evidence of those variables.',
			'List your sources in the "Evidence" sheet: one row per document, with the variable key it supports. Title and type are required; the date is YYYY, YYYY-MM or YYYY-MM-DD; the URL must start with http:// or https://.',
			'Do not rename sheets or header cells, and do not type formulas: type values only. Text starting with = + - or @ is kept as text.',
			'Save as .xlsx and upload the file on the assessment page. If anything is wrong, nothing is imported and every problem is listed by sheet, row and column.'
		],
		ratingsSteps: [
			'Work in the "Ratings" sheet: one row per objective or guiding principle to rate. Rate the effective implementation in practice, not only whether laws or policies exist (desk research covers those).',
			'Pick a value from the drop-down in the Rating column. Leave it empty if you cannot rate the item; that is recorded as "cannot rate", not as a low score.',
			'Use the Comment column to explain your rating. Rows you delete are left unchanged when you upload.',
			'Do not rename sheets or header cells, and do not type formulas. Save as .xlsx and upload the file.'
		],
		answerScale: 'Answer scale',
		ratingScale: 'Rating scale',
		key: 'Key',
		value: 'Value',
		label: 'Label',
		meaning: 'Meaning',
		score: 'Score (0-100)',
		notScored: 'not scored',
		evidenceTypes: 'Evidence types',
		limits: 'Limits',
		limitsText: `Notes, comments and excerpts: up to ${L.note} characters. Titles: ${L.title}. URLs: ${L.url}. File: ${ASSESSMENT_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB.`,
		dropdownError: 'Pick a value from the list.',
		evidenceType: {
			law: 'Law',
			policy: 'Policy',
			regulation: 'Regulation',
			programme: 'Programme',
			practice: 'Practice',
			data: 'Data'
		} satisfies Record<EvidenceType, string>
	},
	es: {
		deskTitle: 'Observatorio del PMM: plantilla de investigación documental',
		ratingsTitle: 'Observatorio del PMM: plantilla de valoraciones de expertos',
		assessment: 'Evaluación',
		country: 'País',
		edition: 'Edición',
		perspective: 'Perspectiva',
		methodology: 'Metodología',
		rater: 'Experto (id de evaluador)',
		howTo: 'Cómo completar este libro',
		deskSteps: [
			'Trabaje en la hoja "Answers": una fila por variable (pregunta de política). Elija una respuesta de la lista desplegable de la columna Respuesta y explíquela en la columna Nota. Las columnas grises están bloqueadas.',
			'Deje la Respuesta vacía si aún no ha respondido. Las filas que borre no cambian al subir el archivo; las filas presentes reemplazan las respuestas, notas y evidencias guardadas de esas variables.',
			'Indique sus fuentes en la hoja "Evidence": una fila por documento, con la clave de la variable que respalda. El título y el tipo son obligatorios; la fecha es AAAA, AAAA-MM o AAAA-MM-DD; la URL debe empezar por http:// o https://.',
			'No cambie el nombre de las hojas ni de los encabezados, y no escriba fórmulas: solo valores. El texto que empieza por = + - o @ se conserva como texto.',
			'Guarde como .xlsx y súbalo en la página de la evaluación. Si hay algún error no se importa nada y se indica cada problema por hoja, fila y columna.'
		],
		ratingsSteps: [
			'Trabaje en la hoja "Ratings": una fila por objetivo o principio rector a valorar. Valore la implementación efectiva en la práctica, no solo si existen leyes o políticas (eso lo cubre la investigación documental).',
			'Elija un valor de la lista desplegable de la columna Valoración. Déjela vacía si no puede valorar el elemento: se registra como "no puede valorar", no como una nota baja.',
			'Use la columna Comentario para explicar su valoración. Las filas que borre no cambian al subir el archivo.',
			'No cambie el nombre de las hojas ni de los encabezados, y no escriba fórmulas. Guarde como .xlsx y suba el archivo.'
		],
		answerScale: 'Escala de respuestas',
		ratingScale: 'Escala de valoración',
		key: 'Clave',
		value: 'Valor',
		label: 'Etiqueta',
		meaning: 'Significado',
		score: 'Puntuación (0-100)',
		notScored: 'no puntúa',
		evidenceTypes: 'Tipos de evidencia',
		limits: 'Límites',
		limitsText: `Notas, comentarios y extractos: hasta ${L.note} caracteres. Títulos: ${L.title}. URL: ${L.url}. Archivo: ${ASSESSMENT_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB.`,
		dropdownError: 'Elija un valor de la lista.',
		evidenceType: {
			law: 'Ley',
			policy: 'Política',
			regulation: 'Reglamento',
			programme: 'Programa',
			practice: 'Práctica',
			data: 'Datos'
		} satisfies Record<EvidenceType, string>
	}
} as const;

function tr(t: Translatable | undefined, locale: TemplateLocale): string {
	if (!t) return '';
	return (locale === 'es' ? t.es : undefined) || t.en;
}

// ---------------------------------------------------------------------------------------------
// Shared validation (XLSX and CSV feed the same rows through it)
// ---------------------------------------------------------------------------------------------

/** One data row of a sheet or CSV file, with its values keyed by column id. */
export interface TableRow {
	/** 1-based row (sheet row or CSV line; the header is row 1). */
	row: number;
	values: Record<string, string>;
	/** Cell reference per column id (`F12`), for XLSX; absent for CSV. */
	refs?: Record<string, string>;
}

/** Collects issues up to the limit; `full` tells callers to stop scanning. */
export class IssueList {
	readonly items: FieldIssue[] = [];
	truncated = false;

	add(field: string, message: string, row?: number): void {
		if (this.items.length >= ASSESSMENT_IMPORT_LIMITS.maxIssues) {
			this.truncated = true;
			return;
		}
		this.items.push(row === undefined ? { field, message } : { field, row, message });
	}

	get full(): boolean {
		return this.items.length >= ASSESSMENT_IMPORT_LIMITS.maxIssues;
	}

	throwIfAny(what: string): void {
		if (this.items.length === 0) return;
		const issues = [...this.items];
		if (this.truncated) {
			issues.push({
				field: 'file',
				message: `has more problems; only the first ${ASSESSMENT_IMPORT_LIMITS.maxIssues} are listed`
			});
		}
		const n = this.items.length;
		throw new DomainError(
			'IMPORT_INVALID',
			`The ${what} has ${n}${this.truncated ? '+' : ''} problem${n === 1 ? '' : 's'}; nothing was imported.`,
			issues
		);
	}
}

function cellSuffix(r: TableRow, col: string): string {
	const ref = r.refs?.[col];
	return ref ? ` (cell ${ref})` : '';
}

function isBlankRow(r: TableRow): boolean {
	return Object.values(r.values).every((v) => v === '');
}

/** Length limits of the input columns, reported per cell. */
function checkLengths(rows: readonly TableRow[], columns: readonly ColumnSpec[], sheet: string, issues: IssueList) {
	for (const r of rows) {
		for (const c of columns) {
			const v = r.values[c.id];
			if (c.input && c.maxChars !== undefined && v !== undefined && v.length > c.maxChars) {
				issues.add(
					`${sheet}!${c.id}`,
					`is ${v.length} characters long; the limit is ${c.maxChars}${cellSuffix(r, c.id)}`,
					r.row
				);
			}
		}
	}
}

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date. */
export function isEvidenceDate(s: string): boolean {
	const m = DATE_RE.exec(s);
	if (!m) return false;
	const year = Number(m[1]);
	if (year < 1800 || year > 2200) return false;
	if (m[2] === undefined) return true;
	const month = Number(m[2]);
	if (month < 1 || month > 12) return false;
	if (m[3] === undefined) return true;
	const day = Number(m[3]);
	const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return day >= 1 && day <= days;
}

export function isHttpUrl(s: string): boolean {
	if (!/^https?:\/\//i.test(s)) return false;
	try {
		const u = new URL(s);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
	} catch {
		return false;
	}
}

function objectiveLabel(n: number): string {
	const o = getObjective(n);
	return o ? `O${n}: ${o.title}` : `O${n}`;
}

/**
 * Validates Answers and Evidence rows against the methodology. Returns the answers of the
 * variables present, in methodology order, each with its evidence in sheet order.
 */
export function validateDeskRows(
	methodology: Methodology,
	/** null when the sheet could not be read (already reported): evidence is then checked alone. */
	answerRows: readonly TableRow[] | null,
	evidenceRows: readonly TableRow[] | null,
	sheets: { answers: string; evidence: string },
	issues: IssueList
): DeskAnswer[] {
	const A = sheets.answers;
	const E = sheets.evidence;
	const variables = new Map(methodology.variables.map((v) => [v.key.toLowerCase(), v.key]));
	const scale = new Map(methodology.answerScale.map((o) => [o.key.toLowerCase(), o.key]));
	const scaleList = methodology.answerScale.map((o) => o.key).join(', ');
	const found = new Map<string, { row: number; answer: string | null; note: string }>();

	const rows = (answerRows ?? []).filter((r) => !isBlankRow(r));
	checkLengths(rows, ANSWER_COLUMNS, A, issues);
	for (const r of rows) {
		const rawKey = r.values['variable_key'] ?? '';
		if (rawKey === '') {
			issues.add(
				`${A}!variable_key`,
				`is empty, so the row cannot be matched to a variable${cellSuffix(r, 'variable_key')}`,
				r.row
			);
			continue;
		}
		const key = variables.get(rawKey.toLowerCase());
		if (!key) {
			issues.add(
				`${A}!variable_key`,
				`"${clip(rawKey)}" is not a variable of methodology ${methodology.key} ${methodology.version}${cellSuffix(r, 'variable_key')}`,
				r.row
			);
			continue;
		}
		const prev = found.get(key);
		if (prev) {
			issues.add(
				`${A}!variable_key`,
				`${key} appears twice (first at row ${prev.row})${cellSuffix(r, 'variable_key')}`,
				r.row
			);
			continue;
		}
		const rawAnswer = r.values['answer'] ?? '';
		let answer: string | null = null;
		if (rawAnswer !== '') {
			answer = scale.get(rawAnswer.toLowerCase()) ?? null;
			if (answer === null) {
				issues.add(
					`${A}!answer`,
					`"${clip(rawAnswer)}" is not on the answer scale; use one of: ${scaleList}, or leave it empty${cellSuffix(r, 'answer')}`,
					r.row
				);
			}
		}
		found.set(key, { row: r.row, answer, note: r.values['note'] ?? '' });
	}

	const evidence = new Map<string, Evidence[]>();
	if (evidenceRows) {
		const erows = evidenceRows.filter((r) => !isBlankRow(r));
		checkLengths(erows, EVIDENCE_COLUMNS, E, issues);
		const types = new Map(EVIDENCE_TYPES.map((t) => [t, t]));
		for (const r of erows) {
			const v = r.values;
			const rawKey = v['variable_key'] ?? '';
			let key: string | undefined;
			if (rawKey === '') {
				issues.add(
					`${E}!variable_key`,
					`is empty; name the variable this evidence supports${cellSuffix(r, 'variable_key')}`,
					r.row
				);
			} else {
				key = variables.get(rawKey.toLowerCase());
				if (!key) {
					issues.add(
						`${E}!variable_key`,
						`"${clip(rawKey)}" is not a variable of methodology ${methodology.key} ${methodology.version}${cellSuffix(r, 'variable_key')}`,
						r.row
					);
				} else if (answerRows && !found.has(key)) {
					issues.add(
						`${E}!variable_key`,
						`${key} has no row in ${A}; add the row back or remove this evidence${cellSuffix(r, 'variable_key')}`,
						r.row
					);
					key = undefined;
				}
			}
			const title = v['title'] ?? '';
			if (title === '') issues.add(`${E}!title`, `is required${cellSuffix(r, 'title')}`, r.row);
			const rawType = (v['type'] ?? '').toLowerCase();
			const type = types.get(rawType as EvidenceType);
			if (!type) {
				issues.add(
					`${E}!type`,
					rawType === ''
						? `is required; use one of: ${EVIDENCE_TYPES.join(', ')}${cellSuffix(r, 'type')}`
						: `"${clip(v['type'] ?? '')}" is not an evidence type; use one of: ${EVIDENCE_TYPES.join(', ')}${cellSuffix(r, 'type')}`,
					r.row
				);
			}
			const date = v['date'] ?? '';
			if (date !== '' && !isEvidenceDate(date)) {
				issues.add(
					`${E}!date`,
					`"${clip(date)}" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD${cellSuffix(r, 'date')}`,
					r.row
				);
			}
			const url = v['url'] ?? '';
			if (url !== '' && !isHttpUrl(url)) {
				issues.add(
					`${E}!url`,
					`"${clip(url)}" is not a web address starting with http:// or https://${cellSuffix(r, 'url')}`,
					r.row
				);
			}
			if (key && type && title !== '') {
				const list = evidence.get(key) ?? [];
				if (list.length === ASSESSMENT_IMPORT_LIMITS.maxEvidencePerVariable) {
					issues.add(
						`${E}!variable_key`,
						`${key} has more than ${ASSESSMENT_IMPORT_LIMITS.maxEvidencePerVariable} evidence items${cellSuffix(r, 'variable_key')}`,
						r.row
					);
				}
				list.push({ title, type, issuingBody: v['issuing_body'] ?? '', date, url, excerpt: v['excerpt'] ?? '' });
				evidence.set(key, list);
			}
		}
	}

	const out: DeskAnswer[] = [];
	for (const variable of methodology.variables) {
		const a = found.get(variable.key);
		if (a)
			out.push({
				variableKey: variable.key,
				answer: a.answer,
				note: a.note,
				evidence: evidence.get(variable.key) ?? []
			});
	}
	return out;
}

/**
 * The rows a ratings template contains: the items experts rate (core ratingItems: every objective,
 * then the scored principles — the same items as the rating form), each with its title, so an
 * expert working only offline can complete the panel.
 */
export function ratedItems(methodology: Methodology): { itemType: ItemType; itemKey: ItemKey; title: string }[] {
	return ratingItems(methodology).map((i) => ({
		...i,
		title:
			i.itemType === 'objective'
				? (getObjective(objectiveOfItem(i.itemKey))?.title ?? i.itemKey)
				: (getPrinciple(i.itemKey)?.name ?? i.itemKey)
	}));
}

/** Validates Ratings rows; returns one rating per row present, in methodology order. */
export function validateRatingRows(
	methodology: Methodology,
	rater: string,
	rows: readonly TableRow[],
	sheet: string,
	issues: IssueList
): ExpertRating[] {
	const items = ratedItems(methodology);
	const byKey = new Map(items.map((i) => [i.itemKey.toLowerCase(), i]));
	const values = new Map(methodology.ratingScale.map((o) => [o.value, o]));
	const valueList = methodology.ratingScale.map((o) => o.value).join(', ');
	const found = new Map<string, { row: number; value: number | null; comment: string }>();

	const data = rows.filter((r) => !isBlankRow(r));
	checkLengths(data, RATING_COLUMNS, sheet, issues);
	for (const r of data) {
		const rawKey = r.values['item_key'] ?? '';
		if (rawKey === '') {
			issues.add(
				`${sheet}!item_key`,
				`is empty, so the row cannot be matched to an item${cellSuffix(r, 'item_key')}`,
				r.row
			);
			continue;
		}
		const item = byKey.get(rawKey.toLowerCase());
		if (!item) {
			issues.add(
				`${sheet}!item_key`,
				`"${clip(rawKey)}" is not an objective or guiding principle rated in methodology ${methodology.key} ${methodology.version}${cellSuffix(r, 'item_key')}`,
				r.row
			);
			continue;
		}
		const rawType = (r.values['item_type'] ?? '').toLowerCase();
		if (rawType !== '' && rawType !== item.itemType) {
			issues.add(
				`${sheet}!item_type`,
				`"${clip(r.values['item_type'] ?? '')}" does not match ${item.itemKey}, which is a ${item.itemType}${cellSuffix(r, 'item_type')}`,
				r.row
			);
		}
		const prev = found.get(item.itemKey);
		if (prev) {
			issues.add(
				`${sheet}!item_key`,
				`${item.itemKey} appears twice (first at row ${prev.row})${cellSuffix(r, 'item_key')}`,
				r.row
			);
			continue;
		}
		const raw = r.values['rating'] ?? '';
		let value: number | null = null;
		if (raw !== '') {
			const n = /^-?\d+(?:\.0+)?$/.test(raw) ? Number(raw) : NaN;
			if (!Number.isInteger(n) || !values.has(n)) {
				issues.add(
					`${sheet}!rating`,
					`"${clip(raw)}" is not on the rating scale; use one of: ${valueList}, or leave it empty if you cannot rate${cellSuffix(r, 'rating')}`,
					r.row
				);
			} else value = n;
		}
		found.set(item.itemKey, { row: r.row, value, comment: r.values['comment'] ?? '' });
	}
	const out: ExpertRating[] = [];
	for (const i of items) {
		const f = found.get(i.itemKey);
		if (f) out.push({ rater, itemType: i.itemType, itemKey: i.itemKey, value: f.value, comment: f.comment });
	}
	return out;
}

function clip(s: string, n = 60): string {
	return s.length > n ? `${s.slice(0, n)}…` : s;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const EXCEL_CELL_MAX = 32_767;
// Characters XML 1.0 cannot carry (a workbook containing them is corrupt), and lone surrogates.
const XML_INVALID_RE =
	// eslint-disable-next-line no-control-regex -- matching control characters is the point
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe to store in a cell: no XML-invalid characters, within Excel's cell limit. */
export function cellText(s: string): string {
	const clean = s.replace(XML_INVALID_RE, '');
	return clean.length > EXCEL_CELL_MAX ? `${clean.slice(0, EXCEL_CELL_MAX - 1)}…` : clean;
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const LOCKED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
	selectLockedCells: true,
	selectUnlockedCells: true,
	formatColumns: true,
	formatRows: true,
	autoFilter: true
};
/** Blank rows below the pre-filled evidence that get the drop-downs. */
const EVIDENCE_SPARE_ROWS = 300;

function addDataSheet(
	wb: ExcelJS.Workbook,
	name: string,
	columns: readonly ColumnSpec[],
	locale: TemplateLocale
): ExcelJS.Worksheet {
	const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
	// Column styles are set before any row exists so every cell created later (by us, or typed by
	// the user below the pre-filled rows) inherits them: input columns unlocked and formatted as
	// text so Excel keeps "2019-05" or "0012" as typed; display columns locked and grey.
	ws.columns = columns.map((c) => ({
		key: c.id,
		width: c.width,
		style: c.input
			? { protection: { locked: false }, numFmt: '@', alignment: { vertical: 'top', wrapText: c.width >= 40 } }
			: { protection: { locked: true }, fill: LOCKED_FILL, alignment: { vertical: 'top', wrapText: c.width >= 28 } }
	}));
	const header = ws.getRow(1);
	columns.forEach((c, i) => {
		const cell = header.getCell(i + 1);
		cell.value = c[locale];
		cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
		cell.fill = HEADER_FILL;
		cell.protection = { locked: true };
	});
	return ws;
}

function setRow(ws: ExcelJS.Worksheet, rowNumber: number, values: readonly (string | number)[]): void {
	const row = ws.getRow(rowNumber);
	values.forEach((v, i) => {
		row.getCell(i + 1).value = typeof v === 'string' ? cellText(v) : v;
	});
}

function columnLetter(n: number): string {
	let s = '';
	for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
	return s;
}

function addList(
	ws: ExcelJS.Worksheet,
	lists: ExcelJS.Worksheet,
	listColumn: number,
	title: string,
	values: readonly (string | number)[],
	target: { column: number; from: number; to: number },
	errorText: string
): void {
	lists.getCell(1, listColumn).value = title;
	values.forEach((v, i) => (lists.getCell(i + 2, listColumn).value = typeof v === 'string' ? cellText(v) : v));
	const letter = columnLetter(listColumn);
	const formula = `'${SHEETS.lists}'!$${letter}$2:$${letter}$${Math.max(2, values.length + 1)}`;
	const col = columnLetter(target.column);
	// Range validations are supported by exceljs 4 but missing from its typings.
	(ws as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
		`${col}${target.from}:${col}${target.to}`,
		{
			type: 'list',
			allowBlank: true,
			formulae: [formula],
			showErrorMessage: true,
			errorStyle: 'error',
			error: errorText
		}
	);
}

function addMeta(wb: ExcelJS.Workbook, entries: Record<string, string | number>): void {
	const ws = wb.addWorksheet(SHEETS.meta, { state: 'veryHidden' });
	ws.getRow(1).values = ['key', 'value'];
	Object.entries(entries).forEach(
		([k, v], i) => (ws.getRow(i + 2).values = [k, typeof v === 'string' ? cellText(v) : v])
	);
}

function addInstructions(
	wb: ExcelJS.Workbook,
	locale: TemplateLocale,
	title: string,
	identity: [string, string][],
	steps: readonly string[]
): { ws: ExcelJS.Worksheet; next: number } {
	const ws = wb.addWorksheet(SHEETS.instructions);
	ws.columns = [{ width: 26 }, { width: 22 }, { width: 18 }, { width: 70 }];
	let r = 1;
	ws.getCell(r, 1).value = cellText(title);
	ws.getCell(r, 1).font = { bold: true, size: 14 };
	r += 2;
	for (const [k, v] of identity) {
		ws.getCell(r, 1).value = k;
		ws.getCell(r, 1).font = { bold: true };
		ws.getCell(r, 2).value = cellText(v);
		r++;
	}
	r++;
	ws.getCell(r, 1).value = TEXT[locale].howTo;
	ws.getCell(r, 1).font = { bold: true, size: 12 };
	r++;
	steps.forEach((s, i) => {
		ws.getCell(r, 1).value = i + 1;
		ws.mergeCells(r, 2, r, 4);
		const cell = ws.getCell(r, 2);
		cell.value = s;
		cell.alignment = { wrapText: true, vertical: 'top' };
		ws.getRow(r).height = 48;
		r++;
	});
	return { ws, next: r + 1 };
}

function tableHeader(ws: ExcelJS.Worksheet, r: number, title: string, cols: string[]): number {
	ws.getCell(r, 1).value = title;
	ws.getCell(r, 1).font = { bold: true, size: 12 };
	cols.forEach((c, i) => {
		const cell = ws.getCell(r + 1, i + 1);
		cell.value = c;
		cell.font = { bold: true };
	});
	return r + 2;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
	const out = await wb.xlsx.writeBuffer();
	return Buffer.from(out as ArrayBuffer);
}

function identityRows(locale: TemplateLocale, methodology: Methodology, a: AssessmentIdentity): [string, string][] {
	const t = TEXT[locale];
	return [
		[t.assessment, a.id],
		[t.country, `${a.countryName} (${a.country})`],
		[t.edition, String(a.edition)],
		[t.perspective, a.perspective],
		[t.methodology, `${tr(methodology.title, locale)} (${methodology.key} ${methodology.version})`]
	];
}

function newWorkbook(): ExcelJS.Workbook {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'GCM Observatory';
	return wb;
}

export async function buildDeskWorkbook(args: {
	methodology: Methodology;
	assessment: AssessmentIdentity;
	answers: readonly DeskAnswer[];
	locale?: TemplateLocale;
}): Promise<Buffer> {
	const { methodology: m, assessment: a } = args;
	const locale = args.locale ?? 'en';
	const t = TEXT[locale];
	const wb = newWorkbook();

	const { ws: ins, next } = addInstructions(wb, locale, t.deskTitle, identityRows(locale, m, a), t.deskSteps);
	let r = tableHeader(ins, next, t.answerScale, [t.key, t.label, t.score, t.meaning]);
	for (const o of m.answerScale) {
		setRow(ins, r++, [
			o.key,
			tr(o.label, locale),
			o.kind === 'scored' && o.value !== null ? o.value : t.notScored,
			tr(o.description, locale)
		]);
	}
	r = tableHeader(ins, r + 1, t.evidenceTypes, [t.key, t.label]);
	for (const e of EVIDENCE_TYPES) setRow(ins, r++, [e, t.evidenceType[e]]);
	ins.getCell(r + 1, 1).value = t.limits;
	ins.getCell(r + 1, 1).font = { bold: true };
	ins.mergeCells(r + 1, 2, r + 1, 4);
	ins.getCell(r + 1, 2).value = t.limitsText;
	await ins.protect('', PROTECTION);

	const byKey = new Map(args.answers.map((x) => [x.variableKey, x]));
	const answers = addDataSheet(wb, SHEETS.answers, ANSWER_COLUMNS, locale);
	m.variables.forEach((v, i) => {
		const cur = byKey.get(v.key);
		setRow(answers, i + 2, [
			v.key,
			objectiveLabel(v.objective),
			tr(v.question, locale),
			tr(v.guidance, locale),
			v.gcmParagraph,
			cur?.answer ?? '',
			cur?.note ?? ''
		]);
	});
	// The key identifies the row: keep it locked like the display columns.
	for (let i = 0; i < m.variables.length; i++) {
		const c = answers.getCell(i + 2, 1);
		c.protection = { locked: true };
		c.fill = LOCKED_FILL;
	}
	answers.autoFilter = {
		from: { row: 1, column: 1 },
		to: { row: Math.max(1, m.variables.length + 1), column: ANSWER_COLUMNS.length }
	};
	await answers.protect('', PROTECTION);

	const evidence = addDataSheet(wb, SHEETS.evidence, EVIDENCE_COLUMNS, locale);
	let er = 2;
	for (const v of m.variables) {
		for (const e of byKey.get(v.key)?.evidence ?? []) {
			setRow(evidence, er++, [v.key, e.title, e.type, e.issuingBody, e.date, e.url, e.excerpt]);
		}
	}

	const lists = wb.addWorksheet(SHEETS.lists, { state: 'veryHidden' });
	const last = er - 1 + EVIDENCE_SPARE_ROWS;
	addList(
		answers,
		lists,
		1,
		'answer',
		m.answerScale.map((o) => o.key),
		{ column: 6, from: 2, to: Math.max(2, m.variables.length + 1) },
		t.dropdownError
	);
	addList(
		evidence,
		lists,
		2,
		'variable_key',
		m.variables.map((v) => v.key),
		{ column: 1, from: 2, to: last },
		t.dropdownError
	);
	addList(evidence, lists, 3, 'type', EVIDENCE_TYPES, { column: 3, from: 2, to: last }, t.dropdownError);
	await lists.protect('', PROTECTION);

	addMeta(wb, {
		template_kind: 'desk_findings' satisfies TemplateKind,
		template_version: TEMPLATE_VERSION,
		assessment_id: a.id,
		methodology_key: m.key,
		methodology_version: m.version,
		country: a.country,
		edition: a.edition,
		perspective: a.perspective,
		locale,
		generated_at: new Date().toISOString()
	});
	return toBuffer(wb);
}

export async function buildRatingsWorkbook(args: {
	methodology: Methodology;
	assessment: AssessmentIdentity;
	expert: { rater: string };
	ratings: readonly ExpertRating[];
	locale?: TemplateLocale;
}): Promise<Buffer> {
	const { methodology: m, assessment: a } = args;
	const locale = args.locale ?? 'en';
	const t = TEXT[locale];
	const wb = newWorkbook();

	const identity = identityRows(locale, m, a);
	identity.push([t.rater, args.expert.rater]);
	const { ws: ins, next } = addInstructions(wb, locale, t.ratingsTitle, identity, t.ratingsSteps);
	let r = tableHeader(ins, next, t.ratingScale, [t.value, t.label, t.score]);
	for (const o of m.ratingScale) setRow(ins, r++, [o.value, tr(o.label, locale), o.score]);
	await ins.protect('', PROTECTION);

	const mine = new Map(
		args.ratings.filter((x) => x.rater === args.expert.rater).map((x) => [`${x.itemType}:${x.itemKey}`, x])
	);
	const items = ratedItems(m);
	const ws = addDataSheet(wb, SHEETS.ratings, RATING_COLUMNS, locale);
	items.forEach((item, i) => {
		const cur = mine.get(`${item.itemType}:${item.itemKey}`);
		setRow(ws, i + 2, [item.itemType, item.itemKey, item.title, cur?.value ?? '', cur?.comment ?? '']);
		for (const c of [1, 2]) {
			const cell = ws.getCell(i + 2, c);
			cell.protection = { locked: true };
			cell.fill = LOCKED_FILL;
		}
	});
	const lists = wb.addWorksheet(SHEETS.lists, { state: 'veryHidden' });
	addList(
		ws,
		lists,
		1,
		'rating',
		m.ratingScale.map((o) => o.value),
		{ column: 4, from: 2, to: Math.max(2, items.length + 1) },
		t.dropdownError
	);
	await ws.protect('', PROTECTION);
	await lists.protect('', PROTECTION);

	addMeta(wb, {
		template_kind: 'expert_ratings' satisfies TemplateKind,
		template_version: TEMPLATE_VERSION,
		assessment_id: a.id,
		methodology_key: m.key,
		methodology_version: m.version,
		rater: args.expert.rater,
		country: a.country,
		edition: a.edition,
		perspective: a.perspective,
		locale,
		generated_at: new Date().toISOString()
	});
	return toBuffer(wb);
}

// ---------------------------------------------------------------------------------------------
// Reading: container checks before exceljs, then sheets → rows → shared validation
// ---------------------------------------------------------------------------------------------

const U16 = (b: Buffer, o: number) => b.readUInt16LE(o);
const U32 = (b: Buffer, o: number) => b.readUInt32LE(o);

function rangeCells(ref: string): number {
	let total = 0;
	for (const part of ref.trim().split(/\s+/)) {
		if (!part) continue;
		const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$/i.exec(part);
		if (!m) continue;
		const c1 = colNumber(m[1] ?? 'A');
		const r1 = Number(m[2]);
		const c2 = m[3] ? colNumber(m[3]) : c1;
		const r2 = m[4] ? Number(m[4]) : r1;
		total += (Math.abs(c2 - c1) + 1) * (Math.abs(r2 - r1) + 1);
	}
	return total;
}

function colNumber(letters: string): number {
	let n = 0;
	for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
	return n;
}

/**
 * Reads the zip container by hand before exceljs (JSZip) does: a small central directory, no
 * encryption or zip64, declared sizes within limits, each entry inflating to exactly its declared
 * size (inflation is capped at that size, so a lying entry fails fast), and bounded ranges in the
 * sheets. Returns a message for the user, or null when the container is sound.
 */
export function inspectXlsxContainer(bytes: Buffer): string | null {
	const lim = ASSESSMENT_IMPORT_LIMITS;
	if (bytes.length >= 4 && U32(bytes, 0) === 0xe011cfd0) {
		return 'is an encrypted or old-format (.xls) workbook; save it as an Excel Workbook (.xlsx) without a password';
	}
	if (bytes.length < 22 || U32(bytes, 0) !== 0x04034b50) {
		return 'is not an .xlsx workbook; save it as an Excel Workbook (.xlsx), or use the CSV upload for .csv files';
	}
	let eocd = -1;
	for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
		if (U32(bytes, i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	const damaged = 'is damaged or incomplete (an interrupted download or save?); save it again as .xlsx';
	if (eocd < 0) return damaged;
	const entries = U16(bytes, eocd + 10);
	const cdSize = U32(bytes, eocd + 12);
	const cdOffset = U32(bytes, eocd + 16);
	if (entries === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
		return 'uses a zip64 container, which a workbook of this size never needs; save it again as .xlsx';
	}
	if (entries > lim.maxZipEntries)
		return `has more than ${lim.maxZipEntries} parts inside; this is not a template workbook`;
	if (cdOffset + cdSize > eocd) return damaged;

	// First pass: the central directory alone (declared sizes, flags), before inflating anything.
	const parts: { name: string; method: number; csize: number; usize: number; lho: number }[] = [];
	let total = 0;
	let p = cdOffset;
	for (let i = 0; i < entries; i++) {
		if (p + 46 > eocd || U32(bytes, p) !== 0x02014b50) return damaged;
		const flags = U16(bytes, p + 8);
		const method = U16(bytes, p + 10);
		const csize = U32(bytes, p + 20);
		const usize = U32(bytes, p + 24);
		const nlen = U16(bytes, p + 28);
		const elen = U16(bytes, p + 30);
		const clen = U16(bytes, p + 32);
		const lho = U32(bytes, p + 42);
		const name = bytes.toString('utf8', p + 46, p + 46 + nlen);
		p += 46 + nlen + elen + clen;
		if (flags & 1) return 'is encrypted; save it as .xlsx without a password';
		if (csize === 0xffffffff || usize === 0xffffffff || lho === 0xffffffff) {
			return 'uses a zip64 container, which a workbook of this size never needs; save it again as .xlsx';
		}
		total += usize;
		if (total > lim.maxUncompressedBytes) {
			return `unpacks to more than ${lim.maxUncompressedBytes / 1024 / 1024} MB; a template workbook is far smaller`;
		}
		parts.push({ name, method, csize, usize, lho });
	}
	// Second pass: each entry inflated with its output capped at the declared size.
	let rangeTotal = 0;
	for (const { name, method, csize, usize, lho } of parts) {
		if (lho + 30 > bytes.length || U32(bytes, lho) !== 0x04034b50) return damaged;
		const start = lho + 30 + U16(bytes, lho + 26) + U16(bytes, lho + 28);
		if (start + csize > bytes.length) return damaged;
		const raw = bytes.subarray(start, start + csize);
		let data: Buffer;
		if (method === 0) {
			if (csize !== usize) return damaged;
			data = raw;
		} else if (method === 8) {
			try {
				data = usize === 0 ? Buffer.alloc(0) : inflateRawSync(raw, { maxOutputLength: usize });
			} catch (err) {
				if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
					return 'contains a part larger than it declares (a zip bomb?); it was not opened';
				}
				return damaged;
			}
			if (data.length !== usize) return damaged;
		} else {
			return 'uses an unsupported compression method; save it again as .xlsx';
		}
		if (/^\/?xl\/worksheets\/[^/]+\.xml$/i.test(name)) {
			const xml = data.toString('utf8');
			for (const m of xml.matchAll(/<(?:\w+:)?dataValidation\b[^>]*?\bsqref="([^"]*)"/g))
				rangeTotal += rangeCells(m[1] ?? '');
			for (const m of xml.matchAll(/<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]*)"/g)) rangeTotal += rangeCells(m[1] ?? '');
			if (rangeTotal > lim.maxRangeCells) {
				return `has drop-down lists or merged cells covering more than ${lim.maxRangeCells} cells (whole columns?); remove them or download a fresh template`;
			}
		}
	}
	return null;
}

/** Size and container checks, then exceljs; throws IMPORT_INVALID when the file cannot be opened. */
async function loadWorkbook(buffer: Buffer | Uint8Array): Promise<ExcelJS.Workbook> {
	const issues = new IssueList();
	const wb = await tryLoad(buffer, issues);
	if (!wb) issues.throwIfAny('file');
	return wb as ExcelJS.Workbook;
}

async function tryLoad(buffer: Buffer | Uint8Array, issues: IssueList): Promise<ExcelJS.Workbook | null> {
	const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
	if (bytes.length === 0) {
		issues.add('file', 'is empty');
		return null;
	}
	if (bytes.length > ASSESSMENT_IMPORT_LIMITS.maxFileBytes) {
		issues.add('file', `is larger than ${ASSESSMENT_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB`);
		return null;
	}
	const problem = inspectXlsxContainer(bytes);
	if (problem) {
		issues.add('file', problem);
		return null;
	}
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
	} catch {
		issues.add(
			'file',
			'could not be read as an .xlsx workbook; open it in Excel or LibreOffice and save it again as .xlsx'
		);
		return null;
	}
	return wb;
}

function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
	return wb.worksheets.find((w) => w.name.trim().toLowerCase() === name.toLowerCase());
}

function isoDate(d: Date): string {
	return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/**
 * A number in the date column: a year typed as a number (Excel turns "2019" into 2019), or a
 * date that lost its date format (a pasted date in a text column arrives as its Excel serial,
 * days since 1899-12-30 in the 1900 date system; 1904-system workbooks are not supported).
 */
function dateFromNumber(n: number): string {
	if (Number.isInteger(n) && n >= 1800 && n <= 2200) return String(n);
	if (n >= 61 && n < 2_958_466) return isoDate(new Date(Date.UTC(1899, 11, 30) + Math.floor(n) * 86_400_000));
	return String(n);
}

function richText(v: { richText: { text: string }[] }): string {
	return v.richText.map((t) => t.text).join('');
}

type CellRead = { ok: true; text: string } | { ok: false; message: string };

/** Turns whatever Excel or LibreOffice stored in a cell into trimmed text, or refuses it. */
export function readCell(cell: ExcelJS.Cell, kind: ColumnSpec['kind'] = 'text'): CellRead {
	const v = cell.value;
	if (v === null || v === undefined || cell.type === ExcelJS.ValueType.Merge) return { ok: true, text: '' };
	let text: string;
	if (typeof v === 'string') text = v;
	else if (typeof v === 'number') {
		if (!Number.isFinite(v)) return { ok: false, message: 'holds a number Excel cannot represent' };
		text = kind === 'date' ? dateFromNumber(v) : String(v);
	} else if (typeof v === 'boolean') text = v ? 'TRUE' : 'FALSE';
	else if (v instanceof Date) text = isoDate(v);
	else if ('formula' in v || 'sharedFormula' in v) {
		return {
			ok: false,
			message: `contains a formula (${clip(cell.formula ?? '', 40)}); type the value itself, not a formula`
		};
	} else if ('error' in v) return { ok: false, message: `contains the error value ${String(v.error)}; type a value` };
	else if ('richText' in v) text = richText(v);
	else if ('hyperlink' in v) {
		// exceljs types the text as a string, but a styled link carries rich text.
		const t: unknown = v.text;
		const label =
			typeof t === 'string'
				? t
				: t && typeof t === 'object' && 'richText' in t
					? richText(t as { richText: { text: string }[] })
					: '';
		// In the URL column the link target is the value; elsewhere the visible text is.
		text = kind === 'url' ? v.hyperlink || label : label;
	} else return { ok: false, message: 'holds a value of an unsupported kind; type plain text' };
	return { ok: true, text: text.replace(/\r\n?/g, '\n').trim() };
}

/** Reads a data sheet: header row by column label or id, then every non-empty row. */
function readSheet(
	wb: ExcelJS.Workbook,
	sheetName: string,
	columns: readonly ColumnSpec[],
	maxRows: number,
	issues: IssueList
): TableRow[] | null {
	const ws = findSheet(wb, sheetName);
	if (!ws) {
		issues.add(
			sheetName,
			`sheet "${sheetName}" is missing; do not rename or delete sheets (download a fresh template if needed)`
		);
		return null;
	}
	const wanted = columns.filter((c) => c.input);
	const byLabel = new Map<string, ColumnSpec>();
	for (const c of wanted) for (const l of [c.en, c.es, c.id]) byLabel.set(l.trim().toLowerCase(), c);
	const colOf = new Map<string, number>();
	let headerOk = true;
	ws.getRow(1).eachCell({ includeEmpty: false }, (cell, n) => {
		const r = readCell(cell);
		if (!r.ok) return;
		const spec = byLabel.get(r.text.toLowerCase());
		if (!spec) return;
		if (colOf.has(spec.id)) {
			issues.add(`${sheetName}!${spec.id}`, `header "${r.text}" appears twice (cell ${cell.address})`, 1);
			headerOk = false;
		} else colOf.set(spec.id, n);
	});
	for (const c of wanted) {
		if (!colOf.has(c.id)) {
			issues.add(
				`${sheetName}!${c.id}`,
				`column "${c.en}" is missing from the header row; do not rename header cells`,
				1
			);
			headerOk = false;
		}
	}
	if (!headerOk) return null;

	const rows: TableRow[] = [];
	let count = 0;
	let tooMany = false;
	ws.eachRow({ includeEmpty: false }, (row, n) => {
		if (n === 1 || tooMany) return;
		const values: Record<string, string> = Object.create(null) as Record<string, string>;
		const refs: Record<string, string> = Object.create(null) as Record<string, string>;
		let any = false;
		for (const c of wanted) {
			const cell = row.getCell(colOf.get(c.id) ?? 0);
			refs[c.id] = cell.address;
			const r = readCell(cell, c.kind);
			if (r.ok) {
				values[c.id] = r.text;
				if (r.text !== '') any = true;
			} else {
				values[c.id] = '';
				any = true;
				issues.add(`${sheetName}!${c.id}`, `${r.message} (cell ${cell.address})`, n);
			}
		}
		if (!any) return;
		if (++count > maxRows) {
			tooMany = true;
			issues.add(sheetName, `has more than ${maxRows} filled rows; this is not a template for this assessment`, n);
			return;
		}
		rows.push({ row: n, values, refs });
	});
	return tooMany ? null : rows;
}

function readMeta(wb: ExcelJS.Workbook, issues: IssueList): Map<string, string> | null {
	const ws = findSheet(wb, SHEETS.meta);
	if (!ws) {
		issues.add(
			SHEETS.meta,
			'the hidden "_meta" sheet that identifies the assessment is missing; upload a workbook downloaded from this assessment (copying cells into a new file loses it)'
		);
		return null;
	}
	const meta = new Map<string, string>();
	let n = 0;
	ws.eachRow({ includeEmpty: false }, (row) => {
		if (++n > 100) return;
		const k = readCell(row.getCell(1));
		const v = readCell(row.getCell(2));
		if (k.ok && v.ok) meta.set(k.text, v.text);
	});
	return meta;
}

const KIND_NAME: Record<TemplateKind, string> = {
	desk_findings: 'a desk findings template',
	expert_ratings: 'an expert ratings template'
};

function checkMeta(
	meta: Map<string, string>,
	kind: TemplateKind,
	expected: { methodology: Methodology; assessmentId: string; rater?: string },
	issues: IssueList
): void {
	const M = SHEETS.meta;
	const got = meta.get('template_kind') ?? '';
	if (got !== kind) {
		const known = got === 'desk_findings' || got === 'expert_ratings';
		issues.add(
			`${M}!template_kind`,
			known
				? `this is ${KIND_NAME[got]}, not ${KIND_NAME[kind]}; upload it in the right place`
				: `this is not ${KIND_NAME[kind]} from the GCM Observatory`
		);
		return;
	}
	const version = Number(meta.get('template_version'));
	if (!Number.isInteger(version) || version < 1 || version > TEMPLATE_VERSION) {
		issues.add(
			`${M}!template_version`,
			`template version "${clip(meta.get('template_version') ?? '')}" is not supported; download a fresh template`
		);
	}
	if (meta.get('assessment_id') !== expected.assessmentId) {
		issues.add(
			`${M}!assessment_id`,
			'this workbook was downloaded for a different assessment; download the template of this assessment'
		);
	}
	const mk = meta.get('methodology_key') ?? '';
	const mv = meta.get('methodology_version') ?? '';
	if (mk !== expected.methodology.key || mv !== expected.methodology.version) {
		issues.add(
			`${M}!methodology`,
			`this workbook was made for methodology ${clip(mk)} ${clip(mv)}, but the assessment uses ${expected.methodology.key} ${expected.methodology.version}; download a fresh template`
		);
	}
	if (expected.rater !== undefined && meta.get('rater') !== expected.rater) {
		issues.add(`${M}!rater`, "this workbook holds another expert's ratings; download your own template");
	}
}

/**
 * Parses an uploaded desk findings workbook. Returns the answers (with their evidence) of the
 * variables that have a row in the Answers sheet, or throws IMPORT_INVALID with every problem.
 */
export async function parseDeskWorkbook(
	buffer: Buffer | Uint8Array,
	expected: { methodology: Methodology; assessmentId: string }
): Promise<{ answers: DeskAnswer[] }> {
	const wb = await loadWorkbook(buffer);
	const issues = new IssueList();
	const meta = readMeta(wb, issues);
	if (meta) checkMeta(meta, 'desk_findings', expected, issues);
	// A workbook for something else: its rows would only produce noise.
	issues.throwIfAny('workbook');
	const answerRows = readSheet(wb, SHEETS.answers, ANSWER_COLUMNS, ASSESSMENT_IMPORT_LIMITS.maxAnswerRows, issues);
	const evidenceRows = readSheet(
		wb,
		SHEETS.evidence,
		EVIDENCE_COLUMNS,
		ASSESSMENT_IMPORT_LIMITS.maxEvidenceRows,
		issues
	);
	const answers = validateDeskRows(
		expected.methodology,
		answerRows,
		evidenceRows,
		{ answers: SHEETS.answers, evidence: SHEETS.evidence },
		issues
	);
	issues.throwIfAny('workbook');
	return { answers };
}

/**
 * Parses an uploaded expert ratings workbook for one rater. Returns the ratings of the items that
 * have a row in the Ratings sheet, or throws IMPORT_INVALID with every problem.
 */
export async function parseRatingsWorkbook(
	buffer: Buffer | Uint8Array,
	expected: { methodology: Methodology; assessmentId: string; rater: string }
): Promise<{ ratings: ExpertRating[] }> {
	const wb = await loadWorkbook(buffer);
	const issues = new IssueList();
	const meta = readMeta(wb, issues);
	if (meta) checkMeta(meta, 'expert_ratings', expected, issues);
	issues.throwIfAny('workbook');
	const rows = readSheet(wb, SHEETS.ratings, RATING_COLUMNS, ASSESSMENT_IMPORT_LIMITS.maxRatingRows, issues);
	const ratings = rows ? validateRatingRows(expected.methodology, expected.rater, rows, SHEETS.ratings, issues) : [];
	issues.throwIfAny('workbook');
	return { ratings };
}
