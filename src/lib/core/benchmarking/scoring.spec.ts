import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GUIDING_PRINCIPLES, OBJECTIVES, ROUNDTABLES } from '../reference';
import type { ObjectiveNumber, PrincipleKey } from '../reference/types';
import { DomainError } from '../shared/errors';
import { parseMethodology } from './methodology-schema';
import { computeScores, type ScoringInput } from './scoring';
import { roundHalfAwayFromZero } from './statistics';
import {
	answer,
	buildMethodology,
	HOSTILE,
	objectiveRating,
	principleRating,
	RATING_SCALE_11,
	variable
} from './testing/builders';
import type { DeskAnswer, ExpertRating, ItemKey, Methodology } from './types';

const NONE: ScoringInput = { answers: [], ratings: [] };
const objective = (s: ReturnType<typeof computeScores>, n: number) => s.objectives.find((o) => o.number === n)!;
const principle = (s: ReturnType<typeof computeScores>, k: PrincipleKey) => s.principles.find((p) => p.key === k)!;
const flagCodes = (s: ReturnType<typeof computeScores>) => s.flags.map((f) => f.code);

/** Answers `option` to every variable of every objective. */
function answerAll(m: Methodology, option: string): DeskAnswer[] {
	return m.variables.map((v) => answer(v.key, option));
}

/** Three raters giving every item (objectives and principles) the same rating-scale value. */
function rateAll(m: Methodology, value: number, raters = ['E1', 'E2', 'E3']): ExpertRating[] {
	return raters.flatMap((r) => [
		...m.objectives.map((o) => objectiveRating(r, o.number, value)),
		...m.principles.map((p) => principleRating(r, p.key, value))
	]);
}

