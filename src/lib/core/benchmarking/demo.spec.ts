import { describe, expect, it } from 'vitest';
import { COUNTRIES } from '../reference/countries.data';
import { DomainError } from '../shared/errors';
import { DEFAULT_METHODOLOGY } from './default-methodology';
import { buildDemoAssessments, DEMO_COUNTRY, DEMO_EDITIONS, type DemoAssessment } from './demo';
import { computeScores } from './scoring';
import {
	ASSESSMENT_PERSPECTIVES,
	EVIDENCE_TYPES,
	type AssessmentPerspective,
	type AssessmentScores,
	type Methodology
} from './types';
import { HOSTILE } from './testing/builders';

const m = DEFAULT_METHODOLOGY;
const demo = buildDemoAssessments(m);
const find = (edition: number, perspective: AssessmentPerspective): DemoAssessment => {
	const a = demo.find((d) => d.edition === edition && d.perspective === perspective);
	if (!a) throw new Error(`no demo assessment ${edition} ${perspective}`);
	return a;
};
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const answerValue = new Map(m.answerScale.map((a) => [a.key, a.value]));
/** Mean value of the scored desk answers of an assessment. */
const meanAnswer = (a: DemoAssessment) =>
	mean(
		a.answers.flatMap((x) => {
			const value = x.answer === null ? undefined : answerValue.get(x.answer);
			return typeof value === 'number' ? [value] : [];
		})
	);

describe('DEMO_COUNTRY', () => {
	it('is Demoland, labelled fictional in English and Spanish', () => {
		expect(DEMO_COUNTRY).toEqual({
			iso3: 'XDM',
			name: { en: 'Demoland (fictional)', es: 'Demolandia (ficticio)' },
			fictional: true
		});
	});

	it('uses a user-assigned code that no real country or area has', () => {
		expect(DEMO_COUNTRY.iso3).toMatch(/^X[A-Z]{2}$/);
		expect(COUNTRIES.some((c) => c.iso3 === DEMO_COUNTRY.iso3)).toBe(false);
	});
});

