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

/** Values that spreadsheet programs would run as formulas are prefixed with "'" on export. */
const ESCAPED_FORMULA_RE = /^'([=+\-@\t\r])/;

export function unescapeFormula(value: string): string {
	return value.replace(ESCAPED_FORMULA_RE, '$1');
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
	return line;
}

/** Decodes bytes as strict UTF-8 (a UTF-8 BOM is allowed and dropped). */
function decode(bytes: Uint8Array): { ok: true; text: string } | { ok: false; issue: FieldIssue } {
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
	try {
		const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
		return { ok: true, text };
	} catch {
		// Find the first invalid byte to point at its line.
		let bad = 0;
		const dec = new TextDecoder('utf-8', { fatal: true });
		for (let size = 1024; bad < bytes.length; bad += size) {
			try {
				dec.decode(bytes.subarray(0, Math.min(bytes.length, bad + size)), { stream: true });
			} catch {
				break;
			}
		}
		return {
			ok: false,
			issue: {
				row: lineOfOffset(bytes, bad),
				field: 'file',
				message: 'is not valid UTF-8 (around this line); save it as UTF-8 (e.g. "CSV UTF-8" in spreadsheet programs)'
			}
		};
	}
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
	const decoded = decode(bytes);
	if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
	const text = decoded.text;

	let raw: { record: string[]; info: { lines: number } }[];
	try {
		raw = parse(text, {
			bom: true,
			relax_column_count: true,
			skip_empty_lines: true,
			info: true,
			max_record_size: CSV_LIMITS.maxFieldChars * 4
		}) as unknown as { record: string[]; info: { lines: number } }[];
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
	let previousEnd = raw[0]?.info.lines ?? 1;
	for (const { record, info } of raw.slice(1)) {
		// info.lines is the line where the record ends; it starts after the previous record.
		const line = previousEnd + 1;
		previousEnd = info.lines;
		if (record.length !== header.length) {
			issues.push({ row: line, field: 'row', message: `has ${record.length} fields, the header has ${header.length}` });
			if (issues.length >= CSV_LIMITS.maxIssues) break;
			continue;
		}
		const values: Record<string, string> = Object.create(null) as Record<string, string>;
		header.forEach((h, i) => {
			const v = record[i] ?? '';
			if (v.length > CSV_LIMITS.maxFieldChars) {
				issues.push({ row: line, field: h, message: `is longer than ${CSV_LIMITS.maxFieldChars} characters` });
			}
			if (v.includes('\u0000')) issues.push({ row: line, field: h, message: 'contains a NUL byte' });
			values[h] = unescapeFormula(v);
		});
		if (issues.length >= CSV_LIMITS.maxIssues) break;
		records.push({ line, values });
	}
	if (issues.length > 0) return { ok: false, issues };
	return { ok: true, table: { header, records } };
}

/** Serializes rows as RFC 4180 CSV, escaping formula prefixes (= + - @ tab CR) with "'". */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[], withHeader = true): string {
	return stringify(rows as string[][], {
		header: withHeader,
		columns: header as string[],
		escape_formulas: true,
		record_delimiter: '\r\n',
		quoted_match: /[\r\n",]/
	});
}
