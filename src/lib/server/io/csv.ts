/**
 * CSV reading with hostile-input checks (encoding, NUL bytes, ragged rows, oversized fields,
 * unknown or duplicate headers) and writing with formula escaping. Errors are collected by
 * row and column instead of stopping at the first, so a user can fix a file in one pass.
 *
 * Both directions are hand-written for speed (a 100k-row, 62 MB file: csv-parse took 4.6 s,
 * this reader about a tenth of that; see bench/README.md) and work in pieces, so a file is
 * read in bounded memory: `CsvReader` takes byte chunks and yields records as they complete.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { FieldIssue } from '../../core/shared/errors';

export const CSV_LIMITS = {
	maxBytes: 200 * 1024 * 1024,
	maxRows: 1_000_000,
	maxFieldChars: 100_000,
	maxIssues: 200
} as const;

/** A record longer than this (all fields together, in characters) stops the read. */
const MAX_RECORD_CHARS = CSV_LIMITS.maxFieldChars * 4;

export interface CsvRecord {
	/** The 1-based file line where the record starts. */
	line: number;
	values: Record<string, string>;
}

export interface CsvTable {
	header: string[];
	/** Records keyed by header; `line` is the 1-based file line where the record starts. */
	records: CsvRecord[];
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
	// Fast path: only a value starting with an apostrophe can carry the escape.
	return value.charCodeAt(0) === 0x27 ? value.replace(ESCAPED_RE, '') : value;
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

/** Number of LF bytes in bytes[from, to). */
function countLf(bytes: Uint8Array, from: number, to: number): number {
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let n = 0;
	for (let i = buf.indexOf(0x0a, from); i >= 0 && i < to; i = buf.indexOf(0x0a, i + 1)) n++;
	return n;
}

class CsvSyntaxError extends Error {
	constructor(
		readonly row: number,
		message: string
	) {
		super(message);
	}
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Needs more text to finish the current record. */
const MORE = null;

/**
 * RFC 4180 record scanner over decoded text that arrives in pieces. Records end at LF, CRLF or a
 * lone CR outside quotes (like Python's csv module); empty lines are skipped; a quoted field may
 * hold delimiters, line breaks and doubled quotes. Line numbers count line breaks outside quotes
 * and LFs inside them (a CRLF counts once), so they match what an editor shows.
 */
class RecordScanner {
	private text = '';
	private pos = 0;
	private final = false;
	/** Line of the next unread character. */
	line = 1;
	/** Start line of the record last returned. */
	recordLine = 1;

	push(piece: string, final: boolean): void {
		this.text = this.pos >= this.text.length ? piece : this.text.slice(this.pos) + piece;
		this.pos = 0;
		this.final = final;
	}

