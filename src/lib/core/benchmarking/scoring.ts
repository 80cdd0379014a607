/**
 * Scores of one assessment (issue #5): pure, deterministic, computed from the desk answers and the
 * expert ratings under one methodology. The formulas, missing-data rules and flags are explained
 * for the public in docs/methodology.md; keep the two in step.
 *
 * Precision: everything is computed at full float precision and rounded once, at the end, to
 * `methodology.decimals` (half away from zero). Roll-ups use the unrounded item scores, which is
 * what makes the Chile figures reproduce (0.30 × 39.777… + 0.70 × 51 = 47.633… → 47.63).
 */
import { validationError, type FieldIssue } from '../shared/errors';
import { GUIDING_PRINCIPLES, OBJECTIVES, ROUNDTABLES } from '../reference';
import type { ObjectiveNumber, PrincipleKey } from '../reference/types';
import { krippendorffAlphaInterval } from './agreement';
import { roundHalfAwayFromZero, roundOrNull, roundSpreadStats, spreadStats, weightedMean } from './statistics';
import type {
	AnswerOption,
	AssessmentScores,
	DeskAnswer,
	ExpertRating,
	ItemKey,
	Methodology,
	ObjectiveScore,
	PrincipleScore,
	ScoreFlag,
	SpreadStats
} from './types';

export interface ScoringInput {
	answers: readonly DeskAnswer[];
	ratings: readonly ExpertRating[];
}

/** Alpha is conventionally reported with three decimals, whatever the score decimals. */
export const ALPHA_DECIMALS = 3;

const objectiveKey = (n: number): ItemKey => `O${n}`;
const OBJECTIVE_KEY_RE = /^O([1-9]\d?)$/;
const ROUNDTABLE_OF = new Map(OBJECTIVES.map((o) => [o.number, o.roundtable]));

