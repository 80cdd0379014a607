/**
 * The benchmarking observatory's shared vocabulary (issue #5): methodologies as versioned data,
 * assessments (country × edition × perspective), desk answers with evidence, expert ratings, and
 * the scores computed from them. Pure types and constants: no I/O. Scoring lives in scoring.ts.
 *
 * Item keys: objectives are `O1` … `O23`; guiding principles use their stable reference keys
 * (`people_centred`, …, see reference/types.ts PrincipleKey). Variable keys are `O<n>.<k>`
 * (e.g. `O7.2`), unique within a methodology.
 */
import type { ObjectiveNumber, PrincipleKey, RoundtableNumber } from '../reference/types';

export const ASSESSMENT_PERSPECTIVES = ['independent', 'government', 'civil_society'] as const;
/** Who speaks: the observatory itself, the government (self-assessment), civil society (shadow review). */
export type AssessmentPerspective = (typeof ASSESSMENT_PERSPECTIVES)[number];

/** The workflow, in order. Only `published` assessments are ever shown publicly. */
export const ASSESSMENT_STATUSES = ['draft', 'desk_research', 'expert_panel', 'validation', 'published'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const METHODOLOGY_STATUSES = ['draft', 'published'] as const;
export type MethodologyStatus = (typeof METHODOLOGY_STATUSES)[number];

export const EVIDENCE_TYPES = ['law', 'policy', 'regulation', 'programme', 'practice', 'data'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** How a person takes part in one assessment (assessment_member.role). */
export const ASSESSMENT_MEMBER_ROLES = ['coordinator', 'researcher', 'expert'] as const;
export type AssessmentMemberRole = (typeof ASSESSMENT_MEMBER_ROLES)[number];

export type ItemType = 'objective' | 'principle';
/** `O1`…`O23` or a PrincipleKey. */
export type ItemKey = `O${number}` | PrincipleKey;

/** Text in the six UN languages; English is required (STYLE rule 8). */
export interface Translatable {
	en: string;
	fr?: string;
	es?: string;
	ar?: string;
	ru?: string;
	zh?: string;
}

/**
 * One option of the desk-research answer scale. `kind: 'scored'` options carry a value 0–100;
 * `not_applicable` is excluded from the score and from coverage's denominator; `unknown` is
 * excluded from the score but counts against coverage (it is a gap in the research).
 */
export interface AnswerOption {
	key: string;
	kind: 'scored' | 'not_applicable' | 'unknown';
	/** 0–100 for scored options, null otherwise. */
	value: number | null;
	label: Translatable;
	description?: Translatable;
}

/**
 * One point of the expert rating scale. Experts pick `value` (an integer); `score` is its 0–100
 * equivalent used in all statistics. "Cannot rate" is recorded as a null rating, not a scale point.
 */
export interface RatingOption {
	value: number;
	score: number;
	label: Translatable;
}

/** A concrete policy question derived from an objective's commitments (the variable bank). */
export interface Variable {
	/** `O<n>.<k>`, stable across methodology versions when the question is unchanged. */
	key: string;
	objective: ObjectiveNumber;
	question: Translatable;
	/** What evidence counts for each answer, in plain language. */
	guidance: Translatable;
	/** The paragraph of A/RES/73/195 it derives from, e.g. `17(c)` or `23`. */
	gcmParagraph: string;
	/** Relative weight within its objective (> 0). Weights are normalised over applicable answers. */
	weight: number;
}

export interface ObjectiveItem {
	number: ObjectiveNumber;
	scored: boolean;
	/** Relative weight among scored objectives (> 0). */
	weight: number;
}

export interface PrincipleItem {
	key: PrincipleKey;
	/** The Chile method leaves national sovereignty unscored. */
	scored: boolean;
	weight: number;
}

/**
 * Where an objective's headline score comes from: the desk policy score (the Chile method), the
 * expert implementation score, or a blend `policyWeight × policy + (1 − policyWeight) × implementation`.
 */
export type ObjectiveScoreSource =
	{ kind: 'policy' } | { kind: 'implementation' } | { kind: 'blend'; policyWeight: number };

export interface MissingDataRules {
	/** Below this share (0–1) of non-N/A variables answered, an objective's policy score is flagged. */
	minCoverage: number;
	/** Fewer expert ratings than this on an item flag it. */
	minExperts: number;
	/**
	 * An objective (or principle) with no score: `exclude` drops it from roll-ups (weights are
	 * renormalised over the rest); `zero` counts it as 0.
	 */
	unscoredItems: 'exclude' | 'zero';
}

export interface Methodology {
	key: string;
	/** Semantic-ish version string, e.g. `1.0`. (key, version) is unique. */
	version: string;
	status: MethodologyStatus;
	title: Translatable;
	summary: Translatable;
	objectives: readonly ObjectiveItem[];
	principles: readonly PrincipleItem[];
	variables: readonly Variable[];
	answerScale: readonly AnswerOption[];
	ratingScale: readonly RatingOption[];
	/** Overall = principles × principlesWeight + objectives × objectivesWeight (normalised if they don't sum to 1). */
	weights: { objectives: number; principles: number };
	objectiveScoreSource: ObjectiveScoreSource;
	missingData: MissingDataRules;
	/** Absolute difference (percentage points) between perspectives above which a divergence is flagged. */
	divergenceThreshold: number;
	/** Decimals kept in published scores (rounding happens once, at the end). */
	decimals: number;
}

export interface Evidence {
	title: string;
	type: EvidenceType;
	issuingBody: string;
	/** ISO date `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or empty. */
	date: string;
	url: string;
	excerpt: string;
}

/** Phase 1: one variable's answer. `answer` is an AnswerOption key, or null while unanswered. */
export interface DeskAnswer {
	variableKey: string;
	answer: string | null;
	note: string;
	evidence: readonly Evidence[];
	/** Second researcher check, optional. */
	check?: { status: 'agreed' | 'disputed'; note: string } | null;
}

/**
 * Phase 2: one expert's rating of one item. `rater` is an opaque, stable id within the assessment
 * (never an email or name in published data). `value` is a RatingOption value, or null ("cannot rate").
 */
export interface ExpertRating {
	rater: string;
	itemType: ItemType;
	itemKey: ItemKey;
	value: number | null;
	comment: string;
}

/** Summary statistics of expert scores (0–100) on one item. Null when n = 0. */
export interface SpreadStats {
	n: number;
	mean: number | null;
	median: number | null;
	/** Sample standard deviation (n − 1); null when n < 2. */
	sd: number | null;
	min: number | null;
	max: number | null;
}

export type ScoreFlag =
	| { code: 'LOW_COVERAGE'; item: ItemKey; coverage: number }
	| { code: 'FEW_EXPERTS'; item: ItemKey; n: number }
	| { code: 'NO_DESK_ANSWERS'; item: ItemKey }
	| { code: 'ALPHA_UNDEFINED' }
	| { code: 'DISPUTED_ANSWER'; variableKey: string };

export interface ObjectiveScore {
	number: ObjectiveNumber;
	roundtable: RoundtableNumber;
	scored: boolean;
	/** Weighted mean of applicable desk answers (0–100), null if none. */
	policy: number | null;
	/** Share (0–1) of non-N/A variables with a scored answer. */
	coverage: number;
	answered: number;
	applicable: number;
	implementation: SpreadStats;
	/** implementation.mean − policy (percentage points), null if either is missing. */
	gap: number | null;
	/** The headline score, per methodology.objectiveScoreSource. */
	score: number | null;
}

export interface PrincipleScore {
	key: PrincipleKey;
	scored: boolean;
	expert: SpreadStats;
	score: number | null;
}

export interface AssessmentScores {
	methodology: { key: string; version: string };
	objectives: ObjectiveScore[];
	principles: PrincipleScore[];
	roundtables: { number: RoundtableNumber; score: number | null; objectives: ObjectiveNumber[] }[];
	objectivesOverall: number | null;
	principlesOverall: number | null;
	overall: number | null;
	/** Krippendorff's alpha (interval metric) over all rated items; null when undefined. */
	alpha: number | null;
	flags: ScoreFlag[];
}
