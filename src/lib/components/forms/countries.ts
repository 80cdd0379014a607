// The country pickers' options: every country, named in the page's language, sorted by that name.
import { COUNTRIES } from '$lib/core/reference';

export type Country = (typeof COUNTRIES)[number];

export const countryName = (c: Country, locale: string) => (locale === 'es' ? c.nameEs : c.name);

export const countriesByName = (locale: string): Country[] =>
	[...COUNTRIES].sort((a, b) => countryName(a, locale).localeCompare(countryName(b, locale), locale));
