/**
 * API tokens for scripts, and what a token may do. Runs on the /account/tokens page (create, list,
 * revoke), on every /api request that carries `Authorization: Bearer …` (authenticate), and on
 * the write API, which acts through the initiative workflow service with the token's owner as
 * the viewer (channel `api`), narrowed further by the token. See docs/security.md.
 *
 * A token never does more than its account may (the workflow service checks the policy on every
 * call, with the account's role, organisations and countries read fresh); on top of that a `read`
 * token never writes, and a token narrowed to an organisation and/or a country only acts on
 * records of that organisation / concerning that country. Outside its narrowing a token sees
 * what the public sees: unpublished records are "not found" (404), published ones are readable
 * but not writable (403).
 */
import { randomBytes } from 'node:crypto';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import { redactSecrets } from '../../core/accounts/redact';
import { requiresMfa } from '../../core/accounts/roles';
import { isCountryCode } from '../../core/reference';
import { cleanText } from '../../core/registry/initiative';
import { DomainError, validationError } from '../../core/shared/errors';
import {
	countLiveApiTokens,
	findApiTokenByHash,
	findUserApiToken,
	insertApiToken,
	listUserApiTokens,
	listUserOrganisations,
	revokeApiToken,
	touchApiToken,
	type ApiTokenRecord,
	type TokenAccess
} from '../db/api-token.repository';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database, Db } from '../db/client';
import { findAccessFacts } from '../db/organisation.repository';
import { createRateLimiter, type RateLimiter, type RateLimitStore } from '../http/rate-limit';
import { actorOf, sha256Hex, type AccountUser, type MfaState, type RequestContext } from './account.service';
import {
	createInitiativeWorkflowService,
	type HistoryEntry,
	type InitiativeWorkflowService,
	type WorkflowInitiative,
	type WorkflowStep
} from './initiative-workflow.service';
import { createTokenRecordApi, stringList, withinNarrowing } from './record-api.service';

export type { ApiTokenRecord, TokenAccess };
export { withinNarrowing };

/** Every token starts with this, so secret scanners and people can recognise one. */
export const API_TOKEN_PREFIX = 'gcm_';
/** 32 random bytes, base64url without padding. */
const SECRET_RE = /^gcm_[A-Za-z0-9_-]{43}$/;
export const TOKEN_HINT_LENGTH = 6;
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
/** Live (unrevoked, unexpired) tokens per account: enough for any set of scripts, bounded against abuse. */
export const MAX_LIVE_TOKENS = 50;
/** last_used_at is written at most this often per token. */
export const TOKEN_TOUCH_MS = 60_000;
const DAY_MS = 24 * 60 * 60_000;

export type TokenState = 'active' | 'expired' | 'revoked';

export interface ApiTokenSummary extends ApiTokenRecord {
	state: TokenState;
}

/** Who is calling the API with a valid token: the token's limits and its owner as they are now. */
export interface ApiPrincipal {
	tokenId: string;
	name: string;
	access: TokenAccess;
	organisationId: string | null;
	country: string | null;
	user: AccountUser;
}

export interface CreatedToken {
	/** The secret: shown once, never stored (only its SHA-256 is). */
	token: string;
	summary: ApiTokenSummary;
}

export interface ApiTokenServiceOptions {
	now?: () => Date;
	/** Where the bearer limiter keeps its state (in memory, or the database's rate_limit table). */
	rateLimitStore?: RateLimitStore;
	/** Failed bearer authentications per client IP. */
	bearerLimiter?: RateLimiter;
	workflow?: InitiativeWorkflowService;
}

const emptyToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

const createSchema = z
	.object({
		name: cleanText(100).transform((s) => s.trim()),
		access: z.enum(['read', 'write'], { message: 'must be read or write' }),
		organisationId: z.preprocess(emptyToNull, z.uuid({ message: 'is not an organisation' }).nullable()),
		country: z.preprocess(
			(v) => (typeof v === 'string' ? emptyToNull(v.trim().toUpperCase()) : emptyToNull(v)),
			z.string().refine(isCountryCode, { message: 'is not an ISO 3166-1 alpha-3 code' }).nullable()
		),
		expiresInDays: z.preprocess(
			(v) => (v === '' || v === undefined || v === null ? DEFAULT_TOKEN_DAYS : typeof v === 'string' ? Number(v) : v),
			z
				.number({ message: `must be a number of days from 1 to ${MAX_TOKEN_DAYS}` })
				.int({ message: 'must be a whole number of days' })
				.min(1, { message: 'must be at least 1 day' })
				.max(MAX_TOKEN_DAYS, { message: `must be at most ${MAX_TOKEN_DAYS} days` })
		)
	})
	.strict()
	.refine((v) => v.name.length > 0, { path: ['name'], message: 'is required' });

/** What the form sends (validated by the service: anything else is VALIDATION_FAILED). */
export type CreateTokenInput = Partial<
	Record<'name' | 'access' | 'organisationId' | 'country' | 'expiresInDays', unknown>
