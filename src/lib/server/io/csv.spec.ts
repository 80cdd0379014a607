import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import {
	CSV_LIMITS,
	CSV_PIECE_BYTES,
	CsvReader,
	chunksOf,
	escapeFormula,
	fileChunks,
	readCsv,
	unescapeFormula,
	writeCsv
} from './csv';

const enc = (s: string) => new TextEncoder().encode(s);
const cols = ['key', 'title'];

describe('readCsv', () => {
	it('reads a UTF-8 file with a BOM and reports record lines', () => {
		const r = readCsv(enc('\uFEFFkey,title\r\na,"multi\nline"\r\nb,B\r\n'), cols, ['key']);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.table.records.map((x) => [x.line, x.values['key']])).toEqual([
			[2, 'a'],
			[4, 'b']
		]);
	});

	it('refuses UTF-16 and invalid UTF-8 with a clear message', () => {
		const utf16 = new Uint8Array([0xff, 0xfe, 0x6b, 0x00]);
		expect(readCsv(utf16, cols, []).ok).toBe(false);
		const bad = new Uint8Array([...enc('key,title\na,'), 0xc3, 0x28, 0x0a]);
		const r = readCsv(bad, cols, []);
		expect(!r.ok && r.issues[0]?.message).toContain('UTF-8');
	});

	it('lists ragged rows, NUL bytes, unknown and duplicate columns', () => {
		const r = readCsv(enc('key,title\na,b,c\nb,x\u0000y\n'), cols, []);
		expect(!r.ok && r.issues.map((i) => `${i.row}:${i.field}`)).toEqual(['2:row', '3:title']);
		const h = readCsv(enc('key,key,__proto__\n1,2,3\n'), cols, ['title']);
		expect(!h.ok && h.issues.map((i) => i.field)).toEqual(['key', '__proto__', 'title']);
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
	});

	it('reports an unterminated quote', () => {
		const r = readCsv(enc('key,title\na,"never closed\n'), cols, []);
		expect(!r.ok && r.issues[0]?.message).toContain('never closed');
	});
});

describe('writeCsv', () => {
	it('escapes formula prefixes and the reader restores them', () => {
		const text = writeCsv(cols, [
			['=HYPERLINK("x")', '+1'],
			['-2', '@SUM(A1)']
		]);
		expect(text).toContain(`"'=HYPERLINK(""x"")"`);
		expect(text).toContain("'+1");
		const r = readCsv(enc(text), cols, []);
		expect(r.ok && r.table.records.map((x) => [x.values['key'], x.values['title']])).toEqual([
			['=HYPERLINK("x")', '+1'],
			['-2', '@SUM(A1)']
		]);
		expect(unescapeFormula("'plain")).toBe("'plain");
	});
});

