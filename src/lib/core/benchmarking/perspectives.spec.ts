import { describe, expect, it } from 'vitest';
import { comparePerspectives } from './perspectives';
import { computeScores } from './scoring';
import { answer, buildMethodology, principleRating } from './testing/builders';
import type { AssessmentScores, Methodology } from './types';

const m = buildMethodology();

/** Every variable answered `option`; three raters give every principle `rating` (1–5 → 0–100). */
function scoresFor(
	option: 'absent' | 'partial' | 'full',
	rating: number,
	methodology: Methodology = m
): AssessmentScores {
	return computeScores(methodology, {
		answers: methodology.variables.map((v) => answer(v.key, option)),
		ratings: ['E1', 'E2', 'E3'].flatMap((r) => methodology.principles.map((p) => principleRating(r, p.key, rating)))
	});
}

/** A copy with objective `n`'s published score replaced (to test exact boundaries). */
function withObjectiveScore(s: AssessmentScores, n: number, score: number | null): AssessmentScores {
	return { ...s, objectives: s.objectives.map((o) => (o.number === n ? { ...o, score } : o)) };
}

describe('comparePerspectives', () => {
	it('shows each perspective, the largest gap, the pair and the divergence', () => {
		const c = comparePerspectives(
			{
				civil_society: scoresFor('absent', 2), // objectives 0, principles 25
				independent: scoresFor('partial', 3), // 50, 50
				government: scoresFor('full', 4) // 100, 75
			},
			20
		);
		expect(c.perspectives).toEqual(['independent', 'government', 'civil_society']);
		expect(c.comparable).toBe(true);
		expect(c.reason).toBeNull();
		const o1 = c.objectives[0];
		expect(o1).toEqual({
			number: 1,
			scores: { independent: 50, government: 100, civil_society: 0 },
			maxDifference: 100,
			divergent: true,
			pair: ['government', 'civil_society']
		});
		expect(c.principlesOverall).toMatchObject({
			maxDifference: 50,
			divergent: true,
			pair: ['government', 'civil_society']
		});
		expect(c.objectives.map((o) => o.number)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
		expect(c.principles).toHaveLength(10);
		expect(c.divergentItems).toBe(33);
	});

	it('the threshold is strict, and float noise does not cross it (51.3 − 31.3 is 20)', () => {
		const base = scoresFor('partial', 3);
		const a = withObjectiveScore(base, 4, 51.3);
		const b = withObjectiveScore(base, 4, 31.3);
		const c = comparePerspectives({ independent: a, government: b }, 20);
		expect(c.objectives[3]).toMatchObject({ maxDifference: 20, divergent: false });
		const d = comparePerspectives({ independent: withObjectiveScore(base, 4, 51.31), government: b }, 20);
		expect(d.objectives[3]).toMatchObject({
			maxDifference: 20.01,
			divergent: true,
			pair: ['independent', 'government']
		});
		expect(d.divergentItems).toBe(1);
	});

	it('ties between pairs name the first pair in canonical order', () => {
		const c = comparePerspectives(
			{ independent: scoresFor('partial', 3), government: scoresFor('full', 3), civil_society: scoresFor('absent', 3) },
			20
		);
		// independent–government 50, independent–civil_society 50, government–civil_society 100.
		expect(c.objectives[0]?.pair).toEqual(['government', 'civil_society']);
		const tie = comparePerspectives(
			{ independent: scoresFor('partial', 3), government: scoresFor('full', 3), civil_society: scoresFor('full', 3) },
			20
		);
		expect(tie.objectives[0]).toMatchObject({ maxDifference: 50, pair: ['independent', 'government'] });
	});

	it('needs two scores to compare: one perspective or a missing score gives no difference', () => {
		const single = comparePerspectives({ government: scoresFor('full', 4) }, 20);
		expect(single.overall).toEqual({
			scores: { government: expect.any(Number) },
			maxDifference: null,
			divergent: false,
			pair: null
		});
		const missing = comparePerspectives(
			{ independent: withObjectiveScore(scoresFor('full', 4), 2, null), civil_society: scoresFor('absent', 1) },
			20
		);
		expect(missing.objectives[1]).toMatchObject({
			scores: { independent: null, civil_society: 0 },
			maxDifference: null,
			divergent: false
		});
		const none = comparePerspectives({}, 20);
		expect(none).toMatchObject({ perspectives: [], objectives: [], principles: [], divergentItems: 0 });
	});

	it('does not difference perspectives scored with different methodologies', () => {
		const other = buildMethodology({ version: '2.0' });
		const c = comparePerspectives({ independent: scoresFor('full', 4), government: scoresFor('absent', 1, other) }, 20);
		expect(c.comparable).toBe(false);
		expect(c.reason).toContain('independent test-method 1.0');
		expect(c.reason).toContain('government test-method 2.0');
		expect(c.objectives.every((o) => o.maxDifference === null && !o.divergent)).toBe(true);
		expect(c.objectives[0]?.scores).toEqual({ independent: 100, government: 0 });
	});

	it('rejects a negative or non-finite threshold', () => {
		expect(() => comparePerspectives({}, -1)).toThrow(RangeError);
		expect(() => comparePerspectives({}, Number.NaN)).toThrow(RangeError);
	});
});
