/** GCM reference data: typed, reviewed, with stable keys. Pure lookups, no I/O. */
import { COUNTRIES } from './countries.data';
import { GUIDING_PRINCIPLES, OBJECTIVES, ROUNDTABLES } from './gcm.data';
import type {
	CommissionKey,
	Country,
	GuidingPrinciple,
	Objective,
	ObjectiveNumber,
	PrincipleKey,
	RegionalCommission,
	Roundtable
} from './types';

export * from './types';
export * from './gcm.data';
export { COUNTRIES } from './countries.data';

export const REGIONAL_COMMISSIONS: readonly RegionalCommission[] = [
	{ key: 'ECA', name: 'Economic Commission for Africa' },
	{ key: 'ECE', name: 'Economic Commission for Europe' },
	{ key: 'ECLAC', name: 'Economic Commission for Latin America and the Caribbean' },
	{ key: 'ESCAP', name: 'Economic and Social Commission for Asia and the Pacific' },
	{ key: 'ESCWA', name: 'Economic and Social Commission for Western Asia' }
];

const objectiveMap = new Map(OBJECTIVES.map((o) => [o.number, o]));
const principleMap = new Map(GUIDING_PRINCIPLES.map((p) => [p.key, p]));
const countryMap = new Map(COUNTRIES.map((c) => [c.iso3, c]));

export function isObjectiveNumber(n: number): n is ObjectiveNumber {
	return objectiveMap.has(n as ObjectiveNumber);
}

export function getObjective(n: number): Objective | undefined {
	return objectiveMap.get(n as ObjectiveNumber);
}

export function isPrincipleKey(k: string): k is PrincipleKey {
	return principleMap.has(k as PrincipleKey);
}

export function getPrinciple(k: string): GuidingPrinciple | undefined {
	return principleMap.get(k as PrincipleKey);
}

export function getRoundtable(n: number): Roundtable | undefined {
	return ROUNDTABLES.find((r) => r.number === n);
}

export function getCountry(iso3: string): Country | undefined {
	return countryMap.get(iso3);
}

export function isCountryCode(iso3: string): boolean {
	return countryMap.has(iso3);
}

export function getCommission(key: string): RegionalCommission | undefined {
	return REGIONAL_COMMISSIONS.find((c) => c.key === (key as CommissionKey));
}

/** M49 regions (type 1), sorted by name, derived from the country table. */
export function listRegions(): { code: string; name: string }[] {
	const seen = new Map<string, string>();
	for (const c of COUNTRIES) if (c.region) seen.set(c.region.code, c.region.name);
	return [...seen].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** M49 regions with their sub-regions, for region pickers (codes are what `region=` accepts). */
export function listRegionOptions(): { code: string; name: string; level: 'region' | 'subregion' }[] {
	const out: { code: string; name: string; level: 'region' | 'subregion' }[] = [];
	for (const region of listRegions()) {
		out.push({ ...region, level: 'region' });
		const subs = new Map<string, string>();
		for (const c of COUNTRIES) {
			if (c.region?.code !== region.code) continue;
			if (c.subregion) subs.set(c.subregion.code, c.subregion.name);
			if (c.intermediateRegion) subs.set(c.intermediateRegion.code, c.intermediateRegion.name);
		}
		for (const [code, name] of [...subs].sort((a, b) => a[1].localeCompare(b[1])))
			out.push({ code, name, level: 'subregion' });
	}
	return out;
}

/** Country name in a locale (Spanish when available, otherwise the UNSD English name). */
export function countryName(c: Country, locale: string): string {
	return locale === 'es' ? c.nameEs : c.name;
}
