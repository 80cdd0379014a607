/**
 * Partial dates ("2019", "2019-05", "2019-05-04") as written in the registry, and the
 * day-precise interval they cover, used for range filters. Pure functions.
 */
export const PARTIAL_DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export type PartialPrecision = 'year' | 'month' | 'day';

export interface ParsedPartialDate {
	text: string;
	precision: PartialPrecision;
	/** First day covered, ISO yyyy-mm-dd. */
	first: string;
	/** Last day covered, ISO yyyy-mm-dd. */
	last: string;
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses a partial date; returns null when the text is not a valid calendar date. */
export function parsePartialDate(text: string): ParsedPartialDate | null {
	const m = PARTIAL_DATE_RE.exec(text);
	if (!m) return null;
	const year = Number(m[1]);
	if (year < 1900 || year > 2100) return null;
	if (m[2] === undefined) {
		return { text, precision: 'year', first: `${m[1]}-01-01`, last: `${m[1]}-12-31` };
	}
	const month = Number(m[2]);
	if (month < 1 || month > 12) return null;
	const dim = daysInMonth(year, month);
	if (m[3] === undefined) {
		return { text, precision: 'month', first: `${m[1]}-${m[2]}-01`, last: `${m[1]}-${m[2]}-${pad(dim)}` };
	}
	const day = Number(m[3]);
	if (day < 1 || day > dim) return null;
	return { text, precision: 'day', first: text, last: text };
}

/**
 * The interval an initiative covers: from the first day of its start to the last day of its
 * end (or of its start when it has no end). Null when no date is known.
 */
export function dateInterval(start: string | null, end: string | null): { from: string; to: string } | null {
	const s = start ? parsePartialDate(start) : null;
	if (!s) return null;
	const e = end ? parsePartialDate(end) : null;
	return { from: s.first, to: e ? e.last : s.last };
}
