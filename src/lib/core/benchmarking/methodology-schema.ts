/**
 * Validation of a methodology document (issue #5): shape with a strict zod schema, then the
 * consistency rules that a schema alone cannot express (every GCM item exactly once, variable keys
 * tied to existing objectives, one N/A and one unknown answer option, …). A methodology that
 * passes parseMethodology() can be given to computeScores() without further checks.
 */
import { z } from 'zod';
import { validationError, type FieldIssue } from '../shared/errors';
import { GUIDING_PRINCIPLES, OBJECTIVES } from '../reference';
import type { PrincipleKey } from '../reference/types';
import { METHODOLOGY_STATUSES, type Methodology } from './types';

/** Text without NUL bytes or other C0 controls except tab and newlines. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const text = (max: number) =>
	z
		.string()
		.max(max, { message: `must be at most ${max} characters` })
		.refine((s) => !CONTROL_RE.test(s), { message: 'contains control characters' });

const requiredText = (max: number) => text(max).refine((s) => s.trim().length > 0, { message: 'is required' });

/** `{ en, fr?, es?, ar?, ru?, zh? }` with English required (STYLE rule 8). */
const translatable = (max: number) =>
	z
		.object({
			en: requiredText(max),
			fr: text(max).optional(),
			es: text(max).optional(),
			ar: text(max).optional(),
			ru: text(max).optional(),
			zh: text(max).optional()
		})
		.strict();

const positiveWeight = z.number().finite().positive({ message: 'must be greater than 0' }).max(1_000_000);
const score0to100 = z.number().finite().min(0).max(100);

const PRINCIPLE_KEYS = GUIDING_PRINCIPLES.map((p) => p.key) as [PrincipleKey, ...PrincipleKey[]];

/** `O<n>.<k>`: objective number 1–23 and a positive item number without leading zeros. */
export const VARIABLE_KEY_RE = /^O([1-9]|1\d|2[0-3])\.([1-9]\d{0,2})$/;

export const methodologySchema = z
	.object({
		key: z
			.string()
			.min(1, { message: 'is required' })
			.max(80)
			.regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must use lowercase letters, digits, dot, dash or underscore' }),
		version: z
			.string()
			.max(40)
			.regex(/^\d+(\.\d+){0,2}(-[a-z0-9.]+)?$/, { message: 'must look like 1, 1.0 or 1.2.3 (optionally -draft.1)' }),
		status: z.enum(METHODOLOGY_STATUSES),
		title: translatable(300),
		summary: translatable(10_000),
		objectives: z
			.array(
				z
					.object({
						number: z.number().int().min(1).max(23),
						scored: z.boolean(),
						weight: positiveWeight
					})
					.strict()
			)
			.max(100),
		principles: z
			.array(z.object({ key: z.enum(PRINCIPLE_KEYS), scored: z.boolean(), weight: positiveWeight }).strict())
			.max(100),
		variables: z
			.array(
				z
					.object({
						key: z.string().regex(VARIABLE_KEY_RE, { message: 'must be O<objective>.<number>, e.g. O7.2' }),
						objective: z.number().int().min(1).max(23),
						question: translatable(2_000),
						guidance: translatable(10_000),
						gcmParagraph: text(40),
						weight: positiveWeight
					})
					.strict()
			)
			.max(5_000),
		answerScale: z
			.array(
				z
					.object({
						key: z
							.string()
							.min(1)
							.max(40)
							.regex(/^[a-z][a-z0-9_]*$/, { message: 'must be lowercase letters, digits or underscore' }),
						kind: z.enum(['scored', 'not_applicable', 'unknown']),
						value: score0to100.nullable(),
						label: translatable(200),
						description: translatable(2_000).optional()
					})
					.strict()
			)
			.min(3)
			.max(20),
		ratingScale: z
			.array(
				z
					.object({
						value: z.number().int().min(-1000).max(1000),
						score: score0to100,
						label: translatable(200)
					})
					.strict()
			)
			.min(2)
			.max(101),
		weights: z.object({ objectives: positiveWeight, principles: positiveWeight }).strict(),
		objectiveScoreSource: z.discriminatedUnion('kind', [
			z.object({ kind: z.literal('policy') }).strict(),
			z.object({ kind: z.literal('implementation') }).strict(),
			z
				.object({
					kind: z.literal('blend'),
					policyWeight: z.number().finite().gt(0, { message: 'must be between 0 and 1 (exclusive)' }).lt(1)
				})
				.strict()
		]),
		missingData: z
			.object({
				minCoverage: z.number().finite().min(0).max(1),
				minExperts: z.number().int().min(1).max(1000),
				unscoredItems: z.enum(['exclude', 'zero'])
			})
			.strict(),
		divergenceThreshold: z.number().finite().gt(0).max(100),
		decimals: z.number().int().min(0).max(6)
	})
	.strict();

