import { describe, expect, it } from 'vitest';
import { readCsv, unescapeFormula, writeCsv } from './csv';

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