describe('Chile reproduction (Espacio Público observatory, reconstructed)', () => {
	/**
	 * Desk answers per objective: F = full (100), P = partial (50), A = absent (0), N = not applicable.
	 * Objectives with three variables weight them 34/33/33 (thirds in whole percent); the others have
	 * four or five equally weighted variables. The letters are the input; 51 is what the arithmetic
	 * must produce.
	 */
	const DESK: Record<ObjectiveNumber, string> = {
		1: 'FAP',
		2: 'PFAF',
		3: 'FPFF',
		4: 'APFAN',
		5: 'FAP',
		6: 'AAPA',
		7: 'AAAA',
		8: 'APAA',
		9: 'FPF',
		10: 'AFAP',
		11: 'AAPAN',
		12: 'FAPA',
		13: 'FPP',
		14: 'FAFP',
		15: 'AFAA',
		16: 'PFAF',
		17: 'FPP',
		18: 'FAPF',
		19: 'FFFF',
		20: 'AFFA',
		21: 'FAF',
		22: 'FFAFN',
		23: 'FAAF'
	};
	const LETTER: Record<string, string> = { F: 'full', P: 'partial', A: 'absent', N: 'not_applicable' };

	/** Nine scored principles and their published sub-scores; national sovereignty is not scored. */
	const PUBLISHED_PRINCIPLES: [PrincipleKey, number][] = [
		['people_centred', 36],
		['international_cooperation', 43],
		['rule_of_law_and_due_process', 39],
		['sustainable_development', 41],
		['human_rights', 32],
		['gender_responsive', 27],
		['child_sensitive', 41],
		['whole_of_government', 56],
		['whole_of_society', 43]
	];
	const EXPERTS = Array.from({ length: 10 }, (_, i) => `expert-${i + 1}`);

	/**
	 * Ten experts on a 0–10 scale (score = 10 × value), so a principle's mean score equals the sum of
	 * its ten ratings. The ratings are spread around the target (not all equal) to be realistic.
	 */
	function panelRatings(key: PrincipleKey, targetMean: number): ExpertRating[] {
		const base = Math.floor(targetMean / 10);
		const values = EXPERTS.map((_, i) => base + (i < targetMean - 10 * base ? 1 : 0));
		for (const [up, down, step] of [
			[0, 9, 2],
			[1, 8, 1]
		] as const) {
			if ((values[up] as number) + step <= 10 && (values[down] as number) - step >= 0) {
				values[up] = (values[up] as number) + step;
				values[down] = (values[down] as number) - step;
			}
		}
		return EXPERTS.map((rater, i) => principleRating(rater, key, values[i] as number));
	}

	function chileMethodology(decimals: number): Methodology {
		const variables = OBJECTIVES.flatMap((o) => {
			const pattern = DESK[o.number];
			const thirds = pattern.length === 3;
			return [...pattern].map((_, i) => variable(o.number, i + 1, thirds ? [34, 33, 33][i] : 1));
		});
		return parseMethodology(
			buildMethodology({
				key: 'chile-espacio-publico',
				version: '2023',
				variables,
				ratingScale: RATING_SCALE_11,
				principles: GUIDING_PRINCIPLES.map((p) => ({
					key: p.key,
					scored: p.key !== 'national_sovereignty',
					weight: 1
				})),
				weights: { objectives: 0.7, principles: 0.3 },
				objectiveScoreSource: { kind: 'policy' },
				decimals
			})
		);
	}

	function chileInput(m: Methodology): ScoringInput {
		const answers = m.variables.map((v) => {
			const letter = DESK[v.objective][Number(v.key.split('.')[1]) - 1] as string;
			return answer(v.key, LETTER[letter] as string);
		});
		const ratings = [
			...PUBLISHED_PRINCIPLES.flatMap(([key, mean]) => panelRatings(key, mean)),
			// The panel also discussed national sovereignty; unscored, it must not move any figure.
			...panelRatings('national_sovereignty', 90)
		];
		return { answers, ratings };
	}

	it('objectives 51, principles 39.78 → overall 47.63 (47.6 at one decimal)', () => {
		const m = chileMethodology(2);
		const s = computeScores(m, chileInput(m));

		expect(s.objectivesOverall).toBe(51);
		expect(s.principlesOverall).toBe(39.78);
		expect(s.overall).toBe(47.63);
		expect(roundHalfAwayFromZero(s.overall as number, 1)).toBe(47.6);

		expect(PUBLISHED_PRINCIPLES.map(([key]) => principle(s, key).score)).toEqual(
			PUBLISHED_PRINCIPLES.map(([, v]) => v)
		);
		expect(PUBLISHED_PRINCIPLES.every(([key]) => principle(s, key).expert.n === 10)).toBe(true);
		const sovereignty = principle(s, 'national_sovereignty');
		expect(sovereignty).toMatchObject({ scored: false, score: null });
		expect(sovereignty.expert.mean).toBe(90);

		// Spot checks of single objectives: thirds weighting and an N/A that leaves the denominator.
		expect(objective(s, 1).policy).toBe(50.5); // (34·100 + 33·0 + 33·50)/100
		expect(objective(s, 4)).toMatchObject({ policy: 37.5, applicable: 4, answered: 4, coverage: 1 });
		expect(s.methodology).toEqual({ key: 'chile-espacio-publico', version: '2023' });
		// Desk research only for objectives: no objective was rated, so no expert flag on them.
		expect(s.flags.filter((f) => f.code === 'FEW_EXPERTS')).toEqual([]);
	});

	it('rounds only at the end: a one-decimal methodology gives 39.8 and 47.6, not 0.3·39.8 + 0.7·51 = 47.64', () => {
		const m = chileMethodology(1);
		const s = computeScores(m, chileInput(m));
		expect(s.principlesOverall).toBe(39.8);
		expect(s.objectivesOverall).toBe(51);
		expect(s.overall).toBe(47.6);
	});
});

describe('docs/methodology.md worked example: one objective step by step', () => {
	it('policy 75.0, coverage 66.7 %, experts 56.3 / median 50 / sd 31.5, gap −18.8', () => {
		const m = buildMethodology({ variablesPerObjective: 4, decimals: 1 });
		const s = computeScores(m, {
			answers: [
				answer('O7.1', 'full'),
				answer('O7.2', 'partial'),
				answer('O7.3', 'unknown'),
				answer('O7.4', 'not_applicable')
			],
			ratings: ['E1', 'E2', 'E3', 'E4'].map((r, i) => objectiveRating(r, 7, [2, 3, 3, 5][i] as number))
		});
		expect(objective(s, 7)).toEqual({
			number: 7,
			roundtable: 4,
			scored: true,
			policy: 75,
			coverage: 0.667,
			answered: 2,
			applicable: 3,
			implementation: { n: 4, mean: 56.3, median: 50, sd: 31.5, min: 25, max: 100 },
			gap: -18.8,
			score: 75
		});
		expect(s.flags).toContainEqual({ code: 'LOW_COVERAGE', item: 'O7', coverage: 0.667 });
	});
});

