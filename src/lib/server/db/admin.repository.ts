/**
 * Reads and writes of the admin workspace (SQL only; rules live in admin.service.ts): account lists,
 * the active-admin lock for the last-admin rule, organisations and their members, and the audit
 * trail's filtered, paged reads. Filters are bound parameters; LIKE patterns are escaped.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Role, UserStatus } from '../../core/accounts/roles';
import type { AuditChannel } from './audit.repository';
import type { Db } from './client';
import type { MembershipRole } from './organisation.repository';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** `%text%` for ILIKE, with the wildcards and the escape character of the text taken literally. */
export function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Accounts ------------------------------------------------------------------------------------

export interface UserListRow {
	id: string;
	email: string;
	displayName: string;
	role: Role;
	status: UserStatus;
	totpEnabled: boolean;
	hasPassword: boolean;
	createdAt: string;
}

export interface UserListFilter {
	/** Part of the email or display name. */
	q?: string;
	role?: Role;
	status?: UserStatus;
}

function userWhere(f: UserListFilter): SQL {
	const parts: SQL[] = [sql`TRUE`];
	if (f.q) {
		const p = containsPattern(f.q);
		parts.push(sql`(email ILIKE ${p} OR display_name ILIKE ${p})`);
	}
	if (f.role) parts.push(sql`role = ${f.role}`);
	if (f.status) parts.push(sql`status = ${f.status}`);
	return sql.join(parts, sql` AND `);
}

