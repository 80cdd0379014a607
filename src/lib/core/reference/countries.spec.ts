import { describe, it, expect } from 'vitest';
import { COUNTRIES } from './countries.data';
import type { CommissionKey, Country } from './types';

const byIso3 = new Map(COUNTRIES.map((c) => [c.iso3, c]));

function country(iso3: string): Country {
	const c = byIso3.get(iso3);
	if (!c) throw new Error(`no entry for ${iso3}`);
	return c;
}

function commissions(iso3: string): CommissionKey[] {
	return [...country(iso3).commissions].sort();
}

describe('COUNTRIES (generated from UNSD M49)', () => {
	it('has one entry per M49 country or area with an ISO3 code (240+)', () => {
		expect(COUNTRIES.length).toBeGreaterThanOrEqual(240);
	});

	it('has unique, well-formed ISO3 codes, sorted', () => {
		const codes = COUNTRIES.map((c) => c.iso3);
		for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
		expect(new Set(codes).size).toBe(codes.length);
		expect(codes).toEqual([...codes].sort());
	});

	it('has unique three-digit M49 codes', () => {
		const codes = COUNTRIES.map((c) => c.m49);
		for (const code of codes) expect(code).toMatch(/^\d{3}$/);
		expect(new Set(codes).size).toBe(codes.length);
	});

	it('has exactly 193 UN Member States', () => {
		expect(COUNTRIES.filter((c) => c.unMember)).toHaveLength(193);
		expect(country('VAT').unMember).toBe(false);
		expect(country('PSE').unMember).toBe(false);
	});

	it('gives every UN Member State a region and at least one commission', () => {
		for (const c of COUNTRIES.filter((x) => x.unMember)) {
			expect(c.region, c.iso3).not.toBeNull();
			expect(c.region?.code, c.iso3).toMatch(/^\d{3}$/);
			expect(c.commissions.length, c.iso3).toBeGreaterThanOrEqual(1);
		}
	});

	it('has names in English and Spanish', () => {
		for (const c of COUNTRIES) {
			expect(c.name.length, c.iso3).toBeGreaterThan(0);
			expect(c.nameEs.length, c.iso3).toBeGreaterThan(0);
		}
		expect(country('DEU').nameEs).toBe('Alemania');
	});

	it('places countries in the M49 hierarchy, with or without an intermediate region', () => {
		const ago = country('AGO');
		expect(ago.region).toEqual({ code: '002', name: 'Africa' });
		expect(ago.subregion).toEqual({ code: '202', name: 'Sub-Saharan Africa' });
		expect(ago.intermediateRegion).toEqual({ code: '017', name: 'Middle Africa' });
		const fra = country('FRA');
		expect(fra.region).toEqual({ code: '150', name: 'Europe' });
		expect(fra.subregion).toEqual({ code: '155', name: 'Western Europe' });
		expect(fra.intermediateRegion).toBeNull();
		expect(country('ATA').region).toBeNull();
	});

	it('maps GCM regional reviews to regional commissions', () => {
		expect(commissions('EGY')).toEqual(['ECA', 'ESCWA']);
		expect(commissions('KAZ')).toEqual(['ECE', 'ESCAP']);
		expect(commissions('FRA')).toEqual(['ECE']);
		expect(commissions('CHL')).toEqual(['ECLAC']);
		expect(commissions('PHL')).toEqual(['ESCAP']);
		// non-regional memberships do not count
		expect(commissions('USA')).toEqual(['ECE']);
		expect(commissions('JPN')).toEqual(['ESCAP']);
		expect(commissions('ESP')).toEqual(['ECE']);
		// two regional reviews
		expect(commissions('RUS')).toEqual(['ECE', 'ESCAP']);
		expect(commissions('TUR')).toEqual(['ECE', 'ESCAP']);
		expect(commissions('MAR')).toEqual(['ECA', 'ESCWA']);
		// Arab League state in Africa that is not an ESCWA member
		expect(commissions('COM')).toEqual(['ECA']);
		expect(commissions('ISR')).toEqual(['ECE']);
		expect(commissions('SAU')).toEqual(['ESCWA']);
		// territories: associate members, then M49 region
		expect(commissions('PRI')).toEqual(['ECLAC']);
		expect(commissions('HKG')).toEqual(['ESCAP']);
		expect(commissions('GRL')).toEqual(['ECE']);
		expect(commissions('REU')).toEqual(['ECA']);
	});

	it('has commission counts consistent with the commissions', () => {
		const count = (k: CommissionKey) => COUNTRIES.filter((c) => c.commissions.includes(k)).length;
		const africanMembers = COUNTRIES.filter((c) => c.unMember && c.region?.code === '002');
		expect(africanMembers).toHaveLength(54);
		for (const c of africanMembers) expect(c.commissions, c.iso3).toContain('ECA');
		expect(count('ESCWA')).toBe(21);
		expect(count('ECA')).toBeGreaterThanOrEqual(54);
	});
});
