/**
 * Test builders for the benchmarking core (unit tests only). Small methodologies with sensible
 * defaults and hostile text (markup, Arabic, CJK, very long strings) so escaping bugs surface.
 */
import { GUIDING_PRINCIPLES, OBJECTIVES } from '../../reference';
import type { ObjectiveNumber, PrincipleKey } from '../../reference/types';
import type { DeskAnswer, ExpertRating, ItemKey, Methodology, Translatable, Variable } from '../types';

export const HOSTILE = {
	script: '<script>alert("x")</script>',
	arabic: 'الهجرة الآمنة والمنظمة والنظامية',
	cjk: '安全、有序和正常移民全球契约',
	long: 'Ω'.repeat(250)
} as const;

export const text = (en: string): Translatable => ({ en, ar: HOSTILE.arabic, zh: HOSTILE.cjk });

/** Answer scale of the default examples: absent 0 / partial 50 / full 100, plus N/A and unknown (IOM MGI, MIPEX). */
export const ANSWER_SCALE: Methodology['answerScale'] = [
	{ key: 'absent', kind: 'scored', value: 0, label: text('Absent') },
	{ key: 'partial', kind: 'scored', value: 50, label: text('Partially in place') },
	{ key: 'full', kind: 'scored', value: 100, label: text(`Fully in place ${HOSTILE.script}`) },
	{ key: 'not_applicable', kind: 'not_applicable', value: null, label: text('Not applicable') },
	{ key: 'unknown', kind: 'unknown', value: null, label: text('Unknown') }
];

/** A five-point rating scale 1–5 → 0, 25, 50, 75, 100. */
export const RATING_SCALE_5: Methodology['ratingScale'] = [1, 2, 3, 4, 5].map((value) => ({
	value,
	score: (value - 1) * 25,
	label: text(`Level ${value}`)
}));

/** An eleven-point scale 0–10 → 0, 10, …, 100. */
export const RATING_SCALE_11: Methodology['ratingScale'] = Array.from({ length: 11 }, (_, value) => ({
	value,
	score: value * 10,
	label: text(`${value}/10`)
}));

export function variable(objective: ObjectiveNumber, k: number, weight = 1): Variable {
	return {
		key: `O${objective}.${k}`,
		objective,
		question: text(`Does the law provide for objective ${objective}, commitment ${k}? ${HOSTILE.script}`),
		guidance: text(`Evidence: a law or regulation in force. ${HOSTILE.long}`),
		gcmParagraph: `${16 + objective}(${String.fromCharCode(96 + Math.min(k, 26))})`,
		weight
	};
}

export interface MethodologyOptions extends Partial<Methodology> {
	/** Variables per objective with weight 1 (ignored when `variables` is given). Default 2. */
	variablesPerObjective?: number;
}

/** A valid methodology: 23 objectives and 10 principles, all scored with weight 1 unless overridden. */
export function buildMethodology(options: MethodologyOptions = {}): Methodology {
	const { variablesPerObjective = 2, ...overrides } = options;
	const variables =
		overrides.variables ??
		OBJECTIVES.flatMap((o) => Array.from({ length: variablesPerObjective }, (_, i) => variable(o.number, i + 1)));
	return {
		key: 'test-method',
		version: '1.0',
		status: 'draft',
		title: text(`Test methodology ${HOSTILE.script}`),
		summary: text(`Summary ${HOSTILE.long}`),
		objectives: OBJECTIVES.map((o) => ({ number: o.number, scored: true, weight: 1 })),
		principles: GUIDING_PRINCIPLES.map((p) => ({ key: p.key, scored: true, weight: 1 })),
		answerScale: ANSWER_SCALE,
		ratingScale: RATING_SCALE_5,
		weights: { objectives: 0.7, principles: 0.3 },
		objectiveScoreSource: { kind: 'policy' },
		missingData: { minCoverage: 0.8, minExperts: 3, unscoredItems: 'exclude' },
		divergenceThreshold: 20,
		decimals: 2,
		...overrides,
		variables
	};
}

export function answer(variableKey: string, option: string | null, extra: Partial<DeskAnswer> = {}): DeskAnswer {
	return { variableKey, answer: option, note: `Note ${HOSTILE.arabic}`, evidence: [], ...extra };
}

export function objectiveRating(rater: string, objective: number, value: number | null): ExpertRating {
	return { rater, itemType: 'objective', itemKey: `O${objective}` as ItemKey, value, comment: HOSTILE.script };
}

export function principleRating(rater: string, key: PrincipleKey, value: number | null): ExpertRating {
	return { rater, itemType: 'principle', itemKey: key, value, comment: HOSTILE.cjk };
}