describe('computeScores: policy score and coverage', () => {
	const m = buildMethodology({ variablesPerObjective: 4 });

	it('no answers: policy null, coverage 0, NO_DESK_ANSWERS, no roll-ups', () => {
		const s = computeScores(m, NONE);
		expect(objective(s, 1)).toMatchObject({
			policy: null,
			coverage: 0,
			answered: 0,
			applicable: 4,
			score: null,
			gap: null
		});
		expect(s.objectivesOverall).toBeNull();
		expect(s.principlesOverall).toBeNull();
		expect(s.overall).toBeNull();
		expect(s.alpha).toBeNull();
		expect(s.roundtables.every((r) => r.score === null)).toBe(true);
		expect(s.flags.filter((f) => f.code === 'NO_DESK_ANSWERS')).toHaveLength(23);
		expect(flagCodes(s)).not.toContain('LOW_COVERAGE');
		// No rating at all: nothing to agree on, so no ALPHA_UNDEFINED (FEW_EXPERTS says it).
		expect(flagCodes(s)).not.toContain('ALPHA_UNDEFINED');
		expect(s.flags.filter((f) => f.code === 'FEW_EXPERTS')).toHaveLength(10);
	});

	it('all "not applicable": policy null, coverage 1, and the item leaves the roll-ups (under either rule)', () => {
		const only7 = m.variables.filter((v) => v.objective === 7).map((v) => answer(v.key, 'not_applicable'));
		const others = m.variables.filter((v) => v.objective !== 7).map((v) => answer(v.key, 'full'));
		for (const unscoredItems of ['exclude', 'zero'] as const) {
			const mm = { ...m, missingData: { ...m.missingData, unscoredItems } };
			const s = computeScores(mm, { answers: [...only7, ...others], ratings: [] });
			expect(objective(s, 7)).toMatchObject({ policy: null, coverage: 1, applicable: 0, answered: 0, score: null });
			expect(s.objectivesOverall).toBe(100);
			expect(s.roundtables.find((r) => r.number === 4)?.score).toBe(100);
			expect(s.flags.filter((f) => 'item' in f && f.item === 'O7' && f.code !== 'FEW_EXPERTS')).toEqual([]);
		}
		const allNa = computeScores(m, { answers: answerAll(m, 'not_applicable'), ratings: [] });
		expect(allNa.objectivesOverall).toBeNull();
		expect(allNa.objectives.every((o) => o.coverage === 1 && o.policy === null)).toBe(true);
	});

	it('weighted mean of scored answers; unknown counts against coverage but not in the score', () => {
		const mm = buildMethodology({
			variables: OBJECTIVES.flatMap((o) =>
				o.number === 3
					? [variable(3, 1, 2), variable(3, 2, 1), variable(3, 3, 1), variable(3, 4, 1)]
					: [variable(o.number, 1)]
			)
		});
		const s = computeScores(mm, {
			answers: [
				answer('O3.1', 'full'),
				answer('O3.2', 'partial'),
				answer('O3.3', 'unknown'),
				answer('O3.4', 'not_applicable')
			],
			ratings: []
		});
		// (2·100 + 1·50)/(2 + 1) = 83.33…; coverage = 2 scored / (4 − 1 N/A) = 0.6667.
		expect(objective(s, 3)).toMatchObject({
			policy: 83.33,
			answered: 2,
			applicable: 3,
			coverage: 0.6667,
			score: 83.33
		});
		expect(s.flags).toContainEqual({ code: 'LOW_COVERAGE', item: 'O3', coverage: 0.6667 });
		// Unanswered rows (answer null) are the same as no row.
		const s2 = computeScores(mm, {
			answers: [
				answer('O3.1', 'full'),
				answer('O3.2', 'partial'),
				answer('O3.3', null),
				answer('O3.4', 'not_applicable')
			],
			ratings: []
		});
		expect(objective(s2, 3)).toEqual(objective(s, 3));
	});

	it('coverage exactly at the threshold is not flagged', () => {
		const mm = buildMethodology({ variablesPerObjective: 5 });
		const answers = ['O1.1', 'O1.2', 'O1.3', 'O1.4'].map((k) => answer(k, 'full'));
		const s = computeScores(mm, { answers, ratings: [] });
		expect(objective(s, 1).coverage).toBe(0.8);
		expect(s.flags.some((f) => f.code === 'LOW_COVERAGE' && f.item === 'O1')).toBe(false);
	});

	it('flags disputed answers in variable order', () => {
		const s = computeScores(m, {
			answers: [
				answer('O2.1', 'full', { check: { status: 'disputed', note: HOSTILE.script } }),
				answer('O1.3', 'partial', { check: { status: 'disputed', note: '' } }),
				answer('O1.1', 'partial', { check: { status: 'agreed', note: '' } })
			],
			ratings: []
		});
		expect(s.flags.filter((f) => f.code === 'DISPUTED_ANSWER')).toEqual([
			{ code: 'DISPUTED_ANSWER', variableKey: 'O1.3' },
			{ code: 'DISPUTED_ANSWER', variableKey: 'O2.1' }
		]);
	});
});