type ParsedMethodology = z.infer<typeof methodologySchema>;

function pathToField(path: readonly PropertyKey[]): string {
	return path.length === 0 ? 'methodology' : path.map((p) => String(p)).join('.');
}

/** The rules across fields. Returns issues rather than throwing so all of them are reported at once. */
function consistencyIssues(m: ParsedMethodology): FieldIssue[] {
	const issues: FieldIssue[] = [];

	// Exactly the 23 objectives and 10 guiding principles, each once.
	const objectiveSeen = new Set<number>();
	m.objectives.forEach((o, i) => {
		if (objectiveSeen.has(o.number))
			issues.push({ field: `objectives.${i}.number`, message: `objective ${o.number} is listed twice` });
		objectiveSeen.add(o.number);
	});
	for (const o of OBJECTIVES) {
		if (!objectiveSeen.has(o.number)) issues.push({ field: 'objectives', message: `objective ${o.number} is missing` });
	}
	const principleSeen = new Set<string>();
	m.principles.forEach((p, i) => {
		if (principleSeen.has(p.key))
			issues.push({ field: `principles.${i}.key`, message: `principle ${p.key} is listed twice` });
		principleSeen.add(p.key);
	});
	for (const p of GUIDING_PRINCIPLES) {
		if (!principleSeen.has(p.key)) issues.push({ field: 'principles', message: `principle ${p.key} is missing` });
	}
	// Both sides of the overall score need something to score (its weights are both > 0).
	if (m.objectives.length > 0 && !m.objectives.some((o) => o.scored)) {
		issues.push({ field: 'objectives', message: 'at least one objective must be scored' });
	}
	if (m.principles.length > 0 && !m.principles.some((p) => p.scored)) {
		issues.push({ field: 'principles', message: 'at least one principle must be scored' });
	}

	// Variables: unique keys, `O<n>.<k>` agreeing with `objective`.
	const variableSeen = new Set<string>();
	const variablesPerObjective = new Map<number, number>();
	m.variables.forEach((v, i) => {
		if (variableSeen.has(v.key))
			issues.push({ field: `variables.${i}.key`, message: `duplicate variable key ${v.key}` });
		variableSeen.add(v.key);
		const match = VARIABLE_KEY_RE.exec(v.key);
		if (match && Number(match[1]) !== v.objective) {
			issues.push({
				field: `variables.${i}.objective`,
				message: `is ${v.objective} but the key ${v.key} names objective ${match[1]}`
			});
		}
		variablesPerObjective.set(v.objective, (variablesPerObjective.get(v.objective) ?? 0) + 1);
	});
	// With a policy component, a scored objective without any variable could never get a score.
	if (m.objectiveScoreSource.kind !== 'implementation') {
		m.objectives.forEach((o, i) => {
			if (o.scored && !variablesPerObjective.has(o.number)) {
				issues.push({
					field: `objectives.${i}`,
					message: `objective ${o.number} is scored from desk research but has no variables`
				});
			}
		});
	}

	// Answer scale: unique keys, exactly one N/A and one unknown, scored options valued 0–100.
	const answerSeen = new Set<string>();
	m.answerScale.forEach((a, i) => {
		if (answerSeen.has(a.key)) issues.push({ field: `answerScale.${i}.key`, message: `duplicate answer key ${a.key}` });
		answerSeen.add(a.key);
		if (a.kind === 'scored' && a.value === null) {
			issues.push({ field: `answerScale.${i}.value`, message: 'a scored option needs a value from 0 to 100' });
		}
		if (a.kind !== 'scored' && a.value !== null) {
			issues.push({ field: `answerScale.${i}.value`, message: `must be null for a ${a.kind} option` });
		}
	});
	for (const kind of ['not_applicable', 'unknown'] as const) {
		const count = m.answerScale.filter((a) => a.kind === kind).length;
		if (count !== 1) issues.push({ field: 'answerScale', message: `needs exactly one ${kind} option, found ${count}` });
	}
	if (!m.answerScale.some((a) => a.kind === 'scored')) {
		issues.push({ field: 'answerScale', message: 'needs at least one scored option' });
	}

	// Rating scale: unique integer values (scores 0–100 are checked by the schema).
	const ratingSeen = new Set<number>();
	m.ratingScale.forEach((r, i) => {
		if (ratingSeen.has(r.value))
			issues.push({ field: `ratingScale.${i}.value`, message: `duplicate rating value ${r.value}` });
		ratingSeen.add(r.value);
	});
	return issues;
}

