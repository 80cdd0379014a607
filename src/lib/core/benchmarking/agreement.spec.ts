import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krippendorffAlphaInterval } from './agreement';

const _ = null;

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers (A–D)
 * × 12 units with missing values. Published: α_interval = 0.849 (nominal .743, ordinal .815,
 * ratio .797). Unit 12 has a single value, so it is not pairable (n = 40 pairable values).
 * Observers are columns here because our units are rows.
 */
const KRIPPENDORFF_2011: (number | null)[][] = [
	[1, 1, _, 1],
	[2, 2, 3, 2],
	[3, 3, 3, 3],
	[3, 3, 3, 3],
	[2, 2, 2, 2],
	[1, 2, 3, 4],
	[4, 4, 4, 4],
	[1, 1, 2, 1],
	[2, 2, 2, 2],
	[_, 5, 5, 5],
	[_, _, 1, 1],
	[_, 3, _, _]
];

/**
 * The 3-coder × 15-unit example with missing values (Wikipedia "Krippendorff's alpha",
 * computational example; also the interval test of the `krippendorff` Python package):
 * α_interval = 0.810845. This is the "≈ 0.811" figure; it belongs to this dataset, not to the
 * 4-observer one above.
 */
const WIKIPEDIA_3X15 = [
	[_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
	[1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
	[_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4]
];
const transpose = (rows: (number | null)[][]) => (rows[0] ?? []).map((_v, i) => rows.map((r) => r[i] ?? null));

describe('krippendorffAlphaInterval', () => {
	it('reproduces Krippendorff 2011: 4 observers, 12 units, missing values → 0.849', () => {
		expect(krippendorffAlphaInterval(KRIPPENDORFF_2011)).toBeCloseTo(0.849107, 6);
	});

	it('reproduces the 3-coder, 15-unit example → 0.810845', () => {
		const alpha = krippendorffAlphaInterval(transpose(WIKIPEDIA_3X15));
		expect(Math.round((alpha as number) * 1e6) / 1e6).toBe(0.810845);
	});

	it('is 1 for perfect agreement when values vary across units', () => {
		expect(
			krippendorffAlphaInterval([
				[0, 0, 0],
				[50, 50, 50],
				[100, 100]
			])
		).toBe(1);
	});

	it('is undefined (null) when every value is identical: D_o = D_e = 0', () => {
		expect(
			krippendorffAlphaInterval([
				[75, 75, 75],
				[75, 75]
			])
		).toBeNull();
	});

	it('is null with no pairable unit (no data, or one rater per item)', () => {
		expect(krippendorffAlphaInterval([])).toBeNull();
		expect(krippendorffAlphaInterval([[], [_, _]])).toBeNull();
		expect(krippendorffAlphaInterval([[10], [20, _], [_, 30]])).toBeNull();
	});

	it('is negative for systematic disagreement', () => {
		expect(
			krippendorffAlphaInterval([
				[0, 100],
				[100, 0]
			]) as number
		).toBeLessThan(0);
	});

	it('rejects non-finite values', () => {
		expect(() => krippendorffAlphaInterval([[1, Number.NaN]])).toThrow(RangeError);
	});

	const unitsArb = fc.array(fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), { maxLength: 6 }), {
		maxLength: 12
	});

	it('does not depend on the order of raters or units, and never exceeds 1 (property)', () => {
		fc.assert(
			fc.property(unitsArb, (units) => {
				const alpha = krippendorffAlphaInterval(units);
				const reversed = krippendorffAlphaInterval([...units].reverse().map((u) => [...u].reverse()));
				expect(reversed).toBe(alpha);
				if (alpha !== null) expect(alpha).toBeLessThanOrEqual(1 + 1e-12);
			})
		);
	});

	it('is invariant under an affine change of scale, as the interval metric must be (property)', () => {
		fc.assert(
			fc.property(unitsArb, fc.integer({ min: 1, max: 25 }), fc.integer({ min: -50, max: 50 }), (units, a, b) => {
				const alpha = krippendorffAlphaInterval(units);
				const scaled = krippendorffAlphaInterval(units.map((u) => u.map((v) => (v === null ? null : a * v + b))));
				if (alpha === null) expect(scaled).toBeNull();
				else expect(scaled as number).toBeCloseTo(alpha, 9);
			})
		);
	});
});