describe('computeScores: experts', () => {
	const m = buildMethodology();

	it('one expert: n 1, sd null, FEW_EXPERTS; alpha undefined', () => {
		const s = computeScores(m, { answers: [], ratings: [principleRating('E1', 'human_rights', 4)] });
		expect(principle(s, 'human_rights')).toEqual({
			key: 'human_rights',
			scored: true,
			expert: { n: 1, mean: 75, median: 75, sd: null, min: 75, max: 75 },
			score: 75
		});
		expect(s.flags).toContainEqual({ code: 'FEW_EXPERTS', item: 'human_rights', n: 1 });
		expect(s.alpha).toBeNull();
		expect(flagCodes(s)).toContain('ALPHA_UNDEFINED');
	});

	it('identical ratings everywhere: sd 0, alpha undefined (null, flagged), scores still computed', () => {
		const s = computeScores(m, { answers: answerAll(m, 'partial'), ratings: rateAll(m, 3) });
		expect(s.principles.every((p) => p.expert.sd === 0 && p.score === 50)).toBe(true);
		expect(s.alpha).toBeNull();
		expect(s.flags).toEqual([{ code: 'ALPHA_UNDEFINED' }]);
		expect(s.overall).toBe(50);
	});

	it('ties: an even panel split 2–2 has median halfway and mean equal to it', () => {
		const ratings = ['A', 'B', 'C', 'D'].map((r, i) => principleRating(r, 'child_sensitive', i < 2 ? 2 : 4));
		const s = computeScores(m, { answers: [], ratings });
		expect(principle(s, 'child_sensitive').expert).toMatchObject({ n: 4, mean: 50, median: 50, min: 25, max: 75 });
		expect(principle(s, 'child_sensitive').expert.sd).toBe(roundHalfAwayFromZero(Math.sqrt((4 * 625) / 3), 2));
	});

	it('"cannot rate" (null) is not a data point', () => {
		const ratings = [
			principleRating('E1', 'whole_of_society', 5),
			principleRating('E2', 'whole_of_society', null),
			principleRating('E3', 'whole_of_society', 1)
		];
		const s = computeScores(m, { answers: [], ratings });
		expect(principle(s, 'whole_of_society').expert).toMatchObject({ n: 2, mean: 50 });
	});

	it('implementation statistics and the gap per objective', () => {
		const ratings = ['E1', 'E2', 'E3'].map((r, i) => objectiveRating(r, 5, [2, 2, 3][i] as number));
		const s = computeScores(m, { answers: [answer('O5.1', 'full'), answer('O5.2', 'full')], ratings });
		// implementation mean (25 + 25 + 50)/3 = 33.33; gap = 33.33 − 100 = −66.67 (from full precision).
		expect(objective(s, 5)).toMatchObject({ policy: 100, gap: -66.67, score: 100 });
		expect(objective(s, 5).implementation).toMatchObject({ n: 3, mean: 33.33, median: 25 });
	});

	it('alpha over all rated items, rounded to three decimals', () => {
		// Two items on which three raters agree closely, one on which they disagree.
		const ratings = [
			...['E1', 'E2', 'E3'].map((r) => principleRating(r, 'people_centred', 5)),
			...['E1', 'E2', 'E3'].map((r, i) => principleRating(r, 'human_rights', [1, 1, 2][i] as number)),
			...['E1', 'E2', 'E3'].map((r, i) => objectiveRating(r, 1, [3, 3, 3][i] as number))
		];
		const s = computeScores(m, { answers: [], ratings });
		expect(s.alpha).toBeGreaterThan(0.8);
		expect(s.alpha).toBeLessThan(1);
		expect(Number.isInteger((s.alpha as number) * 1000)).toBe(true);
	});
});