/**
 * Parses and checks a methodology; throws validationError (VALIDATION_FAILED) listing every
 * issue with its field path (e.g. `variables.3.key`).
 */
export function parseMethodology(input: unknown): Methodology {
	const parsed = methodologySchema.safeParse(input);
	if (!parsed.success) {
		throw validationError(
			parsed.error.issues.map((i) => ({ field: pathToField(i.path), message: i.message })),
			'Invalid methodology'
		);
	}
	const issues = consistencyIssues(parsed.data);
	if (issues.length > 0)
		throw validationError(issues, `Invalid methodology: ${issues[0]?.field} ${issues[0]?.message}`);
	// The checks above establish what the interface's narrower types promise (objective numbers
	// 1–23, principle keys from the reference data), which zod's inferred type cannot express.
	return parsed.data as Methodology;
}

/** The parts of a methodology that change arithmetic, in a canonical order (text is left out). */
function scoringDefinition(m: Methodology): unknown {
	const principleOrder = new Map(GUIDING_PRINCIPLES.map((p, i) => [p.key, i]));
	return {
		key: m.key,
		version: m.version,
		objectives: [...m.objectives]
			.sort((a, b) => a.number - b.number)
			.map((o) => ({ number: o.number, scored: o.scored, weight: o.weight })),
		principles: [...m.principles]
			.sort((a, b) => (principleOrder.get(a.key) ?? 0) - (principleOrder.get(b.key) ?? 0))
			.map((p) => ({ key: p.key, scored: p.scored, weight: p.weight })),
		variables: [...m.variables]
			.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
			.map((v) => ({ key: v.key, objective: v.objective, weight: v.weight })),
		answerScale: [...m.answerScale]
			.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
			.map((a) => ({ key: a.key, kind: a.kind, value: a.value })),
		ratingScale: [...m.ratingScale].sort((a, b) => a.value - b.value).map((r) => ({ value: r.value, score: r.score })),
		weights: m.weights,
		objectiveScoreSource: m.objectiveScoreSource,
		missingData: m.missingData,
		divergenceThreshold: m.divergenceThreshold,
		decimals: m.decimals
	};
}

/** JSON with object keys sorted at every level, so equal values always give the same string. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * A stable fingerprint of everything in a methodology that affects scores (key, version, items,
 * weights, scales, rules, decimals — not titles, labels, questions or status). Two methodologies
 * with the same fingerprint give identical scores for identical inputs; trend comparisons can use
 * it to detect a "same version" whose arithmetic was edited while still a draft.
 */
export function methodologyFingerprint(m: Methodology): string {
	return `fnv1a64:${fnv1a64(canonicalJson(scoringDefinition(m)))}`;
}

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes: a short, dependency-free digest. It is an identity check
 * between versions we publish ourselves, not a security boundary, so a cryptographic hash is not needed.
 */
function fnv1a64(input: string): string {
	const prime = 0x100000001b3n;
	const mask = 0xffffffffffffffffn;
	let hash = 0xcbf29ce484222325n;
	for (const byte of new TextEncoder().encode(input)) {
		hash ^= BigInt(byte);
		hash = (hash * prime) & mask;
	}
	return hash.toString(16).padStart(16, '0');
}
