import { parsePartialDate } from '../core/registry/partial-date';
import type { Initiative } from '../core/registry/initiative';
import type { Translator } from './index';

/** A partial date in the reader's language, as precise as it is known ("May 2019", "2019"). */
export function formatPartialDate(text: string, locale: string): string {
	const d = parsePartialDate(text);
	if (!d) return text;
	const date = new Date(`${d.first}T00:00:00Z`);
	const options: Intl.DateTimeFormatOptions =
		d.precision === 'day'
			? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
			: d.precision === 'month'
				? { month: 'long', year: 'numeric', timeZone: 'UTC' }
				: { year: 'numeric', timeZone: 'UTC' };
	return new Intl.DateTimeFormat(locale, options).format(date);
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
