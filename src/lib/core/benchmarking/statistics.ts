/**
 * Descriptive statistics for the benchmarking observatory (issue #5). Pure and deterministic: the
 * result never depends on the order of the input (every function sorts or sums order-free), so
 * permuting experts never changes a published number.
 */
import type { SpreadStats } from './types';

/** Sum with Neumaier compensation, so that float error does not depend on the order of the terms. */
export function sum(values: readonly number[]): number {
	let total = 0;
	let compensation = 0;
	for (const v of values) {
		const t = total + v;
		compensation += Math.abs(total) >= Math.abs(v) ? total - t + v : v - t + total;
		total = t;
	}
	return total + compensation;
}

/** Arithmetic mean; null for an empty list. */
export function mean(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	// Sorting first makes the float result independent of input order (bit for bit).
	return sum([...values].sort((a, b) => a - b)) / values.length;
}

/** Median (mean of the two middle values for an even count); null for an empty list. */
export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const upper = sorted[mid] as number;
	return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Sample standard deviation (denominator n − 1, two-pass); null when n < 2. */
export function sampleSd(values: readonly number[]): number | null {
	if (values.length < 2) return null;
	const m = mean(values) as number;
	const squares = [...values].sort((a, b) => a - b).map((v) => (v - m) * (v - m));
	const variance = sum(squares) / (values.length - 1);
	// Identical values give exactly 0, not a float residue.
	return values.every((v) => v === values[0]) ? 0 : Math.sqrt(variance);
}

/**
 * Weighted mean Σ(w·x)/Σw over pairs; null when there are none. Weights are relative: they need
 * not sum to 1 (they are normalised here), but must be > 0 (the methodology schema enforces it).
 */
export function weightedMean(pairs: readonly { value: number; weight: number }[]): number | null {
	if (pairs.length === 0) return null;
	const sorted = [...pairs].sort((a, b) => a.value - b.value || a.weight - b.weight);
	const totalWeight = sum(sorted.map((p) => p.weight));
	if (!(totalWeight > 0)) return null;
	return sum(sorted.map((p) => p.value * p.weight)) / totalWeight;
}

/** n, mean, median, sample sd, min and max of expert scores (0–100), at full precision. */
export function spreadStats(scores: readonly number[]): SpreadStats {
	if (scores.length === 0) return { n: 0, mean: null, median: null, sd: null, min: null, max: null };
	return {
		n: scores.length,
		mean: mean(scores),
		median: median(scores),
		sd: sampleSd(scores),
		min: Math.min(...scores),
		max: Math.max(...scores)
	};
}

/**
 * Rounds half away from zero to `decimals` places, robust to binary float error: the value is
 * first cleaned to 12 significant digits (scores are 0–100, so this only removes representation
 * noise such as 47.62499999999999 for a true 47.625), then rounded in decimal via exponent
 * notation. 47.625 → 47.63, −2.5 → −3 (at 0 decimals), 1.005 → 1.01.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
	if (!Number.isFinite(value)) return value;
	if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12) {
		throw new RangeError(`decimals must be an integer between 0 and 12, got ${decimals}`);
	}
	const cleaned = Math.abs(Number(value.toPrecision(12)));
	// Very small or very large magnitudes print in exponent form; plain arithmetic is exact enough there.
	const text = String(cleaned);
	const result = text.includes('e')
		? Math.round(cleaned * 10 ** decimals) / 10 ** decimals
		: Number(`${Math.round(Number(`${text}e${decimals}`))}e-${decimals}`);
	// `|| 0` turns −0 into 0 so JSON and comparisons stay simple.
	return (value < 0 ? -result : result) || 0;
}

/** Rounds a nullable number; null stays null. */
export function roundOrNull(value: number | null, decimals: number): number | null {
	return value === null ? null : roundHalfAwayFromZero(value, decimals);
}

/** SpreadStats with every statistic rounded (n untouched). */
export function roundSpreadStats(stats: SpreadStats, decimals: number): SpreadStats {
	return {
		n: stats.n,
		mean: roundOrNull(stats.mean, decimals),
		median: roundOrNull(stats.median, decimals),
		sd: roundOrNull(stats.sd, decimals),
		min: roundOrNull(stats.min, decimals),
		max: roundOrNull(stats.max, decimals)
	};
}
