import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors';
import { methodologyFingerprint, methodologySchema, parseMethodology } from './methodology-schema';
import { buildMethodology, HOSTILE, text, variable } from './testing/builders';
import type { Methodology } from './types';

/** The field paths of the issues parseMethodology reports (fails the test if it does not throw). */
function issueFields(input: unknown): string[] {
	try {
		parseMethodology(input);
	} catch (err) {
		expect(err).toBeInstanceOf(DomainError);
		expect((err as DomainError).code).toBe('VALIDATION_FAILED');
		return (err as DomainError).issues.map((i) => i.field);
	}
	throw new Error('expected parseMethodology to throw');
}

function issueMessages(input: unknown): string[] {
	try {
		parseMethodology(input);
	} catch (err) {
		return (err as DomainError).issues.map((i) => `${i.field}: ${i.message}`);
	}
	throw new Error('expected parseMethodology to throw');
}

describe('parseMethodology: shape', () => {
	it('accepts a valid methodology with hostile text and returns it unchanged', () => {
		const m = buildMethodology();
		expect(m.title.en).toContain(HOSTILE.script);
		expect(parseMethodology(m)).toEqual(m);
		expect(methodologySchema.safeParse(m).success).toBe(true);
	});

	it('is strict: unknown fields are rejected with their path', () => {
		expect(issueFields({ ...buildMethodology(), extra: 1 })).toEqual(['methodology']);
		const m = buildMethodology();
		const objectives = m.objectives.map((o, i) => (i === 4 ? { ...o, colour: 'red' } : o));
		expect(issueFields({ ...m, objectives })).toEqual(['objectives.4']);
	});

	it('rejects non-objects and missing fields', () => {
		expect(issueFields(null)).toEqual(['methodology']);
		const { weights: _weights, ...rest } = buildMethodology();
		expect(issueFields(rest)).toContain('weights');
	});

	it('requires English text and rejects control characters', () => {
		const m = buildMethodology();
		expect(issueFields({ ...m, title: { es: 'Metodología' } })).toContain('title.en');
		expect(issueFields({ ...m, title: { en: '  ' } })).toContain('title.en');
		expect(issueFields({ ...m, summary: { en: 'a\u0000b' } })).toContain('summary.en');
	});

	it('validates key and version formats', () => {
		const m = buildMethodology();
		expect(issueFields({ ...m, key: 'Chile Method' })).toEqual(['key']);
		expect(issueFields({ ...m, version: 'v1' })).toEqual(['version']);
		expect(parseMethodology({ ...m, version: '2.1.0-draft.1' }).version).toBe('2.1.0-draft.1');
	});

	it('rejects weights ≤ 0 and thresholds out of range', () => {
		const m = buildMethodology();
		expect(issueFields({ ...m, weights: { objectives: 0, principles: 0.3 } })).toEqual(['weights.objectives']);
		expect(issueFields({ ...m, weights: { objectives: 0.7, principles: -1 } })).toEqual(['weights.principles']);
		expect(issueFields({ ...m, missingData: { ...m.missingData, minCoverage: 1.5 } })).toEqual([
			'missingData.minCoverage'
		]);
		expect(issueFields({ ...m, missingData: { ...m.missingData, minExperts: 0 } })).toEqual(['missingData.minExperts']);
		expect(issueFields({ ...m, divergenceThreshold: 0 })).toEqual(['divergenceThreshold']);
		expect(issueFields({ ...m, divergenceThreshold: 101 })).toEqual(['divergenceThreshold']);
		expect(issueFields({ ...m, decimals: 7 })).toEqual(['decimals']);
		expect(issueFields({ ...m, objectiveScoreSource: { kind: 'blend', policyWeight: 1 } })).toEqual([
			'objectiveScoreSource.policyWeight'
		]);
		const variables = m.variables.map((v, i) => (i === 0 ? { ...v, weight: 0 } : v));
		expect(issueFields({ ...m, variables })).toEqual(['variables.0.weight']);
	});
});