describe('computeScores: headline source, roll-ups and weights', () => {
	it('implementation and blend sources', () => {
		const answers = [answer('O1.1', 'full'), answer('O1.2', 'full')];
		const ratings = ['E1', 'E2', 'E3'].map((r) => objectiveRating(r, 1, 1)); // score 0
		const impl = computeScores(buildMethodology({ objectiveScoreSource: { kind: 'implementation' } }), {
			answers,
			ratings
		});
		expect(objective(impl, 1).score).toBe(0);
		const blend = computeScores(buildMethodology({ objectiveScoreSource: { kind: 'blend', policyWeight: 0.25 } }), {
			answers,
			ratings
		});
		expect(objective(blend, 1).score).toBe(25);
		// A blend with one part missing is missing (it would otherwise silently become the other part).
		expect(objective(blend, 2).score).toBeNull();
		expect(blend.flags).toContainEqual({ code: 'FEW_EXPERTS', item: 'O2', n: 0 });
	});

	it('weights that do not sum to 1 are normalised (0.7/0.3 ≡ 7/3 ≡ 70/30)', () => {
		const base = buildMethodology();
		const input = {
			answers: base.variables.map((v, i) => answer(v.key, i % 3 === 0 ? 'full' : 'partial')),
			ratings: rateAll(base, 2).concat(['E4'].flatMap((r) => base.principles.map((p) => principleRating(r, p.key, 5))))
		};
		const results = [
			{ objectives: 0.7, principles: 0.3 },
			{ objectives: 7, principles: 3 },
			{ objectives: 70, principles: 30 }
		].map((weights) => computeScores({ ...base, weights }, input));
		expect(results[1]).toEqual(results[0]);
		expect(results[2]).toEqual(results[0]);
		// Principles: three raters at 25 and a fourth at 100 on every principle → 43.75.
		expect(results[0]?.principlesOverall).toBe(43.75);
		const o = results[0]?.objectivesOverall as number;
		expect(o).toBeGreaterThan(50);
		expect(results[0]?.overall).toBe(roundHalfAwayFromZero(0.7 * o + 0.3 * 43.75, 2));
	});

	it('item weights are renormalised over items with a score (exclude) or count missing as 0 (zero)', () => {
		const objectives = OBJECTIVES.map((o) => ({ number: o.number, scored: true, weight: o.number === 1 ? 3 : 1 }));
		const answers = [
			answer('O1.1', 'full'),
			answer('O1.2', 'full'),
			answer('O2.1', 'absent'),
			answer('O2.2', 'absent')
		];
		const exclude = computeScores(buildMethodology({ objectives }), { answers, ratings: [] });
		expect(exclude.objectivesOverall).toBe(75); // (3·100 + 1·0)/(3 + 1)
		const zero = computeScores(
			buildMethodology({ objectives, missingData: { minCoverage: 0.8, minExperts: 3, unscoredItems: 'zero' } }),
			{ answers, ratings: [] }
		);
		expect(zero.objectivesOverall).toBe(12); // 300/(3 + 22)
	});

	it('unscored items never enter roll-ups', () => {
		const objectives = OBJECTIVES.map((o) => ({ number: o.number, scored: o.number !== 2, weight: 1 }));
		const m = buildMethodology({ objectives });
		const answers = [answer('O1.1', 'full'), answer('O2.1', 'absent'), answer('O2.2', 'absent')];
		const s = computeScores(m, { answers, ratings: [] });
		expect(objective(s, 2)).toMatchObject({ scored: false, policy: 0, score: null });
		expect(s.objectivesOverall).toBe(100);
		expect(s.roundtables.find((r) => r.number === 1)?.score).toBeNull(); // roundtable 1 = 2, 5, 6, 12, 18
		expect(s.flags.some((f) => 'item' in f && f.item === 'O2')).toBe(false);
	});

	it('overall needs both sides; roundtables follow the reference data', () => {
		const m = buildMethodology();
		const s = computeScores(m, { answers: answerAll(m, 'full'), ratings: [] });
		expect(s.objectivesOverall).toBe(100);
		expect(s.principlesOverall).toBeNull();
		expect(s.overall).toBeNull();
		expect(s.roundtables.map((r) => ({ number: r.number, objectives: r.objectives }))).toEqual(
			ROUNDTABLES.map((r) => ({ number: r.number, objectives: [...r.objectives] }))
		);
		expect(s.objectives.map((o) => o.roundtable)).toEqual(OBJECTIVES.map((o) => o.roundtable));
	});

	it('rounding: half away from zero at the methodology decimals, positive and negative', () => {
		// One variable of weight 1 partial (50) and one of weight 3 full (100): policy 87.5.
		const variables = OBJECTIVES.flatMap((o) => [variable(o.number, 1, 1), variable(o.number, 2, 3)]);
		const m = buildMethodology({ variables, decimals: 0 });
		const ratings = ['E1', 'E2'].map((r, i) => objectiveRating(r, 1, [4, 5][i] as number)); // mean 87.5
		const s = computeScores(m, {
			answers: [answer('O1.1', 'partial'), answer('O1.2', 'full'), answer('O2.1', 'full'), answer('O2.2', 'partial')],
			ratings
		});
		expect(objective(s, 1)).toMatchObject({ policy: 88, gap: 0 });
		expect(objective(s, 1).implementation.mean).toBe(88);
		expect(objective(s, 2).policy).toBe(63); // 62.5 → 63
		const s2 = computeScores(m, {
			answers: [answer('O1.1', 'full'), answer('O1.2', 'partial')], // 62.5
			ratings: ['E1', 'E2'].map((r) => objectiveRating(r, 1, 3)) // 50 → gap −12.5 → −13
		});
		expect(objective(s2, 1).gap).toBe(-13);
	});

	it('output order is deterministic: objectives 1–23, principles in reference order, roundtables 1–4', () => {
		const m = buildMethodology();
		const shuffled = { ...m, objectives: [...m.objectives].reverse(), principles: [...m.principles].reverse() };
		const s = computeScores(shuffled, NONE);
		expect(s.objectives.map((o) => o.number)).toEqual(OBJECTIVES.map((o) => o.number));
		expect(s.principles.map((p) => p.key)).toEqual(GUIDING_PRINCIPLES.map((p) => p.key));
		expect(s.roundtables.map((r) => r.number)).toEqual([1, 2, 3, 4]);
	});
});

