/** API tokens for scripts (SQL only; the rules live in services/api-token.service.ts). */
import { and, asc, count, desc, eq, gt, ilike, isNull, lt, or } from 'drizzle-orm';
import type { Role, UserStatus } from '../../core/accounts/roles';
import type { Db } from './client';
import { apiToken, appUser, membership, organisation } from './schema';

type Executor = Pick<Db, 'insert' | 'select' | 'update'>;

export type TokenAccess = 'read' | 'write';

export interface ApiTokenRecord {
	id: string;
	userId: string;
	name: string;
	hint: string;
	access: TokenAccess;
	organisationId: string | null;
	/** The organisation's name (for lists), when the token is narrowed to one. */
	organisationName: string | null;
	country: string | null;
	createdAt: Date;
	expiresAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

/** A token found by its hash, with the account that owns it (as it is now, not when it was created). */
export interface ApiTokenWithUser {
	token: ApiTokenRecord;
	user: {
		id: string;
		email: string;
		displayName: string;
		role: Role;
		status: UserStatus;
		totpEnabled: boolean;
	};
}

const tokenColumns = {
	id: apiToken.id,
	userId: apiToken.userId,
	name: apiToken.name,
	hint: apiToken.hint,
	access: apiToken.access,
	organisationId: apiToken.organisationId,
	organisationName: organisation.name,
	country: apiToken.country,
	createdAt: apiToken.createdAt,
	expiresAt: apiToken.expiresAt,
	lastUsedAt: apiToken.lastUsedAt,
	revokedAt: apiToken.revokedAt
};

type TokenRow = { [K in keyof typeof tokenColumns]: unknown } & { access: string };
const toRecord = (r: TokenRow): ApiTokenRecord => ({ ...(r as ApiTokenRecord), access: r.access as TokenAccess });

export async function insertApiToken(
	db: Executor,
	input: {
		userId: string;
		name: string;
		hash: string;
		hint: string;
		access: TokenAccess;
		organisationId: string | null;
		country: string | null;
		createdAt: Date;
		expiresAt: Date;
	}
): Promise<string> {
	const [row] = await db.insert(apiToken).values(input).returning({ id: apiToken.id });
	if (!row) throw new Error('insert api_token returned no row');
	return row.id;
}

export async function findApiTokenByHash(db: Executor, hash: string): Promise<ApiTokenWithUser | null> {
	const [r] = await db
		.select({
			...tokenColumns,
			userEmail: appUser.email,
			userDisplayName: appUser.displayName,
			userRole: appUser.role,
			userStatus: appUser.status,
			userTotpEnabled: appUser.totpEnabled
		})
		.from(apiToken)
		.innerJoin(appUser, eq(appUser.id, apiToken.userId))
		.leftJoin(organisation, eq(organisation.id, apiToken.organisationId))
		.where(eq(apiToken.hash, hash))
		.limit(1);
	if (!r) return null;
	const { userEmail, userDisplayName, userRole, userStatus, userTotpEnabled, ...token } = r;
	return {
		token: toRecord(token),
		user: {
			id: token.userId,
			email: userEmail,
			displayName: userDisplayName,
			role: userRole as Role,
			status: userStatus as UserStatus,
			totpEnabled: userTotpEnabled
		}
	};
}

/** One token of one user (null when the id is another person's token). */
export async function findUserApiToken(db: Executor, userId: string, id: string): Promise<ApiTokenRecord | null> {
	const [r] = await db
		.select(tokenColumns)
		.from(apiToken)
		.leftJoin(organisation, eq(organisation.id, apiToken.organisationId))
		.where(and(eq(apiToken.userId, userId), eq(apiToken.id, id)))
		.limit(1);
	return r ? toRecord(r) : null;
}

/** Every token of a user, newest first (revoked and expired ones too: the list is their record). */
export async function listUserApiTokens(db: Executor, userId: string): Promise<ApiTokenRecord[]> {
	const found = await db
		.select(tokenColumns)
		.from(apiToken)
		.leftJoin(organisation, eq(organisation.id, apiToken.organisationId))
		.where(eq(apiToken.userId, userId))
		.orderBy(desc(apiToken.createdAt), asc(apiToken.id));
	return found.map(toRecord);
}

/** Tokens of a user that still work (not revoked, not expired). */
export async function countLiveApiTokens(db: Executor, userId: string, now: Date): Promise<number> {
	const [r] = await db
		.select({ n: count() })
		.from(apiToken)
		.where(and(eq(apiToken.userId, userId), isNull(apiToken.revokedAt), gt(apiToken.expiresAt, now)));
	return Number(r?.n ?? 0);
}

/** Revokes a live token of the user; false when there was none to revoke (unknown, not theirs, already revoked). */
export async function revokeApiToken(db: Executor, userId: string, id: string, now: Date): Promise<boolean> {
	const done = await db
		.update(apiToken)
		.set({ revokedAt: now })
		.where(and(eq(apiToken.userId, userId), eq(apiToken.id, id), isNull(apiToken.revokedAt)))
		.returning({ id: apiToken.id });
	return done.length > 0;
}

/** Records a use, at most once per `minIntervalMs` (one conditional UPDATE, not one per request). */
export async function touchApiToken(db: Executor, id: string, now: Date, minIntervalMs: number): Promise<void> {
	await db
		.update(apiToken)
		.set({ lastUsedAt: now })
		.where(
			and(
				eq(apiToken.id, id),
				or(isNull(apiToken.lastUsedAt), lt(apiToken.lastUsedAt, new Date(now.getTime() - minIntervalMs)))
			)
		);
}

/** The organisations an account is a member of, by name (what a token may be narrowed to). */
export async function listUserOrganisations(db: Executor, userId: string): Promise<{ id: string; name: string }[]> {
	return db
		.select({ id: organisation.id, name: organisation.name })
		.from(membership)
		.innerJoin(organisation, eq(organisation.id, membership.organisationId))
		.where(eq(membership.userId, userId))
		.orderBy(asc(organisation.name), asc(organisation.id));
}

/** For tests and housekeeping: the stored hash of a token (never the secret). */
export async function findApiTokenHash(db: Executor, id: string): Promise<string | null> {
	const [r] = await db.select({ hash: apiToken.hash }).from(apiToken).where(eq(apiToken.id, id)).limit(1);
	return r?.hash ?? null;
}

// The admin list (every account's tokens) ---------------------------------------------------

/** A token in the admin list: the record (never the secret or its hash) and its owner. */
export interface AdminApiTokenRecord extends ApiTokenRecord {
	ownerEmail: string;
	ownerDisplayName: string;
}

export interface AdminTokenFilter {
	/** One account's tokens. */
	userId?: string;
	/** Part of the owner's email or display name, or of the token's name. */
	q?: string;
}

function adminTokenWhere(f: AdminTokenFilter) {
	const parts = [];
	if (f.userId) parts.push(eq(apiToken.userId, f.userId));
	if (f.q) {
		const p = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		parts.push(or(ilike(appUser.email, p), ilike(appUser.displayName, p), ilike(apiToken.name, p)));
	}
	return parts.length > 0 ? and(...parts) : undefined;
}

/** Every token matching the filter with its owner, newest first, one page, and the total. */
export async function listAllApiTokens(
	db: Executor,
	filter: AdminTokenFilter,
	page: { limit: number; offset: number }
): Promise<{ rows: AdminApiTokenRecord[]; total: number }> {
	const where = adminTokenWhere(filter);
	const found = await db
		.select({ ...tokenColumns, ownerEmail: appUser.email, ownerDisplayName: appUser.displayName })
		.from(apiToken)
		.innerJoin(appUser, eq(appUser.id, apiToken.userId))
		.leftJoin(organisation, eq(organisation.id, apiToken.organisationId))
		.where(where)
		.orderBy(desc(apiToken.createdAt), asc(apiToken.id))
		.limit(page.limit)
		.offset(page.offset);
	const [total] = await db
		.select({ n: count() })
		.from(apiToken)
		.innerJoin(appUser, eq(appUser.id, apiToken.userId))
		.where(where);
	return {
		rows: found.map(({ ownerEmail, ownerDisplayName, ...t }) => ({ ...toRecord(t), ownerEmail, ownerDisplayName })),
		total: Number(total?.n ?? 0)
	};
}

/** Any account's token by id, with its owner (for an admin revoking it); locks the row when asked. */
export async function findApiTokenById(
	db: Executor,
	id: string,
	forUpdate = false
): Promise<AdminApiTokenRecord | null> {
	const q = db
		.select({ ...tokenColumns, ownerEmail: appUser.email, ownerDisplayName: appUser.displayName })
		.from(apiToken)
		.innerJoin(appUser, eq(appUser.id, apiToken.userId))
		.leftJoin(organisation, eq(organisation.id, apiToken.organisationId))
		.where(eq(apiToken.id, id))
		.limit(1);
	const [r] = forUpdate ? await q.for('update', { of: apiToken }) : await q;
	if (!r) return null;
	const { ownerEmail, ownerDisplayName, ...t } = r;
	return { ...toRecord(t), ownerEmail, ownerDisplayName };
}