describe('parseMethodology: consistency', () => {
	it('needs exactly the 23 objectives once each', () => {
		const m = buildMethodology();
		expect(issueMessages({ ...m, objectives: m.objectives.slice(1) })).toContain('objectives: objective 1 is missing');
		const dup = [...m.objectives, { number: 7, scored: true, weight: 1 }];
		expect(issueFields({ ...m, objectives: dup })).toEqual(['objectives.23.number']);
		expect(issueFields({ ...m, objectives: [...m.objectives, { number: 24, scored: true, weight: 1 }] })).toEqual([
			'objectives.23.number'
		]);
	});

	it('needs exactly the 10 guiding principles once each', () => {
		const m = buildMethodology();
		const missing = m.principles.filter((p) => p.key !== 'national_sovereignty');
		expect(issueMessages({ ...m, principles: missing })).toEqual([
			'principles: principle national_sovereignty is missing'
		]);
		expect(issueFields({ ...m, principles: [...m.principles, m.principles[0]] })).toEqual(['principles.10.key']);
		expect(
			issueFields({ ...m, principles: [...m.principles, { key: 'sovereignty', scored: true, weight: 1 }] })
		).toEqual(['principles.10.key']);
	});

	it('needs at least one scored objective and one scored principle', () => {
		const m = buildMethodology();
		expect(issueFields({ ...m, principles: m.principles.map((p) => ({ ...p, scored: false })) })).toEqual([
			'principles'
		]);
		expect(
			issueFields({
				...m,
				objectiveScoreSource: { kind: 'implementation' },
				objectives: m.objectives.map((o) => ({ ...o, scored: false }))
			})
		).toEqual(['objectives']);
	});

	it('checks variable keys: format, uniqueness and agreement with the objective', () => {
		const m = buildMethodology();
		const withVariables = (variables: Methodology['variables']) => ({ ...m, variables });
		expect(issueFields(withVariables([...m.variables, variable(3, 1)]))).toEqual([
			`variables.${m.variables.length}.key`
		]);
		expect(issueFields(withVariables([...m.variables, { ...variable(3, 9), objective: 4 }]))).toEqual([
			`variables.${m.variables.length}.objective`
		]);
		for (const bad of ['O24.1', 'O0.1', 'O7', 'O7.0', 'O07.1', 'o7.1', `O7.1${HOSTILE.script}`]) {
			expect(issueFields(withVariables([...m.variables, { ...variable(7, 9), key: bad }]))).toEqual([
				`variables.${m.variables.length}.key`
			]);
		}
	});

	it('a scored objective needs a variable when its score uses desk research', () => {
		const m = buildMethodology();
		const variables = m.variables.filter((v) => v.objective !== 9);
		expect(issueMessages({ ...m, variables })).toEqual([
			'objectives.8: objective 9 is scored from desk research but has no variables'
		]);
		// Unscored, or scored from the expert panel only: fine.
		const objectives = m.objectives.map((o) => (o.number === 9 ? { ...o, scored: false } : o));
		expect(parseMethodology({ ...m, variables, objectives }).variables).toHaveLength(variables.length);
		expect(parseMethodology({ ...m, variables, objectiveScoreSource: { kind: 'implementation' } })).toBeTruthy();
	});

	it('checks the answer scale: unique keys, one N/A, one unknown, values 0–100 on scored options only', () => {
		const m = buildMethodology();
		const scale = m.answerScale;
		expect(issueFields({ ...m, answerScale: [...scale, { ...scale[3], key: 'na2' }] })).toEqual(['answerScale']);
		expect(issueMessages({ ...m, answerScale: scale.filter((a) => a.kind !== 'unknown') })).toEqual([
			'answerScale: needs exactly one unknown option, found 0'
		]);
		expect(issueFields({ ...m, answerScale: [...scale, { ...scale[0], value: 10 }] })).toEqual(['answerScale.5.key']);
		expect(issueFields({ ...m, answerScale: scale.map((a, i) => (i === 2 ? { ...a, value: 101 } : a)) })).toEqual([
			'answerScale.2.value'
		]);
		expect(issueFields({ ...m, answerScale: scale.map((a, i) => (i === 2 ? { ...a, value: null } : a)) })).toEqual([
			'answerScale.2.value'
		]);
		expect(issueFields({ ...m, answerScale: scale.map((a, i) => (i === 3 ? { ...a, value: 0 } : a)) })).toEqual([
			'answerScale.3.value'
		]);
		expect(
			issueMessages({
				...m,
				answerScale: [
					{ key: 'na', kind: 'not_applicable', value: null, label: text('N/A') },
					{ key: 'dk', kind: 'unknown', value: null, label: text('?') },
					{ key: 'other', kind: 'unknown', value: null, label: text('?') }
				]
			})
		).toEqual([
			'answerScale: needs exactly one unknown option, found 2',
			'answerScale: needs at least one scored option'
		]);
	});

	it('checks the rating scale: unique integer values, scores 0–100', () => {
		const m = buildMethodology();
		const scale = m.ratingScale;
		expect(issueFields({ ...m, ratingScale: [...scale, { ...scale[0] }] })).toEqual(['ratingScale.5.value']);
		expect(issueFields({ ...m, ratingScale: scale.map((r, i) => (i === 1 ? { ...r, value: 1.5 } : r)) })).toEqual([
			'ratingScale.1.value'
		]);
		expect(issueFields({ ...m, ratingScale: scale.map((r, i) => (i === 1 ? { ...r, score: -5 } : r)) })).toEqual([
			'ratingScale.1.score'
		]);
	});

	it('reports every consistency problem at once', () => {
		const m = buildMethodology();
		const fields = issueFields({
			...m,
			objectives: m.objectives.slice(0, 22),
			ratingScale: [...m.ratingScale, m.ratingScale[0]]
		});
		expect(fields).toEqual(['objectives', 'ratingScale.5.value']);
	});
});

describe('methodologyFingerprint', () => {
	it('is stable under reordering and text edits, and changes with the arithmetic', () => {
		const m = buildMethodology();
		const fp = methodologyFingerprint(m);
		expect(fp).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
		const reordered: Methodology = {
			...m,
			objectives: [...m.objectives].reverse(),
			principles: [...m.principles].reverse(),
			variables: [...m.variables].reverse(),
			answerScale: [...m.answerScale].reverse(),
			ratingScale: [...m.ratingScale].reverse(),
			title: text(HOSTILE.long),
			status: 'published'
		};
		expect(methodologyFingerprint(reordered)).toBe(fp);
		expect(methodologyFingerprint({ ...m, weights: { objectives: 0.6, principles: 0.4 } })).not.toBe(fp);
		expect(methodologyFingerprint({ ...m, version: '1.1' })).not.toBe(fp);
		const reweighted = m.variables.map((v, i) => (i === 0 ? { ...v, weight: 2 } : v));
		expect(methodologyFingerprint({ ...m, variables: reweighted })).not.toBe(fp);
	});
});