describe('computeScores: strict input', () => {
	const m = buildMethodology();
	function fields(input: ScoringInput): string[] {
		try {
			computeScores(m, input);
		} catch (err) {
			expect(err).toBeInstanceOf(DomainError);
			expect((err as DomainError).code).toBe('VALIDATION_FAILED');
			return (err as DomainError).issues.map((i) => i.field);
		}
		throw new Error('expected computeScores to throw');
	}

	it('names unknown variables, answer options, items and scale points, and duplicates', () => {
		expect(
			fields({
				answers: [
					answer('O99.1', 'full'),
					answer('O1.1', 'maybe'),
					answer('O1.2', 'full'),
					answer('O1.2', 'absent'),
					answer(HOSTILE.long, 'full')
				],
				ratings: [
					objectiveRating('E1', 24, 3),
					principleRating('E1', 'sovereignty' as PrincipleKey, 3),
					principleRating('E1', 'human_rights', 6),
					principleRating('E2', 'human_rights', 3),
					principleRating('E2', 'human_rights', 4),
					{ rater: ' ', itemType: 'principle', itemKey: 'human_rights', value: 3, comment: '' },
					{ rater: 'E3', itemType: 'objective', itemKey: 'human_rights' as ItemKey, value: 3, comment: '' }
				]
			})
		).toEqual([
			'answers.0.variableKey',
			'answers.1.answer',
			'answers.3.variableKey',
			'answers.4.variableKey',
			'ratings.0.itemKey',
			'ratings.1.itemKey',
			'ratings.2.value',
			'ratings.4',
			'ratings.5.rater',
			'ratings.6.itemKey'
		]);
	});

	it('keeps hostile keys short in messages', () => {
		try {
			computeScores(m, { answers: [answer(HOSTILE.long, 'full')], ratings: [] });
		} catch (err) {
			expect((err as DomainError).issues[0]?.message.length).toBeLessThan(200);
			return;
		}
		throw new Error('expected computeScores to throw');
	});
});

