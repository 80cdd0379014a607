/**
 * Shared pieces of the server-rendered benchmark charts (bar, spread, trend, map): score
 * validation, locale-aware number formatting, label truncation and the RTL mirror.
 *
 * All chart builders are pure functions from data to positioned marks; the Svelte components in
 * src/lib/components/charts/ only draw what they are given. Text is never escaped here: it stays
 * data, and Svelte escapes it when rendering (tests render the components to check that).
 */
import { numberFormat } from '../../i18n/format';

/** Benchmark scores are percentages: 0–100, higher = closer to the GCM's commitments. */
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

/** Tick values of every 0–100 score axis. */
export const SCORE_TICKS: readonly number[] = [0, 20, 40, 60, 80, 100];

/** Common options of the chart builders. */
export interface ChartOptions {
	/** BCP 47 locale for number formatting (e.g. `es` writes 45,5). Default `en`. */
	locale?: string;
	/** Mirror the horizontal layout for right-to-left pages. Numbers stay left-to-right. */
	rtl?: boolean;
	/** Decimals shown for scores (the methodology's `decimals`). Default 1. */
	decimals?: number;
	/** Total width of the SVG viewBox. */
	width?: number;
}

/** The options every chart builder resolves the same way. */
export interface ChartSettings {
	rtl: boolean;
	/** Width of the SVG viewBox. */
	width: number;
	/** Formats a score (or a difference of scores) for this chart's locale and decimals. */
	fmt: (value: number) => string;
}

/** Resolves the common options: defaults (ltr, 640 wide, 1 decimal, `en`) and checks. */
export function chartSettings(options: ChartOptions): ChartSettings {
	const decimals = checkDecimals(options.decimals);
	return { rtl: options.rtl ?? false, width: options.width ?? 640, fmt: scoreFormatter(options.locale, decimals) };
}

/** Text direction and anchor of an SVG <text>, as the components must write them. */
export interface TextPlacement {
	x: number;
	y: number;
	/** SVG `text-anchor`, interpreted in `dir` (with dir=rtl, `end` is the left edge). */
	anchor: 'start' | 'middle' | 'end';
	dir: 'ltr' | 'rtl';
}

/**
 * A score as drawn: null stays null ("no score", never 0); numbers must be finite and in
 * 0–100. Anything else is a bug upstream, so it fails loudly with the item's key instead of
 * drawing a misleading bar.
 */
export function checkScore(value: number | null | undefined, what: string): number | null {
	if (value === null || value === undefined) return null;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new RangeError(`${what}: score must be a finite number or null, got ${String(value)}`);
	}
	if (value < SCORE_MIN || value > SCORE_MAX) {
		throw new RangeError(`${what}: score ${value} is outside ${SCORE_MIN}–${SCORE_MAX}`);
	}
	return value;
}

/** Checks the decimals option (0–4, integer). */
export function checkDecimals(decimals: number | undefined): number {
	const d = decimals ?? 1;
	if (!Number.isInteger(d) || d < 0 || d > 4) throw new RangeError(`decimals must be an integer 0–4, got ${d}`);
	return d;
}

/** Formats scores for one chart: at most `decimals` decimals, the locale's separator. */
export function scoreFormatter(locale: string | undefined, decimals: number): (value: number) => string {
	const nf = numberFormat(locale ?? 'en', { maximumFractionDigits: decimals, useGrouping: false });
	return (value) => nf.format(value);
}

/**
 * Shortens a label to at most `maxChars` user-perceived characters (grapheme clusters, so
 * Arabic with diacritics, emoji and CJK are never cut mid-character), adding an ellipsis. The
 * full text always stays available (SVG <title> and the data table).
 */
export function truncateLabel(label: string, maxChars: number): string {
	const segments = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(label)].map((s) => s.segment);
	if (segments.length <= maxChars) return label;
	return (
		segments
			.slice(0, Math.max(1, maxChars - 1))
			.join('')
			.trimEnd() + '…'
	);
}

/** Gap between a row label and the plot, in viewBox units. */
export const LABEL_GAP = 8;
/** Approximate width of one character at the charts' 12px font, for label fitting. */
const CHAR_WIDTH = 6.6;

/** A row of a chart with a label column (bar and spread charts). */
export interface LabelledRow {
	label: string;
	/** A note on the row: its label gets " *" (the note itself is spelled out in the table). */
	flag?: string;
}

/**
 * The label column of a chart: `width` in viewBox units — `labelWidth` when given, else fitted to
 * the longest label (a flag counts two characters for " *"), between 120 and 260 — and how many
 * characters of a label fit in it.
 */
export function labelColumn(
	rows: readonly LabelledRow[],
	labelWidth: number | undefined
): { width: number; maxChars: number } {
	const longest = Math.max(0, ...rows.map((r) => [...r.label].length + (r.flag ? 2 : 0)));
	const width = labelWidth ?? Math.min(260, Math.max(120, Math.ceil(longest * CHAR_WIDTH) + LABEL_GAP));
	return { width, maxChars: Math.max(4, Math.floor((width - LABEL_GAP) / CHAR_WIDTH)) };
}

/** A row label as drawn in the label column: truncated to fit, " *" appended when it has a flag. */
export function shortRowLabel(row: LabelledRow, maxChars: number): string {
	return truncateLabel(row.label, row.flag ? maxChars - 2 : maxChars) + (row.flag ? ' *' : '');
}

/**
 * The ticks of a horizontal 0–100 score axis, in final coordinates: `x` maps a score to the
 * logical (LTR) x, `m` mirrors it for RTL.
 */
export function scoreTicksX(
	x: (value: number) => number,
	m: (x: number) => number,
	fmt: (value: number) => string
): { value: number; x: number; text: string }[] {
	return SCORE_TICKS.map((t) => ({ value: t, x: m(x(t)), text: fmt(t) }));
}

/** Mirrors an x coordinate for RTL layouts (identity when ltr). */
export function mirror(x: number, width: number, rtl: boolean): number {
	return rtl ? round(width - x) : round(x);
}

/** Geometry is rounded to 0.1 px: sharp enough, and short SVG attributes. */
export function round(n: number): number {
	return Math.round(n * 10) / 10;
}

/** Checks that keys are unique (they become Svelte each-block keys and element ids). */
export function checkUniqueKeys(keys: readonly string[], what: string): void {
	const seen = new Set<string>();
	for (const k of keys) {
		if (seen.has(k)) throw new Error(`${what}: duplicate key ${JSON.stringify(k)}`);
		seen.add(k);
	}
}