export async function listUsers(
	db: Executor,
	filter: UserListFilter,
	page: { limit: number; offset: number }
): Promise<{ rows: UserListRow[]; total: number }> {
	const where = userWhere(filter);
	const found = await rows<{
		id: string;
		email: string;
		display_name: string;
		role: Role;
		status: UserStatus;
		totp_enabled: boolean;
		has_password: boolean;
		created_at: string;
	}>(
		db,
		sql`SELECT id, email, display_name, role, status, totp_enabled, password_hash IS NOT NULL AS has_password,
		           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
		    FROM app_user WHERE ${where} ORDER BY email LIMIT ${page.limit} OFFSET ${page.offset}`
	);
	const [count] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM app_user WHERE ${where}`);
	return {
		rows: found.map((r) => ({
			id: r.id,
			email: r.email,
			displayName: r.display_name,
			role: r.role,
			status: r.status,
			totpEnabled: r.totp_enabled,
			hasPassword: r.has_password,
			createdAt: r.created_at
		})),
		total: Number(count?.n ?? 0)
	};
}

/**
 * The ids of the active admins, locked (FOR UPDATE) until the transaction ends, so two admins who
 * demote or disable each other at the same moment cannot both pass the last-admin check.
 */
export async function lockActiveAdmins(tx: Executor): Promise<string[]> {
	const r = await rows<{ id: string }>(
		tx,
		sql`SELECT id FROM app_user WHERE role = 'admin' AND status = 'active' ORDER BY id FOR UPDATE`
	);
	return r.map((x) => x.id);
}

/** Live API tokens of an account (not revoked, not expired): shown when disabling it. */
export async function countLiveApiTokens(db: Executor, userId: string, now: Date): Promise<number> {
	const [r] = await rows<{ n: number }>(
		db,
		sql`SELECT count(*)::int AS n FROM api_token
		    WHERE user_id = ${userId}::uuid AND revoked_at IS NULL AND expires_at > ${now.toISOString()}::timestamptz`
	);
	return Number(r?.n ?? 0);
}

// Organisations and memberships ------------------------------------------------------------------

export interface OrganisationListRow {
	id: string;
	name: string;
	country: string | null;
	actorId: string | null;
	memberCount: number;
}

export async function listOrganisations(db: Executor, q?: string): Promise<OrganisationListRow[]> {
	const where = q ? sql`o.name ILIKE ${containsPattern(q)}` : sql`TRUE`;
	const r = await rows<{ id: string; name: string; country: string | null; actor_id: string | null; n: number }>(
		db,
		sql`SELECT o.id, o.name, o.country, o.actor_id, count(m.user_id)::int AS n
		    FROM organisation o LEFT JOIN membership m ON m.organisation_id = o.id
		    WHERE ${where} GROUP BY o.id ORDER BY o.name, o.id LIMIT 1000`
	);
	return r.map((x) => ({ id: x.id, name: x.name, country: x.country, actorId: x.actor_id, memberCount: Number(x.n) }));
}

export async function findOrganisation(
	db: Executor,
	id: string,
	forUpdate = false
): Promise<{ id: string; name: string; country: string | null; actorId: string | null } | null> {
	const [r] = await rows<{ id: string; name: string; country: string | null; actor_id: string | null }>(
		db,
		sql`SELECT id, name, country, actor_id FROM organisation WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`
	);
	return r ? { id: r.id, name: r.name, country: r.country, actorId: r.actor_id } : null;
}

export async function updateOrganisation(
	tx: Executor,
	id: string,
	fields: { name: string; country: string | null }
): Promise<void> {
	await tx.execute(
		sql`UPDATE organisation SET name = ${fields.name}, country = ${fields.country}, updated_at = now() WHERE id = ${id}::uuid`
	);
}

export interface MembershipRow {
	userId: string;
	email: string;
	displayName: string;
	accountRole: Role;
	accountStatus: UserStatus;
	organisationId: string;
	organisationName: string;
	role: MembershipRole;
}

function toMembership(r: {
	user_id: string;
	email: string;
	display_name: string;
	account_role: Role;
	account_status: UserStatus;
	organisation_id: string;
	organisation_name: string;
	role: MembershipRole;
}): MembershipRow {
	return {
		userId: r.user_id,
		email: r.email,
		displayName: r.display_name,
		accountRole: r.account_role,
		accountStatus: r.account_status,
		organisationId: r.organisation_id,
		organisationName: r.organisation_name,
		role: r.role
	};
}

const MEMBERSHIP_SELECT = sql`SELECT m.user_id, u.email, u.display_name, u.role AS account_role, u.status AS account_status,
       m.organisation_id, o.name AS organisation_name, m.role
  FROM membership m JOIN app_user u ON u.id = m.user_id JOIN organisation o ON o.id = m.organisation_id`;

export async function listMembershipsOfUser(db: Executor, userId: string): Promise<MembershipRow[]> {
	const r = await rows<Parameters<typeof toMembership>[0]>(
		db,
		sql`${MEMBERSHIP_SELECT} WHERE m.user_id = ${userId}::uuid ORDER BY o.name, o.id`
	);
	return r.map(toMembership);
}

export async function listMembersOfOrganisation(db: Executor, organisationId: string): Promise<MembershipRow[]> {
	const r = await rows<Parameters<typeof toMembership>[0]>(
		db,
		sql`${MEMBERSHIP_SELECT} WHERE m.organisation_id = ${organisationId}::uuid ORDER BY u.email`
	);
	return r.map(toMembership);
}

export async function findMembershipRole(
	db: Executor,
	userId: string,
	organisationId: string
): Promise<MembershipRole | null> {
	const [r] = await rows<{ role: MembershipRole }>(
		db,
		sql`SELECT role FROM membership WHERE user_id = ${userId}::uuid AND organisation_id = ${organisationId}::uuid`
	);
	return r?.role ?? null;
}

// The audit trail ------------------------------------------------------------------------------

export interface AuditFilter {
	/** Part of the actor's label (email or 'cli'), or the actor's account id. */
	actor?: string;
	/** An exact action (`user.role_changed`), or an area prefix ending with a dot (`user.`). */
	action?: string;
	objectType?: string;
	objectId?: string;
	/** Inclusive lower bound. */
	from?: Date;
	/** Exclusive upper bound. */
	before?: Date;
	channel?: AuditChannel;
}

export interface AuditRow {
	id: number;
	at: string;
	actorId: string | null;
	actorLabel: string;
	actorRole: string | null;
	action: string;
	objectType: string;
	objectId: string | null;
	changes: Record<string, unknown>;
	requestId: string | null;
	channel: AuditChannel;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function auditWhere(f: AuditFilter): SQL {
	const parts: SQL[] = [sql`TRUE`];
	if (f.actor) {
		parts.push(
			UUID_RE.test(f.actor)
				? sql`(actor_id = ${f.actor}::uuid OR actor_label ILIKE ${containsPattern(f.actor)})`
				: sql`actor_label ILIKE ${containsPattern(f.actor)}`
		);
	}
	if (f.action) {
		parts.push(
			f.action.endsWith('.')
				? sql`action LIKE ${`${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
				: sql`action = ${f.action}`
		);
	}
	if (f.objectType) parts.push(sql`object_type = ${f.objectType}`);
	if (f.objectId) parts.push(sql`object_id = ${f.objectId}`);
	if (f.from) parts.push(sql`at >= ${f.from.toISOString()}::timestamptz`);
	if (f.before) parts.push(sql`at < ${f.before.toISOString()}::timestamptz`);
	if (f.channel) parts.push(sql`channel = ${f.channel}`);
	return sql.join(parts, sql` AND `);
}

type RawAudit = {
	id: string | number;
	at: string;
	actor_id: string | null;
	actor_label: string;
	actor_role: string | null;
	action: string;
	object_type: string;
	object_id: string | null;
	changes: unknown;
	request_id: string | null;
	channel: AuditChannel;
};

function toAuditRow(r: RawAudit): AuditRow {
	const changes = typeof r.changes === 'string' ? (JSON.parse(r.changes) as unknown) : r.changes;
	return {
		id: Number(r.id),
		at: r.at,
		actorId: r.actor_id,
		actorLabel: r.actor_label,
		actorRole: r.actor_role,
		action: r.action,
		objectType: r.object_type,
		objectId: r.object_id,
		changes: changes !== null && typeof changes === 'object' ? (changes as Record<string, unknown>) : {},
		requestId: r.request_id,
		channel: r.channel
	};
}

const AUDIT_COLUMNS = sql`id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor_id, actor_label,
       actor_role, action, object_type, object_id, changes, request_id, channel`;

/** One page of the filtered trail, newest first, and how many rows match in all. */
export async function searchAuditEvents(
	db: Executor,
	filter: AuditFilter,
	page: { limit: number; offset: number }
): Promise<{ rows: AuditRow[]; total: number }> {
	const where = auditWhere(filter);
	const found = await rows<RawAudit>(
		db,
		sql`SELECT ${AUDIT_COLUMNS} FROM audit_event WHERE ${where} ORDER BY id DESC LIMIT ${page.limit} OFFSET ${page.offset}`
	);
	const [count] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_event WHERE ${where}`);
	return { rows: found.map(toAuditRow), total: Number(count?.n ?? 0) };
}

