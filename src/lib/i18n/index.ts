/**
 * The i18n layer: compiled, type-checked message catalogues (a missing Spanish key is a
 * compile error), ICU plural categories via Intl.PluralRules, and English fallback for
 * the partial catalogues. See docs/adr/0003-i18n.md.
 */
import { en, type MessageKey } from './messages/en';
import { es } from './messages/es';
import { directionOf, type Locale } from './locales';

export * from './locales';
export type { MessageKey };

const CATALOGUES: Record<Locale, Partial<Record<MessageKey, string>>> = {
	en,
	es,
	fr: {},
	ar: {},
	ru: {},
	zh: {}
};

type Params = Record<string, string | number>;

function interpolate(text: string, params?: Params): string {
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export interface Translator {
	locale: Locale;
	dir: 'ltr' | 'rtl';
	/** Whether the catalogue of this locale is complete (otherwise English shows through). */
	complete: boolean;
	t(key: MessageKey, params?: Params): string;
	/** Plural-aware lookup: `key` is the stem, the catalogue has `${key}_one`, `${key}_other`, … */
	plural(key: string, n: number, params?: Params): string;
	number(n: number): string;
	/** A translated label for a vocabulary value, e.g. label('action_type', 'meeting'). */
	label(group: string, value: string): string;
}

// One translator per locale for the life of the process: building one costs an Intl.PluralRules, an
// Intl.NumberFormat and a count of the catalogue's keys, and the layout asks for one per request.
// A translator holds no state, so sharing it is safe.
const TRANSLATORS = new Map<Locale, Translator>();

export function translator(locale: Locale): Translator {
	let cached = TRANSLATORS.get(locale);
	if (!cached) {
		cached = createTranslator(locale);
		TRANSLATORS.set(locale, cached);
	}
	return cached;
}

function createTranslator(locale: Locale): Translator {
	const catalogue = CATALOGUES[locale];
	const rules = new Intl.PluralRules(locale);
	const nf = new Intl.NumberFormat(locale);
	const lookup = (key: string): string | undefined =>
		(catalogue as Record<string, string | undefined>)[key] ?? (en as Record<string, string | undefined>)[key];
	const t = (key: MessageKey, params?: Params) => interpolate(lookup(key) ?? key, params);
	return {
		locale,
		dir: directionOf(locale),
		complete: Object.keys(catalogue).length === Object.keys(en).length,
		t,
		plural(key, n, params) {
			const category = rules.select(n);
			const text = lookup(`${key}_${category}`) ?? lookup(`${key}_other`) ?? key;
			return interpolate(text, { n: nf.format(n), ...params });
		},
		number: (n) => nf.format(n),
		label: (group, value) => lookup(`${group}.${value}`) ?? value
	};
}

/** Keys of the English catalogue, for completeness tests. */
export const MESSAGE_KEYS = Object.keys(en) as MessageKey[];
export const CATALOGUE_FOR_TESTS = CATALOGUES;
