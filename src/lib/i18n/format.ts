import { parsePartialDate } from '../core/registry/partial-date';
import type { Initiative } from '../core/registry/initiative';
import type { Translator } from './index';

// Creating an Intl.DateTimeFormat costs far more than formatting with one (a list page formats up
// to 40 dates per request), so one formatter per locale and precision is kept.
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, precision: string): Intl.DateTimeFormat {
	const key = `${locale}|${precision}`;
	let f = DATE_FORMATS.get(key);
	if (!f) {
		const options: Intl.DateTimeFormatOptions =
			precision === 'day'
				? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
				: precision === 'month'
					? { month: 'long', year: 'numeric', timeZone: 'UTC' }
					: { year: 'numeric', timeZone: 'UTC' };
		f = new Intl.DateTimeFormat(locale, options);
		DATE_FORMATS.set(key, f);
	}
	return f;
}

const NUMBER_FORMATS = new Map<string, Intl.NumberFormat>();

/**
 * A shared Intl.NumberFormat per locale and options (creating one costs far more than formatting
 * with it; the benchmark world page formats ~250 countries' scores per request). Options are
 * few and fixed in code, so the map stays small.
 */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
	const key = `${locale}|${JSON.stringify(options)}`;
	let f = NUMBER_FORMATS.get(key);
	if (!f) {
		f = new Intl.NumberFormat(locale, options);
		NUMBER_FORMATS.set(key, f);
	}
	return f;
}

/** A partial date in the reader's language, as precise as it is known ("May 2019", "2019"). */
export function formatPartialDate(text: string, locale: string): string {
	const d = parsePartialDate(text);
	if (!d) return text;
	return dateFormat(locale, d.precision).format(new Date(`${d.first}T00:00:00Z`));
}

/** The date line of an initiative: a range, a single date, or what is known about it. */
export function formatInitiativeDate(
	i: Pick<Initiative, 'dateStart' | 'dateEnd' | 'datePrecision'>,
	t: Translator
): string {
	if (i.dateStart) {
		const start = formatPartialDate(i.dateStart, t.locale);
		return i.dateEnd && i.dateEnd !== i.dateStart ? `${start} – ${formatPartialDate(i.dateEnd, t.locale)}` : start;
	}
	return t.label('date_precision', i.datePrecision);
}
