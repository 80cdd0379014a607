/**
 * Inter-rater agreement: Krippendorff's alpha with the interval metric δ²(c, k) = (c − k)².
 *
 *   α = 1 − D_o / D_e
 *   D_o = (1/n) Σ_u (1/(m_u − 1)) Σ_{i≠j in u} (v_i − v_j)²      observed disagreement
 *   D_e = (1/(n(n − 1))) Σ_{i≠j over all pairable values} (v_i − v_j)²   expected disagreement
 *
 * where u runs over the pairable units (items rated by at least two raters), m_u is the number of
 * values in unit u and n = Σ m_u. Using Σ_{i≠j}(v_i − v_j)² = 2m Σ(v_i − v̄)², both sums are
 * computed in one pass per unit without the coincidence matrix, which gives the same result for
 * the interval metric (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
 *
 * Undefined cases return null rather than a number:
 * - no pairable unit (nobody's rating can be compared with another's), or
 * - D_e = 0: every pairable value is identical. Then D_o = D_e = 0 and α = 0/0. Some software
 *   reports 1 here; we report null (and scoring flags ALPHA_UNDEFINED) because with no variation
 *   at all the data cannot tell agreement from a scale that was used as a constant.
 */
import { sum } from './statistics';

export function krippendorffAlphaInterval(units: readonly (readonly (number | null)[])[]): number | null {
	const pairable: number[][] = [];
	for (const unit of units) {
		const values = unit.filter((v): v is number => v !== null);
		for (const v of values) {
			if (!Number.isFinite(v)) throw new RangeError(`rating values must be finite numbers, got ${v}`);
		}
		// Sorted so the float result does not depend on the order of the raters.
		if (values.length >= 2) pairable.push(values.sort((a, b) => a - b));
	}
	if (pairable.length === 0) return null;

	const all = pairable.flat().sort((a, b) => a - b);
	const n = all.length;
	const first = all[0] as number;
	if (all.every((v) => v === first)) return null;

	const squaredDeviations = (values: readonly number[]): number => {
		const m = sum(values) / values.length;
		return sum(values.map((v) => (v - m) * (v - m)));
	};
	// Σ_u m_u · SS_u / (m_u − 1); the factor 2 of both disagreements cancels.
	const withinUnits = sum(
		pairable.map((values) => (values.length * squaredDeviations(values)) / (values.length - 1)).sort((a, b) => a - b)
	);
	const total = squaredDeviations(all);
	if (!(total > 0)) return null;
	const observed = withinUnits / n;
	const expected = total / (n - 1);
	return 1 - observed / expected;
}
