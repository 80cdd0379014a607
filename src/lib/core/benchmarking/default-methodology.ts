/**
 * The default benchmarking methodology, `gcm-benchmark` 1.0 (issue #5). Its arithmetic follows the
 * Chile observatory's published method:
 *   overall    = 0.30 × principles + 0.70 × objectives
 *   objectives = mean of the 23 objective scores, each being the desk-research policy score
 *                (the expert implementation score is shown beside it, with the gap)
 *   principles = mean of the expert-panel scores of the guiding principles, national sovereignty unscored.
 *
 * Version 1.0 is published and therefore immutable: any change to questions, scales or weights is
 * a new version (the database refuses updates to a published methodology). The same methodology is
 * exported as data/methodology/gcm-benchmark-1.0.json by scripts/export-methodology.ts.
 */
import { GUIDING_PRINCIPLES, OBJECTIVES } from '../reference/gcm.data';
import { deepFreeze } from '../shared/freeze';
import type { AnswerOption, Methodology, ObjectiveItem, PrincipleItem, RatingOption } from './types';
import { VARIABLE_BANK } from './variable-bank';

export const DEFAULT_METHODOLOGY_KEY = 'gcm-benchmark';
export const DEFAULT_METHODOLOGY_VERSION = '1.0';

/** Desk-research answer scale: three scored levels plus the two unscored options. */
export const DEFAULT_ANSWER_SCALE: readonly AnswerOption[] = [
	{
		key: 'absent',
		kind: 'scored',
		value: 0,
		label: { en: 'Absent', es: 'Ausente' },
		description: {
			en: 'No law, policy, programme or data addressing the question could be found in public sources.',
			es: 'No se encontró en fuentes públicas ninguna ley, política, programa o dato que responda a la pregunta.'
		}
	},
	{
		key: 'partial',
		kind: 'scored',
		value: 50,
		label: { en: 'Partial', es: 'Parcial' },
		description: {
			en: 'Something exists but falls short of the question: limited scope, some groups excluded, not in force, or not applied in practice.',
			es: 'Existe algo, pero no alcanza lo que plantea la pregunta: alcance limitado, algunos grupos excluidos, no vigente o no aplicado en la práctica.'
		}
	},
	{
		key: 'full',
		kind: 'scored',
		value: 100,
		label: { en: 'Full', es: 'Completo' },
		description: {
			en: 'The question is fully met, in law or policy and, where the question asks, in practice, as shown by the cited evidence.',
			es: 'La pregunta se cumple plenamente, en la ley o la política y, cuando la pregunta lo pide, en la práctica, según la evidencia citada.'
		}
	},
	{
		key: 'not_applicable',
		kind: 'not_applicable',
		value: null,
		label: { en: 'Not applicable', es: 'No aplica' },
		description: {
			en: 'The question does not apply to this country (the guidance says when); excluded from the score and from coverage.',
			es: 'La pregunta no se aplica a este país (la guía indica cuándo); se excluye de la puntuación y de la cobertura.'
		}
	},
	{
		key: 'unknown',
		kind: 'unknown',
		value: null,
		label: { en: 'Unknown', es: 'Desconocido' },
		description: {
			en: 'The researcher could not find enough public information to answer; excluded from the score but counted as a gap in coverage.',
			es: 'No se encontró información pública suficiente para responder; se excluye de la puntuación pero cuenta como vacío en la cobertura.'
		}
	}
];

/** Expert rating scale: 1–5, mapped linearly to 0–100. "Cannot rate" is a null rating, not a point. */
export const DEFAULT_RATING_SCALE: readonly RatingOption[] = [
	{ value: 1, score: 0, label: { en: 'Not implemented', es: 'No implementado' } },
	{ value: 2, score: 25, label: { en: 'Minimal', es: 'Mínimo' } },
	{ value: 3, score: 50, label: { en: 'Partial', es: 'Parcial' } },
	{ value: 4, score: 75, label: { en: 'Substantial', es: 'Sustancial' } },
	{ value: 5, score: 100, label: { en: 'Full', es: 'Pleno' } }
];

const objectives: readonly ObjectiveItem[] = OBJECTIVES.map((o) => ({ number: o.number, scored: true, weight: 1 }));

// The Chile method leaves national sovereignty (GCM §15(c)) unscored: it is a State prerogative,
// not something whose implementation an expert panel can rate. It stays listed so it is shown.
const principles: readonly PrincipleItem[] = GUIDING_PRINCIPLES.map((p) => ({
	key: p.key,
	scored: p.key !== 'national_sovereignty',
	weight: 1
}));

export const DEFAULT_METHODOLOGY: Methodology = deepFreeze({
	key: DEFAULT_METHODOLOGY_KEY,
	version: DEFAULT_METHODOLOGY_VERSION,
	status: 'published',
	title: {
		en: 'GCM implementation benchmark',
		es: 'Índice de implementación del Pacto Mundial para la Migración'
	},
	summary: {
		en:
			'Scores a country’s implementation of the Global Compact for Safe, Orderly and Regular Migration (A/RES/73/195) ' +
			'from 0 to 100. Each of the 23 objectives is scored by desk research on concrete policy questions derived from ' +
			'its commitments (absent 0, partial 50, full 100); an expert panel rates implementation in practice of each ' +
			'objective and of nine guiding principles on a 1–5 scale, shown beside the desk score with the gap. ' +
			'Overall = 0.70 × objectives + 0.30 × principles, following the method of the Chilean GCM observatory; national ' +
			'sovereignty is listed but not scored.',
		es:
			'Puntúa de 0 a 100 la implementación por un país del Pacto Mundial para la Migración Segura, Ordenada y Regular ' +
			'(A/RES/73/195). Cada uno de los 23 objetivos se puntúa mediante investigación documental sobre preguntas ' +
			'concretas de política derivadas de sus compromisos (ausente 0, parcial 50, completo 100); un panel de personas ' +
			'expertas califica en una escala de 1 a 5 la implementación en la práctica de cada objetivo y de nueve principios ' +
			'rectores, que se muestra junto a la puntuación documental con la brecha. Total = 0,70 × objetivos + 0,30 × ' +
			'principios, según el método del observatorio chileno del Pacto; la soberanía nacional figura pero no se puntúa.'
	},
	objectives,
	principles,
	variables: VARIABLE_BANK,
	answerScale: DEFAULT_ANSWER_SCALE,
	ratingScale: DEFAULT_RATING_SCALE,
	weights: { objectives: 0.7, principles: 0.3 },
	objectiveScoreSource: { kind: 'policy' },
	missingData: { minCoverage: 0.8, minExperts: 3, unscoredItems: 'exclude' },
	divergenceThreshold: 20,
	decimals: 1
});
