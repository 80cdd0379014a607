/** The six UN languages. English and Spanish are complete; the others fall back to English. */
export const LOCALES = ['en', 'es', 'fr', 'ar', 'ru', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** Languages offered in the switcher (complete catalogues). */
export const SWITCHER_LOCALES: readonly Locale[] = ['en', 'es'];

export const LOCALE_NAMES: Record<Locale, string> = {
	en: 'English',
	es: 'Español',
	fr: 'Français',
	ar: 'العربية',
	ru: 'Русский',
	zh: '中文'
};

export const RTL_LOCALES: readonly Locale[] = ['ar'];

export function isLocale(v: string | null | undefined): v is Locale {
	return !!v && (LOCALES as readonly string[]).includes(v);
}

export function directionOf(locale: Locale): 'ltr' | 'rtl' {
	return RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(header: string | null): Locale {
	if (!header) return 'en';
	const ranked = header
		.split(',')
		.map((part) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
		})
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const base = tag.split('-')[0];
		if (isLocale(base) && SWITCHER_LOCALES.includes(base)) return base;
	}
	return 'en';
}
