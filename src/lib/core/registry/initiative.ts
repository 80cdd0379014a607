/** The initiative: one row of the registry (Annex 2 and what came after it). */
import { z } from 'zod';
import { isCountryCode, isObjectiveNumber, isPrincipleKey } from '../reference';
import { parsePartialDate } from './partial-date';
import {
	ACTION_TYPES,
	DATE_PRECISIONS,
	INITIATOR_KINDS,
	SCOPES,
	VERIFICATION_STATUSES,
	type ActionType,
	type DatePrecision,
	type InitiatorKind,
	type RecordStatus,
	type Scope,
	type VerificationStatus
} from './vocabulary';

export interface Source {
	citation: string;
	url: string | null;
}

export interface InitiativeInput {
	key: string;
	title: string;
	description: string;
	actionType: ActionType;
	initiatorKinds: InitiatorKind[];
	initiators: string[];
	scope: Scope;
	regionalScope: boolean;
	region: string | null;
	countries: string[];
	dateStart: string | null;
	dateEnd: string | null;
	datePrecision: DatePrecision;
	dateText: string | null;
	predatesGcm: boolean;
	objectives: number[];
	principles: string[];
	sources: Source[];
	verificationStatus: VerificationStatus;
	reportTable: string | null;
	reportRow: number | null;
	originalText: string | null;
}

export interface Initiative extends InitiativeInput {
	id: string;
	status: RecordStatus;
	version: number;
	createdAt: string;
	updatedAt: string;
}

/** Limits shared by forms, API and file import. */
export const LIMITS = {
	key: 80,
	title: 300,
	description: 10_000,
	name: 300,
	region: 120,
	citation: 1_000,
	url: 2_000,
	dateText: 200,
	originalText: 20_000,
	listItems: 60
} as const;

/** Text without NUL bytes or other C0 controls except tab and newlines (PostgreSQL rejects NUL). */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const cleanText = (max: number) =>
	z
		.string()
		.max(max, { message: `must be at most ${max} characters` })
		.refine((s) => !CONTROL_RE.test(s), { message: 'contains control characters (e.g. NUL bytes)' });

const nonEmpty = (max: number) => cleanText(max).refine((s) => s.trim().length > 0, { message: 'is required' });

const partialDate = z
	.string()
	.refine((s) => parsePartialDate(s) !== null, { message: 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD' });

const httpUrl = cleanText(LIMITS.url).refine(
	(s) => {
		try {
			const u = new URL(s);
			return u.protocol === 'http:' || u.protocol === 'https:';
		} catch {
			return false;
		}
	},
	{ message: 'must be an http(s) URL' }
);

export const initiativeInputSchema = z
	.object({
		key: z
			.string()
			.regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must use lowercase letters, digits, dot, dash or underscore' })
			.max(LIMITS.key),
		title: nonEmpty(LIMITS.title),
		description: cleanText(LIMITS.description),
		actionType: z.enum(ACTION_TYPES),
		initiatorKinds: z.array(z.enum(INITIATOR_KINDS)).max(INITIATOR_KINDS.length),
		initiators: z
			.array(nonEmpty(LIMITS.name).refine((s) => !s.includes(';'), { message: 'must not contain ";"' }))
			.max(LIMITS.listItems),
		scope: z.enum(SCOPES),
		regionalScope: z.boolean(),
		region: cleanText(LIMITS.region).nullable(),
		countries: z.array(z.string().refine(isCountryCode, { message: 'is not an ISO 3166-1 alpha-3 code' })).max(300),
		dateStart: partialDate.nullable(),
		dateEnd: partialDate.nullable(),
		datePrecision: z.enum(DATE_PRECISIONS),
		dateText: cleanText(LIMITS.dateText).nullable(),
		predatesGcm: z.boolean(),
		objectives: z
			.array(z.number().int().refine(isObjectiveNumber, { message: 'is not a GCM objective (1-23)' }))
			.max(23),
		principles: z.array(z.string().refine(isPrincipleKey, { message: 'is not a guiding principle key' })).max(10),
		sources: z.array(z.object({ citation: nonEmpty(LIMITS.citation), url: httpUrl.nullable() }).strict()).max(20),
		verificationStatus: z.enum(VERIFICATION_STATUSES),
		reportTable: cleanText(80).nullable(),
		reportRow: z.number().int().positive().nullable(),
		originalText: cleanText(LIMITS.originalText).nullable()
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.dateEnd && !v.dateStart) {
			ctx.addIssue({ code: 'custom', path: ['dateEnd'], message: 'needs a start date' });
		}
		if (v.dateStart && v.dateEnd) {
			const s = parsePartialDate(v.dateStart);
			const e = parsePartialDate(v.dateEnd);
			if (s && e && e.last < s.first) {
				ctx.addIssue({ code: 'custom', path: ['dateEnd'], message: 'is before the start date' });
			}
		}
		const p = v.dateStart ? parsePartialDate(v.dateStart)?.precision : undefined;
		if (p && v.datePrecision !== p) {
			ctx.addIssue({
				code: 'custom',
				path: ['datePrecision'],
				message: `must be "${p}" for start date ${v.dateStart}`
			});
		}
		if (!v.dateStart && ['day', 'month', 'year'].includes(v.datePrecision)) {
			ctx.addIssue({ code: 'custom', path: ['datePrecision'], message: 'needs a start date' });
		}
		if (v.datePrecision === 'predates_gcm' && !v.predatesGcm) {
			ctx.addIssue({
				code: 'custom',
				path: ['predatesGcm'],
				message: 'must be true when the date precision is "predates_gcm"'
			});
		}
		if (v.regionalScope && v.scope !== 'regional') {
			ctx.addIssue({ code: 'custom', path: ['scope'], message: 'must be "regional" when regional_scope is true' });
		}
	});

/** Dedupe and sort list fields so the stored form is canonical. */
export function normalizeInitiativeInput(input: InitiativeInput): InitiativeInput {
	const uniq = <T>(xs: T[]) => [...new Set(xs)];
	return {
		...input,
		title: input.title.trim(),
		description: input.description.trim(),
		initiatorKinds: uniq(input.initiatorKinds),
		initiators: uniq(input.initiators.map((s) => s.trim())),
		countries: uniq(input.countries).sort(),
		objectives: uniq(input.objectives).sort((a, b) => a - b),
		principles: uniq(input.principles).sort(),
		region: input.region?.trim() || null
	};
}
