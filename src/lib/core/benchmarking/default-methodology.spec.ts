import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GUIDING_PRINCIPLES, OBJECTIVES } from '../reference/gcm.data';
import { DEFAULT_ANSWER_SCALE, DEFAULT_METHODOLOGY, DEFAULT_RATING_SCALE } from './default-methodology';
import { parseMethodology } from './methodology-schema';
import { computeScores } from './scoring';
import type { DeskAnswer, ExpertRating } from './types';
import { VARIABLE_BANK } from './variable-bank';

const m = DEFAULT_METHODOLOGY;

/** The questions weighted 2, each justified in data/methodology/README.md ("Weights"). */
const WEIGHT_TWO = ['O1.1', 'O5.1', 'O6.1', 'O13.1', 'O15.1', 'O22.2'];

describe('DEFAULT_METHODOLOGY', () => {
	it('is a valid methodology (parseMethodology accepts it unchanged)', () => {
		expect(parseMethodology(m)).toEqual(m);
	});

	it('is gcm-benchmark 1.0, published, titled and summarised in English and Spanish', () => {
		expect(m.key).toBe('gcm-benchmark');
		expect(m.version).toBe('1.0');
		expect(m.status).toBe('published');
		for (const t of [m.title, m.summary]) {
			expect(t.en.trim()).not.toBe('');
			expect(t.es?.trim()).toBeTruthy();
		}
	});

	it('follows the Chile method: 0.7 objectives + 0.3 principles, policy headline, missing-data rules', () => {
		expect(m.weights).toEqual({ objectives: 0.7, principles: 0.3 });
		expect(m.objectiveScoreSource).toEqual({ kind: 'policy' });
		expect(m.missingData).toEqual({ minCoverage: 0.8, minExperts: 3, unscoredItems: 'exclude' });
		expect(m.divergenceThreshold).toBe(20);
		expect(m.decimals).toBe(1);
	});

	it('scores all 23 objectives with weight 1', () => {
		expect(m.objectives.map((o) => o.number)).toEqual(OBJECTIVES.map((o) => o.number));
		expect(m.objectives.every((o) => o.scored && o.weight === 1)).toBe(true);
	});

	it('lists all 10 guiding principles and leaves only national sovereignty unscored', () => {
		expect(m.principles.map((p) => p.key)).toEqual(GUIDING_PRINCIPLES.map((p) => p.key));
		expect(m.principles.filter((p) => !p.scored).map((p) => p.key)).toEqual(['national_sovereignty']);
		expect(m.principles.every((p) => p.weight === 1)).toBe(true);
	});

	it('has the answer scale absent 0 / partial 50 / full 100 plus not applicable and unknown, labelled en + es', () => {
		expect(m.answerScale).toBe(DEFAULT_ANSWER_SCALE);
		expect(m.answerScale.map((a) => [a.key, a.kind, a.value])).toEqual([
			['absent', 'scored', 0],
			['partial', 'scored', 50],
			['full', 'scored', 100],
			['not_applicable', 'not_applicable', null],
			['unknown', 'unknown', null]
		]);
		for (const a of m.answerScale) {
			expect(a.label.es).toBeTruthy();
			expect(a.description?.en).toBeTruthy();
			expect(a.description?.es).toBeTruthy();
		}
	});

	it('has the expert rating scale 1–5 mapped to 0/25/50/75/100, labelled en + es', () => {
		expect(m.ratingScale).toBe(DEFAULT_RATING_SCALE);
		expect(m.ratingScale.map((r) => [r.value, r.score, r.label.en])).toEqual([
			[1, 0, 'Not implemented'],
			[2, 25, 'Minimal'],
			[3, 50, 'Partial'],
			[4, 75, 'Substantial'],
			[5, 100, 'Full']
		]);
		expect(m.ratingScale.every((r) => Boolean(r.label.es))).toBe(true);
	});

	it('is deeply frozen: a published methodology cannot be edited in memory', () => {
		expect(Object.isFrozen(m)).toBe(true);
		expect(Object.isFrozen(m.variables)).toBe(true);
		expect(Object.isFrozen(m.variables[0]?.question)).toBe(true);
		expect(() => {
			(m.weights as { objectives: number }).objectives = 1;
		}).toThrow(TypeError);
		expect(() => (m.variables as unknown[]).push({})).toThrow(TypeError);
	});
});

