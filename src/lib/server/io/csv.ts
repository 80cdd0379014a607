/**
 * CSV reading with hostile-input checks (encoding, NUL bytes, ragged rows, oversized fields,
 * unknown or duplicate headers) and writing with formula escaping. Errors are collected by
 * row and column instead of stopping at the first, so a user can fix a file in one pass.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FieldIssue } from '../../core/shared/errors';

export const CSV_LIMITS = {
	maxBytes: 200 * 1024 * 1024,
	maxRows: 1_000_000,
	maxFieldChars: 100_000,
	maxIssues: 200
} as const;

export interface CsvTable {
	header: string[];
	/** Records keyed by header; `line` is the 1-based file line where the record starts. */
	records: { line: number; values: Record<string, string> }[];
}

export type CsvReadResult = { ok: true; table: CsvTable } | { ok: false; issues: FieldIssue[] };

/**
 * Values that spreadsheet programs would run as formulas (starting with = + - @ tab or CR) are
 * prefixed with "'" on export, as are values that already start with apostrophes before such a
 * character, so that import can remove exactly one apostrophe and the round trip is lossless.
 */
const NEEDS_ESCAPE_RE = /^'*[=+\-@\t\r]/;
const ESCAPED_RE = /^'(?='*[=+\-@\t\r])/;

export function escapeFormula(value: string): string {
	return NEEDS_ESCAPE_RE.test(value) ? `'${value}` : value;
}

export function unescapeFormula(value: string): string {
	return value.replace(ESCAPED_RE, '');
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
	return line;
}

/** Offset of the first byte that is not valid UTF-8, or -1 when the whole input is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i] ?? 0;
		let need: number;
		let min: number;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf) {
			need = 1;
			min = 0x80;
		} else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			min = 0x800;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			min = 0x10000;
		} else return i;
		let cp = b & (0x3f >> need);
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if (c === undefined || (c & 0xc0) !== 0x80) return i;
			cp = (cp << 6) | (c & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
		i += need + 1;
	}
	return -1;
}

/** Checks the encoding: strict UTF-8 (a UTF-8 BOM is allowed and dropped). Returns the bytes without BOM. */
function checkEncoding(bytes: Uint8Array): { ok: true; body: Uint8Array } | { ok: false; issue: FieldIssue } {
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
		return {
			ok: false,
			issue: {
				row: 1,
				field: 'file',
				message: 'is encoded as UTF-16; save it as UTF-8 (CSV UTF-8 in spreadsheet programs)'
			}
		};
	}
	const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
	const bad = firstInvalidUtf8(body);
	if (bad >= 0) {
		return {
			ok: false,
			issue: {
				row: lineOfOffset(body, bad),
				field: 'file',
				message: 'is not valid UTF-8 (on this line); save it as UTF-8 (e.g. "CSV UTF-8" in spreadsheet programs)'
			}
		};
	}
	return { ok: true, body };
}

/**
 * Parses a CSV file. `allowedColumns` is the header allowlist; `requiredColumns` must be present.
 */
export function readCsv(
	bytes: Uint8Array,
	allowedColumns: readonly string[],
	requiredColumns: readonly string[]
): CsvReadResult {
	if (bytes.length > CSV_LIMITS.maxBytes) {
		return {
			ok: false,
			issues: [{ field: 'file', message: `is larger than ${CSV_LIMITS.maxBytes / 1024 / 1024} MB` }]
		};
	}
	if (bytes.length === 0) return { ok: false, issues: [{ field: 'file', message: 'is empty' }] };
	const checked = checkEncoding(bytes);
	if (!checked.ok) return { ok: false, issues: [checked.issue] };
	const body = checked.body;

	let raw: { record: string[]; info: { lines: number; bytes: number } }[];
	try {
		raw = parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength), {
			relax_column_count: true,
			skip_empty_lines: true,
			info: true,
			max_record_size: CSV_LIMITS.maxFieldChars * 4
		}) as unknown as { record: string[]; info: { lines: number; bytes: number } }[];
	} catch (err) {
		const e = err as { code?: string; message: string; lines?: number };
		const reason =
			e.code === 'CSV_QUOTE_NOT_CLOSED'
				? 'has a quoted field that is never closed'
				: e.code === 'CSV_MAX_RECORD_SIZE'
					? `has a record larger than ${CSV_LIMITS.maxFieldChars * 4} characters`
					: `could not be read as CSV (${e.code ?? 'parse error'})`;
		return { ok: false, issues: [{ row: e.lines, field: 'file', message: reason }] };
	}
	if (raw.length === 0) return { ok: false, issues: [{ field: 'file', message: 'has no header row' }] };

	const issues: FieldIssue[] = [];
	const header = (raw[0]?.record ?? []).map((h) => h.trim());
	const seen = new Set<string>();
	for (const h of header) {
		if (seen.has(h)) issues.push({ row: 1, field: h || '(empty)', message: 'is a duplicate column' });
		seen.add(h);
		if (!allowedColumns.includes(h)) {
			issues.push({
				row: 1,
				field: h || '(empty)',
				message: `is not a known column (expected some of: ${allowedColumns.join(', ')})`
			});
		}
	}
	for (const r of requiredColumns) if (!seen.has(r)) issues.push({ row: 1, field: r, message: 'column is missing' });
	if (issues.length > 0) return { ok: false, issues };
	if (raw.length - 1 > CSV_LIMITS.maxRows) {
		return { ok: false, issues: [{ field: 'file', message: `has more than ${CSV_LIMITS.maxRows} rows` }] };
	}

	const records: CsvTable['records'] = [];
	// A record starts where the previous one ended (info.bytes), after any blank lines. Lines are
	// counted from the bytes, since csv-parse counts a CRLF inside quotes as two lines.
	let offset = raw[0]?.info.bytes ?? 0;
	let line = lineOfOffset(body, offset);
	for (const { record, info } of raw.slice(1)) {
		while (offset < body.length && (body[offset] === 0x0a || body[offset] === 0x0d)) {
			if (body[offset] === 0x0a) line++;
			offset++;
		}
		const start = line;
		for (; offset < info.bytes && offset < body.length; offset++) if (body[offset] === 0x0a) line++;
		if (record.length !== header.length) {
			issues.push({
				row: start,
				field: 'row',
				message: `has ${record.length} fields, the header has ${header.length}`
			});
			if (issues.length >= CSV_LIMITS.maxIssues) break;
			continue;
		}
		const values: Record<string, string> = Object.create(null) as Record<string, string>;
		header.forEach((h, i) => {
			const v = record[i] ?? '';
			if (v.length > CSV_LIMITS.maxFieldChars) {
				issues.push({ row: start, field: h, message: `is longer than ${CSV_LIMITS.maxFieldChars} characters` });
			}
			if (v.includes('\u0000')) issues.push({ row: start, field: h, message: 'contains a NUL byte' });
			values[h] = unescapeFormula(v);
		});
		if (issues.length >= CSV_LIMITS.maxIssues) break;
		records.push({ line: start, values });
	}
	if (issues.length > 0) return { ok: false, issues };
	return { ok: true, table: { header, records } };
}

/** Serializes rows as RFC 4180 CSV, escaping formula prefixes (= + - @ tab CR) with "'". */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[], withHeader = true): string {
	return stringify(
		rows.map((r) => r.map(escapeFormula)),
		{
			header: withHeader,
			columns: header as string[],
			record_delimiter: '\r\n',
			quoted_match: /[\r\n",]/
		}
	);
}
