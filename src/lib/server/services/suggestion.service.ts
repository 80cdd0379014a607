/**
 * Public suggestions of initiatives (issue #3): anyone may suggest a record through the open form
 * (rate-limited per client address, honeypot-protected, never published by itself); coordinators
 * and admins triage the queue — accept makes a draft through the workflow service, reject records a
 * reason. Runs on the public suggest form and the workspace suggestions pages.
 *
 * Who triages (decision, written down in docs/security.md terms):
 * - `admin`: every suggestion.
 * - `coordinator`: suggestions naming at least one of the countries they are scoped to. A suggestion
 *   that names no country (a global initiative) is for admins only.
 * - Reviewers, editors and contributors do not see the queue: suggestions may carry a submitter's
 *   contact (personal data), so it is shown to as few people as the work needs; reviewers check
 *   records already in review, while triage is a coordination task.
 * Accepting creates the draft as the accepting person, so it also needs `initiative.create` in the
 * access policy (core/access), checked against the draft as it would be created: coordinators create
 * drafts concerning their countries, which every suggestion in their queue names.
 */
import { z } from 'zod';
import { cleanText, type InitiativeInput } from '../../core/registry/initiative';
import { parsePartialDate } from '../../core/registry/partial-date';
import { ACTION_TYPES, type ActionType, type DatePrecision, type Scope } from '../../core/registry/vocabulary';
import { isCountryCode } from '../../core/reference';
import { DomainError, validationError, type FieldIssue } from '../../core/shared/errors';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database } from '../db/client';
import {
	claimSuggestion,
	findSuggestion,
	insertSuggestion,
	linkSuggestion,
	listSuggestions,
	rejectionReasons,
	rejectSuggestion,
	releaseSuggestion,
	type SuggestionRow,
	type SuggestionStatus
} from '../db/suggestion.repository';
import { createRateLimiter, type RateLimitOptions, type RateLimitStore } from '../http/rate-limit';
import type { RequestContext } from './account.service';
import type { InitiativeWorkflowService } from './initiative-workflow.service';
import type { Viewer } from './viewer';

export const SUGGESTION_LIMITS = {
	title: 300,
	description: 5_000,
	countries: 20,
	citation: 500,
	url: 2_000,
	contact: 320,
	reason: 2_000
} as const;

/**
 * At most 5 suggestions per client address per hour; the next one waits an hour (doubling up to a
 * day for an address that keeps trying). Honeypot hits count too, invalid forms do not (people
 * fixing their typos are not flooding anyone).
 */
export const SUGGESTION_RATE_LIMITS: Omit<RateLimitOptions, 'now'> = {
	maxFailures: 5,
	windowMs: 60 * 60_000,
	baseLockoutMs: 60 * 60_000,
	maxLockoutMs: 24 * 60 * 60_000,
	forgetAfterMs: 24 * 60 * 60_000,
	maxKeys: 50_000
};

const nonEmpty = (max: number) => cleanText(max).refine((s) => s.trim().length > 0, { message: 'is required' });
const optionalText = (max: number) =>
	cleanText(max)
		.nullable()
		.transform((s) => (s === null || s.trim() === '' ? null : s.trim()));

/** Required, and http(s): one message per problem (an empty field is "required", not also "not a URL"). */
const httpUrl = cleanText(SUGGESTION_LIMITS.url).superRefine((s, ctx) => {
	if (s.trim() === '') {
		ctx.addIssue({ code: 'custom', message: 'is required' });
		return;
	}
	let ok = false;
	try {
		const u = new URL(s.trim());
		ok = u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		ok = false;
	}
	if (!ok) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
});

/** What a suggestion holds (stored as `suggestion.payload`; the contact is a separate column). */
export const suggestionPayloadSchema = z
	.object({
		title: nonEmpty(SUGGESTION_LIMITS.title).transform((s) => s.trim()),
		description: nonEmpty(SUGGESTION_LIMITS.description).transform((s) => s.trim()),
		countries: z
			.array(z.string().refine(isCountryCode, { message: 'is not an ISO 3166-1 alpha-3 code' }))
			.max(SUGGESTION_LIMITS.countries, { message: `must name at most ${SUGGESTION_LIMITS.countries} countries` })
			.transform((cs) => [...new Set(cs)].sort()),
		actionType: z.enum(ACTION_TYPES, { message: 'must be one of the types of action' }),
		date: z
			.string()
			.nullable()
			.transform((s) => (s === null || s.trim() === '' ? null : s.trim()))
			.refine((s) => s === null || parsePartialDate(s) !== null, {
				message: 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD'
			}),
		sourceUrl: httpUrl.transform((s) => s.trim()),
		sourceCitation: optionalText(SUGGESTION_LIMITS.citation)
	})
	.strict();