describe('variable bank', () => {
	it('is the methodology’s variable list, about 90 questions', () => {
		expect(m.variables).toBe(VARIABLE_BANK);
		expect(VARIABLE_BANK.length).toBeGreaterThanOrEqual(85);
		expect(VARIABLE_BANK.length).toBeLessThanOrEqual(100);
	});

	it('has 3–5 questions for every objective, keyed O<n>.1 … O<n>.k in order', () => {
		for (const o of OBJECTIVES) {
			const keys = VARIABLE_BANK.filter((v) => v.objective === o.number).map((v) => v.key);
			expect(keys.length, `objective ${o.number}`).toBeGreaterThanOrEqual(3);
			expect(keys.length, `objective ${o.number}`).toBeLessThanOrEqual(5);
			expect(keys).toEqual(keys.map((_, i) => `O${o.number}.${i + 1}`));
		}
		expect(new Set(VARIABLE_BANK.map((v) => v.key)).size).toBe(VARIABLE_BANK.length);
	});

	it('cites the objective’s own paragraph of A/RES/73/195 (n + 16), with an optional lettered action', () => {
		for (const v of VARIABLE_BANK) {
			const match = /^(\d{2})(?:\(([a-z])\))?$/.exec(v.gcmParagraph);
			expect(match, `${v.key}: ${v.gcmParagraph}`).not.toBeNull();
			expect(Number(match?.[1]), v.key).toBe(v.objective + 16);
			expect(Number(match?.[1]), v.key).toBe(OBJECTIVES.find((o) => o.number === v.objective)?.gcmParagraph);
		}
	});

	it('asks each question in English and Spanish, once, as a question', () => {
		const seen = new Set<string>();
		for (const v of VARIABLE_BANK) {
			expect(v.question.en, v.key).toMatch(/^[A-Z¿].*\?$/);
			expect(v.question.es, v.key).toMatch(/^¿.*\?$/);
			expect(seen.has(v.question.en), `duplicate question ${v.key}`).toBe(false);
			seen.add(v.question.en);
		}
	});

	it('gives plain-language guidance for full, partial and absent, and where to look', () => {
		for (const v of VARIABLE_BANK) {
			const lines = v.guidance.en.split('\n');
			expect(lines[0], v.key).toMatch(/^Full: \S/);
			expect(lines[1], v.key).toMatch(/^Partial: \S/);
			expect(lines[2], v.key).toMatch(/^Absent: \S/);
			expect(lines.at(-1), v.key).toMatch(/^Where to look: \S/);
			expect(lines.length, v.key).toBeLessThanOrEqual(5);
		}
	});

	it('weights questions 1, and 2 only for the documented central questions', () => {
		expect(VARIABLE_BANK.filter((v) => v.weight === 2).map((v) => v.key)).toEqual(WEIGHT_TWO);
		expect(VARIABLE_BANK.every((v) => v.weight === 1 || v.weight === 2)).toBe(true);
		// At most one central question per objective.
		const objectives = WEIGHT_TWO.map((k) => k.split('.')[0]);
		expect(new Set(objectives).size).toBe(objectives.length);
	});
});

describe('public JSON artefact data/methodology/gcm-benchmark-1.0.json', () => {
	it('equals the module (regenerate with npx tsx scripts/export-methodology.ts)', () => {
		const path = fileURLToPath(new URL('../../../../data/methodology/gcm-benchmark-1.0.json', import.meta.url));
		expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(m);
	});
});

describe('Chile arithmetic with the default methodology', () => {
	const raters = ['E1', 'E2', 'E3'];
	const answerAll = (option: (key: string) => string): DeskAnswer[] =>
		m.variables.map((v) => ({ variableKey: v.key, answer: option(v.key), note: '', evidence: [] }));
	const rateAll = (objectiveValue: number, principleValue: number): ExpertRating[] =>
		raters.flatMap((rater) => [
			...m.objectives.map((o) => ({
				rater,
				itemType: 'objective' as const,
				itemKey: `O${o.number}` as const,
				value: objectiveValue,
				comment: ''
			})),
			...m.principles
				.filter((p) => p.scored)
				.map((p) => ({ rater, itemType: 'principle' as const, itemKey: p.key, value: principleValue, comment: '' }))
		]);

	it('overall = 0.70 × objectives (desk policy scores) + 0.30 × principles (expert panel)', () => {
		// Every question "partial" → each objective 50; experts rate objectives 1 (0) and principles 5 (100).
		const scores = computeScores(m, { answers: answerAll(() => 'partial'), ratings: rateAll(1, 5) });
		expect(scores.objectivesOverall).toBe(50);
		expect(scores.principlesOverall).toBe(100);
		expect(scores.overall).toBe(65);
		// The headline objective score is the policy score; implementation is shown beside it with the gap.
		for (const o of scores.objectives) {
			expect(o.score).toBe(50);
			expect(o.implementation.mean).toBe(0);
			expect(o.gap).toBe(-50);
		}
		expect(scores.principles.find((p) => p.key === 'national_sovereignty')).toMatchObject({
			scored: false,
			score: null
		});
	});

	it('weights central questions twice within their objective', () => {
		// O1.1 (weight 2) full, the other four O1 questions absent: (2 × 100) / (2 + 4) = 33.3.
		const scores = computeScores(m, {
			answers: answerAll((key) => (key === 'O1.1' ? 'full' : 'absent')),
			ratings: rateAll(3, 3)
		});
		expect(scores.objectives.find((o) => o.number === 1)?.policy).toBe(33.3);
	});

	it('leaves not-applicable questions out and renormalises over the rest', () => {
		const answers = answerAll((key) => (key.startsWith('O2.') ? 'full' : 'partial')).map((a) =>
			a.variableKey === 'O2.1' ? { ...a, answer: 'not_applicable' } : a
		);
		const o2 = computeScores(m, { answers, ratings: rateAll(3, 3) }).objectives[1];
		expect(o2).toMatchObject({ policy: 100, applicable: 3, answered: 3, coverage: 1 });
	});
});