/** The filtered trail in batches, newest first, by keyset (id) so a long export stays cheap. */
export async function* auditEventBatches(
	db: Executor,
	filter: AuditFilter,
	options: { batchSize: number; max: number; startBelowId?: number }
): AsyncGenerator<AuditRow[]> {
	const where = auditWhere(filter);
	let below = options.startBelowId ?? null;
	let left = options.max;
	while (left > 0) {
		const limit = Math.min(options.batchSize, left);
		const batch = (
			await rows<RawAudit>(
				db,
				sql`SELECT ${AUDIT_COLUMNS} FROM audit_event WHERE ${where} ${below === null ? sql`` : sql`AND id < ${below}`}
				    ORDER BY id DESC LIMIT ${limit}`
			)
		).map(toAuditRow);
		if (batch.length === 0) return;
		yield batch;
		left -= batch.length;
		below = batch[batch.length - 1]!.id;
		if (batch.length < limit) return;
	}
}

/** The highest audit id now (an export covers the rows up to here, not the rows it adds itself). */
export async function maxAuditId(db: Executor): Promise<number> {
	const [r] = await rows<{ id: string | number | null }>(db, sql`SELECT max(id) AS id FROM audit_event`);
	return Number(r?.id ?? 0);
}

/** The distinct actions in the trail (for the filter's list). */
export async function listAuditActions(db: Executor): Promise<string[]> {
	const r = await rows<{ action: string }>(db, sql`SELECT DISTINCT action FROM audit_event ORDER BY action`);
	return r.map((x) => x.action);
}

/** The distinct object types in the trail (for the filter's list). */
export async function listAuditObjectTypes(db: Executor): Promise<string[]> {
	const r = await rows<{ object_type: string }>(
		db,
		sql`SELECT DISTINCT object_type FROM audit_event ORDER BY object_type`
	);
	return r.map((x) => x.object_type);
}
