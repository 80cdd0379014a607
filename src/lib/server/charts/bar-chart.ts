/**
 * Horizontal bar chart model for benchmark scores (0–100): one bar per row, or grouped bars for
 * 2–3 series (e.g. the three perspectives, or policy vs implementation). Pure: data in,
 * positioned marks out; `BarChart.svelte` draws them and prints the same numbers as a table.
 *
 * Decisions:
 * - A null score is "no score" — drawn as a hatched, labelled track across the whole axis, never
 *   as a zero-length bar (0 is a real, bad score; null means "not enough evidence").
 * - Grouped rows are highlighted as divergent when the spread between their non-null series
 *   values (max − min, in points) is strictly above `divergenceThreshold` (the methodology's
 *   `divergenceThreshold`: "above which a divergence is flagged"). Fewer than two values: never.
 * - RTL: labels move to the right and bars grow leftwards (x is mirrored); value texts keep
 *   dir=ltr so "45.5" never reorders.
 * - Values outside 0–100 or NaN throw a RangeError naming the row: a bug upstream must not become
 *   a plausible-looking chart.
 *
 * Usage (in a +page.server.ts):
 *   const chart = barChart(scores.objectives.map((o) => ({ key: `O${o.number}`, label: …, value: o.score })),
 *     { locale: locals.locale, rtl: dir === 'rtl', decimals: methodology.decimals });
 * then `<BarChart model={chart} labels={…} />`.
 */
import { scaleLinear } from 'd3-scale';
import {
	chartSettings,
	checkScore,
	checkUniqueKeys,
	LABEL_GAP,
	labelColumn,
	mirror,
	round,
	SCORE_MAX,
	SCORE_MIN,
	scoreTicksX,
	shortRowLabel,
	type ChartOptions,
	type TextPlacement
} from './chart-common';

/** One row of input. With grouped series, `value`/`secondary`/`tertiary` are series 1/2/3. */
export interface BarDatum {
	/** Stable, unique within the chart (e.g. `O7`, `people_centred`). */
	key: string;
	/** Shown as the row label; escaped when rendered. */
	label: string;
	/** Series 1 score, 0–100, or null for "no score". */
	value: number | null;
	/** Series 2 score (grouped charts only). */
	secondary?: number | null;
	/** Series 3 score (grouped charts with three series only). */
	tertiary?: number | null;
	/** A short note (e.g. "low coverage"); marked with an asterisk on the chart, spelled out in the table. */
	flag?: string;
	/** BCP 47 language of `label` when it differs from the page's (e.g. English objective titles on es pages). */
	lang?: string;
	/** Optional link for the row label in the data table. */
	href?: string;
}

export interface BarSeries {
	key: string;
	label: string;
}

export interface BarChartOptions extends ChartOptions {
	/** 1–3 series; with 2 or 3 the chart draws grouped bars and a legend. Default: one unnamed series. */
	series?: readonly BarSeries[];
	/** Points (0–100) of spread between series above which a grouped row is highlighted. */
	divergenceThreshold?: number | null;
	/** Width of the label column in viewBox units. Default: fitted to the longest label, 120–260. */
	labelWidth?: number;
}

export interface BarModel {
	seriesIndex: number;
	seriesKey: string;
	value: number | null;
	/** Formatted value, or null for "no score". */
	text: string | null;
	noScore: boolean;
	x: number;
	y: number;
	width: number;
	height: number;
	/** Where the value (or "no score") text goes; always dir=ltr. */
	textAt: TextPlacement;
}

export interface BarRowModel {
	key: string;
	label: string;
	/** `label`, shortened to fit the label column (full label in <title> and the table). */
	shortLabel: string;
	labelAt: TextPlacement;
	lang: string | null;
	flag: string | null;
	href: string | null;
	/** The row's horizontal band, full width (for the divergence highlight). */
	band: { x: number; y: number; width: number; height: number };
	bars: BarModel[];
	/** max − min of the non-null series values (grouped charts), else null. */
	divergence: number | null;
	divergenceText: string | null;
	divergent: boolean;
}

export interface BarChartModel {
	width: number;
	height: number;
	rtl: boolean;
	/** The plot area in final coordinates (the 0–100 axis runs right-to-left when rtl). */
	plot: { left: number; right: number; top: number; bottom: number };
	ticks: { value: number; x: number; text: string }[];
	/** Where the axis tick texts sit (y, below the plot). */
	tickY: number;
	series: (BarSeries & { index: number })[];
	grouped: boolean;
	rows: BarRowModel[];
	/** Every value of every series is null (the component says so instead of drawing an empty chart). */
	allNull: boolean;
	/** Some bar is null: the legend shows the "no score" pattern. */
	hasNoScore: boolean;
	/** Some row is divergent: the legend explains the highlight. */
	hasDivergent: boolean;
	divergenceThreshold: number | null;
	divergenceThresholdText: string | null;
}