	/** The next record's fields; MORE when the buffered text ends inside it (or at the end). */
	next(): string[] | typeof MORE {
		const text = this.text;
		const len = text.length;
		let p = this.pos;
		let line = this.line;
		// Skip empty lines.
		for (;;) {
			if (p >= len) {
				this.pos = p;
				this.line = line;
				return MORE;
			}
			const c = text.charCodeAt(p);
			if (c === LF) {
				p++;
				line++;
			} else if (c === CR) {
				if (p + 1 >= len && !this.final) {
					this.pos = p;
					this.line = line;
					return MORE;
				}
				p += text.charCodeAt(p + 1) === LF ? 2 : 1;
				line++;
			} else break;
		}
		this.pos = p;
		this.line = line;
		const start = p;
		const startLine = line;
		const fields: string[] = [];
		for (;;) {
			if (p - start > MAX_RECORD_CHARS) {
				throw new CsvSyntaxError(startLine, `has a record larger than ${MAX_RECORD_CHARS} characters`);
			}
			if (p >= len) {
				if (!this.final) return this.more(start);
				// End of file right after a comma: the last field is empty.
				fields.push('');
				break;
			}
			let value: string;
			if (text.charCodeAt(p) === QUOTE) {
				let q = p + 1;
				value = '';
				for (;;) {
					const j = text.indexOf('"', q);
					if (j < 0 || (j + 1 >= len && !this.final)) {
						if (!this.final && len - start <= MAX_RECORD_CHARS) return this.more(start);
						if (j < 0 && this.final) throw new CsvSyntaxError(startLine, 'has a quoted field that is never closed');
						throw new CsvSyntaxError(startLine, `has a record larger than ${MAX_RECORD_CHARS} characters`);
					}
					for (let k = text.indexOf('\n', q); k >= 0 && k < j; k = text.indexOf('\n', k + 1)) line++;
					if (text.charCodeAt(j + 1) === QUOTE) {
						value += text.slice(q, j + 1);
						q = j + 2;
						continue;
					}
					value += text.slice(q, j);
					p = j + 1;
					break;
				}
				const after = p < len ? text.charCodeAt(p) : -1;
				if (after !== -1 && after !== COMMA && after !== LF && after !== CR) {
					throw new CsvSyntaxError(
						line,
						'has characters after the closing quote of a field (a quoted field must end at a comma or line end)'
					);
				}
			} else {
				let j = p;
				let c = 0;
				for (; j < len; j++) {
					c = text.charCodeAt(j);
					if (c === COMMA || c === LF || c === CR || c === QUOTE) break;
				}
				if (j >= len && !this.final) return this.more(start);
				if (j < len && c === QUOTE) {
					throw new CsvSyntaxError(
						line,
						'has a quote (") inside an unquoted field; quote the whole field and double the quotes inside it'
					);
				}
				value = text.slice(p, j);
				p = j;
			}
			fields.push(value);
			if (p >= len) {
				if (!this.final) return this.more(start);
				break;
			}
			const d = text.charCodeAt(p);
			if (d === COMMA) {
				p++;
				continue;
			}
			// LF, CR or CRLF ends the record.
			if (d === CR) {
				if (p + 1 >= len && !this.final) return this.more(start);
				p += text.charCodeAt(p + 1) === LF ? 2 : 1;
			} else p++;
			line++;
			break;
		}
		this.pos = p;
		this.line = line;
		this.recordLine = startLine;
		return fields;
	}

