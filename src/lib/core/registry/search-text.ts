import { getCountry } from '../reference';
import type { InitiativeInput } from './initiative';

/**
 * Extra words indexed for full-text search besides title and description: initiator names,
 * country names (English and Spanish) and the region, so "Migrant Forum in Asia" or "Marruecos"
 * find their initiatives.
 */
export function searchExtraFor(input: Pick<InitiativeInput, 'initiators' | 'countries' | 'region'>): string {
	const parts: string[] = [...input.initiators];
	for (const iso3 of input.countries) {
		const c = getCountry(iso3);
		if (c) parts.push(c.name, c.nameEs);
	}
	if (input.region) parts.push(input.region);
	return parts.join(' · ');
}
