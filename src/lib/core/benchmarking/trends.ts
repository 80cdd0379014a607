/**
 * Trends (issue #5): editions of the same country (and perspective) over time. Only like-for-like
 * editions are differenced — same methodology key AND version — because a change of variables,
 * weights or rules changes what a score means; otherwise the pair is listed with
 * `comparable: false` and a reason, and no delta is computed.
 */
import { validationError } from '../shared/errors';
import { GUIDING_PRINCIPLES } from '../reference';
import type { ObjectiveNumber, PrincipleKey } from '../reference/types';
import { roundHalfAwayFromZero } from './statistics';
import type { AssessmentScores } from './types';

/** Deltas are differences of published (rounded) scores; 6 decimals removes float noise losslessly (decimals ≤ 6). */
const DELTA_DECIMALS = 6;

export interface EditionDeltas {
	overall: number | null;
	objectivesOverall: number | null;
	principlesOverall: number | null;
	objectives: { number: ObjectiveNumber; delta: number | null }[];
	principles: { key: PrincipleKey; delta: number | null }[];
}

export interface EditionTrendPoint {
	edition: number;
	methodology: { key: string; version: string };
	overall: number | null;
	objectivesOverall: number | null;
	principlesOverall: number | null;
	/** The edition this one is compared with; null for the first. */
	previousEdition: number | null;
	/** Like-for-like with the previous edition? null for the first edition (nothing to compare). */
	comparable: boolean | null;
	reason: string | null;
	/** This edition minus the previous one, in percentage points; null when first or not comparable. */
	deltas: EditionDeltas | null;
}

function delta(current: number | null | undefined, previous: number | null | undefined): number | null {
	if (current === null || current === undefined || previous === null || previous === undefined) return null;
	return roundHalfAwayFromZero(current - previous, DELTA_DECIMALS);
}

function deltasBetween(current: AssessmentScores, previous: AssessmentScores): EditionDeltas {
	const numbers = [...new Set([...current.objectives, ...previous.objectives].map((o) => o.number))].sort(
		(a, b) => a - b
	);
	const keys = GUIDING_PRINCIPLES.map((p) => p.key).filter((k) =>
		[...current.principles, ...previous.principles].some((p) => p.key === k)
	);
	return {
		overall: delta(current.overall, previous.overall),
		objectivesOverall: delta(current.objectivesOverall, previous.objectivesOverall),
		principlesOverall: delta(current.principlesOverall, previous.principlesOverall),
		objectives: numbers.map((number) => ({
			number,
			delta: delta(
				current.objectives.find((o) => o.number === number)?.score,
				previous.objectives.find((o) => o.number === number)?.score
			)
		})),
		principles: keys.map((key) => ({
			key,
			delta: delta(
				current.principles.find((p) => p.key === key)?.score,
				previous.principles.find((p) => p.key === key)?.score
			)
		}))
	};
}

/** Sorts editions by year and compares each with the one before. Duplicate or invalid years → validationError. */
export function compareEditions(
	editions: readonly { edition: number; scores: AssessmentScores }[]
): EditionTrendPoint[] {
	const seen = new Set<number>();
	editions.forEach((e, i) => {
		if (!Number.isInteger(e.edition))
			throw validationError([{ field: `editions.${i}.edition`, message: 'must be a year (integer)' }]);
		if (seen.has(e.edition))
			throw validationError([{ field: `editions.${i}.edition`, message: `edition ${e.edition} is listed twice` }]);
		seen.add(e.edition);
	});
	const sorted = [...editions].sort((a, b) => a.edition - b.edition);
	return sorted.map((e, i) => {
		const prev = i > 0 ? sorted[i - 1] : undefined;
		const m = e.scores.methodology;
		const base = {
			edition: e.edition,
			methodology: { key: m.key, version: m.version },
			overall: e.scores.overall,
			objectivesOverall: e.scores.objectivesOverall,
			principlesOverall: e.scores.principlesOverall
		};
		if (!prev) return { ...base, previousEdition: null, comparable: null, reason: null, deltas: null };
		const pm = prev.scores.methodology;
		if (pm.key !== m.key || pm.version !== m.version) {
			return {
				...base,
				previousEdition: prev.edition,
				comparable: false,
				reason: `methodology changed from ${pm.key} ${pm.version} (${prev.edition}) to ${m.key} ${m.version} (${e.edition})`,
				deltas: null
			};
		}
		return {
			...base,
			previousEdition: prev.edition,
			comparable: true,
			reason: null,
			deltas: deltasBetween(e.scores, prev.scores)
		};
	});
}
