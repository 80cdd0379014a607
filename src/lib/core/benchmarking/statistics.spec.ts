import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	mean,
	median,
	roundHalfAwayFromZero,
	roundOrNull,
	roundSpreadStats,
	sampleSd,
	spreadStats,
	sum,
	weightedMean
} from './statistics';

describe('mean, median, sample sd', () => {
	it('are null for an empty list', () => {
		expect(mean([])).toBeNull();
		expect(median([])).toBeNull();
		expect(sampleSd([])).toBeNull();
		expect(spreadStats([])).toEqual({ n: 0, mean: null, median: null, sd: null, min: null, max: null });
	});

	it('one value: mean = median = the value, sd undefined (n − 1 = 0)', () => {
		expect(spreadStats([75])).toEqual({ n: 1, mean: 75, median: 75, sd: null, min: 75, max: 75 });
	});

	it('computes the sample (n − 1) standard deviation', () => {
		// 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sample variance 32/7.
		expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
	});

	it('identical values have sd exactly 0', () => {
		expect(sampleSd([0.1, 0.1, 0.1])).toBe(0);
		expect(spreadStats([50, 50, 50, 50])).toEqual({ n: 4, mean: 50, median: 50, sd: 0, min: 50, max: 50 });
	});

	it('median of an even count with ties averages the two middle values', () => {
		expect(median([25, 75, 25, 75])).toBe(50);
		expect(median([100, 0, 50, 50])).toBe(50);
		expect(median([0, 0, 100, 100, 100, 0])).toBe(50);
		expect(median([3, 1, 2])).toBe(2);
	});

	it('sum is compensated (no drift on many small terms)', () => {
		expect(sum(Array.from({ length: 10 }, () => 0.1))).toBe(1);
	});
});

describe('weightedMean', () => {
	it('normalises weights that do not sum to 1', () => {
		const a = weightedMean([
			{ value: 100, weight: 2 },
			{ value: 0, weight: 1 }
		]);
		const b = weightedMean([
			{ value: 100, weight: 0.4 },
			{ value: 0, weight: 0.2 }
		]);
		expect(a).toBeCloseTo(200 / 3, 12);
		expect(b).toBeCloseTo(200 / 3, 12);
	});

	it('is null with no pairs or no positive weight', () => {
		expect(weightedMean([])).toBeNull();
		expect(weightedMean([{ value: 50, weight: 0 }])).toBeNull();
	});
});

describe('roundHalfAwayFromZero', () => {
	it.each([
		[47.625, 2, 47.63],
		[47.62499999999999, 2, 47.63], // float noise around a true .5 is removed first
		[1.005, 2, 1.01], // 1.005 is stored as 1.00499999999999989…
		[0.1 + 0.2, 2, 0.3],
		[2.5, 0, 3],
		[-2.5, 0, -3],
		[-12.345, 2, -12.35],
		[39.77777777777778, 2, 39.78],
		[47.63333333333333, 1, 47.6],
		[51, 2, 51],
		[1e-7, 2, 0],
		[-1e-9, 3, 0],
		[100, 0, 100]
	])('rounds %s at %i decimals to %s', (value, decimals, expected) => {
		expect(roundHalfAwayFromZero(value, decimals)).toBe(expected);
	});

	it('never returns −0', () => {
		expect(Object.is(roundHalfAwayFromZero(-0.0001, 2), 0)).toBe(true);
	});

	it('rejects invalid decimals', () => {
		expect(() => roundHalfAwayFromZero(1, -1)).toThrow(RangeError);
		expect(() => roundHalfAwayFromZero(1, 1.5)).toThrow(RangeError);
	});

	it('leaves null and non-finite values alone', () => {
		expect(roundOrNull(null, 2)).toBeNull();
		expect(roundHalfAwayFromZero(Number.NaN, 2)).toBeNaN();
	});

	it('rounding is within half a unit and idempotent (property)', () => {
		fc.assert(
			fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, d) => {
				const r = roundHalfAwayFromZero(x, d);
				expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5 * 10 ** -d + 1e-9);
				expect(roundHalfAwayFromZero(r, d)).toBe(r);
			})
		);
	});

	it('rounds every statistic of a SpreadStats but keeps n', () => {
		expect(roundSpreadStats(spreadStats([10, 20, 20]), 1)).toEqual({
			n: 3,
			mean: 16.7,
			median: 20,
			sd: 5.8,
			min: 10,
			max: 20
		});
	});
});

describe('order independence (property)', () => {
	it('mean, median, sd, min and max do not depend on the order of the values', () => {
		fc.assert(
			fc.property(
				fc
					.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 })
					.chain((values) =>
						fc.tuple(
							fc.constant(values),
							fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length })
						)
					),
				([values, shuffled]) => {
					expect(spreadStats(shuffled)).toEqual(spreadStats(values));
				}
			)
		);
	});

	it('the mean stays between min and max', () => {
		fc.assert(
			fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
				const s = spreadStats(values);
				expect(s.mean as number).toBeGreaterThanOrEqual(s.min as number);
				expect(s.mean as number).toBeLessThanOrEqual(s.max as number);
			})
		);
	});
});