describe('CsvReader (streaming)', () => {
	const hostile = [
		['k1', 'plain'],
		['k2', 'comma, "quotes" and\r\nCRLF'],
		['k3', 'الهجرة 移民 <script>alert(1)</script>'],
		['k4', '=1+2'],
		['k5', "'@already escaped"],
		['k6', ''],
		['k7', 'line\nbreak\rand lone CR']
	];

	function readInPieces(bytes: Uint8Array, size: number) {
		const reader = new CsvReader(cols, ['key']);
		const records = [...reader.records(chunksOf(bytes, size))];
		return { reader, records: records.map((r) => [r.line, r.values['key'], r.values['title']]) };
	}

	it('gives the same records and lines whatever the chunk size (split characters, CRLF and quotes)', () => {
		const bytes = enc(`\uFEFF${writeCsv(cols, hostile)}\r\n\r\nk8,last`);
		const whole = readInPieces(bytes, bytes.length);
		expect(whole.reader.issues).toEqual([]);
		expect(whole.records.map((r) => r[1])).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
		expect(whole.records[1]?.[2]).toBe('comma, "quotes" and\r\nCRLF');
		expect(whole.records[3]?.[2]).toBe('=1+2');
		expect(whole.records[7]?.[0]).toBe(13);
		for (const size of [1, 2, 3, 7, 64]) expect(readInPieces(bytes, size).records).toEqual(whole.records);
	});

	it('names the line of invalid UTF-8 even when the bad byte is in a later chunk', () => {
		const bytes = new Uint8Array([...enc('key,title\na,b\nc,d\ne,'), 0xe2, 0x28, 0xa1, 0x0a]);
		for (const size of [1, 4, bytes.length]) {
			const { reader } = readInPieces(bytes, size);
			expect(reader.issues).toEqual([expect.objectContaining({ row: 4, field: 'file' })]);
			expect(reader.issues[0]?.message).toContain('UTF-8');
		}
	});

	it('treats a lone CR as a line end and reports stray quotes with their line', () => {
		const cr = readInPieces(enc('key,title\ra,b\rc,d'), 3);
		expect(cr.records).toEqual([
			[2, 'a', 'b'],
			[3, 'c', 'd']
		]);
		const stray = readCsv(enc('key,title\na,b\nc,say "hi"\n'), cols, []);
		expect(!stray.ok && stray.issues).toEqual([expect.objectContaining({ row: 3, field: 'file' })]);
		const after = readCsv(enc('key,title\na,"b"x\n'), cols, []);
		expect(!after.ok && after.issues[0]?.message).toContain('closing quote');
	});

	it('stops at a record larger than the limit instead of buffering the rest of the file', () => {
		const big = `key,title\na,"${'x'.repeat(CSV_LIMITS.maxFieldChars * 4 + 10)}`;
		const { reader, records } = readInPieces(enc(big), 65_536);
		expect(records).toEqual([]);
		expect(reader.issues).toEqual([expect.objectContaining({ row: 2, field: 'file' })]);
		expect(reader.issues[0]?.message).toContain('larger than');
	});

	it('reads records longer than a piece whole with the default piece size (file or bytes)', () => {
		// 3-byte UTF-8 characters and a quote, line break and comma in a field longer than a piece:
		// pieces end inside characters and inside the quoted field.
		const long = `移民 "x",\n${'移'.repeat(CSV_LIMITS.maxFieldChars - 10)}`;
		const rows = [
			['k1', long],
			['k2', 'short'],
			['k3', long.slice(1)]
		];
		const text = writeCsv(cols, rows);
		expect(Buffer.byteLength(long)).toBeGreaterThan(CSV_PIECE_BYTES);
		const fromBytes = readCsv(enc(text), cols, ['key']);
		expect(fromBytes.ok && fromBytes.table.records.map((r) => [r.line, r.values['key'], r.values['title']])).toEqual([
			[2, 'k1', long],
			[4, 'k2', 'short'],
			[5, 'k3', long.slice(1)]
		]);
		const dir = mkdtempSync(join(tmpdir(), 'gcm-csv-'));
		try {
			const path = join(dir, 'long.csv');
			writeFileSync(path, text);
			const reader = new CsvReader(cols, ['key']);
			expect([...reader.records(fileChunks(path))].map((r) => r.values['title'])).toEqual(rows.map((r) => r[1]));
			expect(reader.issues).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('reads a file from disk in chunks', () => {
		const dir = mkdtempSync(join(tmpdir(), 'gcm-csv-'));
		try {
			const path = join(dir, 'f.csv');
			writeFileSync(path, writeCsv(cols, hostile));
			const reader = new CsvReader(cols, ['key']);
			const records = [...reader.records(fileChunks(path, 5))];
			expect(records.map((r) => r.values['title'])).toEqual(hostile.map((h) => h[1]));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('writeCsv output', () => {
	it('is byte-identical to csv-stringify with formula escaping (the format exports always had)', () => {
		const values = [
			'',
			'plain',
			'a,b',
			'say "hi"',
			'multi\nline',
			'cr\ronly',
			'\rleading CR',
			'\tleading tab',
			'=SUM(A1)',
			"''=already",
			'-5',
			'+',
			'@x',
			'الهجرة',
			' spaced '
		];
		const rows = values.map((v, i) => [String(i), v]);
		const expected = stringify(
			rows.map((r) => r.map(escapeFormula)),
			{ header: true, columns: cols, record_delimiter: '\r\n', quoted_match: /[\r\n",]/ }
		);
		expect(writeCsv(cols, rows)).toBe(expected);
		expect(writeCsv(cols, [], true)).toBe('key,title\r\n');
	});
});
