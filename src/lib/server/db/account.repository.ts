/** Accounts, sessions, single-use tokens and recovery codes (SQL only; rules live in the service). */
import { and, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Role, UserStatus } from '../../core/accounts/roles';
import type { Db } from './client';
import { appUser, recoveryCode, userSession, userToken } from './schema';

type Executor = Pick<Db, 'insert' | 'select' | 'update' | 'delete'>;

export type TokenPurpose = 'invite' | 'password_reset';

export interface UserRecord {
	id: string;
	email: string;
	displayName: string;
	passwordHash: string | null;
	totpSecret: string | null;
	totpEnabled: boolean;
	/** The last accepted TOTP time step (RFC 6238 §5.2), or null before the first code. */
	totpLastStep: number | null;
	role: Role;
	status: UserStatus;
	createdAt: Date;
	updatedAt: Date;
}

export type SessionRecord = typeof userSession.$inferSelect;
export type TokenRecord = typeof userToken.$inferSelect;

const toUser = (r: typeof appUser.$inferSelect): UserRecord => ({
	...r,
	role: r.role as Role,
	status: r.status as UserStatus
});

export async function findUserByEmail(db: Executor, email: string): Promise<UserRecord | null> {
	const [r] = await db.select().from(appUser).where(eq(appUser.email, email)).limit(1);
	return r ? toUser(r) : null;
}

export async function findUserById(db: Executor, id: string, forUpdate = false): Promise<UserRecord | null> {
	const q = db.select().from(appUser).where(eq(appUser.id, id)).limit(1);
	const [r] = forUpdate ? await q.for('update') : await q;
	return r ? toUser(r) : null;
}

export async function insertUser(
	db: Executor,
	input: { email: string; displayName: string; role: Role; now: Date }
): Promise<UserRecord> {
	const [r] = await db
		.insert(appUser)
		.values({
			email: input.email,
			displayName: input.displayName,
			role: input.role,
			createdAt: input.now,
			updatedAt: input.now
		})
		.returning();
	if (!r) throw new Error('insert app_user returned no row');
	return toUser(r);
}

export async function updateUser(
	db: Executor,
	id: string,
	fields: Partial<
		Pick<UserRecord, 'passwordHash' | 'totpSecret' | 'totpEnabled' | 'totpLastStep' | 'role' | 'status' | 'displayName'>
	>,
	now: Date
): Promise<void> {
	await db
		.update(appUser)
		.set({ ...fields, updatedAt: now })
		.where(eq(appUser.id, id));
}

/**
 * Records an accepted TOTP step if it is later than the last one (RFC 6238 §5.2): one conditional
 * UPDATE, so of two parallel sign-ins with the same code only one gets the row. True when claimed.
 */
export async function claimTotpStep(db: Executor, userId: string, step: number, now: Date): Promise<boolean> {
	const claimed = await db
		.update(appUser)
		.set({ totpLastStep: step, updatedAt: now })
		.where(and(eq(appUser.id, userId), or(isNull(appUser.totpLastStep), lt(appUser.totpLastStep, step))))
		.returning({ id: appUser.id });
	return claimed.length > 0;
}

// Sessions -----------------------------------------------------------------------------------

export async function insertSession(db: Executor, session: SessionRecord): Promise<void> {
	await db.insert(userSession).values(session);
}

export async function findSessionWithUser(
	db: Executor,
	id: string
): Promise<{ session: SessionRecord; user: UserRecord } | null> {
	const [r] = await db
		.select({ session: userSession, user: appUser })
		.from(userSession)
		.innerJoin(appUser, eq(appUser.id, userSession.userId))
		.where(eq(userSession.id, id))
		.limit(1);
	return r ? { session: r.session, user: toUser(r.user) } : null;
}

export async function touchSession(db: Executor, id: string, now: Date): Promise<void> {
	await db.update(userSession).set({ lastSeenAt: now }).where(eq(userSession.id, id));
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
	await db.delete(userSession).where(eq(userSession.id, id));
}

/** Ends every session of a user (sign-out, password change, role change); returns how many. */
export async function deleteUserSessions(db: Executor, userId: string): Promise<number> {
	const gone = await db.delete(userSession).where(eq(userSession.userId, userId)).returning({ id: userSession.id });
	return gone.length;
}

export async function deleteExpiredSessions(db: Executor, now: Date, idleBefore: Date): Promise<number> {
	const gone = await db
		.delete(userSession)
		.where(or(lt(userSession.expiresAt, now), lt(userSession.lastSeenAt, idleBefore)))
		.returning({ id: userSession.id });
	return gone.length;
}

// Single-use tokens --------------------------------------------------------------------------

export async function insertToken(db: Executor, token: TokenRecord): Promise<void> {
	await db.insert(userToken).values(token);
}

/**
 * Marks a token used if it exists, has this purpose, is unused and unexpired: one UPDATE, so two
 * concurrent redemptions cannot both succeed. Returns the token row, or null.
 */
export async function consumeToken(
	db: Executor,
	hash: string,
	purpose: TokenPurpose,
	now: Date
): Promise<TokenRecord | null> {
	const [r] = await db
		.update(userToken)
		.set({ usedAt: now })
		.where(
			and(
				eq(userToken.hash, hash),
				eq(userToken.purpose, purpose),
				isNull(userToken.usedAt),
				gt(userToken.expiresAt, now)
			)
		)
		.returning();
	return r ?? null;
}

export async function findToken(db: Executor, hash: string): Promise<TokenRecord | null> {
	const [r] = await db.select().from(userToken).where(eq(userToken.hash, hash)).limit(1);
	return r ?? null;
}

/** Retires the user's other unused tokens (a password was just set). */
export async function retireUserTokens(db: Executor, userId: string, exceptHash: string | null, now: Date) {
	await db
		.update(userToken)
		.set({ usedAt: now })
		.where(
			and(
				eq(userToken.userId, userId),
				isNull(userToken.usedAt),
				exceptHash ? ne(userToken.hash, exceptHash) : undefined
			)
		);
}

// Recovery codes -----------------------------------------------------------------------------

export async function replaceRecoveryCodes(db: Executor, userId: string, hashes: string[]): Promise<void> {
	await db.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
	if (hashes.length > 0) await db.insert(recoveryCode).values(hashes.map((hash) => ({ userId, hash })));
}

/** Uses a recovery code once (one UPDATE); true when it was valid and unused. */
export async function consumeRecoveryCode(db: Executor, userId: string, hash: string, now: Date): Promise<boolean> {
	const used = await db
		.update(recoveryCode)
		.set({ usedAt: now })
		.where(and(eq(recoveryCode.userId, userId), eq(recoveryCode.hash, hash), isNull(recoveryCode.usedAt)))
		.returning({ hash: recoveryCode.hash });
	return used.length > 0;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
	const [r] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(recoveryCode)
		.where(and(eq(recoveryCode.userId, userId), isNull(recoveryCode.usedAt)));
	return Number(r?.n ?? 0);
}