const BAR_HEIGHT = 14;
const SINGLE_BAR_HEIGHT = 18;
const ROW_GAP = 8;
const TOP = 8;
const AXIS_SPACE = 26;
const VALUE_GUTTER = 48;

/** Builds the positioned model of a horizontal bar chart. See the module comment. */
export function barChart(rows: readonly BarDatum[], options: BarChartOptions = {}): BarChartModel {
	const { rtl, width, fmt } = chartSettings(options);
	const series = (options.series && options.series.length > 0 ? options.series : [{ key: 'value', label: '' }]).map(
		(s, index) => ({ ...s, index })
	);
	if (series.length > 3) throw new RangeError(`bar chart: at most 3 series, got ${series.length}`);
	checkUniqueKeys(
		series.map((s) => s.key),
		'bar chart series'
	);
	checkUniqueKeys(
		rows.map((r) => r.key),
		'bar chart rows'
	);
	const threshold = options.divergenceThreshold ?? null;
	if (threshold !== null && !(Number.isFinite(threshold) && threshold >= 0)) {
		throw new RangeError(`bar chart: divergenceThreshold must be a number ≥ 0, got ${threshold}`);
	}
	const grouped = series.length > 1;

	const { width: labelWidth, maxChars } = labelColumn(rows, options.labelWidth);
	if (width - labelWidth - VALUE_GUTTER < 100) throw new RangeError(`bar chart: width ${width} is too small`);

	// Logical (LTR) coordinates; mirrored at the end for RTL.
	const left = labelWidth;
	const right = width - VALUE_GUTTER;
	const x = scaleLinear().domain([SCORE_MIN, SCORE_MAX]).range([left, right]);
	const barHeight = grouped ? BAR_HEIGHT : SINGLE_BAR_HEIGHT;
	const rowHeight = barHeight * series.length + ROW_GAP;
	const top = TOP;
	const bottom = top + rowHeight * rows.length;
	const m = (v: number) => mirror(v, width, rtl);

	let allNull = true;
	let hasNoScore = false;
	let hasDivergent = false;

	const outRows: BarRowModel[] = rows.map((row, i) => {
		const raw = [row.value, row.secondary, row.tertiary];
		const values = series.map((s) => checkScore(raw[s.index], `bar chart row ${JSON.stringify(row.key)}`));
		const y0 = top + i * rowHeight + ROW_GAP / 2;
		const bars: BarModel[] = series.map((s, si) => {
			const v = values[si] ?? null;
			const by = y0 + si * barHeight + 1;
			const bh = barHeight - 2;
			if (v === null) {
				hasNoScore = true;
				// The whole track, hatched: visibly "nothing here", not a short (low) bar.
				return {
					seriesIndex: s.index,
					seriesKey: s.key,
					value: null,
					text: null,
					noScore: true,
					x: round(rtl ? width - right : left),
					y: round(by),
					width: round(right - left),
					height: round(bh),
					textAt: { x: m(left + 4), y: round(by + bh / 2), anchor: rtl ? 'end' : 'start', dir: 'ltr' }
				};
			}
			allNull = false;
			const end = x(v);
			return {
				seriesIndex: s.index,
				seriesKey: s.key,
				value: v,
				text: fmt(v),
				noScore: false,
				// Stored as a left/width pair in final (mirrored) coordinates.
				x: rtl ? round(width - end) : round(left),
				y: round(by),
				width: round(end - left),
				height: round(bh),
				textAt: { x: m(end + 4), y: round(by + bh / 2), anchor: rtl ? 'end' : 'start', dir: 'ltr' }
			};
		});
		const present = values.filter((v): v is number => v !== null);
		const divergence = grouped && present.length >= 2 ? Math.max(...present) - Math.min(...present) : null;
		const divergent = divergence !== null && threshold !== null && divergence > threshold;
		if (divergent) hasDivergent = true;
		return {
			key: row.key,
			label: row.label,
			shortLabel: shortRowLabel(row, maxChars),
			labelAt: {
				x: m(left - LABEL_GAP),
				y: round(y0 + (barHeight * series.length) / 2),
				// dir follows the page; `end` is the edge next to the axis in both directions.
				anchor: 'end',
				dir: rtl ? 'rtl' : 'ltr'
			},
			lang: row.lang ?? null,
			flag: row.flag ?? null,
			href: row.href ?? null,
			band: { x: 0, y: round(y0 - ROW_GAP / 2), width, height: rowHeight },
			bars,
			divergence,
			divergenceText: divergence === null ? null : fmt(divergence),
			divergent
		};
	});

	return {
		width,
		height: bottom + AXIS_SPACE,
		rtl,
		plot: { left: m(rtl ? right : left), right: m(rtl ? left : right), top, bottom },
		ticks: scoreTicksX(x, m, fmt),
		tickY: bottom + 16,
		series,
		grouped,
		rows: outRows,
		allNull,
		hasNoScore,
		hasDivergent,
		divergenceThreshold: threshold,
		divergenceThresholdText: threshold === null ? null : fmt(threshold)
	};
}
