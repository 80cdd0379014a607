/**
 * Accounts: sign-in, server-side sessions, TOTP second factor, invitations and password links.
 * Runs on every request that carries a session cookie (validateSession), on the /account pages
 * and on `gcm user …`. Every state change writes its audit_event in the same transaction, so a
 * failed audit insert rolls the change back (fail closed). See docs/security.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { z } from 'zod';
import { diffFields } from '../../core/accounts/diff';
import { checkPassword } from '../../core/accounts/password';
import { redactSecrets } from '../../core/accounts/redact';
import { isRole, normalizeEmail, requiresMfa, type Role } from '../../core/accounts/roles';
import { totpUri, verifyTotp } from '../../core/accounts/totp';
import { DomainError } from '../../core/shared/errors';
import {
	claimTotpStep,
	consumeRecoveryCode,
	consumeToken,
	countUnusedRecoveryCodes,
	deleteExpiredSessions,
	deleteSession,
	deleteUserSessions,
	findSessionWithUser,
	findToken,
	findUserByEmail,
	findUserById,
	insertSession,
	insertToken,
	insertUser,
	replaceRecoveryCodes,
	retireUserTokens,
	touchSession,
	updateUser,
	type TokenPurpose,
	type UserRecord
} from '../db/account.repository';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database, Db } from '../db/client';
import { createRateLimiter, signInKey, type RateLimiter, type RateLimitStore } from '../http/rate-limit';
import type { Channel } from './viewer';

/** OWASP Password Storage Cheat Sheet minimum for Argon2id: m = 19 MiB, t = 2, p = 1. */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const INVITE_LIFETIME_MS = 72 * 60 * 60_000;
export const RESET_LIFETIME_MS = 60 * 60_000;
export const RECOVERY_CODE_COUNT = 10;
/** last_seen_at is written at most this often (one UPDATE per minute per session, not per request). */
export const SESSION_TOUCH_MS = 60_000;
const TOTP_ISSUER = 'GCM Observatory';

/** Where a request comes from, for the audit row and the rate limiter. */
export interface RequestContext {
	channel: Channel;
	requestId: string | null;
	/** Client IP (web) or null (CLI). */
	clientAddress?: string | null;
}

/** Who acts, as recorded in the audit row (a snapshot: later renames do not rewrite history). */
export interface Actor {
	id: string | null;
	label: string;
	role: Role | 'system' | null;
}

/** The operator at the command line. */
export const CLI_ACTOR: Actor = { id: null, label: 'cli', role: 'system' };

export interface AccountUser {
	id: string;
	email: string;
	displayName: string;
	role: Role;
	totpEnabled: boolean;
}

/** 'ok': usable; 'verify': the second factor must be checked; 'enrol': the role requires 2FA and none is set up. */
export type MfaState = 'ok' | 'verify' | 'enrol';

export interface SessionState {
	user: AccountUser;
	mfa: MfaState;
	expiresAt: Date;
}

export interface IssuedSession {
	/** The cookie value. Only its SHA-256 is stored. */
	token: string;
	expiresAt: Date;
	mfa: MfaState;
}

export type SignInResult =
	| ({ ok: true; user: AccountUser } & IssuedSession)
	| { ok: false; reason: 'invalid'; retryAfterSeconds: number | null }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

export interface IssuedLink {
	user: AccountUser;
	token: string;
	purpose: TokenPurpose;
	expiresAt: Date;
}

export interface AccountServiceOptions {
	sessionIdleMinutes: number;
	sessionAbsoluteHours: number;
	now?: () => Date;
	/** Where every limiter of the service keeps its state (in memory, or the database's rate_limit table). */
	rateLimitStore?: RateLimitStore;
	signInLimiter?: RateLimiter;
	mfaLimiter?: RateLimiter;
	/** Invalid set-password links, per client IP. */
	linkLimiter?: RateLimiter;
}

const TOKEN_PREFIX: Record<TokenPurpose, string> = { invite: 'inv', password_reset: 'rst' };

