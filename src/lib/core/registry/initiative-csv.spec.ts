import { describe, expect, it } from 'vitest';
import { initiativeInputSchema } from './initiative';
import {
	INITIATIVE_CSV_COLUMNS,
	initiativeFromCsvRecord,
	initiativeToCsvRecord,
	passesInitiativeRules
} from './initiative-csv';

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

describe('passesInitiativeRules (the import fast path)', () => {
	const valid = (): Record<string, unknown> => ({
		key: 'k-1',
		title: '<script>alert(1)</script> الهجرة',
		description: 'x'.repeat(400),
		actionType: 'meeting',
		initiatorKinds: ['un', 'civil_society'],
		initiators: ['IOM', 'Migrant Forum in Asia'],
		scope: 'regional',
		regionalScope: true,
		region: 'South America',
		countries: ['CHL', 'PER'],
		dateStart: '2019-02',
		dateEnd: '2020',
		datePrecision: 'month',
		dateText: null,
		predatesGcm: false,
		objectives: [1, 23],
		principles: ['human_rights'],
		sources: [{ citation: 'Report', url: 'https://example.org/r' }],
		verificationStatus: 'reported',
		reportTable: null,
		reportRow: 12,
		originalText: null
	});
	// Each mutation breaks one rule of initiativeInputSchema (or probes its edge).
	const mutations: Record<string, unknown>[] = [
		{ key: 'Upper' },
		{ key: 'k'.repeat(81) },
		{ key: '-lead' },
		{ title: '   ' },
		{ title: 'x'.repeat(301) },
		{ title: 'bell\u0007' },
		{ description: 'nul\u0000' },
		{ description: 'x'.repeat(10_001) },
		{ actionType: 'party' },
		{ initiatorKinds: ['un', 'aliens'] },
		{ initiators: ['a;b'] },
		{ initiators: [''] },
		{ initiators: Array.from({ length: 61 }, (_, i) => `n${i}`) },
		{ scope: 'galactic' },
		{ regionalScope: 'yes' },
		{ region: 'x'.repeat(121) },
		{ countries: ['CL'] },
		{ countries: ['XXX'] },
		{ dateStart: '2019-13' },
		{ dateStart: '2019-02-30', datePrecision: 'day' },
		{ dateEnd: '2018' },
		{ dateStart: null, dateEnd: null, datePrecision: 'month' },
		{ dateStart: null, dateEnd: '2020', datePrecision: 'unknown' },
		{ datePrecision: 'day' },
		{ dateStart: null, dateEnd: null, datePrecision: 'predates_gcm', predatesGcm: false },
		{ dateText: 'x'.repeat(201) },
		{ objectives: [24] },
		{ objectives: [1.5] },
		{ principles: ['made_up'] },
		{ sources: [{ citation: '', url: null }] },
		{ sources: [{ citation: 'c', url: 'javascript:alert(1)' }] },
		{ sources: [{ citation: 'c', url: 'not a url' }] },
		{ sources: [{ citation: 'c', url: null, extra: 1 }] },
		{ verificationStatus: 'rumour' },
		{ reportTable: 'x'.repeat(81) },
		{ reportRow: 0 },
		{ reportRow: 2 ** 60 },
		{ originalText: 'x'.repeat(20_001) },
		{ regionalScope: true, scope: 'national' },
		{ extraField: 1 },
		// Valid variations the fast path must accept too.
		{ dateStart: null, dateEnd: null, datePrecision: 'tbc' },
		{ dateStart: '2019-02-28', dateEnd: null, datePrecision: 'day' },
		{ sources: [], objectives: [], principles: [], countries: [], initiators: [], initiatorKinds: [] },
		{ sources: [{ citation: 'c', url: 'http://example.org' }], region: null, scope: 'global', regionalScope: false }
	];

	it('accepts a valid record, so the schema is skipped on the common path', () => {
		expect(initiativeInputSchema.safeParse(valid()).success).toBe(true);
		expect(passesInitiativeRules(valid())).toBe(true);
	});

	it('agrees with initiativeInputSchema on every rule', () => {
		for (const m of mutations) {
			const candidate = { ...valid(), ...m };
			const schema = initiativeInputSchema.safeParse(candidate).success;
			expect(passesInitiativeRules(candidate), JSON.stringify(m).slice(0, 120)).toBe(schema);
		}
	});

	it('reports the schema messages when the fast path declines', () => {
		const r = initiativeFromCsvRecord({ ...base, countries: 'CHL;XXX', date_start: '2019-13-01' }, 7);
		expect(!r.ok && r.issues.map((i) => `${i.row}:${i.field}`).sort()).toEqual(['7:countries', '7:date_start']);
		expect(!r.ok && r.issues.find((i) => i.field === 'countries')?.message).toContain('XXX');
	});
});