/** Keeps hostile or very long keys readable in error messages. */
function show(value: unknown): string {
	const s = typeof value === 'string' ? value : JSON.stringify(value);
	return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

interface Indexed {
	answers: Map<string, DeskAnswer>;
	/** Non-null rating scores per item key (`O7`, `human_rights`). */
	scoresByItem: Map<string, number[]>;
	optionByKey: Map<string, AnswerOption>;
}

/** Checks the input against the methodology and indexes it; throws validationError listing every problem. */
function indexInput(m: Methodology, input: ScoringInput): Indexed {
	const issues: FieldIssue[] = [];
	const variables = new Set(m.variables.map((v) => v.key));
	const optionByKey = new Map(m.answerScale.map((a) => [a.key, a]));
	const scoreByValue = new Map(m.ratingScale.map((r) => [r.value, r.score]));
	const objectiveNumbers = new Set<number>(m.objectives.map((o) => o.number));
	const principleKeys = new Set<string>(m.principles.map((p) => p.key));

	const answers = new Map<string, DeskAnswer>();
	input.answers.forEach((a, i) => {
		if (!variables.has(a.variableKey)) {
			issues.push({
				field: `answers.${i}.variableKey`,
				message: `${show(a.variableKey)} is not a variable of ${m.key} ${m.version}`
			});
			return;
		}
		if (answers.has(a.variableKey)) {
			issues.push({ field: `answers.${i}.variableKey`, message: `${show(a.variableKey)} is answered twice` });
			return;
		}
		if (a.answer !== null && !optionByKey.has(a.answer)) {
			issues.push({ field: `answers.${i}.answer`, message: `${show(a.answer)} is not an option of the answer scale` });
			return;
		}
		answers.set(a.variableKey, a);
	});

	const scoresByItem = new Map<string, number[]>();
	const seen = new Set<string>();
	input.ratings.forEach((r, i) => {
		const key = String(r.itemKey);
		let known = false;
		if (r.itemType === 'objective') {
			const match = OBJECTIVE_KEY_RE.exec(key);
			known = match !== null && objectiveNumbers.has(Number(match[1]));
		} else if (r.itemType === 'principle') {
			known = principleKeys.has(key);
		}
		if (!known) {
			issues.push({
				field: `ratings.${i}.itemKey`,
				message: `${show(key)} is not a ${show(r.itemType)} of ${m.key} ${m.version}`
			});
			return;
		}
		if (typeof r.rater !== 'string' || r.rater.trim() === '') {
			issues.push({ field: `ratings.${i}.rater`, message: 'is required' });
			return;
		}
		const pair = JSON.stringify([r.rater, r.itemType, key]);
		if (seen.has(pair)) {
			issues.push({ field: `ratings.${i}`, message: `rater ${show(r.rater)} rated ${key} twice` });
			return;
		}
		seen.add(pair);
		if (r.value === null) return; // "cannot rate": not a data point
		const score = scoreByValue.get(r.value);
		if (score === undefined) {
			issues.push({ field: `ratings.${i}.value`, message: `${show(r.value)} is not a point of the rating scale` });
			return;
		}
		const list = scoresByItem.get(key) ?? [];
		list.push(score);
		scoresByItem.set(key, list);
	});

	if (issues.length > 0)
		throw validationError(issues, `Invalid scoring input: ${issues[0]?.field} ${issues[0]?.message}`);
	return { answers, scoresByItem, optionByKey };
}

interface RollUpItem {
	score: number | null;
	weight: number;
	/** Not applicable to this country (all desk variables N/A): never enters a roll-up, under either rule. */
	notApplicable: boolean;
}

/**
 * Weighted mean of scored items. `exclude`: items without a score drop out and the weights are
 * renormalised over the rest. `zero`: they count as 0. Either way, when no item has a score at
 * all the roll-up is null (no data is not the same as zero compliance).
 */
export function rollUp(items: readonly RollUpItem[], rule: Methodology['missingData']['unscoredItems']): number | null {
	const eligible = items.filter((i) => !i.notApplicable);
	if (!eligible.some((i) => i.score !== null)) return null;
	const pairs =
		rule === 'exclude'
			? eligible.flatMap((i) => (i.score === null ? [] : [{ value: i.score, weight: i.weight }]))
			: eligible.map((i) => ({ value: i.score ?? 0, weight: i.weight }));
	return weightedMean(pairs);
}

/** Overall = (w_o·objectives + w_p·principles)/(w_o + w_p); null unless both sides have a score. */
export function overallScore(
	weights: Methodology['weights'],
	objectivesOverall: number | null,
	principlesOverall: number | null
): number | null {
	if (objectivesOverall === null || principlesOverall === null) return null;
	return (
		(weights.objectives * objectivesOverall + weights.principles * principlesOverall) /
		(weights.objectives + weights.principles)
	);
}

function headlineScore(m: Methodology, policy: number | null, implementation: number | null): number | null {
	const source = m.objectiveScoreSource;
	switch (source.kind) {
		case 'policy':
			return policy;
		case 'implementation':
			return implementation;
		case 'blend':
			// Both parts are needed: a blend with one side missing would silently become the other side.
			return policy === null || implementation === null
				? null
				: source.policyWeight * policy + (1 - source.policyWeight) * implementation;
	}
}

interface RawObjective {
	number: ObjectiveNumber;
	scored: boolean;
	weight: number;
	policy: number | null;
	coverage: number;
	answered: number;
	applicable: number;
	variables: number;
	anyAnswer: boolean;
	implementation: SpreadStats;
	score: number | null;
	notApplicable: boolean;
}

/**
 * Computes every score of one assessment. `methodology` must have passed parseMethodology();
 * answers and ratings are checked against it (unknown variables, items, options or scale points,
 * duplicates → validationError naming each one).
 */
export function computeScores(methodology: Methodology, input: ScoringInput): AssessmentScores {
	const m = methodology;
	const { answers, scoresByItem, optionByKey } = indexInput(m, input);
	const usesPolicy = m.objectiveScoreSource.kind !== 'implementation';
	const usesImplementation = m.objectiveScoreSource.kind !== 'policy';
	const { minCoverage, minExperts, unscoredItems } = m.missingData;

	const rawObjectives: RawObjective[] = [...m.objectives]
		.sort((a, b) => a.number - b.number)
		.map((item) => {
			const variables = m.variables.filter((v) => v.objective === item.number);
			const pairs: { value: number; weight: number }[] = [];
			let applicable = 0;
			let anyAnswer = false;
			for (const v of variables) {
				const answer = answers.get(v.key);
				const chosen = answer?.answer ?? null;
				if (chosen !== null) anyAnswer = true;
				const option = chosen === null ? undefined : optionByKey.get(chosen);
				if (option?.kind === 'not_applicable') continue;
				applicable += 1;
				if (option?.kind === 'scored' && option.value !== null) pairs.push({ value: option.value, weight: v.weight });
			}
			const policy = weightedMean(pairs);
			const implementation = spreadStats(scoresByItem.get(objectiveKey(item.number)) ?? []);
			return {
				number: item.number,
				scored: item.scored,
				weight: item.weight,
				policy,
				// Decision: with nothing applicable there is nothing missing, so coverage is complete (1).
				coverage: applicable === 0 ? 1 : pairs.length / applicable,
				answered: pairs.length,
				applicable,
				variables: variables.length,
				anyAnswer,
				implementation,
				score: item.scored ? headlineScore(m, policy, implementation.mean) : null,
				notApplicable: usesPolicy && variables.length > 0 && applicable === 0
			};
		});

	const principleOrder = new Map(GUIDING_PRINCIPLES.map((p, i) => [p.key, i]));
	const rawPrinciples = [...m.principles]
		.sort((a, b) => (principleOrder.get(a.key) ?? 0) - (principleOrder.get(b.key) ?? 0))
		.map((item) => {
			const expert = spreadStats(scoresByItem.get(item.key) ?? []);
			return {
				key: item.key,
				scored: item.scored,
				weight: item.weight,
				expert,
				score: item.scored ? expert.mean : null
			};
		});

	const scoredObjectives = rawObjectives.filter((o) => o.scored);
	const objectivesOverall = rollUp(scoredObjectives, unscoredItems);
	const principlesOverall = rollUp(
		rawPrinciples.filter((p) => p.scored).map((p) => ({ score: p.score, weight: p.weight, notApplicable: false })),
		unscoredItems
	);
	const overall = overallScore(m.weights, objectivesOverall, principlesOverall);

	const roundtables = ROUNDTABLES.map((rt) => ({
		number: rt.number,
		score: rollUp(
			scoredObjectives.filter((o) => rt.objectives.includes(o.number)),
			unscoredItems
		),
		objectives: [...rt.objectives]
	}));

	// Reliability over every rated item (objectives, then principles, in output order).
	const units = [
		...rawObjectives.map((o) => scoresByItem.get(objectiveKey(o.number)) ?? []),
		...rawPrinciples.map((p) => scoresByItem.get(p.key) ?? [])
	];
	const alpha = krippendorffAlphaInterval(units);
	const anyRating = units.some((u) => u.length > 0);

	const d = m.decimals;
	const coverageDecimals = d + 2; // a share: same precision as the percentage shown
	const flags: ScoreFlag[] = [];
	for (const o of rawObjectives) {
		if (!o.scored) continue;
		const key = objectiveKey(o.number);
		// A component is checked when it feeds the headline score, or when it has data (then it is published).
		if (usesPolicy || o.anyAnswer) {
			if (o.variables > 0 && !o.anyAnswer) flags.push({ code: 'NO_DESK_ANSWERS', item: key });
			else if (o.applicable > 0 && o.coverage < minCoverage) {
				flags.push({ code: 'LOW_COVERAGE', item: key, coverage: roundHalfAwayFromZero(o.coverage, coverageDecimals) });
			}
		}
		if ((usesImplementation || o.implementation.n > 0) && o.implementation.n < minExperts) {
			flags.push({ code: 'FEW_EXPERTS', item: key, n: o.implementation.n });
		}
	}
	for (const p of rawPrinciples) {
		if (p.scored && p.expert.n < minExperts) flags.push({ code: 'FEW_EXPERTS', item: p.key, n: p.expert.n });
	}
	for (const v of m.variables) {
		if (answers.get(v.key)?.check?.status === 'disputed') flags.push({ code: 'DISPUTED_ANSWER', variableKey: v.key });
	}
	if (alpha === null && anyRating) flags.push({ code: 'ALPHA_UNDEFINED' });

	const objectives: ObjectiveScore[] = rawObjectives.map((o) => ({
		number: o.number,
		roundtable: ROUNDTABLE_OF.get(o.number) ?? 1,
		scored: o.scored,
		policy: roundOrNull(o.policy, d),
		coverage: roundHalfAwayFromZero(o.coverage, coverageDecimals),
		answered: o.answered,
		applicable: o.applicable,
		implementation: roundSpreadStats(o.implementation, d),
		gap:
			o.policy === null || o.implementation.mean === null
				? null
				: roundHalfAwayFromZero(o.implementation.mean - o.policy, d),
		score: roundOrNull(o.score, d)
	}));
	const principles: PrincipleScore[] = rawPrinciples.map((p) => ({
		key: p.key as PrincipleKey,
		scored: p.scored,
		expert: roundSpreadStats(p.expert, d),
		score: roundOrNull(p.score, d)
	}));

	return {
		methodology: { key: m.key, version: m.version },
		objectives,
		principles,
		roundtables: roundtables.map((rt) => ({ ...rt, score: roundOrNull(rt.score, d) })),
		objectivesOverall: roundOrNull(objectivesOverall, d),
		principlesOverall: roundOrNull(principlesOverall, d),
		overall: roundOrNull(overall, d),
		alpha: roundOrNull(alpha, ALPHA_DECIMALS),
		flags
	};
}