/** SHA-256 hex: how session ids, link tokens and recovery codes are stored. */
export function sha256Hex(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The purpose a link token was issued for (its prefix; the stored purpose is checked too). */
export function purposeOfToken(token: string): TokenPurpose | null {
	if (token.startsWith(`${TOKEN_PREFIX.invite}_`)) return 'invite';
	if (token.startsWith(`${TOKEN_PREFIX.password_reset}_`)) return 'password_reset';
	return null;
}

function randomToken(bytes = 32): string {
	return encodeBase64urlNoPadding(randomBytes(bytes));
}

function normalizeRecoveryCode(code: string): string {
	return code.replace(/[\s-]/g, '').toLowerCase();
}

function newRecoveryCode(): string {
	const raw = encodeBase32UpperCaseNoPadding(randomBytes(10)).toLowerCase(); // 80 bits, 16 characters
	return raw.match(/.{4}/g)?.join('-') ?? raw;
}

function toAccountUser(u: UserRecord): AccountUser {
	return { id: u.id, email: u.email, displayName: u.displayName, role: u.role, totpEnabled: u.totpEnabled };
}

export function actorOf(user: AccountUser): Actor {
	return { id: user.id, label: user.email, role: user.role };
}

function mfaStateOf(user: UserRecord, mfaVerified: boolean): MfaState {
	if (user.totpEnabled) return mfaVerified ? 'ok' : 'verify';
	return requiresMfa(user.role) ? 'enrol' : 'ok';
}

const newUserSchema = z.object({
	email: z.email({ message: 'must be an email address' }).max(254),
	displayName: z.string().trim().min(1).max(200),
	role: z.string().refine(isRole, { message: 'must be admin, coordinator, editor, reviewer or contributor' })
});

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function createAccountService(database: Database, options: AccountServiceOptions) {
	const { db } = database;
	const now = options.now ?? (() => new Date());
	const idleMs = options.sessionIdleMinutes * 60_000;
	const absoluteMs = options.sessionAbsoluteHours * 60 * 60_000;
	const limiter = (scope: string) =>
		createRateLimiter({ now: () => now().getTime(), scope, store: options.rateLimitStore });
	const signInLimiter = options.signInLimiter ?? limiter('sign_in');
	const mfaLimiter = options.mfaLimiter ?? limiter('mfa');
	const linkLimiter = options.linkLimiter ?? limiter('set_password');
	let dummyHash: Promise<string> | null = null;

	async function audit(
		tx: Tx,
		ctx: RequestContext,
		actor: Actor,
		action: string,
		object: { type: string; id: string | null },
		changes: Record<string, unknown> = {}
	): Promise<void> {
		await insertAuditEvent(tx, {
			at: now(),
			actorId: actor.id,
			actorLabel: actor.label,
			actorRole: actor.role,
			action,
			objectType: object.type,
			objectId: object.id,
			changes: redactSecrets(changes),
			requestId: ctx.requestId,
			channel: ctx.channel
		});
	}

	async function issueSession(tx: Tx, user: UserRecord, mfaVerified: boolean): Promise<IssuedSession> {
		const token = randomToken();
		const at = now();
		const expiresAt = new Date(at.getTime() + absoluteMs);
		await insertSession(tx, {
			id: sha256Hex(token),
			userId: user.id,
			createdAt: at,
			lastSeenAt: at,
			expiresAt,
			mfaVerified
		});
		return { token, expiresAt, mfa: mfaStateOf(user, mfaVerified) };
	}

	/** The live session behind a cookie value, or null (expired ones are deleted on sight). */
	async function loadSession(token: string | null | undefined) {
		if (!token || token.length > 200) return null;
		const id = sha256Hex(token);
		const found = await findSessionWithUser(db, id);
		if (!found) return null;
		const at = now().getTime();
		const { session, user } = found;
		if (at >= session.expiresAt.getTime() || at >= session.lastSeenAt.getTime() + idleMs || user.status !== 'active') {
			await deleteSession(db, id);
			return null;
		}
		return { id, session, user };
	}

	async function requireSession(token: string | null | undefined, allowed: MfaState[]) {
		const s = await loadSession(token);
		if (!s) throw new DomainError('AUTH_REQUIRED', 'Sign in first.');
		const mfa = mfaStateOf(s.user, s.session.mfaVerified);
		if (!allowed.includes(mfa)) throw new DomainError('FORBIDDEN', 'This step is not available in this session.');
		return { ...s, mfa };
	}

	async function hashPassword(password: string, email: string): Promise<string> {
		const problem = checkPassword(password, { email });
		if (problem) {
			throw new DomainError('PASSWORD_REJECTED', `The password is not acceptable (${problem}).`, [
				{ field: 'password', message: problem }
			]);
		}
		return argon2Hash(password, ARGON2_PARAMS);
	}

	/** Mints a single-use link token for a purpose and stores only its hash; returns the token once. */
	async function storeLinkToken(
		tx: Parameters<Parameters<typeof db.transaction>[0]>[0],
		userId: string,
		purpose: TokenPurpose,
		at: Date
	): Promise<{ token: string; expiresAt: Date }> {
		const token = `${TOKEN_PREFIX[purpose]}_${randomToken()}`;
		const expiresAt = new Date(at.getTime() + (purpose === 'invite' ? INVITE_LIFETIME_MS : RESET_LIFETIME_MS));
		await insertToken(tx, { hash: sha256Hex(token), purpose, userId, createdAt: at, expiresAt, usedAt: null });
		return { token, expiresAt };
	}

	async function issueLink(
		ctx: RequestContext,
		actor: Actor,
		input: { email: string; displayName?: string; role: string },
		purpose: TokenPurpose
	): Promise<IssuedLink> {
		const parsed = newUserSchema.safeParse({
			email: normalizeEmail(input.email),
			displayName: input.displayName ?? input.email.split('@')[0] ?? input.email,
			role: input.role
		});
		if (!parsed.success) {
			throw new DomainError(
				'VALIDATION_FAILED',
				`Invalid ${String(parsed.error.issues[0]?.path[0])}: ${parsed.error.issues[0]?.message}`,
				parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message }))
			);
		}
		const { email, displayName } = parsed.data;
		const role = parsed.data.role as Role;
		return db.transaction(async (tx) => {
			if (await findUserByEmail(tx, email)) {
				throw new DomainError('USER_EXISTS', `An account with the email ${email} already exists.`, [
					{ field: 'email', message: 'already exists' }
				]);
			}
			const at = now();
			const user = await insertUser(tx, { email, displayName, role, now: at });
			const { token, expiresAt } = await storeLinkToken(tx, user.id, purpose, at);
			await audit(
				tx,
				ctx,
				actor,
				purpose === 'invite' ? 'user.invited' : 'user.created',
				{ type: 'user', id: user.id },
				{
					...diffFields(null, { email, display_name: displayName, role, status: user.status }),
					link: { purpose, expires_at: expiresAt.toISOString() }
				}
			);
			return { user: toAccountUser(user), token, purpose, expiresAt };
		});
	}

	const service = {
		/** Creates an account and a one-time link (1 h) to set its first password. */
		createUser(ctx: RequestContext, actor: Actor, input: { email: string; displayName?: string; role: string }) {
			return issueLink(ctx, actor, input, 'password_reset');
		},

		/** Creates an account and an invitation link (72 h). */
		inviteUser(ctx: RequestContext, actor: Actor, input: { email: string; displayName?: string; role: string }) {
			return issueLink(ctx, actor, input, 'invite');
		},

		/**
		 * A password-reset link for an existing active account, or null (the caller must not reveal
		 * which: there is no SMTP yet, so this is for operators; issue #3).
		 */
		async requestPasswordReset(ctx: RequestContext, actor: Actor, email: string): Promise<IssuedLink | null> {
			return db.transaction(async (tx) => {
				const user = await findUserByEmail(tx, normalizeEmail(email));
				if (!user || user.status !== 'active') return null;
				const { token, expiresAt } = await storeLinkToken(tx, user.id, 'password_reset', now());
				await audit(
					tx,
					ctx,
					actor,
					'user.password_reset_requested',
					{ type: 'user', id: user.id },
					{
						link: { purpose: 'password_reset', expires_at: expiresAt.toISOString() }
					}
				);
				return { user: toAccountUser(user), token, purpose: 'password_reset' as const, expiresAt };
			});
		},

		/**
		 * The set-password page opening a link: the account's email when the link is usable, else null.
		 * Invalid links (unknown, used, expired, wrong purpose) count against the client address like
		 * failed sign-ins; a locked address gets RATE_LIMITED (retry_after in issues[0]) before the link
		 * is even looked at, so a lockout never confirms a guess. A valid link does not clear the count.
		 */
		async openLink(ctx: RequestContext, token: string): Promise<{ email: string; purpose: TokenPurpose } | null> {
			await linkGate(ctx);
			const purpose = purposeOfToken(token);
			const link = purpose ? await service.checkLink(token, purpose) : null;
			if (!link || !purpose) {
				await linkFailed(ctx);
				return null;
			}
			return { email: link.email, purpose };
		},

		/**
		 * Sets a password through a link, its purpose read from its prefix; rate-limited per client
		 * address like openLink (RATE_LIMITED before anything else; TOKEN_INVALID counts as a failure).
		 */
		async setPasswordWithLink(ctx: RequestContext, token: string, password: string): Promise<AccountUser> {
			await linkGate(ctx);
			try {
				const purpose = purposeOfToken(token);
				if (!purpose) throw new DomainError('TOKEN_INVALID', 'This link is invalid, used or expired.');
				return await service.setPasswordWithToken(ctx, purpose, token, password);
			} catch (err) {
				if (err instanceof DomainError && err.code === 'TOKEN_INVALID') await linkFailed(ctx);
				throw err;
			}
		},

		/** Whether a link token is currently usable for its purpose (no rate limit: see openLink). */
		async checkLink(token: string, purpose: TokenPurpose): Promise<{ email: string } | null> {
			if (token.length > 200) return null;
			const row = await findToken(db, sha256Hex(token));
			if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt.getTime() <= now().getTime()) return null;
			const user = await findUserById(db, row.userId);
			if (!user || user.status !== 'active') return null;
			if (purpose === 'invite' && user.passwordHash !== null) return null;
			return { email: user.email };
		},

		/**
		 * Sets a password through a single-use link of the given purpose. An invite only activates an
		 * account that has no password yet; either kind retires the user's other links and ends every
		 * session of the account.
		 */
		async setPasswordWithToken(
			ctx: RequestContext,
			purpose: TokenPurpose,
			token: string,
			password: string
		): Promise<AccountUser> {
			const invalid = () => new DomainError('TOKEN_INVALID', 'This link is invalid, used or expired.');
			const hash = sha256Hex(token);
			const pending = token.length <= 200 ? await findToken(db, hash) : null;
			const owner = pending ? await findUserById(db, pending.userId) : null;
			if (!pending || !owner) throw invalid();
			const passwordHash = await hashPassword(password, owner.email);
			return db.transaction(async (tx) => {
				const used = await consumeToken(tx, hash, purpose, now());
				if (!used) throw invalid();
				const user = await findUserById(tx, used.userId, true);
				if (!user || user.status !== 'active') throw invalid();
				if (purpose === 'invite' && user.passwordHash !== null) throw invalid();
				const at = now();
				await updateUser(tx, user.id, { passwordHash }, at);
				await retireUserTokens(tx, user.id, hash, at);
				const ended = await deleteUserSessions(tx, user.id);
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(user)),
					'user.password_set',
					{ type: 'user', id: user.id },
					{
						password_hash: { before: user.passwordHash, after: passwordHash },
						via: purpose,
						sessions_ended: ended
					}
				);
				return toAccountUser(user);
			});
		},

		/**
		 * Checks an email and password. Unknown emails cost one Argon2 verification too, so response
		 * time does not reveal which accounts exist. Success rotates the session: the presented one
		 * (if any) is deleted and a new token issued.
		 */
		async signIn(
			ctx: RequestContext,
			input: { email: string; password: string; currentToken?: string | null }
		): Promise<SignInResult> {
			const email = normalizeEmail(input.email).slice(0, 320);
			const key = signInKey(ctx.clientAddress ?? 'unknown', email);
			const gate = await signInLimiter.check(key);
			if (!gate.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: gate.retryAfterSeconds };

			const user = await findUserByEmail(db, email);
			const password = input.password.slice(0, 1024);
			let reason: string | null = null;
			if (!user) reason = 'unknown_account';
			else if (user.status !== 'active') reason = 'disabled';
			else if (!user.passwordHash) reason = 'no_password';
			let valid = false;
			if (user?.passwordHash && reason === null) {
				valid = await argon2Verify(user.passwordHash, password).catch(() => false);
				if (!valid) reason = 'wrong_password';
			} else {
				dummyHash ??= argon2Hash(randomToken(), ARGON2_PARAMS);
				await argon2Verify(await dummyHash, password).catch(() => false);
			}

			if (!valid || !user) {
				const next = await signInLimiter.fail(key);
				await db.transaction(async (tx) => {
					await audit(
						tx,
						ctx,
						{ id: null, label: 'anonymous', role: null },
						'user.sign_in_failed',
						{ type: 'user', id: user?.id ?? null },
						{ reason, locked_out: !next.allowed }
					);
				});
				return { ok: false, reason: 'invalid', retryAfterSeconds: next.allowed ? null : next.retryAfterSeconds };
			}

			await signInLimiter.succeed(key);
			return db.transaction(async (tx) => {
				if (input.currentToken) await deleteSession(tx, sha256Hex(input.currentToken));
				// Housekeeping: sessions nobody presented again would otherwise stay forever.
				const at = now();
				await deleteExpiredSessions(tx, at, new Date(at.getTime() - idleMs));
				const issued = await issueSession(tx, user, false);
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(user)),
					'user.signed_in',
					{ type: 'user', id: user.id },
					{
						second_factor: issued.mfa
					}
				);
				return { ok: true as const, user: toAccountUser(user), ...issued };
			});
		},

		/**
		 * The session behind a cookie value, or null when there is none, it has expired (idle or
		 * absolute) or the account is disabled. `mfa` says whether it is usable yet.
		 */
		async validateSession(token: string | null | undefined): Promise<SessionState | null> {
			const s = await loadSession(token);
			if (!s) return null;
			if (now().getTime() - s.session.lastSeenAt.getTime() >= SESSION_TOUCH_MS) await touchSession(db, s.id, now());
			return {
				user: toAccountUser(s.user),
				mfa: mfaStateOf(s.user, s.session.mfaVerified),
				expiresAt: s.session.expiresAt
			};
		},

		/** Ends every session of the signed-in user. */
		async signOut(ctx: RequestContext, token: string | null | undefined): Promise<void> {
			const s = await loadSession(token);
			if (!s) return;
			await db.transaction(async (tx) => {
				const ended = await deleteUserSessions(tx, s.user.id);
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(s.user)),
					'user.signed_out',
					{ type: 'user', id: s.user.id },
					{
						sessions_ended: ended
					}
				);
			});
		},

		/** Changes the password (the current one is required), ends every session, and issues a new one. */
		async changePassword(
			ctx: RequestContext,
			token: string | null | undefined,
			input: { currentPassword: string; newPassword: string }
		): Promise<IssuedSession> {
			const s = await requireSession(token, ['ok']);
			const key = `password:${s.user.id}`;
			const gate = await mfaLimiter.check(key);
			if (!gate.allowed) throw new DomainError('RATE_LIMITED', 'Too many attempts; try again later.');
			const ok =
				s.user.passwordHash !== null &&
				(await argon2Verify(s.user.passwordHash, input.currentPassword.slice(0, 1024)).catch(() => false));
			if (!ok) {
				await mfaLimiter.fail(key);
				throw new DomainError('PASSWORD_REJECTED', 'The current password is wrong.', [
					{ field: 'current_password', message: 'wrong' }
				]);
			}
			await mfaLimiter.succeed(key);
			const passwordHash = await hashPassword(input.newPassword, s.user.email);
			return db.transaction(async (tx) => {
				const at = now();
				await updateUser(tx, s.user.id, { passwordHash }, at);
				await retireUserTokens(tx, s.user.id, null, at);
				const ended = await deleteUserSessions(tx, s.user.id);
				const issued = await issueSession(tx, s.user, s.session.mfaVerified);
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(s.user)),
					'user.password_changed',
					{ type: 'user', id: s.user.id },
					{
						password_hash: { before: s.user.passwordHash, after: passwordHash },
						sessions_ended: ended
					}
				);
				return issued;
			});
		},

		/** The secret being set up (shown as text and as an otpauth URI), or null before set-up starts. */
		async pendingTwoFactor(token: string | null | undefined): Promise<{ secret: string; uri: string } | null> {
			const s = await requireSession(token, ['ok', 'enrol']);
			if (s.user.totpEnabled || !s.user.totpSecret) return null;
			return {
				secret: s.user.totpSecret,
				uri: totpUri(TOTP_ISSUER, s.user.email, decodeBase32IgnorePadding(s.user.totpSecret))
			};
		},

		/** Starts (or restarts) TOTP set-up: a new 160-bit secret, not yet enabled. */
		async beginTwoFactor(
			ctx: RequestContext,
			token: string | null | undefined
		): Promise<{ secret: string; uri: string }> {
			const s = await requireSession(token, ['ok', 'enrol']);
			if (s.user.totpEnabled) throw new DomainError('FORBIDDEN', 'Two-factor authentication is already enabled.');
			const secret = encodeBase32UpperCaseNoPadding(randomBytes(20));
			await db.transaction(async (tx) => {
				await updateUser(tx, s.user.id, { totpSecret: secret }, now());
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(s.user)),
					'user.two_factor_setup_started',
					{ type: 'user', id: s.user.id },
					{
						totp_secret: { before: s.user.totpSecret, after: secret }
					}
				);
			});
			return { secret, uri: totpUri(TOTP_ISSUER, s.user.email, decodeBase32IgnorePadding(secret)) };
		},

		/**
		 * Confirms set-up with a code from the app: enables TOTP, creates the recovery codes (returned
		 * once, stored hashed) and rotates the session, now with the second factor verified.
		 */
		async confirmTwoFactor(
			ctx: RequestContext,
			token: string | null | undefined,
			code: string
		): Promise<{ session: IssuedSession; recoveryCodes: string[] }> {
			const s = await requireSession(token, ['ok', 'enrol']);
			if (s.user.totpEnabled || !s.user.totpSecret) throw new DomainError('FORBIDDEN', 'Start the set-up first.');
			const secret = s.user.totpSecret;
			await checkSecondFactorGate(ctx, s.user.id);
			const step = verifyTotp(decodeBase32IgnorePadding(secret), code, now().getTime(), undefined, lastStepOf(s.user));
			if (step === null) await secondFactorFailed(ctx, s.user, 'setup');
			const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
			const result = await db.transaction(async (tx) => {
				const at = now();
				// The set-up code counts as used (RFC 6238 §5.2): it cannot also pass the next sign-in.
				if (!(await claimTotpStep(tx, s.user.id, Number(step), at))) return null;
				await updateUser(tx, s.user.id, { totpEnabled: true }, at);
				await replaceRecoveryCodes(
					tx,
					s.user.id,
					recoveryCodes.map((c) => sha256Hex(normalizeRecoveryCode(c)))
				);
				await deleteSession(tx, s.id);
				const session = await issueSession(tx, { ...s.user, totpEnabled: true }, true);
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(s.user)),
					'user.two_factor_enabled',
					{ type: 'user', id: s.user.id },
					{
						totp_enabled: { before: false, after: true },
						recovery_codes: recoveryCodes
					}
				);
				return { session, recoveryCodes };
			});
			// Another request used the same code first (a parallel confirmation): refused like a replay.
			if (!result) return secondFactorFailed(ctx, s.user, 'setup', 'replayed');
			await mfaLimiter.succeed(mfaKey(ctx, s.user.id));
			return result;
		},

		/** Checks a TOTP code or a recovery code after the password; rotates the session on success. */
		async verifyTwoFactor(ctx: RequestContext, token: string | null | undefined, code: string): Promise<IssuedSession> {
			const s = await requireSession(token, ['verify']);
			await checkSecondFactorGate(ctx, s.user.id);
			const trimmed = code.trim().slice(0, 64);
			const isTotp = /^\d[\d\s]*$/.test(trimmed);
			const secret = s.user.totpSecret;
			let step: bigint | null = null;
			if (isTotp) {
				const key = secret ? decodeBase32IgnorePadding(secret) : null;
				step = key ? verifyTotp(key, trimmed, now().getTime(), undefined, lastStepOf(s.user)) : null;
				if (step === null) {
					// Tell a replay (right code, already used) from a wrong code in the audit row only.
					const replayed = key !== null && verifyTotp(key, trimmed, now().getTime()) !== null;
					await secondFactorFailed(ctx, s.user, 'totp', replayed ? 'replayed' : undefined);
				}
			}
			const result = await db.transaction(async (tx) => {
				const at = now();
				if (isTotp) {
					// Atomic: of two parallel sign-ins with the same code, only one claims its step.
					if (!(await claimTotpStep(tx, s.user.id, Number(step), at))) return null;
				} else {
					const ok = await consumeRecoveryCode(tx, s.user.id, sha256Hex(normalizeRecoveryCode(trimmed)), at);
					if (!ok) return null;
				}
				await deleteSession(tx, s.id);
				const session = await issueSession(tx, s.user, true);
				await audit(
					tx,
					ctx,
					actorOf(toAccountUser(s.user)),
					'user.two_factor_verified',
					{ type: 'user', id: s.user.id },
					{
						method: isTotp ? 'totp' : 'recovery_code'
					}
				);
				return session;
			});
			if (!result)
				await secondFactorFailed(ctx, s.user, isTotp ? 'totp' : 'recovery_code', isTotp ? 'replayed' : undefined);
			await mfaLimiter.succeed(mfaKey(ctx, s.user.id));
			return result as IssuedSession;
		},

		async unusedRecoveryCodes(userId: string): Promise<number> {
			return countUnusedRecoveryCodes(db, userId);
		},

		/**
		 * Changes a user's role (admins, or the operator at the command line). The user's sessions
		 * end: a privilege change takes effect on the next request and needs a fresh sign-in.
		 */
		async changeRole(
			ctx: RequestContext,
			actor: Actor,
			userId: string,
			role: string,
			options: {
				/**
				 * Runs first in the change's transaction, before the user's row is locked (the admin
				 * service's last-admin rule locks every active admin here, always in the same order).
				 */
				guard?: (tx: Tx, userId: string, role: Role) => Promise<void>;
			} = {}
		): Promise<AccountUser> {
			if (actor.role !== 'admin' && actor.role !== 'system')
				throw new DomainError('FORBIDDEN', 'Only admins change roles.');
			if (!isRole(role)) {
				throw new DomainError('VALIDATION_FAILED', 'Invalid role', [{ field: 'role', message: 'unknown role' }]);
			}
			return db.transaction(async (tx) => {
				await options.guard?.(tx, userId, role);
				const user = await findUserById(tx, userId, true);
				if (!user) throw new DomainError('USER_NOT_FOUND', 'No such user.');
				if (user.role === role) return toAccountUser(user);
				await updateUser(tx, user.id, { role }, now());
				const ended = await deleteUserSessions(tx, user.id);
				await audit(
					tx,
					ctx,
					actor,
					'user.role_changed',
					{ type: 'user', id: user.id },
					{
						...diffFields({ role: user.role }, { role }),
						sessions_ended: ended
					}
				);
				return { ...toAccountUser(user), role };
			});
		}
	};
	return service;

	function linkKey(ctx: RequestContext): string {
		return `link:${ctx.clientAddress ?? 'unknown'}`;
	}

	function rateLimited(retryAfterSeconds: number): DomainError {
		return new DomainError('RATE_LIMITED', 'Too many attempts; try again later.', [
			{ field: 'retry_after', message: String(retryAfterSeconds) }
		]);
	}

	/** RATE_LIMITED while the client address is locked out of set-password links. */
	async function linkGate(ctx: RequestContext): Promise<void> {
		const gate = await linkLimiter.check(linkKey(ctx));
		if (!gate.allowed) throw rateLimited(gate.retryAfterSeconds);
	}

	/** Counts an invalid link; RATE_LIMITED when this failure locks the address. */
	async function linkFailed(ctx: RequestContext): Promise<void> {
		const next = await linkLimiter.fail(linkKey(ctx));
		if (!next.allowed) throw rateLimited(next.retryAfterSeconds);
	}

	function mfaKey(ctx: RequestContext, userId: string): string {
		return `mfa:${ctx.clientAddress ?? 'unknown'}:${userId}`;
	}

	async function checkSecondFactorGate(ctx: RequestContext, userId: string): Promise<void> {
		const gate = await mfaLimiter.check(mfaKey(ctx, userId));
		if (!gate.allowed) throw rateLimited(gate.retryAfterSeconds);
	}

	/** The last accepted TOTP step of an account, as the verifier wants it. */
	function lastStepOf(user: UserRecord): bigint | null {
		return user.totpLastStep === null ? null : BigInt(user.totpLastStep);
	}

	async function secondFactorFailed(
		ctx: RequestContext,
		user: UserRecord,
		method: string,
		reason?: 'replayed'
	): Promise<never> {
		const next = await mfaLimiter.fail(mfaKey(ctx, user.id));
		await db.transaction(async (tx) => {
			await audit(
				tx,
				ctx,
				actorOf(toAccountUser(user)),
				'user.two_factor_failed',
				{ type: 'user', id: user.id },
				{
					method,
					...(reason ? { reason } : {}),
					locked_out: !next.allowed
				}
			);
		});
		throw new DomainError('TWO_FACTOR_INVALID', 'The code is wrong or expired.', [
			{ field: 'code', message: 'invalid' }
		]);
	}
}

export type AccountService = ReturnType<typeof createAccountService>;
