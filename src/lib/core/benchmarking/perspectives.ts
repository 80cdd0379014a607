/**
 * Perspectives (issue #5): the same country and edition assessed by the observatory itself
 * (independent), by the government (self-assessment) and by civil society (shadow review). For
 * each item we show every perspective's score and flag a divergence when two perspectives differ
 * by more than the methodology's threshold (percentage points; 20 in the default methodology,
 * see docs/methodology.md for why).
 */
import { GUIDING_PRINCIPLES } from '../reference';
import type { ObjectiveNumber, PrincipleKey } from '../reference/types';
import { roundHalfAwayFromZero } from './statistics';
import { ASSESSMENT_PERSPECTIVES, type AssessmentPerspective, type AssessmentScores } from './types';

export type PerspectiveScores = Partial<Record<AssessmentPerspective, number | null>>;

export interface PerspectiveRow {
	/** Each present perspective's published score for this item (null when it has none). */
	scores: PerspectiveScores;
	/** Largest absolute difference between two perspectives that both have a score; null if fewer than two. */
	maxDifference: number | null;
	/** maxDifference > threshold (strictly). */
	divergent: boolean;
	/** The pair with the largest difference (first in canonical pair order on ties); null if none. */
	pair: [AssessmentPerspective, AssessmentPerspective] | null;
}

export interface PerspectiveComparison {
	/** The perspectives given, in canonical order (independent, government, civil_society). */
	perspectives: AssessmentPerspective[];
	threshold: number;
	/** False when the perspectives were scored with different methodologies; then nothing is differenced. */
	comparable: boolean;
	reason: string | null;
	overall: PerspectiveRow;
	objectivesOverall: PerspectiveRow;
	principlesOverall: PerspectiveRow;
	objectives: (PerspectiveRow & { number: ObjectiveNumber })[];
	principles: (PerspectiveRow & { key: PrincipleKey })[];
	/** How many item rows (objectives and principles) diverge. */
	divergentItems: number;
}

/**
 * Differences are computed on the published (rounded) scores, then cleaned of float noise (6 decimals: lossless, as methodology decimals are ≤ 6), so that
 * 51.3 − 31.3 counts as exactly 20 and does not cross a threshold of 20 by 4e-15.
 */
const DIFFERENCE_DECIMALS = 6;

function row(
	scores: PerspectiveScores,
	present: readonly AssessmentPerspective[],
	threshold: number,
	comparable: boolean
): PerspectiveRow {
	let best: { diff: number; pair: [AssessmentPerspective, AssessmentPerspective] } | null = null;
	if (comparable) {
		for (let i = 0; i < present.length; i++) {
			for (let j = i + 1; j < present.length; j++) {
				const a = present[i] as AssessmentPerspective;
				const b = present[j] as AssessmentPerspective;
				const sa = scores[a];
				const sb = scores[b];
				if (sa === null || sa === undefined || sb === null || sb === undefined) continue;
				const diff = roundHalfAwayFromZero(Math.abs(sa - sb), DIFFERENCE_DECIMALS);
				if (best === null || diff > best.diff) best = { diff, pair: [a, b] };
			}
		}
	}
	return {
		scores,
		maxDifference: best?.diff ?? null,
		divergent: best !== null && best.diff > threshold,
		pair: best?.pair ?? null
	};
}

export function comparePerspectives(
	scores: Partial<Record<AssessmentPerspective, AssessmentScores>>,
	threshold: number
): PerspectiveComparison {
	if (!Number.isFinite(threshold) || threshold < 0) {
		throw new RangeError(`threshold must be a finite number ≥ 0, got ${threshold}`);
	}
	const present = ASSESSMENT_PERSPECTIVES.filter((p) => scores[p] !== undefined);
	const methodologies = new Set(
		present.map((p) => JSON.stringify([scores[p]?.methodology.key, scores[p]?.methodology.version]))
	);
	const comparable = methodologies.size <= 1;
	const reason = comparable
		? null
		: `different methodologies: ${present.map((p) => `${p} ${scores[p]?.methodology.key} ${scores[p]?.methodology.version}`).join(', ')}`;

	const pick = (f: (s: AssessmentScores) => number | null): PerspectiveScores => {
		const out: PerspectiveScores = {};
		for (const p of present) out[p] = f(scores[p] as AssessmentScores);
		return out;
	};

	const objectiveNumbers = [
		...new Set(present.flatMap((p) => (scores[p] as AssessmentScores).objectives.map((o) => o.number)))
	].sort((a, b) => a - b);
	const principleKeys = GUIDING_PRINCIPLES.map((g) => g.key).filter((k) =>
		present.some((p) => (scores[p] as AssessmentScores).principles.some((x) => x.key === k))
	);

	const objectives = objectiveNumbers.map((number) => ({
		number,
		...row(
			pick((s) => s.objectives.find((o) => o.number === number)?.score ?? null),
			present,
			threshold,
			comparable
		)
	}));
	const principles = principleKeys.map((key) => ({
		key,
		...row(
			pick((s) => s.principles.find((x) => x.key === key)?.score ?? null),
			present,
			threshold,
			comparable
		)
	}));

	return {
		perspectives: [...present],
		threshold,
		comparable,
		reason,
		overall: row(
			pick((s) => s.overall),
			present,
			threshold,
			comparable
		),
		objectivesOverall: row(
			pick((s) => s.objectivesOverall),
			present,
			threshold,
			comparable
		),
		principlesOverall: row(
			pick((s) => s.principlesOverall),
			present,
			threshold,
			comparable
		),
		objectives,
		principles,
		divergentItems: [...objectives, ...principles].filter((r) => r.divergent).length
	};
}