describe('computeScores: invariants (property)', () => {
	const m = buildMethodology({
		variablesPerObjective: 3,
		missingData: { minCoverage: 0.8, minExperts: 3, unscoredItems: 'exclude' }
	});
	const options = ['absent', 'partial', 'full', 'not_applicable', 'unknown', null] as const;
	const raters = ['E1', 'E2', 'E3', 'E4'];
	const items: { itemType: 'objective' | 'principle'; itemKey: ItemKey }[] = [
		...OBJECTIVES.map((o) => ({ itemType: 'objective' as const, itemKey: `O${o.number}` as ItemKey })),
		...GUIDING_PRINCIPLES.map((p) => ({ itemType: 'principle' as const, itemKey: p.key }))
	];

	const inputArb = fc
		.record({
			answers: fc.array(fc.option(fc.constantFrom(...options), { nil: undefined }), {
				minLength: m.variables.length,
				maxLength: m.variables.length
			}),
			ratings: fc.array(fc.option(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }), { nil: undefined }), {
				minLength: raters.length * items.length,
				maxLength: raters.length * items.length
			}),
			source: fc.constantFrom<Methodology['objectiveScoreSource']>(
				{ kind: 'policy' },
				{ kind: 'implementation' },
				{ kind: 'blend', policyWeight: 0.4 }
			),
			rule: fc.constantFrom<'exclude' | 'zero'>('exclude', 'zero')
		})
		.map(({ answers, ratings, source, rule }) => ({
			methodology: { ...m, objectiveScoreSource: source, missingData: { ...m.missingData, unscoredItems: rule } },
			input: {
				answers: m.variables.flatMap((v, i) => (answers[i] === undefined ? [] : [answer(v.key, answers[i] ?? null)])),
				ratings: raters.flatMap((rater, r) =>
					items.flatMap((item, j) => {
						const value = ratings[r * items.length + j];
						return value === undefined ? [] : [{ rater, ...item, value, comment: '' }];
					})
				)
			}
		}));

	const allScores = (s: ReturnType<typeof computeScores>) => [
		s.overall,
		s.objectivesOverall,
		s.principlesOverall,
		...s.roundtables.map((r) => r.score),
		...s.objectives.flatMap((o) => [
			o.policy,
			o.score,
			o.implementation.mean,
			o.implementation.median,
			o.implementation.min,
			o.implementation.max
		]),
		...s.principles.flatMap((p) => [p.score, p.expert.mean, p.expert.median])
	];

	it('every score stays within 0–100 and coverage within 0–1', () => {
		fc.assert(
			fc.property(inputArb, ({ methodology, input }) => {
				const s = computeScores(methodology, input);
				for (const v of allScores(s)) if (v !== null) expect(v >= 0 && v <= 100).toBe(true);
				for (const o of s.objectives) expect(o.coverage >= 0 && o.coverage <= 1).toBe(true);
				if (s.alpha !== null) expect(s.alpha).toBeLessThanOrEqual(1);
			}),
			{ numRuns: 100 }
		);
	});

	it('adding a "not applicable" answer to an unanswered variable never changes a score (exclude rule)', () => {
		fc.assert(
			fc.property(inputArb, fc.nat(), ({ methodology, input }, pick) => {
				const mm = { ...methodology, missingData: { ...methodology.missingData, unscoredItems: 'exclude' as const } };
				const answered = new Set(input.answers.filter((a) => a.answer !== null).map((a) => a.variableKey));
				const free = mm.variables.filter((v) => !answered.has(v.key));
				fc.pre(free.length > 0);
				const target = free[pick % free.length]!.key;
				const before = computeScores(mm, input);
				const after = computeScores(mm, {
					...input,
					answers: [...input.answers.filter((a) => a.variableKey !== target), answer(target, 'not_applicable')]
				});
				expect(allScores(after)).toEqual(allScores(before));
				expect(after.alpha).toBe(before.alpha);
			}),
			{ numRuns: 100 }
		);
	});

	it('permuting experts (their order and their ids) and answers never changes anything', () => {
		fc.assert(
			fc.property(inputArb, ({ methodology, input }) => {
				const relabel = new Map(raters.map((r, i) => [r, `${HOSTILE.arabic}-${raters.length - i}`]));
				const permuted: ScoringInput = {
					answers: [...input.answers].reverse(),
					ratings: [...input.ratings].reverse().map((r) => ({ ...r, rater: relabel.get(r.rater) as string }))
				};
				expect(computeScores(methodology, permuted)).toEqual(computeScores(methodology, input));
			}),
			{ numRuns: 100 }
		);
	});
});