	private more(start: number): typeof MORE {
		if (this.text.length - start > MAX_RECORD_CHARS) {
			throw new CsvSyntaxError(this.line, `has a record larger than ${MAX_RECORD_CHARS} characters`);
		}
		this.pos = start;
		return MORE;
	}
}

export type CsvChunkSource = Iterable<Uint8Array>;

/**
 * Bytes per piece of a file read as a stream. Each piece is decoded into one string and the values
 * read from it are slices that keep the whole piece alive, so every record of a batch being
 * validated or written holds its piece: with 4 MB pieces (8 MB as strings once a piece holds a
 * character beyond Latin-1, e.g. a typographic apostrophe) a 100k-row import held tens of MB of
 * pieces, and V8 lets the heap grow to a multiple of what is held. With 256 KB pieces the 100k-row
 * `gcm import --dry-run` peaked at 271-278 MB RSS instead of 434-451 MB, same CPU time (bench/README.md,
 * import memory). A record longer than a piece is still read whole: it is rescanned from its start
 * as each piece arrives (a few times for the largest record MAX_RECORD_CHARS allows).
 */
export const CSV_PIECE_BYTES = 256 * 1024;

/** Splits bytes into pieces (a whole file held in memory, read as a stream). */
export function* chunksOf(bytes: Uint8Array, size = CSV_PIECE_BYTES): Generator<Uint8Array> {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

/**
 * A copy of `s` that does not keep the text it was cut from alive. Values read by `CsvReader` are
 * slices of a multi-megabyte piece of the file; one of them kept for the whole import (a key in a
 * duplicate check, an actor name in a cache) would keep every piece, i.e. the whole file, in
 * memory. Concatenation flattens into a new string of the value's own size.
 */
export function detach(s: string): string {
	return (s + ' ').slice(0, -1);
}

/** Reads a file in chunks (synchronous reads: `gcm import` is a command, not a server request). */
export function* fileChunks(path: string, size = CSV_PIECE_BYTES): Generator<Uint8Array> {
	const fd = openSync(path, 'r');
	try {
		for (;;) {
			const buf = Buffer.allocUnsafe(size);
			const n = readSync(fd, buf, 0, size, null);
			if (n === 0) return;
			yield buf.subarray(0, n);
		}
	} finally {
		closeSync(fd);
	}
}

/** The whole content of a chunked source (for small files such as practices). */
export function concatChunks(source: CsvChunkSource): Uint8Array {
	return Buffer.concat([...source]);
}

/**
 * Streaming reader with the hostile-input checks. Feed it byte chunks; `records()` yields
 * structurally sound records in file order and appends every problem to `issues`. A file-level
 * problem (encoding, header, CSV syntax, size) ends the read; a bad record (ragged, NUL byte,
 * oversized field) is reported and skipped, and reading goes on until `CSV_LIMITS.maxIssues`.
 */
export class CsvReader {
	readonly issues: FieldIssue[] = [];
	header: string[] = [];
	rows = 0;

	constructor(
		private readonly allowedColumns: readonly string[],
		private readonly requiredColumns: readonly string[]
	) {}

	/** True when reading stopped early or found problems. */
	get failed(): boolean {
		return this.issues.length > 0;
	}

	*records(source: CsvChunkSource): Generator<CsvRecord> {
		const iterator = source[Symbol.iterator]();
		try {
			yield* this.read(iterator);
		} finally {
			iterator.return?.(); // closes a file source left early
		}
	}

	private *read(iterator: Iterator<Uint8Array>): Generator<CsvRecord> {
		const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
		const scanner = new RecordScanner();
		let bytesSeen = 0;
		let lfBefore = 0;
		let first = true;
		let headerDone = false;
		let columns: string[] = [];
		for (;;) {
			const step = iterator.next();
			const chunk = step.done ? new Uint8Array() : step.value;
			bytesSeen += chunk.length;
			if (bytesSeen > CSV_LIMITS.maxBytes) {
				this.issues.push({ field: 'file', message: `is larger than ${CSV_LIMITS.maxBytes / 1024 / 1024} MB` });
				return;
			}
			if (first && chunk.length > 0) {
				first = false;
				if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
					this.issues.push({
						row: 1,
						field: 'file',
						message: 'is encoded as UTF-16; save it as UTF-8 (CSV UTF-8 in spreadsheet programs)'
					});
					return;
				}
			}
			let piece: string;
			try {
				piece = decoder.decode(chunk, { stream: !step.done });
			} catch {
				// Continuation bytes at the start finish a character begun in the previous chunk.
				let skip = 0;
				while (skip < 3 && ((chunk[skip] ?? 0) & 0xc0) === 0x80) skip++;
				const found = firstInvalidUtf8(chunk.subarray(skip));
				const bad = found < 0 ? chunk.length : found + skip; // < 0: a sequence cut off by the end of the file
				const line = 1 + lfBefore + countLf(chunk, 0, bad);
				this.issues.push({
					row: line,
					field: 'file',
					message: 'is not valid UTF-8 (on this line); save it as UTF-8 (e.g. "CSV UTF-8" in spreadsheet programs)'
				});
				return;
			}
			lfBefore += countLf(chunk, 0, chunk.length);
			scanner.push(piece, Boolean(step.done));
			for (;;) {
				let fields: string[] | null;
				try {
					fields = scanner.next();
				} catch (err) {
					if (!(err instanceof CsvSyntaxError)) throw err;
					this.issues.push({ row: err.row, field: 'file', message: err.message });
					return;
				}
				if (fields === MORE) break;
				if (!headerDone) {
					headerDone = true;
					columns = this.checkHeader(fields);
					if (this.failed) return;
					continue;
				}
				this.rows++;
				if (this.rows > CSV_LIMITS.maxRows) {
					this.issues.push({ field: 'file', message: `has more than ${CSV_LIMITS.maxRows} rows` });
					return;
				}
				const record = this.toRecord(scanner.recordLine, columns, fields);
				if (this.issues.length >= CSV_LIMITS.maxIssues) return;
				if (record) yield record;
			}
			if (step.done) break;
		}
		if (bytesSeen === 0) this.issues.push({ field: 'file', message: 'is empty' });
		else if (!headerDone) this.issues.push({ field: 'file', message: 'has no header row' });
	}

	private checkHeader(raw: string[]): string[] {
		const header = raw.map((h) => h.trim());
		const seen = new Set<string>();
		for (const h of header) {
			if (seen.has(h)) this.issues.push({ row: 1, field: h || '(empty)', message: 'is a duplicate column' });
			seen.add(h);
			if (!this.allowedColumns.includes(h)) {
				this.issues.push({
					row: 1,
					field: h || '(empty)',
					message: `is not a known column (expected some of: ${this.allowedColumns.join(', ')})`
				});
			}
		}
		for (const r of this.requiredColumns) {
			if (!seen.has(r)) this.issues.push({ row: 1, field: r, message: 'column is missing' });
		}
		this.header = header;
		return header;
	}

	private toRecord(line: number, header: string[], fields: string[]): CsvRecord | null {
		if (fields.length !== header.length) {
			this.issues.push({
				row: line,
				field: 'row',
				message: `has ${fields.length} fields, the header has ${header.length}`
			});
			return null;
		}
		// Keys come from the allowlisted header only (never "__proto__"), so a plain object is safe
		// and every record shares one shape.
		const values: Record<string, string> = {};
		let ok = true;
		for (let i = 0; i < header.length; i++) {
			const h = header[i]!;
			const v = fields[i]!;
			if (v.length > CSV_LIMITS.maxFieldChars) {
				this.issues.push({ row: line, field: h, message: `is longer than ${CSV_LIMITS.maxFieldChars} characters` });
				ok = false;
			}
			if (v.includes('\u0000')) {
				this.issues.push({ row: line, field: h, message: 'contains a NUL byte' });
				ok = false;
			}
			values[h] = unescapeFormula(v);
		}
		return ok ? { line, values } : null;
	}
}

/**
 * Parses a whole CSV file held in memory. `allowedColumns` is the header allowlist;
 * `requiredColumns` must be present.
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
	const reader = new CsvReader(allowedColumns, requiredColumns);
	const records = [...reader.records(chunksOf(bytes))];
	if (reader.failed) return { ok: false, issues: reader.issues };
	return { ok: true, table: { header: reader.header, records } };
}

const QUOTE_NEEDED_RE = /[\r\n",]/;
const QUOTES_RE = /"/g;

/** One CSV cell: formula prefix escaped, quoted when it holds a delimiter, quote or line break. */
function cell(value: string): string {
	const v = escapeFormula(value);
	return QUOTE_NEEDED_RE.test(v) ? `"${v.replace(QUOTES_RE, '""')}"` : v;
}

/** One CSV line (CRLF-terminated) of already stringified values. */
export function csvLine(values: readonly string[]): string {
	let out = '';
	for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + cell(values[i]!);
	return `${out}\r\n`;
}

/**
 * Serializes rows as RFC 4180 CSV with CRLF line ends, quoting values that hold a comma, quote
 * or line break, and escaping formula prefixes (= + - @ tab CR) with "'". Byte-identical to the
 * csv-stringify output this replaced (a unit test checks it).
 */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[], withHeader = true): string {
	let out = withHeader ? csvLine(header) : '';
	for (const r of rows) out += csvLine(r);
	return out;
}
