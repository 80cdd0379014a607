/**
 * Demo content for the benchmarking observatory about a FICTIONAL country, Demoland (`XDM`, a
 * user-assigned ISO 3166-1 code that no real country uses). Loaded only on request
 * (`gcm seed --demo`) and labelled as fictional wherever it appears: no invented scores for real
 * countries, ever.
 *
 * Deterministic: a seeded PRNG (mulberry32 over an FNV-1a hash of a descriptive seed string), so two
 * calls with the same methodology return equal data and reseeding a database is reproducible.
 * Everything is derived from the methodology passed in (its variables, scales and items), so the
 * generator also works for later methodology versions.
 *
 * The shape of the data, by design:
 * - editions 2022 and 2026 × perspectives independent, government, civil_society;
 * - a latent "true" level per objective and principle, improving from 2022 to 2026;
 * - the government self-assessment is rosier than the independent one, the civil-society shadow
 *   review somewhat harsher, so divergence flags show;
 * - implementation (expert panel) lags policy (desk research) a little, so gaps show;
 * - a few variables are not applicable (the same ones in every assessment: they depend on the
 *   country), a few are unknown, exactly one answer per assessment has a disputed second check;
 * - 3–5 fictional experts per assessment (raters `E1`…), a few "cannot rate" (null) ratings.
 */
import { validationError, type FieldIssue } from '../shared/errors';
import { OBJECTIVES } from '../reference/gcm.data';
import type {
	AnswerOption,
	AssessmentPerspective,
	DeskAnswer,
	Evidence,
	EvidenceType,
	ExpertRating,
	ItemKey,
	Methodology,
	RatingOption,
	Translatable
} from './types';
import { ASSESSMENT_PERSPECTIVES, EVIDENCE_TYPES } from './types';

export const DEMO_COUNTRY = {
	iso3: 'XDM',
	name: { en: 'Demoland (fictional)', es: 'Demolandia (ficticio)' },
	fictional: true
} as const satisfies { iso3: string; name: Translatable; fictional: true };

export const DEMO_EDITIONS = [2022, 2026] as const;

export interface DemoExpert {
	/** Opaque rater id within the assessment (`E1`, `E2`, …), as used in ExpertRating.rater. */
	rater: string;
	displayName: string;
	publicOptIn: boolean;
	/** Conflict-of-interest declaration; empty when none declared. */
	coi: string;
}

