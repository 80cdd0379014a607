import { describe, expect, it } from 'vitest';
import { INITIATIVE_CSV_COLUMNS, initiativeFromCsvRecord, initiativeToCsvRecord } from './initiative-csv';

const base: Record<string, string> = {
	key: 'test-1',
	title: 'Consultation on GCM implementation',
	description: 'A national consultation',
	action_type: 'meeting',
	initiator_kinds: 'civil_society;un',
	initiators: 'Migrant Forum in Asia; IOM',
	scope: 'national',
	regional_scope: 'false',
	countries: 'phl',
	date_start: '2019-03-01',
	date_end: '',
	date_precision: '',
	predates_gcm: 'false',
	objectives: '13;1',
	principles: 'human_rights',
	source_citation: 'Migrant Forum in Asia\nReport of the consultation',
	source_url: 'https://example.org/a\nhttps://example.org/b',
	verification_status: 'reported'
};

describe('initiativeFromCsvRecord', () => {
	it('maps a valid record to a normalised input', () => {
		const r = initiativeFromCsvRecord(base, 2);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.input.countries).toEqual(['PHL']);
		expect(r.input.objectives).toEqual([1, 13]);
		expect(r.input.initiators).toEqual(['Migrant Forum in Asia', 'IOM']);
		expect(r.input.datePrecision).toBe('day');
		expect(r.input.sources).toEqual([
			{ citation: 'Migrant Forum in Asia', url: 'https://example.org/a' },
			{ citation: 'Report of the consultation', url: 'https://example.org/b' }
		]);
	});

	it('reports each problem with its row and column', () => {
		const r = initiativeFromCsvRecord(
			{
				...base,
				countries: 'PHL;XXX',
				action_type: 'party',
				objectives: '24',
				date_start: '2019-02-30',
				regional_scope: 'maybe'
			},
			7
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		const fields = r.issues.map((i) => i.field);
		expect(fields).toEqual(
			expect.arrayContaining(['countries', 'action_type', 'objectives', 'date_start', 'regional_scope'])
		);
		expect(r.issues.every((i) => i.row === 7)).toBe(true);
		expect(r.issues.find((i) => i.field === 'countries')?.message).toContain('XXX');
	});

	it('refuses javascript: URLs and NUL bytes', () => {
		const r1 = initiativeFromCsvRecord({ ...base, source_url: 'javascript:alert(1)\n' }, 2);
		expect(r1.ok).toBe(false);
		const r2 = initiativeFromCsvRecord({ ...base, title: 'bad\u0000title' }, 2);
		expect(r2.ok || r2.issues[0]?.field).toBe('title');
	});

	it('requires consistent dates, precision and regional flags', () => {
		const cases: [Record<string, string>, string][] = [
			[{ date_start: '2020', date_end: '2019' }, 'date_end'],
			[{ date_start: '2019', date_precision: 'day' }, 'date_precision'],
			[{ date_start: '', date_precision: 'predates_gcm', predates_gcm: 'false' }, 'predates_gcm'],
			[{ regional_scope: 'true', scope: 'national' }, 'scope']
		];
		for (const [patch, field] of cases) {
			const r = initiativeFromCsvRecord({ ...base, ...patch }, 3);
			expect(r.ok, JSON.stringify(patch)).toBe(false);
			if (!r.ok) expect(r.issues.map((i) => i.field)).toContain(field);
		}
	});

	it('round-trips through initiativeToCsvRecord', () => {
		const r = initiativeFromCsvRecord(base, 2);
		if (!r.ok) throw new Error('invalid fixture');
		const cells = initiativeToCsvRecord(r.input);
		const record = Object.fromEntries(INITIATIVE_CSV_COLUMNS.map((c, i) => [c, cells[i] ?? '']));
		const again = initiativeFromCsvRecord(record, 2);
		expect(again.ok && again.input).toEqual(r.input);
	});
});