>;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function stateOf(t: ApiTokenRecord, now: Date): TokenState {
	if (t.revokedAt) return 'revoked';
	return t.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

const invalidToken = () => new DomainError('API_TOKEN_INVALID', 'The access token is invalid, expired or revoked.');

export function createApiTokenService(database: Database, options: ApiTokenServiceOptions = {}) {
	const { db } = database;
	const now = options.now ?? (() => new Date());
	const workflow = options.workflow ?? createInitiativeWorkflowService(database, { now });
	// The initiative write API: the same per-kind code as practices and actors (record-api.service.ts).
	const initiatives = createTokenRecordApi(database, {
		type: 'initiative',
		notFound: 'INITIATIVE_NOT_FOUND',
		workflow,
		inputCountries: (input) => stringList(input.countries),
		countriesField: 'countries'
	});
	const bearerLimiter =
		options.bearerLimiter ??
		createRateLimiter({ now: () => now().getTime(), scope: 'bearer', store: options.rateLimitStore });

	async function audit(
		tx: Tx,
		ctx: RequestContext,
		user: AccountUser,
		action: string,
		tokenId: string,
		changes: Record<string, unknown>
	): Promise<void> {
		const actor = actorOf(user);
		await insertAuditEvent(tx, {
			at: now(),
			actorId: actor.id,
			actorLabel: actor.label,
			actorRole: actor.role,
			action,
			objectType: 'api_token',
			objectId: tokenId,
			// The secret and its hash are never passed in; redaction is the second line of defence.
			changes: redactSecrets(changes),
			requestId: ctx.requestId,
			channel: ctx.channel
		});
	}

	return {
		// Token management (the /account/tokens page) ------------------------------------------

		/** The organisations and countries the account may narrow a token to. */
		async choices(user: AccountUser): Promise<{ organisations: { id: string; name: string }[]; countries: string[] }> {
			const [organisations, facts] = [await listUserOrganisations(db, user.id), await findAccessFacts(db, user.id)];
			return { organisations, countries: facts.countries };
		},

		/** Every token of the account, newest first, with its state. */
		async list(user: AccountUser): Promise<ApiTokenSummary[]> {
			const at = now();
			return (await listUserApiTokens(db, user.id)).map((t) => ({ ...t, state: stateOf(t, at) }));
		},

		/**
		 * Creates a token and returns its secret once. Needs a fully signed-in session (for admins and
		 * coordinators that means the second factor was checked). Narrowing is limited to the
		 * account's own organisations and country scopes: it can only restrict, never extend.
		 */
		async create(
			ctx: RequestContext,
			session: { user: AccountUser; mfa: MfaState } | null,
			input: CreateTokenInput
		): Promise<CreatedToken> {
			if (!session) throw new DomainError('AUTH_REQUIRED', 'Sign in first.');
			if (session.mfa !== 'ok') {
				throw new DomainError('FORBIDDEN', 'Complete two-step sign-in before creating an API token.');
			}
			const user = session.user;
			const parsed = createSchema.safeParse(input);
			if (!parsed.success) {
				throw validationError(
					parsed.error.issues.map((i) => ({
						field: i.code === 'unrecognized_keys' ? i.keys.join(', ') : i.path.map(String).join('.') || 'input',
						message: i.message
					}))
				);
			}
			const v = parsed.data;
			const facts = await findAccessFacts(db, user.id);
			if (v.organisationId !== null && !facts.organisationIds.includes(v.organisationId)) {
				throw validationError([{ field: 'organisationId', message: 'is not one of your organisations' }]);
			}
			if (v.country !== null && !facts.countries.includes(v.country)) {
				throw validationError([{ field: 'country', message: 'is not one of your countries' }]);
			}
			const token = `${API_TOKEN_PREFIX}${encodeBase64urlNoPadding(randomBytes(32))}`;
			const hint = token.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + TOKEN_HINT_LENGTH);
			return db.transaction(async (tx) => {
				const at = now();
				if ((await countLiveApiTokens(tx, user.id, at)) >= MAX_LIVE_TOKENS) {
					throw validationError([
						{ field: 'name', message: `you already have ${MAX_LIVE_TOKENS} active tokens; revoke one first` }
					]);
				}
				const expiresAt = new Date(at.getTime() + v.expiresInDays * DAY_MS);
				const id = await insertApiToken(tx, {
					userId: user.id,
					name: v.name,
					hash: sha256Hex(token),
					hint,
					access: v.access,
					organisationId: v.organisationId,
					country: v.country,
					createdAt: at,
					expiresAt
				});
				await audit(tx, ctx, user, 'api_token.created', id, {
					name: { before: null, after: v.name },
					access: { before: null, after: v.access },
					organisation_id: { before: null, after: v.organisationId },
					country: { before: null, after: v.country },
					expires_at: { before: null, after: expiresAt.toISOString() },
					hint: { before: null, after: hint }
				});
				const record = await findUserApiToken(tx, user.id, id);
				if (!record) throw new Error(`api_token ${id} vanished inside its own transaction`);
				return { token, summary: { ...record, state: 'active' as const } };
			});
		},

		/** Revokes one of the account's tokens at once; TOKEN not found when it is not theirs or already revoked. */
		async revoke(ctx: RequestContext, user: AccountUser, tokenId: string): Promise<void> {
			const id = z.uuid().safeParse(tokenId);
			if (!id.success) throw new DomainError('NOT_FOUND', 'No such token.');
			await db.transaction(async (tx) => {
				const at = now();
				const existing = await findUserApiToken(tx, user.id, id.data);
				if (!existing || !(await revokeApiToken(tx, user.id, id.data, at))) {
					throw new DomainError('NOT_FOUND', 'No such token, or it is already revoked.');
				}
				await audit(tx, ctx, user, 'api_token.revoked', id.data, {
					revoked_at: { before: null, after: at.toISOString() }
				});
			});
		},

		// Authentication (hooks.server.ts, for /api requests with an Authorization header) ---------

		/**
		 * The principal behind an `Authorization` header value. Anything else than a live `Bearer gcm_…`
		 * token of an active account is API_TOKEN_INVALID; failures are counted per client IP and,
		 * after too many, RATE_LIMITED (the seconds to wait in issues[0].message). A success does not
		 * clear the counter: one valid token must not let its holder keep guessing others.
		 */
		async authenticate(ctx: RequestContext, authorization: string): Promise<ApiPrincipal> {
			const key = `bearer:${ctx.clientAddress ?? 'unknown'}`;
			const gate = await bearerLimiter.check(key);
			if (!gate.allowed) {
				throw new DomainError('RATE_LIMITED', 'Too many failed authentications; try again later.', [
					{ field: 'retry_after', message: String(gate.retryAfterSeconds) }
				]);
			}
			const match = /^Bearer +(\S+) *$/i.exec(authorization.slice(0, 300));
			const secret = match?.[1] ?? '';
			const found = SECRET_RE.test(secret) ? await findApiTokenByHash(db, sha256Hex(secret)) : null;
			const at = now();
			const usable =
				found !== null &&
				found.token.revokedAt === null &&
				found.token.expiresAt.getTime() > at.getTime() &&
				found.user.status === 'active' &&
				// An account whose role requires two-step sign-in but has none set up cannot use tokens either.
				!(requiresMfa(found.user.role) && !found.user.totpEnabled);
			if (!found || !usable) {
				const next = await bearerLimiter.fail(key);
				if (!next.allowed) {
					throw new DomainError('RATE_LIMITED', 'Too many failed authentications; try again later.', [
						{ field: 'retry_after', message: String(next.retryAfterSeconds) }
					]);
				}
				throw invalidToken();
			}
			await touchApiToken(db, found.token.id, at, TOKEN_TOUCH_MS);
			const { user, token } = found;
			return {
				tokenId: token.id,
				name: token.name,
				access: token.access,
				organisationId: token.organisationId,
				country: token.country,
				user: {
					id: user.id,
					email: user.email,
					displayName: user.displayName,
					role: user.role,
					totpEnabled: user.totpEnabled
				}
			};
		},

		// The write API (/api/v1/initiatives …), acting through the workflow service -------------------

		/** One record the account and the token may read, in any status. */
		getInitiative(p: ApiPrincipal, id: string): Promise<WorkflowInitiative> {
			return initiatives.get(p, id);
		},

		/**
		 * Creates a draft. `ownerOrganisationId` (optional) defaults to the token's organisation, else
		 * the workflow's default (the account's only organisation).
		 */
		createInitiative(
			ctx: RequestContext,
			p: ApiPrincipal,
			input: Record<string, unknown>,
			ownerOrganisationId?: unknown
		): Promise<WorkflowInitiative> {
			return initiatives.create(ctx, p, input, ownerOrganisationId);
		},

		/** PATCH: the fields sent, from the version in If-Match. */
		updateInitiative(
			ctx: RequestContext,
			p: ApiPrincipal,
			id: string,
			expectedVersion: number,
			patch: Record<string, unknown>
		): Promise<WorkflowInitiative> {
			return initiatives.update(ctx, p, id, expectedVersion, patch);
		},

		/** A workflow step (submit, approve, requestChanges, publish, unpublish, archive) from the version in If-Match. */
		stepInitiative(
			ctx: RequestContext,
			p: ApiPrincipal,
			step: WorkflowStep,
			id: string,
			expectedVersion: number,
			comment?: unknown
		): Promise<WorkflowInitiative> {
			return initiatives.step(ctx, p, step, id, expectedVersion, comment);
		},

		/**
		 * The history as the workflow shows it to the account; for a published record outside the
		 * token's narrowing, the public history (the token acts as the public there). The view says which
		 * one was answered, so the route maps snapshots in the matching shape.
		 */
		initiativeHistory(p: ApiPrincipal, id: string): Promise<{ view: 'full' | 'public'; entries: HistoryEntry[] }> {
			return initiatives.history(p, id);
		}
	};
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