describe('buildDemoAssessments', () => {
	it('is deterministic: two calls give equal data', () => {
		expect(buildDemoAssessments(m)).toEqual(demo);
		expect(JSON.stringify(buildDemoAssessments(m))).toBe(JSON.stringify(demo));
	});

	it('builds editions 2022 and 2026 × the three perspectives, all about the fictional country', () => {
		expect(demo.map((d) => `${d.edition}/${d.perspective}`)).toEqual(
			DEMO_EDITIONS.flatMap((e) => ASSESSMENT_PERSPECTIVES.map((p) => `${e}/${p}`))
		);
		expect(DEMO_EDITIONS).toEqual([2022, 2026]);
		for (const d of demo) {
			expect(d.country).toBe('XDM');
			expect(d.title).toContain('(fictional)');
			expect(d.summary).toMatch(/fictional country/);
		}
	});

	it('answers every variable of the methodology exactly once, with valid options', () => {
		const keys = m.variables.map((v) => v.key);
		const options = new Set(m.answerScale.map((a) => a.key));
		for (const d of demo) {
			expect(d.answers.map((a) => a.variableKey)).toEqual(keys);
			for (const a of d.answers) expect(options.has(a.answer ?? ''), `${a.variableKey}: ${a.answer}`).toBe(true);
		}
	});

	it('cites only fictional evidence with example.org URLs and valid types and dates', () => {
		let count = 0;
		for (const d of demo) {
			for (const a of d.answers) {
				for (const e of a.evidence) {
					count++;
					expect(e.title).toContain('(fictional)');
					expect(e.issuingBody).toContain('(fictional)');
					expect(e.url).toMatch(/^https:\/\/example\.org\/demoland\//);
					expect(EVIDENCE_TYPES).toContain(e.type);
					expect(e.date).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
					expect(Number(e.date.slice(0, 4))).toBeLessThan(d.edition);
					expect(e.excerpt).toMatch(/fictional/i);
				}
				// A scored answer above "absent" always cites something; N/A, unknown and absent cite nothing.
				const hasEvidence = a.evidence.length > 0;
				expect(hasEvidence, a.variableKey).toBe(a.answer === 'partial' || a.answer === 'full');
			}
		}
		expect(count).toBeGreaterThan(300);
	});

	it('has some N/A (the same variables everywhere), a few unknown, and exactly one disputed check each', () => {
		const naOf = (d: DemoAssessment) =>
			d.answers.filter((a) => a.answer === 'not_applicable').map((a) => a.variableKey);
		const na = naOf(find(2022, 'independent'));
		expect(na.length).toBeGreaterThanOrEqual(1);
		expect(na.length).toBeLessThanOrEqual(5);
		for (const d of demo) {
			expect(naOf(d)).toEqual(na);
			const disputed = d.answers.filter((a) => a.check?.status === 'disputed');
			expect(disputed).toHaveLength(1);
			expect(['absent', 'partial', 'full']).toContain(disputed[0]?.answer);
			expect(d.answers.some((a) => a.check?.status === 'agreed')).toBe(true);
		}
		for (const p of ['independent', 'civil_society'] as const) {
			for (const e of DEMO_EDITIONS) {
				const unknown = find(e, p).answers.filter((a) => a.answer === 'unknown').length;
				expect(unknown, `${e} ${p}`).toBeGreaterThanOrEqual(1);
				expect(unknown, `${e} ${p}`).toBeLessThanOrEqual(10);
			}
		}
	});

	it('has 3–5 fictional experts (E1…) rating every scored objective and principle once, never national sovereignty', () => {
		const items = [
			...m.objectives.filter((o) => o.scored).map((o) => `objective:O${o.number}`),
			...m.principles.filter((p) => p.scored).map((p) => `principle:${p.key}`)
		];
		const values = new Set(m.ratingScale.map((r) => r.value));
		for (const d of demo) {
			expect(d.experts.length).toBeGreaterThanOrEqual(3);
			expect(d.experts.length).toBeLessThanOrEqual(5);
			expect(d.experts.map((e) => e.rater)).toEqual(d.experts.map((_, i) => `E${i + 1}`));
			for (const e of d.experts) expect(e.displayName).toMatch(/\((fictional|ficticia)\)$/);
			for (const e of d.experts) {
				const rated = d.ratings.filter((r) => r.rater === e.rater).map((r) => `${r.itemType}:${r.itemKey}`);
				expect(rated).toEqual(items);
			}
			expect(d.ratings).toHaveLength(items.length * d.experts.length);
			for (const r of d.ratings) expect(r.value === null || values.has(r.value)).toBe(true);
			expect(d.ratings.some((r) => r.itemKey === 'national_sovereignty')).toBe(false);
			const nulls = d.ratings.filter((r) => r.value === null).length;
			expect(nulls, `${d.edition} ${d.perspective}`).toBeGreaterThanOrEqual(1);
			expect(nulls / d.ratings.length).toBeLessThan(0.1);
		}
	});

	it('scores cleanly with the scoring core, and the government view is rosier than the shadow review', () => {
		for (const e of DEMO_EDITIONS) {
			const [independent, government, shadow] = (['independent', 'government', 'civil_society'] as const).map((p) => {
				const d = find(e, p);
				return computeScores(m, { answers: d.answers, ratings: d.ratings });
			}) as [AssessmentScores, AssessmentScores, AssessmentScores];
			for (const s of [independent, government, shadow]) expect(s.overall, `${e}`).not.toBeNull();
			expect(government.overall ?? 0).toBeGreaterThan(independent.overall ?? 0);
			expect(independent.overall ?? 0).toBeGreaterThan(shadow.overall ?? 0);
			// Divergence shows: several objectives differ by more than the threshold.
			const diverging = government.objectives.filter((o) => {
				const other = shadow.objectives.find((x) => x.number === o.number)?.score ?? null;
				return o.score !== null && other !== null && Math.abs(o.score - other) > m.divergenceThreshold;
			});
			expect(diverging.length, `${e}`).toBeGreaterThanOrEqual(3);
		}
		expect(meanAnswer(find(2022, 'government'))).toBeGreaterThan(meanAnswer(find(2022, 'civil_society')));
	});

	it('shows progress from 2022 to 2026 in the independent assessment', () => {
		expect(meanAnswer(find(2026, 'independent'))).toBeGreaterThan(meanAnswer(find(2022, 'independent')));
	});

	it('follows the methodology it is given, including hostile question text and extra variables', () => {
		const extra: Methodology = {
			...m,
			version: '1.1-draft.1',
			variables: [
				...m.variables,
				{
					key: 'O7.9',
					objective: 7,
					question: { en: `${HOSTILE.script} ${HOSTILE.arabic}?`, ar: HOSTILE.arabic },
					guidance: { en: HOSTILE.long },
					gcmParagraph: '23',
					weight: 1
				}
			]
		};
		const built = buildDemoAssessments(extra);
		for (const d of built) {
			expect(d.answers.at(-1)?.variableKey).toBe('O7.9');
			expect(d.summary).toContain('1.1-draft.1');
			computeScores(extra, { answers: d.answers, ratings: d.ratings });
		}
	});

	it('works without N/A and unknown options (every answer scored)', () => {
		const scoredOnly = { ...m, answerScale: m.answerScale.filter((a) => a.kind === 'scored') };
		for (const d of buildDemoAssessments(scoredOnly)) {
			expect(d.answers.every((a) => ['absent', 'partial', 'full'].includes(a.answer ?? ''))).toBe(true);
		}
	});

	it('refuses a methodology with no scored answer option or no rating scale, naming the field', () => {
		const noScored = { ...m, answerScale: m.answerScale.filter((a) => a.kind !== 'scored') };
		expect(() => buildDemoAssessments(noScored)).toThrow(DomainError);
		try {
			buildDemoAssessments({ ...noScored, ratingScale: [] });
		} catch (err) {
			expect(err).toBeInstanceOf(DomainError);
			expect((err as DomainError).code).toBe('VALIDATION_FAILED');
			expect((err as DomainError).issues.map((i) => i.field)).toEqual(['answerScale', 'ratingScale']);
			return;
		}
		throw new Error('expected a DomainError');
	});
});
