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