export interface DemoAssessment {
	country: typeof DEMO_COUNTRY.iso3;
	edition: number;
	perspective: AssessmentPerspective;
	title: string;
	summary: string;
	answers: DeskAnswer[];
	ratings: ExpertRating[];
	experts: DemoExpert[];
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** FNV-1a 32-bit hash of a string (also seeds the benchmark's synthetic assessments, bench/lib/assessments.ts). */
export function hash(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** mulberry32: small, fast, good enough for demo data; returns floats in [0, 1). */
function prng(seed: string): () => number {
	let a = hash(seed);
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One draw from a named stream: handy for per-item values that must not shift when others change. */
function draw(seed: string): number {
	return prng(seed)();
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The element at `index`; the lists used here are never empty, so a miss is a bug. */
function at<T>(list: readonly T[], index: number): T {
	const value = list[index];
	if (value === undefined) throw new RangeError(`index ${index} outside a list of ${list.length}`);
	return value;
}

/** Maps a level in [0, 1] onto an ordered list (lowest first). */
function pick<T>(ordered: readonly T[], level: number): T {
	return at(ordered, Math.round(clamp01(level) * (ordered.length - 1)));
}

/** A uniformly chosen element. */
function choose<T>(rand: () => number, list: readonly T[]): T {
	return at(list, Math.floor(rand() * list.length));
}

// ---------------------------------------------------------------------------------------------
// The latent picture of Demoland

const SEED = 'gcm-observatory demo XDM v1';

/** Shift of each perspective's view, in level units (0–1). Government rosier, civil society harsher. */
const PERSPECTIVE_BIAS: Record<AssessmentPerspective, number> = {
	independent: 0,
	government: 0.18,
	civil_society: -0.08
};

const PERSPECTIVE_LABEL: Record<AssessmentPerspective, string> = {
	independent: 'independent assessment',
	government: 'government self-assessment',
	civil_society: 'civil-society shadow review'
};

/** The "true" policy level of an item in an edition: 0.2–0.7 in 2022, improving by 0.05–0.2 by 2026. */
function latentLevel(item: string, edition: number): number {
	const base = 0.2 + 0.5 * draw(`${SEED}|level|${item}`);
	const gain = 0.05 + 0.15 * draw(`${SEED}|gain|${item}`);
	return clamp01(base + (edition >= 2026 ? gain : 0));
}

// ---------------------------------------------------------------------------------------------
// Fictional evidence

const ISSUERS: Record<EvidenceType, string> = {
	law: 'Parliament of Demoland (fictional)',
	policy: 'Government of Demoland (fictional)',
	regulation: 'Ministry of the Interior of Demoland (fictional)',
	programme: 'Demoland Migration Agency (fictional)',
	practice: 'Office of the Ombudsperson of Demoland (fictional)',
	data: 'Demoland National Statistics Office (fictional)'
};

function topicOf(objective: number): string {
	return OBJECTIVES.find((o) => o.number === objective)?.shortLabel ?? `Objective ${objective}`;
}

function evidenceTitle(type: EvidenceType, topic: string, n: number, year: number): string {
	switch (type) {
		case 'law':
			return `Demoland ${topic} Act (fictional), article ${n}`;
		case 'policy':
			return `National policy on ${topic.toLowerCase()} ${year} (fictional)`;
		case 'regulation':
			return `Decree ${n}/${year} on ${topic.toLowerCase()} (fictional)`;
		case 'programme':
			return `${topic} support programme (fictional)`;
		case 'practice':
			return `Monitoring report on ${topic.toLowerCase()} ${year} (fictional)`;
		case 'data':
			return `${topic} statistics ${year} (fictional)`;
	}
}

function makeEvidence(
	rand: () => number,
	variableKey: string,
	objective: number,
	edition: number,
	count: number
): Evidence[] {
	const topic = topicOf(objective);
	const out: Evidence[] = [];
	for (let i = 0; i < count; i++) {
		const type = choose(rand, EVIDENCE_TYPES);
		const year = edition - 1 - Math.floor(rand() * 4);
		const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
		out.push({
			title: evidenceTitle(type, topic, 2 + Math.floor(rand() * 60), year),
			type,
			issuingBody: ISSUERS[type],
			date: i === 0 ? `${year}-${month}` : String(year),
			url: `https://example.org/demoland/${edition}/${variableKey.toLowerCase()}/${i + 1}`,
			excerpt: `Fictional excerpt for demonstration only: Demoland’s ${type} on ${topic.toLowerCase()} (${variableKey}). Not a real document.`
		});
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Desk answers

interface Scales {
	scored: AnswerOption[];
	notApplicable: AnswerOption | undefined;
	unknown: AnswerOption | undefined;
	rating: RatingOption[];
}

function scalesOf(m: Methodology): Scales {
	const scored = m.answerScale
		.filter((o) => o.kind === 'scored' && o.value !== null)
		.sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
	const rating = [...m.ratingScale].sort((a, b) => a.value - b.value);
	const issues: FieldIssue[] = [];
	if (scored.length === 0) issues.push({ field: 'answerScale', message: 'needs at least one scored option' });
	if (rating.length === 0) issues.push({ field: 'ratingScale', message: 'needs at least one rating option' });
	if (issues.length > 0) throw validationError(issues, 'Cannot build demo data for this methodology');
	return {
		scored,
		notApplicable: m.answerScale.find((o) => o.kind === 'not_applicable'),
		unknown: m.answerScale.find((o) => o.kind === 'unknown'),
		rating
	};
}

/** Keys of the variables that are not applicable in Demoland: ~3 % (at least one), the same everywhere. */
function notApplicableKeys(m: Methodology): Set<string> {
	const ranked = [...m.variables].sort(
		(a, b) => draw(`${SEED}|na|${a.key}`) - draw(`${SEED}|na|${b.key}`) || a.key.localeCompare(b.key)
	);
	const n = m.variables.length < 2 ? 0 : Math.max(1, Math.round(m.variables.length * 0.03));
	return new Set(ranked.slice(0, n).map((v) => v.key));
}

function buildAnswers(
	m: Methodology,
	scales: Scales,
	edition: number,
	perspective: AssessmentPerspective,
	na: Set<string>
): DeskAnswer[] {
	const rand = prng(`${SEED}|answers|${edition}|${perspective}`);
	const bias = PERSPECTIVE_BIAS[perspective];
	// Governments rarely admit not knowing; independent and shadow researchers leave a few gaps.
	const unknownShare = perspective === 'government' ? 0.01 : 0.04;

	const answers: DeskAnswer[] = m.variables.map((variable) => {
		const r = rand();
		if (na.has(variable.key) && scales.notApplicable) {
			return {
				variableKey: variable.key,
				answer: scales.notApplicable.key,
				note: 'Demo (fictional): the not-applicable condition in the guidance holds for Demoland.',
				evidence: [],
				check: null
			};
		}
		if (r < unknownShare && scales.unknown) {
			return {
				variableKey: variable.key,
				answer: scales.unknown.key,
				note: 'Demo (fictional): no public source could be found or checked in time.',
				evidence: [],
				check: null
			};
		}
		const level = latentLevel(`O${variable.objective}`, edition) + bias + (rand() - 0.5) * 0.6;
		const option = pick(scales.scored, level);
		const isLowest = option === scales.scored[0];
		const evidence = isLowest
			? []
			: makeEvidence(rand, variable.key, variable.objective, edition, 1 + Math.floor(rand() * 2));
		return {
			variableKey: variable.key,
			answer: option.key,
			note: isLowest
				? 'Demo (fictional): no law, policy or programme was found.'
				: `Demo (fictional): answered “${option.label.en}” from the cited fictional documents.`,
			evidence,
			check: rand() < 0.25 ? { status: 'agreed', note: 'Second researcher agrees (fictional).' } : null
		};
	});

	// Exactly one disputed second check per assessment, on a scored answer.
	const scoredKeys = new Set(scales.scored.map((o) => o.key));
	const candidates = answers.filter((a) => a.answer !== null && scoredKeys.has(a.answer));
	if (candidates.length > 0) {
		const disputed = choose(rand, candidates);
		disputed.check = {
			status: 'disputed',
			note: 'Second researcher reads the fictional decree as covering only some regions, so “partial” rather than this answer (fictional).'
		};
	}
	return answers;
}

// ---------------------------------------------------------------------------------------------
// Expert panel

const EXPERT_POOL: readonly Omit<DemoExpert, 'rater' | 'publicOptIn'>[] = [
	{ displayName: 'Alex Demo (fictional)', coi: '' },
	{ displayName: 'Beatriz Ejemplo (ficticia)', coi: 'Advised the Demoland Migration Agency in 2019 (fictional).' },
	{ displayName: 'Chen Sample (fictional)', coi: '' },
	{ displayName: 'إحسان مثال (fictional)', coi: 'Board member of a Demoland migrant rights NGO (fictional).' },
	{ displayName: 'Dana Placeholder-Longname-de-la-Demostración (fictional)', coi: '' }
];

const COMMENTS: readonly string[] = [
	'Law is in place; implementation varies between regions (fictional).',
	'Pilot programmes only, mostly in the capital (fictional).',
	'Practice < law in rural areas & for domestic workers — "on paper" only (fictional).',
	'تختلف الممارسة حسب المنطقة — practice differs by region (fictional).'
];

function buildPanel(
	m: Methodology,
	scales: Scales,
	edition: number,
	perspective: AssessmentPerspective
): { experts: DemoExpert[]; ratings: ExpertRating[] } {
	const rand = prng(`${SEED}|panel|${edition}|${perspective}`);
	const size = 3 + Math.floor(rand() * 3); // 3–5
	const offset = Math.floor(rand() * EXPERT_POOL.length);
	const experts: DemoExpert[] = [];
	const leniency: number[] = [];
	for (let i = 0; i < size; i++) {
		const base = at(EXPERT_POOL, (offset + i) % EXPERT_POOL.length);
		experts.push({ rater: `E${i + 1}`, displayName: base.displayName, publicOptIn: rand() < 0.5, coi: base.coi });
		leniency.push((rand() - 0.5) * 0.2);
	}

	const items: { itemType: 'objective' | 'principle'; itemKey: ItemKey }[] = [
		...m.objectives
			.filter((o) => o.scored)
			.map((o) => ({ itemType: 'objective' as const, itemKey: `O${o.number}` as ItemKey })),
		...m.principles.filter((p) => p.scored).map((p) => ({ itemType: 'principle' as const, itemKey: p.key }))
	];

	const bias = PERSPECTIVE_BIAS[perspective];
	const ratings: ExpertRating[] = [];
	for (const item of items) {
		// Implementation lags policy by about 0.1 (shown as a negative gap).
		const truth = latentLevel(item.itemKey, edition) - (item.itemType === 'objective' ? 0.1 : 0);
		experts.forEach((expert, i) => {
			const cannotRate = rand() < 0.03;
			const level = truth + bias + at(leniency, i) + (rand() - 0.5) * 0.3;
			ratings.push({
				rater: expert.rater,
				itemType: item.itemType,
				itemKey: item.itemKey,
				value: cannotRate ? null : pick(scales.rating, level).value,
				comment: rand() < 0.1 ? choose(rand, COMMENTS) : ''
			});
		});
	}
	// At least one "cannot rate" per panel, so the demo shows how it is handled.
	if (ratings.length > 0 && !ratings.some((r) => r.value === null)) {
		const r = choose(rand, ratings);
		r.value = null;
		r.comment = 'Cannot rate: outside my field of expertise (fictional).';
	}
	return { experts, ratings };
}

// ---------------------------------------------------------------------------------------------

/**
 * Builds the demo assessments of the fictional country for every edition × perspective, against
 * the given methodology. Pure and deterministic.
 */
export function buildDemoAssessments(methodology: Methodology): DemoAssessment[] {
	const scales = scalesOf(methodology);
	const na = notApplicableKeys(methodology);
	const out: DemoAssessment[] = [];
	for (const edition of DEMO_EDITIONS) {
		for (const perspective of ASSESSMENT_PERSPECTIVES) {
			const { experts, ratings } = buildPanel(methodology, scales, edition, perspective);
			out.push({
				country: DEMO_COUNTRY.iso3,
				edition,
				perspective,
				title: `${DEMO_COUNTRY.name.en}: ${PERSPECTIVE_LABEL[perspective]} ${edition}`,
				summary:
					`Demonstration data about a fictional country, generated for methodology ` +
					`${methodology.key} ${methodology.version}. Not a real assessment: every document, expert, ` +
					`answer and score here is invented.`,
				answers: buildAnswers(methodology, scales, edition, perspective, na),
				ratings,
				experts
			});
		}
	}
	return out;
}
