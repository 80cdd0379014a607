import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors';
import { computeScores } from './scoring';
import { answer, buildMethodology, principleRating } from './testing/builders';
import { compareEditions } from './trends';
import type { AssessmentScores, Methodology } from './types';

const v1 = buildMethodology({ decimals: 1 });
const v2 = buildMethodology({ version: '2.0', decimals: 1 });

/** The first `full` variables answered full, the rest partial; principles rated `rating` by three raters. */
function edition(methodology: Methodology, full: number, rating: number): AssessmentScores {
	return computeScores(methodology, {
		answers: methodology.variables.map((v, i) => answer(v.key, i < full ? 'full' : 'partial')),
		ratings: ['E1', 'E2', 'E3'].flatMap((r) => methodology.principles.map((p) => principleRating(r, p.key, rating)))
	});
}

describe('compareEditions', () => {
	it('sorts by edition and computes deltas against the previous like-for-like edition', () => {
		const e2022 = edition(v1, 0, 2);
		const e2024 = edition(v1, 9, 3);
		const points = compareEditions([
			{ edition: 2024, scores: e2024 },
			{ edition: 2022, scores: e2022 }
		]);
		expect(points.map((p) => p.edition)).toEqual([2022, 2024]);
		expect(points[0]).toMatchObject({ previousEdition: null, comparable: null, reason: null, deltas: null });
		const second = points[1];
		expect(second).toMatchObject({ previousEdition: 2022, comparable: true, reason: null });
		// Objective 1's two variables were partial (50) in 2022 and full (100) in 2024.
		expect(second?.deltas?.objectives[0]).toEqual({ number: 1, delta: 50 });
		expect(second?.deltas?.objectives[5]).toEqual({ number: 6, delta: 0 });
		expect(second?.deltas?.principlesOverall).toBe(25);
		expect(second?.deltas?.principles).toHaveLength(10);
		expect(second?.deltas?.overall).toBe(Number(((e2024.overall as number) - (e2022.overall as number)).toFixed(6)));
	});

	it('deltas carry no float noise (47.6 − 45.3 = 2.3)', () => {
		const a = { ...edition(v1, 0, 3), overall: 45.3 };
		const b = { ...edition(v1, 0, 3), overall: 47.6 };
		const points = compareEditions([
			{ edition: 2022, scores: a },
			{ edition: 2026, scores: b }
		]);
		expect(points[1]?.deltas?.overall).toBe(2.3);
	});

	it('does not difference editions scored with different methodology versions', () => {
		const points = compareEditions([
			{ edition: 2022, scores: edition(v1, 2, 2) },
			{ edition: 2024, scores: edition(v2, 4, 3) },
			{ edition: 2026, scores: edition(v2, 8, 4) }
		]);
		expect(points[1]).toMatchObject({ comparable: false, deltas: null, previousEdition: 2022 });
		expect(points[1]?.reason).toBe('methodology changed from test-method 1.0 (2022) to test-method 2.0 (2024)');
		// 2026 compares with 2024 (same version).
		expect(points[2]).toMatchObject({ comparable: true, previousEdition: 2024 });
		expect(points[2]?.deltas?.principlesOverall).toBe(25);
		const otherKey = buildMethodology({ key: 'other-method', decimals: 1 });
		expect(
			compareEditions([
				{ edition: 2022, scores: edition(v1, 0, 1) },
				{ edition: 2023, scores: edition(otherKey, 0, 1) }
			])[1]?.comparable
		).toBe(false);
	});

	it('a missing score on either side gives a null delta', () => {
		const a = edition(v1, 0, 3);
		const b = { ...edition(v1, 0, 3), principlesOverall: null, overall: null };
		const points = compareEditions([
			{ edition: 2022, scores: a },
			{ edition: 2024, scores: b }
		]);
		expect(points[1]?.deltas).toMatchObject({ overall: null, principlesOverall: null, objectivesOverall: 0 });
	});

	it('handles no editions and one edition', () => {
		expect(compareEditions([])).toEqual([]);
		expect(compareEditions([{ edition: 2022, scores: edition(v1, 0, 3) }])).toHaveLength(1);
	});

	it('rejects duplicate or non-integer editions', () => {
		const s = edition(v1, 0, 3);
		expect(() =>
			compareEditions([
				{ edition: 2022, scores: s },
				{ edition: 2022, scores: s }
			])
		).toThrow(DomainError);
		expect(() => compareEditions([{ edition: 2022.5, scores: s }])).toThrow(/year/);
	});
});
