/**
 * "Expert spread" chart model: per item (objective or principle), the expert panel's ratings as a
 * dot-and-range plot on the 0–100 axis — a line from min to max, a dot at the mean, a tick at the
 * median, and n written at the end of the row. Pure; `SpreadChart.svelte` draws it with a table.
 *
 * Decisions:
 * - n = 0 ("no ratings") is drawn as a hatched track with a label, like a null bar: never a dot at 0.
 * - n = 1: min = max = mean = median; the dot alone shows it (no range line of length 0).
 * - Rows with fewer than `minExperts` ratings (the methodology's missingData.minExperts) are
 *   marked `few` so the component can say so; the numbers are still drawn.
 * - Statistics must be consistent (min ≤ mean, median ≤ max, all within 0–100, integer n ≥ 0,
 *   null exactly when n = 0); otherwise a RangeError names the item.
 * - RTL mirrors the axis; numbers stay left-to-right.
 */
import { scaleLinear } from 'd3-scale';
import type { SpreadStats } from '../../core/benchmarking/types';
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

export interface SpreadDatum {
	key: string;
	label: string;
	stats: SpreadStats;
	flag?: string;
	/** Language of `label` when it differs from the page's. */
	lang?: string;
	href?: string;
}

export interface SpreadChartOptions extends ChartOptions {
	/** Rows with fewer ratings than this are marked `few`. Default 0 (never). */
	minExperts?: number;
	labelWidth?: number;
}

export interface SpreadRowModel {
	key: string;
	label: string;
	shortLabel: string;
	labelAt: TextPlacement;
	lang: string | null;
	flag: string | null;
	href: string | null;
	n: number;
	/** No ratings: the component draws the "no ratings" track. */
	empty: boolean;
	/** Fewer ratings than minExperts. */
	few: boolean;
	/** Centre line of the row. */
	y: number;
	track: { x: number; width: number; y: number; height: number };
	range: { x1: number; x2: number } | null;
	mean: { x: number; text: string } | null;
	median: { x: number; text: string } | null;
	min: string | null;
	max: string | null;
	sd: string | null;
	nAt: TextPlacement;
	/** "No ratings" text position (empty rows). */
	emptyAt: TextPlacement;
}

export interface SpreadChartModel {
	width: number;
	height: number;
	rtl: boolean;
	plot: { left: number; right: number; top: number; bottom: number };
	ticks: { value: number; x: number; text: string }[];
	tickY: number;
	rows: SpreadRowModel[];
	/** No item has any rating. */
	allEmpty: boolean;
	hasEmpty: boolean;
	hasFew: boolean;
	minExperts: number;
}

const ROW_HEIGHT = 24;
const TOP = 8;
const AXIS_SPACE = 26;
const N_GUTTER = 52;

function checkStats(s: SpreadStats, what: string): SpreadStats {
	if (!Number.isInteger(s.n) || s.n < 0) throw new RangeError(`${what}: n must be an integer ≥ 0, got ${s.n}`);
	const values = [s.mean, s.median, s.min, s.max];
	if (s.n === 0) {
		if (values.some((v) => v !== null)) throw new RangeError(`${what}: statistics must be null when n = 0`);
		return s;
	}
	const mean = checkScore(s.mean, what);
	const median = checkScore(s.median, what);
	const min = checkScore(s.min, what);
	const max = checkScore(s.max, what);
	if (mean === null || median === null || min === null || max === null) {
		throw new RangeError(`${what}: mean, median, min and max are required when n > 0`);
	}
	// A little slack for rounding in stored statistics.
	const eps = 1e-9;
	if (min > max + eps || mean < min - eps || mean > max + eps || median < min - eps || median > max + eps) {
		throw new RangeError(`${what}: inconsistent statistics (min ${min}, mean ${mean}, median ${median}, max ${max})`);
	}
	if (s.sd !== null && !(Number.isFinite(s.sd) && s.sd >= 0)) throw new RangeError(`${what}: sd must be ≥ 0`);
	return s;
}

/** Builds the positioned model of the expert-spread chart. See the module comment. */
export function spreadChart(items: readonly SpreadDatum[], options: SpreadChartOptions = {}): SpreadChartModel {
	const { rtl, width, fmt } = chartSettings(options);
	const minExperts = options.minExperts ?? 0;
	if (!Number.isInteger(minExperts) || minExperts < 0) {
		throw new RangeError(`spread chart: minExperts must be an integer ≥ 0, got ${minExperts}`);
	}
	checkUniqueKeys(
		items.map((i) => i.key),
		'spread chart'
	);
	const { width: labelWidth, maxChars } = labelColumn(items, options.labelWidth);
	if (width - labelWidth - N_GUTTER < 100) throw new RangeError(`spread chart: width ${width} is too small`);

	const left = labelWidth;
	const right = width - N_GUTTER;
	const x = scaleLinear().domain([SCORE_MIN, SCORE_MAX]).range([left, right]);
	const m = (v: number) => mirror(v, width, rtl);
	const bottom = TOP + ROW_HEIGHT * items.length;
	let hasEmpty = false;
	let hasFew = false;

	const rows = items.map((item, i): SpreadRowModel => {
		const s = checkStats(item.stats, `spread chart item ${JSON.stringify(item.key)}`);
		const y = round(TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2);
		const empty = s.n === 0;
		const few = s.n < minExperts;
		if (empty) hasEmpty = true;
		if (few) hasFew = true;
		const at = (v: number | null) => (v === null ? null : m(x(v)));
		const x1 = at(s.min);
		const x2 = at(s.max);
		return {
			key: item.key,
			label: item.label,
			shortLabel: shortRowLabel(item, maxChars),
			labelAt: { x: m(left - LABEL_GAP), y, anchor: 'end', dir: rtl ? 'rtl' : 'ltr' },
			lang: item.lang ?? null,
			flag: item.flag ?? null,
			href: item.href ?? null,
			n: s.n,
			empty,
			few,
			y,
			track: { x: round(rtl ? width - right : left), width: round(right - left), y: round(y - 6), height: 12 },
			range: x1 !== null && x2 !== null && s.n > 1 ? { x1: Math.min(x1, x2), x2: Math.max(x1, x2) } : null,
			mean: s.mean === null ? null : { x: m(x(s.mean)), text: fmt(s.mean) },
			median: s.median === null ? null : { x: m(x(s.median)), text: fmt(s.median) },
			min: s.min === null ? null : fmt(s.min),
			max: s.max === null ? null : fmt(s.max),
			sd: s.sd === null ? null : fmt(s.sd),
			// n is written in the gutter past the 100 end of the axis.
			nAt: { x: m(right + 8), y, anchor: rtl ? 'end' : 'start', dir: 'ltr' },
			emptyAt: { x: m(left + 4), y, anchor: rtl ? 'end' : 'start', dir: 'ltr' }
		};
	});

	return {
		width,
		height: bottom + AXIS_SPACE,
		rtl,
		plot: { left: m(rtl ? right : left), right: m(rtl ? left : right), top: TOP, bottom },
		ticks: scoreTicksX(x, m, fmt),
		tickY: bottom + 16,
		rows,
		allEmpty: rows.every((r) => r.empty),
		hasEmpty,
		hasFew,
		minExperts
	};
}
