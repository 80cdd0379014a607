/**
 * Trend chart model: scores (overall, objectives overall, principles overall, or any item) across
 * a country's editions, as lines with points on a 0–100 axis. Pure; `TrendChart.svelte` draws it
 * with a table of the same numbers.
 *
 * Decisions:
 * - Editions are evenly spaced in the order given (editions are numbered, not dated).
 * - Two consecutive editions are comparable only when they use the same methodology key AND
 *   version — the rule of core/benchmarking/trends.ts, whose `comparable` flag can be passed in
 *   directly. Between non-comparable editions the chart draws a break marker and no line
 *   crosses it: a change of questions or weights changes what a score means.
 * - A null score leaves a gap (no point, no line through it); it is never drawn as 0.
 * - Series are told apart by colour, marker shape and dash pattern (not by colour alone).
 * - RTL mirrors the x axis (the first edition on the right) and puts the y axis on the right.
 */
import { scaleLinear } from 'd3-scale';
import {
	chartSettings,
	checkScore,
	checkUniqueKeys,
	mirror,
	round,
	SCORE_MAX,
	SCORE_MIN,
	SCORE_TICKS,
	type ChartOptions
} from './chart-common';

export interface TrendEdition {
	/** Unique, e.g. the edition number as a string. */
	key: string;
	/** Axis label, e.g. "2024" or "Edition 2". */
	label: string;
	methodology: { key: string; version: string };
	/**
	 * Comparable with the previous edition (e.g. EditionTrendPoint.comparable from trends.ts).
	 * Omitted: same methodology key and version as the previous edition.
	 */
	comparableWithPrevious?: boolean | null;
}

export interface TrendSeriesInput {
	key: string;
	label: string;
	/** One value per edition, in the same order; null = no score in that edition. */
	values: readonly (number | null)[];
}

export interface TrendChartOptions extends ChartOptions {
	height?: number;
}

export type TrendMarker = 'circle' | 'square' | 'diamond';

export interface TrendPoint {
	editionKey: string;
	x: number;
	y: number;
	value: number;
	text: string;
}

export interface TrendSeriesModel {
	key: string;
	label: string;
	index: number;
	marker: TrendMarker;
	/** SVG path data of each connected run (≥ 2 points, within one comparable period). */
	lines: string[];
	points: TrendPoint[];
	/** Formatted value per edition (null = no score), for the table. */
	cells: (string | null)[];
}

export interface TrendChartModel {
	width: number;
	height: number;
	rtl: boolean;
	plot: { left: number; right: number; top: number; bottom: number };
	editions: { key: string; label: string; x: number; methodology: string }[];
	yTicks: { value: number; y: number; text: string }[];
	/** Where y tick texts sit and how they are anchored (left of the plot, or right when rtl). */
	yTickX: number;
	yTickAnchor: 'start' | 'end';
	/** Break markers between non-comparable editions. */
	breaks: { x: number; after: string; before: string; from: string; to: string }[];
	series: TrendSeriesModel[];
	/** No series has any value. */
	allNull: boolean;
}

const MARKERS: readonly TrendMarker[] = ['circle', 'square', 'diamond'];
const MARGIN = { top: 12, bottom: 30, axis: 36, end: 24 };

const methodologyLabel = (m: { key: string; version: string }) => `${m.key} ${m.version}`;

/** Builds the positioned model of a trend chart. See the module comment. */
export function trendChart(
	editions: readonly TrendEdition[],
	series: readonly TrendSeriesInput[],
	options: TrendChartOptions = {}
): TrendChartModel {
	const { rtl, width, fmt } = chartSettings(options);
	const height = options.height ?? 260;
	checkUniqueKeys(
		editions.map((e) => e.key),
		'trend chart editions'
	);
	checkUniqueKeys(
		series.map((s) => s.key),
		'trend chart series'
	);
	if (series.length > MARKERS.length) throw new RangeError(`trend chart: at most ${MARKERS.length} series`);
	for (const s of series) {
		if (s.values.length !== editions.length) {
			throw new RangeError(
				`trend chart series ${JSON.stringify(s.key)}: ${s.values.length} values for ${editions.length} editions`
			);
		}
	}

	const left = MARGIN.axis;
	const right = width - MARGIN.end;
	const top = MARGIN.top;
	const bottom = height - MARGIN.bottom;
	if (right - left < 100 || bottom - top < 60) throw new RangeError('trend chart: width or height too small');
	const m = (v: number) => mirror(v, width, rtl);
	// Half a step of padding at each end, so the first and last points are not on the frame.
	const step = editions.length > 0 ? (right - left) / editions.length : 0;
	const xAt = (i: number) => m(left + step * (i + 0.5));
	const y = scaleLinear().domain([SCORE_MIN, SCORE_MAX]).range([bottom, top]);

	// period[i]: index of the comparable period edition i belongs to.
	const period: number[] = [];
	const breaks: TrendChartModel['breaks'] = [];
	editions.forEach((e, i) => {
		if (i === 0) {
			period.push(0);
			return;
		}
		const prev = editions[i - 1]!;
		const comparable =
			e.comparableWithPrevious ??
			(e.methodology.key === prev.methodology.key && e.methodology.version === prev.methodology.version);
		period.push(period[i - 1]! + (comparable ? 0 : 1));
		if (!comparable) {
			breaks.push({
				x: m(left + step * i),
				after: prev.key,
				before: e.key,
				from: methodologyLabel(prev.methodology),
				to: methodologyLabel(e.methodology)
			});
		}
	});

	let allNull = true;
	const outSeries = series.map((s, index): TrendSeriesModel => {
		const values = s.values.map((v, i) =>
			checkScore(v, `trend chart series ${JSON.stringify(s.key)}, edition ${JSON.stringify(editions[i]?.key)}`)
		);
		const points: TrendPoint[] = [];
		const lines: string[] = [];
		let run: string[] = [];
		const flush = () => {
			if (run.length >= 2) lines.push('M' + run.join('L'));
			run = [];
		};
		values.forEach((v, i) => {
			if (i > 0 && period[i] !== period[i - 1]) flush();
			if (v === null) {
				flush();
				return;
			}
			allNull = false;
			const px = xAt(i);
			const py = round(y(v));
			points.push({ editionKey: editions[i]!.key, x: px, y: py, value: v, text: fmt(v) });
			run.push(`${px},${py}`);
		});
		flush();
		return {
			key: s.key,
			label: s.label,
			index,
			marker: MARKERS[index]!,
			lines,
			points,
			cells: values.map((v) => (v === null ? null : fmt(v)))
		};
	});

	return {
		width,
		height,
		rtl,
		plot: { left: m(rtl ? right : left), right: m(rtl ? left : right), top, bottom },
		editions: editions.map((e, i) => ({
			key: e.key,
			label: e.label,
			x: xAt(i),
			methodology: methodologyLabel(e.methodology)
		})),
		yTicks: SCORE_TICKS.map((t) => ({ value: t, y: round(y(t)), text: fmt(t) })),
		yTickX: m(left - 6),
		yTickAnchor: rtl ? 'start' : 'end',
		breaks,
		series: outSeries,
		allNull
	};
}