export type SuggestionPayload = z.output<typeof suggestionPayloadSchema>;

const submissionSchema = z
	.object({
		payload: suggestionPayloadSchema,
		contact: optionalText(SUGGESTION_LIMITS.contact)
	})
	.strict();

const reasonSchema = cleanText(SUGGESTION_LIMITS.reason).refine((s) => s.trim().length > 0, {
	message: 'is required'
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SuggestionSubmission {
	payload: unknown;
	contact?: unknown;
	/** The honeypot field: people leave it empty; a bot that fills it is told "thank you" and dropped. */
	honeypot?: unknown;
}

export type SubmitOutcome =
	| { outcome: 'stored'; id: string }
	/** A filled honeypot: answered like a success, stored nowhere. */
	| { outcome: 'discarded' }
	| { outcome: 'rate_limited'; retryAfterSeconds: number };

export interface Suggestion {
	id: string;
	payload: SuggestionPayload;
	contact: string | null;
	status: SuggestionStatus;
	initiativeId: string | null;
	reviewedAt: string | null;
	submittedAt: string;
	/** Why it was rejected (from the audit trail), for rejected suggestions. */
	rejectionReason: string | null;
}

export interface SuggestionServiceOptions {
	now?: () => Date;
	rateLimits?: Partial<RateLimitOptions>;
	/** Where the per-address limiter keeps its state (in memory, or the database's rate_limit table). */
	rateLimitStore?: RateLimitStore;
}

function issuesOf(error: z.ZodError): FieldIssue[] {
	return error.issues.flatMap((i): FieldIssue[] =>
		i.code === 'unrecognized_keys'
			? i.keys.map((k) => ({ field: k, message: 'is not a field of a suggestion' }))
			: [
					{
						field:
							i.path
								.filter((p) => p !== 'payload')
								.map(String)
								.join('.') || 'input',
						message: i.message
					}
				]
	);
}

/** Which suggestions a viewer triages: all, those naming one of some countries, or none. */
function queueScope(viewer: Viewer): { countries: readonly string[] | null } | null {
	if (viewer.kind === 'system') return { countries: null };
	if (viewer.kind !== 'user') return null;
	if (viewer.user.role === 'admin') return { countries: null };
	if (viewer.user.role === 'coordinator') return { countries: viewer.user.countries };
	return null;
}

function inScope(scope: { countries: readonly string[] | null }, payload: SuggestionPayload): boolean {
	return scope.countries === null || payload.countries.some((c) => scope.countries!.includes(c));
}

function actorOf(viewer: Viewer): { id: string | null; label: string; role: string | null } {
	if (viewer.kind === 'user') return { id: viewer.user.id, label: viewer.user.label, role: viewer.user.role };
	if (viewer.kind === 'system') return { id: null, label: 'cli', role: 'system' };
	return { id: null, label: 'anonymous', role: null };
}

/** The draft a suggestion becomes: the submitted facts, everything else left for the editor to fill in. */
export function draftFromSuggestion(id: string, p: SuggestionPayload): InitiativeInput {
	const date = p.date ? parsePartialDate(p.date) : null;
	// One country is a national record, several a regional one, none a global one (editors may change it).
	const scope: Scope = p.countries.length === 0 ? 'global' : p.countries.length === 1 ? 'national' : 'regional';
	let citation = p.sourceCitation;
	if (!citation) {
		try {
			citation = new URL(p.sourceUrl).hostname || p.sourceUrl;
		} catch {
			citation = p.sourceUrl;
		}
	}
	return {
		key: `suggestion-${id.toLowerCase()}`,
		title: p.title,
		description: p.description,
		actionType: p.actionType as ActionType,
		initiatorKinds: ['to_be_defined'],
		initiators: [],
		scope,
		regionalScope: false,
		region: null,
		countries: p.countries,
		dateStart: date ? date.text : null,
		dateEnd: null,
		datePrecision: (date ? date.precision : 'unknown') satisfies DatePrecision,
		dateText: null,
		predatesGcm: false,
		objectives: [],
		principles: [],
		sources: [{ citation: citation.slice(0, 1_000), url: p.sourceUrl }],
		// Taken from the source the submitter named; nobody has verified it yet.
		verificationStatus: 'reported',
		reportTable: null,
		reportRow: null,
		originalText: null
	};
}

export function createSuggestionService(
	database: Database,
	workflow: InitiativeWorkflowService,
	options: SuggestionServiceOptions = {}
) {
	const { db } = database;
	const now = options.now ?? (() => new Date());
	const limiter = createRateLimiter({
		...SUGGESTION_RATE_LIMITS,
		scope: 'suggestion',
		store: options.rateLimitStore,
		now: () => now().getTime(),
		...options.rateLimits
	});

	function toSuggestion(row: SuggestionRow, reason: string | null): Suggestion {
		// Stored payloads were validated on the way in; parse again so a hand-edited row cannot break pages.
		const parsed = suggestionPayloadSchema.safeParse(row.payload);
		const payload: SuggestionPayload = parsed.success
			? parsed.data
			: {
					title: '(unreadable suggestion)',
					description: '',
					countries: [],
					actionType: 'other',
					date: null,
					sourceUrl: 'https://invalid.example',
					sourceCitation: null
				};
		return {
			id: row.id,
			payload,
			contact: row.contact,
			status: row.status,
			initiativeId: row.initiativeId,
			reviewedAt: row.reviewedAt,
			submittedAt: row.submittedAt,
			rejectionReason: reason
		};
	}

	function requireScope(viewer: Viewer): { countries: readonly string[] | null } {
		const scope = queueScope(viewer);
		if (!scope) {
			throw viewer.kind === 'public'
				? new DomainError('AUTH_REQUIRED', 'Sign in to see suggestions.')
				: new DomainError('FORBIDDEN', 'You may not review suggestions.');
		}
		return scope;
	}

	/** A suggestion the viewer may triage; anything else (unknown, out of scope) is NOT_FOUND. */
	async function loadInScope(viewer: Viewer, id: string): Promise<{ row: SuggestionRow; suggestion: Suggestion }> {
		const scope = requireScope(viewer);
		const row = UUID_RE.test(id) ? await findSuggestion(db, id) : null;
		if (!row) throw new DomainError('NOT_FOUND', 'No such suggestion');
		const suggestion = toSuggestion(row, (await rejectionReasons(db, [row.id])).get(row.id) ?? null);
		if (!inScope(scope, suggestion.payload)) throw new DomainError('NOT_FOUND', 'No such suggestion');
		return { row, suggestion };
	}

	/** Whether the policy lets the viewer create the draft (countries: the suggestion's; null: any of theirs). */
	function mayCreateDrafts(viewer: Viewer, countries: readonly string[] | null): boolean {
		return workflow.mayCreate(viewer, countries);
	}

	return {
		/** Stores a suggestion from the public form. Never publishes anything. */
		async submit(ctx: RequestContext, input: SuggestionSubmission): Promise<SubmitOutcome> {
			const key = ctx.clientAddress ?? 'unknown';
			const allowed = await limiter.check(key);
			if (!allowed.allowed) return { outcome: 'rate_limited', retryAfterSeconds: allowed.retryAfterSeconds };
			if (typeof input.honeypot === 'string' && input.honeypot.trim() !== '') {
				await limiter.fail(key);
				return { outcome: 'discarded' };
			}
			const parsed = submissionSchema.safeParse({ payload: input.payload, contact: input.contact ?? null });
			if (!parsed.success) throw validationError(issuesOf(parsed.error));
			const id = await insertSuggestion(db, { payload: parsed.data.payload, contact: parsed.data.contact, at: now() });
			await limiter.fail(key);
			return { outcome: 'stored', id };
		},

		/** Whether the viewer sees the suggestions queue at all (for links and the workspace page). */
		canTriage(viewer: Viewer): boolean {
			return queueScope(viewer) !== null;
		},

		/** Whether accepting (making a draft as this viewer) is allowed by the access policy. */
		canAccept(viewer: Viewer): boolean {
			return queueScope(viewer) !== null && mayCreateDrafts(viewer, null);
		},

		/** The queue (newest first, at most 200) of the viewer's scope. */
		async list(viewer: Viewer, status: SuggestionStatus = 'new'): Promise<Suggestion[]> {
			const scope = requireScope(viewer);
			const found = await listSuggestions(db, { status, countries: scope.countries, limit: 200 });
			const reasons =
				status === 'rejected'
					? await rejectionReasons(
							db,
							found.map((r) => r.id)
						)
					: new Map();
			return found.map((r) => toSuggestion(r, reasons.get(r.id) ?? null));
		},

		async get(viewer: Viewer, id: string): Promise<Suggestion> {
			return (await loadInScope(viewer, id)).suggestion;
		},

		/**
		 * Accepts a new suggestion: claims it (so a second reviewer gets CONFLICT), creates the draft
		 * through the workflow service (its own transaction: draft, revision, `initiative.created`
		 * audit), then links the draft and writes `suggestion.accepted` in one transaction. If the draft
		 * cannot be created, the claim is undone and the suggestion stays in the queue.
		 */
		async accept(ctx: RequestContext, viewer: Viewer, id: string): Promise<{ initiativeId: string }> {
			const { suggestion } = await loadInScope(viewer, id);
			if (!mayCreateDrafts(viewer, suggestion.payload.countries)) {
				throw new DomainError('FORBIDDEN', 'Your role may not create draft initiatives.');
			}
			if (suggestion.status !== 'new') {
				throw new DomainError('CONFLICT', `This suggestion was already ${suggestion.status}.`);
			}
			const actor = actorOf(viewer);
			const at = now();
			if (!(await claimSuggestion(db, id, actor.id, at))) {
				throw new DomainError('CONFLICT', 'Someone else decided on this suggestion first.');
			}
			let initiativeId: string;
			try {
				const draft = await workflow.create(ctx, viewer, draftFromSuggestion(id, suggestion.payload));
				initiativeId = draft.id;
			} catch (err) {
				await releaseSuggestion(db, id);
				throw err;
			}
			await db.transaction(async (tx) => {
				if (!(await linkSuggestion(tx, id, initiativeId))) {
					throw new Error(`suggestion ${id} lost its claim while its draft was created`);
				}
				await insertAuditEvent(tx, {
					at,
					actorId: actor.id,
					actorLabel: actor.label,
					actorRole: actor.role,
					action: 'suggestion.accepted',
					objectType: 'suggestion',
					objectId: id,
					changes: {
						status: { before: 'new', after: 'accepted' },
						initiativeId: { before: null, after: initiativeId }
					},
					requestId: ctx.requestId,
					channel: ctx.channel
				});
			});
			return { initiativeId };
		},

		/** Rejects a new suggestion with a reason (kept in the audit trail, shown in the workspace only). */
		async reject(ctx: RequestContext, viewer: Viewer, id: string, reason: unknown): Promise<void> {
			const { suggestion } = await loadInScope(viewer, id);
			const parsed = reasonSchema.safeParse(reason);
			if (!parsed.success) {
				throw validationError([{ field: 'reason', message: parsed.error.issues[0]?.message ?? 'is invalid' }]);
			}
			if (suggestion.status !== 'new') {
				throw new DomainError('CONFLICT', `This suggestion was already ${suggestion.status}.`);
			}
			const actor = actorOf(viewer);
			const at = now();
			await db.transaction(async (tx) => {
				if (!(await rejectSuggestion(tx, id, actor.id, at))) {
					throw new DomainError('CONFLICT', 'Someone else decided on this suggestion first.');
				}
				await insertAuditEvent(tx, {
					at,
					actorId: actor.id,
					actorLabel: actor.label,
					actorRole: actor.role,
					action: 'suggestion.rejected',
					objectType: 'suggestion',
					objectId: id,
					changes: {
						status: { before: 'new', after: 'rejected' },
						reason: { before: null, after: parsed.data.trim() }
					},
					requestId: ctx.requestId,
					channel: ctx.channel
				});
			});
		}
	};
}

export type SuggestionService = ReturnType<typeof createSuggestionService>;
