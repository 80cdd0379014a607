/**
 * The admin workspace (issue #3): accounts (invite, password links, role, disable/enable, country
 * scopes, memberships), organisations, the audit browser and its export, and the `access.denied`
 * row written for refused writes. Runs from the /admin pages and from the request hook (denied
 * writes). Every method checks the admin policy first (core/access/admin-policy.ts), owns its
 * transaction and writes its audit row in it; account changes reuse the account service.
 */
import { z } from 'zod';
import { authorizeAdmin } from '../../core/access/admin-policy';
import { diffFields } from '../../core/accounts/diff';
import { redactSecrets } from '../../core/accounts/redact';
import { isRole, ROLES, USER_STATUSES, type Role, type UserStatus } from '../../core/accounts/roles';
import { isCountryCode } from '../../core/reference';
import { cleanText } from '../../core/registry/initiative';
import { DomainError, validationError, type FieldIssue } from '../../core/shared/errors';
import { deleteUserSessions, findUserById, replaceRecoveryCodes, updateUser } from '../db/account.repository';
import {
	findApiTokenById,
	listAllApiTokens,
	revokeApiToken,
	type AdminApiTokenRecord
} from '../db/api-token.repository';
import {
	auditEventBatches,
	countLiveApiTokens,
	findMembershipRole,
	findOrganisation,
	listAuditActions,
	listAuditObjectTypes,
	listMembershipsOfUser,
	listMembersOfOrganisation,
	listOrganisations,
	listUsers,
	lockActiveAdmins,
	maxAuditId,
	searchAuditEvents,
	updateOrganisation,
	type AuditFilter,
	type AuditRow,
	type MembershipRow,
	type OrganisationListRow,
	type UserListRow
} from '../db/admin.repository';
import { insertAuditEvent, type AuditChannel } from '../db/audit.repository';
import type { Database } from '../db/client';
import {
	deleteMembership,
	findAccessFacts,
	insertOrganisation,
	upsertMembership,
	type MembershipRole
} from '../db/organisation.repository';
import { deliverLink, type LinkDelivery, type LinkMailer } from '../mail/link-mail';
import type { AccountService, AccountUser, Actor, IssuedLink, RequestContext, Tx } from './account.service';
import { createUserScopeService } from './user-scope.service';

export const USERS_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE = 50;
export const TOKENS_PAGE_SIZE = 50;
/** An export holds at most this many rows (narrow the filter for more); the page says so. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;
const MEMBERSHIP_ROLES = ['member', 'manager'] as const;
const CHANNELS = ['web', 'api', 'cli'] as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AdminUserDetail {
	user: UserListRow;
	memberships: MembershipRow[];
	countries: string[];
	/** API tokens that would work if the account is active (they stop while it is disabled). */
	liveApiTokens: number;
	/** Every organisation, for the "add a membership" choice. */
	organisations: OrganisationListRow[];
}

/** A token as the admin list shows it: never the secret or its hash. */
export interface AdminTokenRow extends AdminApiTokenRecord {
	state: 'active' | 'expired' | 'revoked';
}

export interface AuditQuery {
	filter: AuditFilter;
	/** The filter as the form shows it (strings), to refill the fields and build links. */
	fields: Record<AuditField, string>;
}

export const AUDIT_FIELDS = ['actor', 'action', 'object_type', 'object_id', 'from', 'to', 'channel'] as const;
export type AuditField = (typeof AUDIT_FIELDS)[number];

/** What a refused write tried to do, as the request hook describes it. */
export interface DeniedAttempt {
	method: string;
	/** The route pattern without layout groups (`/workspace/initiatives/[id]`), or the path when unknown. */
	route: string;
	/** The named form action (`publish` of `?/publish`), if any. */
	formAction: string | null;
	objectType: string;
	objectId: string | null;
	status: number;
}

const isoDay = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
	.refine(
		(s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
		{
			message: 'is not a real date'
		}
	);

const auditFilterSchema = z.object({
	actor: cleanText(254),
	action: z
		.string()
		.max(100, { message: 'must be at most 100 characters' })
		.regex(/^([a-z_]+(\.[a-z_]*)?)?$/, { message: 'must be an action like user.role_changed, or an area like user.' }),
	object_type: z
		.string()
		.max(50, { message: 'must be at most 50 characters' })
		.regex(/^[a-z_]*$/, { message: 'must be an object type like user or initiative' }),
	object_id: cleanText(200),
	from: z.union([z.literal(''), isoDay]),
	to: z.union([z.literal(''), isoDay]),
	channel: z.union([z.literal(''), z.enum(CHANNELS, { message: 'must be web, api or cli' })])
});

/**
 * Parses the audit filter from query parameters (the browser page and the export take the same
 * ones). `to` is inclusive (the whole day, UTC). Bad values are VALIDATION_FAILED with one issue
 * per field.
 */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
	const raw = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, (params.get(f) ?? '').trim()])) as Record<
		AuditField,
		string
	>;
	const parsed = auditFilterSchema.safeParse(raw);
	if (!parsed.success) {
		throw validationError(parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message })));
	}
	const v = parsed.data;
	const filter: AuditFilter = {};
	if (v.actor) filter.actor = v.actor;
	if (v.action) filter.action = v.action;
	if (v.object_type) filter.objectType = v.object_type;
	if (v.object_id) filter.objectId = v.object_id;
	if (v.from) filter.from = new Date(`${v.from}T00:00:00Z`);
	if (v.to) filter.before = new Date(Date.parse(`${v.to}T00:00:00Z`) + 86_400_000);
	if (v.channel) filter.channel = v.channel as AuditChannel;
	if (filter.from && filter.before && filter.from.getTime() >= filter.before.getTime()) {
		throw validationError([{ field: 'to', message: 'must not be before the from date' }]);
	}
	return { filter, fields: raw };
}

/** A page number from a query parameter: 1 when missing or not a positive integer. */
export function pageNumber(raw: string | null): number {
	const n = Number(raw);
	return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/**
 * Describes a refused write for the `access.denied` row from the route that refused it: the object
 * is the route's first `[param]` after a collection segment (`/workspace/initiatives/[id]/edit` →
 * initiative + params.id), else the route itself.
 */
export function describeDeniedRequest(input: {
	method: string;
	routeId: string | null;
	path: string;
	params: Partial<Record<string, string>>;
	search: string;
	status: number;
}): DeniedAttempt {
	const route = (input.routeId ?? input.path).replace(/\/\([^)]*\)/g, '') || '/';
	const segments = route.split('/').filter(Boolean);
	let objectType = 'route';
	let objectId: string | null = null;
	for (let i = 1; i < segments.length; i++) {
		const m = /^\[(\w+)\]$/.exec(segments[i] ?? '');
		const collection = segments[i - 1] ?? '';
		if (m && /^[a-z][a-z-]*$/.test(collection)) {
			objectType = collection.replace(/-/g, '_').replace(/ies$/, 'y').replace(/s$/, '');
			objectId = (input.params[m[1] ?? ''] ?? '').slice(0, 200) || null;
			break;
		}
	}
	const action = /^\?\/([\w-]{1,60})/.exec(input.search)?.[1] ?? null;
	return {
		method: input.method.toUpperCase().slice(0, 10),
		route: route.slice(0, 300),
		formAction: action,
		objectType,
		objectId,
		status: input.status
	};
}

const inviteSchema = z.object({
	email: z.string().trim().max(254),
	displayName: cleanText(200).transform((s) => s.trim()),
	role: z.string()
});

const organisationSchema = z.object({
	name: cleanText(300)
		.transform((s) => s.trim().replace(/\s+/g, ' '))
		.refine((s) => s.length > 0, { message: 'is required' }),
	country: z
		.string()
		.trim()
		.transform((s) => s.toUpperCase())
		.refine((s) => s === '' || isCountryCode(s), { message: 'is not an ISO 3166-1 alpha-3 country code' })
		.transform((s) => (s === '' ? null : s))
});

function issuesOf(error: z.ZodError): FieldIssue[] {
	return error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message }));
}

function userNotFound(): DomainError {
	return new DomainError('USER_NOT_FOUND', 'No such user.');
}

function organisationNotFound(): DomainError {
	return new DomainError('ORGANISATION_NOT_FOUND', 'No such organisation.');
}

/** Audit rows as the browser and the export show them: redacted again, whatever wrote them. */
function safeRow(row: AuditRow): AuditRow {
	return { ...row, changes: redactSecrets(row.changes) };
}

/** A link as the admin pages show it: returned once, with what happened to its email. */
export type DeliveredLink = IssuedLink & { delivery: LinkDelivery };

export function createAdminService(
	database: Database,
	deps: { accounts: AccountService; now?: () => Date; mail?: LinkMailer | null }
) {
	const { db } = database;
	const now = deps.now ?? (() => new Date());
	const scopes = createUserScopeService(database, { now });

	async function audit(
		tx: Tx,
		ctx: RequestContext,
		actor: Actor,
		action: string,
		object: { type: string; id: string | null },
		changes: Record<string, unknown>
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

	/**
	 * The last-admin rule: a change that would leave no active admin is refused (LAST_ADMIN). Locks
	 * every active admin row (in id order) first, so two admins demoting or disabling each other at
	 * the same moment are serialised and the second sees the first's change.
	 */
	async function keepAnAdmin(tx: Tx, userId: string, after: { role: Role; status: UserStatus }): Promise<void> {
		const admins = await lockActiveAdmins(tx);
		const stillAdmin = after.role === 'admin' && after.status === 'active';
		if (!stillAdmin && admins.includes(userId) && admins.length <= 1) {
			throw new DomainError(
				'LAST_ADMIN',
				'This is the last active administrator: make another account an active administrator first.',
				[{ field: after.role === 'admin' ? 'status' : 'role', message: 'last active administrator' }]
			);
		}
	}

	async function requireUser(id: string) {
		if (!UUID_RE.test(id)) throw userNotFound();
		const user = await findUserById(db, id);
		if (!user) throw userNotFound();
		return user;
	}

	async function requireOrganisation(id: string) {
		if (!UUID_RE.test(id)) throw organisationNotFound();
		const org = await findOrganisation(db, id);
		if (!org) throw organisationNotFound();
		return org;
	}

	return {
		// Accounts ------------------------------------------------------------------------------

		async listUsers(
			actor: Actor,
			input: { q?: string; role?: string; status?: string; page?: number }
		): Promise<{ rows: UserListRow[]; total: number; page: number; pageSize: number }> {
			authorizeAdmin(actor.role, 'user.read');
			const page = input.page ?? 1;
			const q = (input.q ?? '').trim().slice(0, 254);
			const role = isRole(input.role) ? input.role : undefined;
			const status = (USER_STATUSES as readonly string[]).includes(input.status ?? '')
				? (input.status as UserStatus)
				: undefined;
			const found = await listUsers(
				db,
				{ q: q || undefined, role, status },
				{ limit: USERS_PAGE_SIZE, offset: (page - 1) * USERS_PAGE_SIZE }
			);
			return { ...found, page, pageSize: USERS_PAGE_SIZE };
		},

		async getUser(actor: Actor, id: string): Promise<AdminUserDetail> {
			authorizeAdmin(actor.role, 'user.read');
			const u = await requireUser(id);
			const [memberships, facts, liveApiTokens, organisations] = [
				await listMembershipsOfUser(db, u.id),
				await findAccessFacts(db, u.id),
				await countLiveApiTokens(db, u.id, now()),
				await listOrganisations(db)
			];
			return {
				user: {
					id: u.id,
					email: u.email,
					displayName: u.displayName,
					role: u.role,
					status: u.status,
					totpEnabled: u.totpEnabled,
					hasPassword: u.passwordHash !== null,
					createdAt: u.createdAt.toISOString()
				},
				memberships,
				countries: facts.countries,
				liveApiTokens,
				organisations
			};
		},

		/**
		 * Creates an account and its invitation link (72 h), returned once (only its hash is stored).
		 * When SMTP is configured the link is also emailed (in `locale`) after the account committed;
		 * `delivery` says whether it went out: a failed send leaves the account and the link as they are.
		 */
		async inviteUser(
			ctx: RequestContext,
			actor: Actor,
			input: { email: string; displayName: string; role: string; locale?: string }
		): Promise<DeliveredLink> {
			authorizeAdmin(actor.role, 'user.manage');
			const parsed = inviteSchema.safeParse(input);
			if (!parsed.success) throw validationError(issuesOf(parsed.error));
			const { email, displayName, role } = parsed.data;
			// The account service validates email and role (same rules as `gcm user invite`).
			const link = await deps.accounts.inviteUser(ctx, actor, { email, displayName: displayName || undefined, role });
			const delivery = await deliverLink(deps.mail, ctx, actor, {
				userId: link.user.id,
				email: link.user.email,
				displayName: link.user.displayName,
				token: link.token,
				expiresAt: link.expiresAt,
				purpose: 'invite',
				locale: input.locale
			});
			return { ...link, delivery };
		},

		/**
		 * A one-time password-reset link (1 h) for an active account, returned once. Setting the
		 * password through it ends the person's sessions. A disabled account gets none (CONFLICT).
		 */
		async passwordResetLink(
			ctx: RequestContext,
			actor: Actor,
			userId: string,
			options: { locale?: string } = {}
		): Promise<DeliveredLink> {
			authorizeAdmin(actor.role, 'user.manage');
			const user = await requireUser(userId);
			if (user.status !== 'active') {
				throw new DomainError('CONFLICT', 'The account is disabled: enable it before issuing a password link.');
			}
			const link = await deps.accounts.requestPasswordReset(ctx, actor, user.email);
			if (!link)
				throw new DomainError('CONFLICT', 'The account is disabled: enable it before issuing a password link.');
			const delivery = await deliverLink(deps.mail, ctx, actor, {
				userId: link.user.id,
				email: link.user.email,
				displayName: link.user.displayName,
				token: link.token,
				expiresAt: link.expiresAt,
				purpose: 'password_reset',
				locale: options.locale
			});
			return { ...link, delivery };
		},

		/** Changes the role; the person's sessions end (account service). Refuses to remove the last admin. */
		async changeRole(ctx: RequestContext, actor: Actor, userId: string, role: string): Promise<AccountUser> {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(userId);
			if (!isRole(role)) {
				throw validationError([{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
			}
			return deps.accounts.changeRole(ctx, actor, userId, role, {
				guard: async (tx, id, next) => {
					const current = await findUserById(tx, id);
					if (current) await keepAnAdmin(tx, id, { role: next, status: current.status });
				}
			});
		},

		/**
		 * Disables or enables an account. Disabling ends every session at once; nothing else is
		 * revoked: outstanding links stop working (they require an active account), and the account's
		 * API tokens are refused while it is disabled (the token service checks the status on every
		 * request) and work again if it is enabled. Refuses to disable the last active admin.
		 */
		async setStatus(ctx: RequestContext, actor: Actor, userId: string, status: string): Promise<UserStatus> {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(userId);
			if (status !== 'active' && status !== 'disabled') {
				throw validationError([{ field: 'status', message: 'must be active or disabled' }]);
			}
			return db.transaction(async (tx) => {
				const current = await findUserById(tx, userId);
				if (!current) throw userNotFound();
				await keepAnAdmin(tx, userId, { role: current.role, status });
				const user = await findUserById(tx, userId, true);
				if (!user) throw userNotFound();
				if (user.status === status) return status;
				const at = now();
				await updateUser(tx, user.id, { status }, at);
				const ended = status === 'disabled' ? await deleteUserSessions(tx, user.id) : 0;
				await audit(
					tx,
					ctx,
					actor,
					status === 'disabled' ? 'user.disabled' : 'user.enabled',
					{ type: 'user', id: user.id },
					{
						...diffFields({ status: user.status }, { status }),
						sessions_ended: ended,
						live_api_keys: await countLiveApiTokens(tx, user.id, at)
					}
				);
				return status;
			});
		},

		/** Replaces the countries the account acts for (audited `user.scopes_changed`). */
		async setCountries(ctx: RequestContext, actor: Actor, userId: string, countries: readonly string[]) {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(userId);
			if (countries.length > 250) throw validationError([{ field: 'country', message: 'too many countries' }]);
			return scopes.setCountries(ctx, actor, userId, countries);
		},

		/** Adds a membership, or changes its role; audited `user.membership_added` / `_changed`. */
		async addMembership(
			ctx: RequestContext,
			actor: Actor,
			input: { userId: string; organisationId: string; role: string }
		): Promise<void> {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(input.userId);
			if (!(MEMBERSHIP_ROLES as readonly string[]).includes(input.role)) {
				throw validationError([{ field: 'membership_role', message: 'must be member or manager' }]);
			}
			if (!UUID_RE.test(input.organisationId)) {
				throw validationError([{ field: 'organisation', message: 'choose an organisation' }]);
			}
			const role = input.role as MembershipRole;
			await db.transaction(async (tx) => {
				const org = await findOrganisation(tx, input.organisationId, true);
				if (!org) throw validationError([{ field: 'organisation', message: 'no such organisation' }]);
				const before = await findMembershipRole(tx, input.userId, org.id);
				if (before === role) return;
				await upsertMembership(tx, input.userId, org.id, role);
				await audit(
					tx,
					ctx,
					actor,
					before === null ? 'user.membership_added' : 'user.membership_changed',
					{ type: 'user', id: input.userId },
					{
						organisation_id: org.id,
						organisation_name: org.name,
						membership_role: { before, after: role }
					}
				);
			});
		},

		async removeMembership(ctx: RequestContext, actor: Actor, userId: string, organisationId: string): Promise<void> {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(userId);
			if (!UUID_RE.test(organisationId)) throw new DomainError('NOT_FOUND', 'No such membership.');
			await db.transaction(async (tx) => {
				const before = await findMembershipRole(tx, userId, organisationId);
				if (before === null) throw new DomainError('NOT_FOUND', 'No such membership.');
				const org = await findOrganisation(tx, organisationId);
				await deleteMembership(tx, userId, organisationId);
				await audit(
					tx,
					ctx,
					actor,
					'user.membership_removed',
					{ type: 'user', id: userId },
					{
						organisation_id: organisationId,
						organisation_name: org?.name ?? null,
						membership_role: { before, after: null }
					}
				);
			});
		},

		/**
		 * Ends every session of an account (ASVS 7.4.5) without changing its role or status: the
		 * person must sign in again everywhere. API tokens are not touched (revoke them one by one).
		 * Audited `session.revoked_all` with the number of sessions ended.
		 */
		async endSessions(ctx: RequestContext, actor: Actor, userId: string): Promise<number> {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(userId);
			return db.transaction(async (tx) => {
				const user = await findUserById(tx, userId, true);
				if (!user) throw userNotFound();
				const ended = await deleteUserSessions(tx, user.id);
				await audit(tx, ctx, actor, 'session.revoked_all', { type: 'user', id: user.id }, { sessions_ended: ended });
				return ended;
			});
		},

		/**
		 * Resets an account's second factor (a lost phone): the TOTP secret and the recovery codes are
		 * deleted and every session ends. An admin or coordinator must set up two-step sign-in again
		 * before their next session is usable (and their API tokens are refused until then); other
		 * roles sign in with the password only until they turn it on again. Audited
		 * `user.two_factor_reset`. CONFLICT when the account has no second factor to reset.
		 */
		async resetTwoFactor(ctx: RequestContext, actor: Actor, userId: string): Promise<void> {
			authorizeAdmin(actor.role, 'user.manage');
			await requireUser(userId);
			await db.transaction(async (tx) => {
				const user = await findUserById(tx, userId, true);
				if (!user) throw userNotFound();
				if (!user.totpEnabled && user.totpSecret === null) {
					throw new DomainError('CONFLICT', 'This account has no second factor to reset.');
				}
				await updateUser(tx, user.id, { totpEnabled: false, totpSecret: null }, now());
				await replaceRecoveryCodes(tx, user.id, []);
				const ended = await deleteUserSessions(tx, user.id);
				await audit(
					tx,
					ctx,
					actor,
					'user.two_factor_reset',
					{ type: 'user', id: user.id },
					{
						...diffFields({ two_factor_enabled: user.totpEnabled }, { two_factor_enabled: false }),
						sessions_ended: ended
					}
				);
			});
		},

		// API tokens of every account -------------------------------------------------------------

		/**
		 * Every account's API tokens (name, owner, access, narrowing, dates, state; never the secret
		 * or its hash), newest first, filtered by account id or by text (owner's email or name, or the
		 * token's name).
		 */
		async listApiTokens(
			actor: Actor,
			input: { user?: string; q?: string; page?: number }
		): Promise<{ rows: AdminTokenRow[]; total: number; page: number; pageSize: number }> {
			authorizeAdmin(actor.role, 'user.read');
			const page = input.page ?? 1;
			const user = (input.user ?? '').trim();
			if (user !== '' && !UUID_RE.test(user)) {
				throw validationError([{ field: 'user', message: 'is not an account id' }]);
			}
			const q = (input.q ?? '').trim().slice(0, 254);
			const found = await listAllApiTokens(
				db,
				{ userId: user || undefined, q: q || undefined },
				{ limit: TOKENS_PAGE_SIZE, offset: (page - 1) * TOKENS_PAGE_SIZE }
			);
			const at = now().getTime();
			return {
				rows: found.rows.map((t) => ({
					...t,
					state: t.revokedAt ? 'revoked' : t.expiresAt.getTime() <= at ? 'expired' : 'active'
				})),
				total: found.total,
				page,
				pageSize: TOKENS_PAGE_SIZE
			};
		},

		/**
		 * Revokes anyone's token at once (it stops working at its next request). Audited
		 * `api_token.revoked` with the admin as actor and the owner named. NOT_FOUND when there is no
		 * such token or it is already revoked.
		 */
		async revokeApiToken(ctx: RequestContext, actor: Actor, tokenId: string): Promise<AdminApiTokenRecord> {
			authorizeAdmin(actor.role, 'user.manage');
			if (!UUID_RE.test(tokenId)) throw new DomainError('NOT_FOUND', 'No such token.');
			return db.transaction(async (tx) => {
				const token = await findApiTokenById(tx, tokenId, true);
				const at = now();
				if (!token || !(await revokeApiToken(tx, token.userId, token.id, at))) {
					throw new DomainError('NOT_FOUND', 'No such token, or it is already revoked.');
				}
				await audit(
					tx,
					ctx,
					actor,
					'api_token.revoked',
					{ type: 'api_token', id: token.id },
					{
						revoked_at: { before: null, after: at.toISOString() },
						owner_id: token.userId,
						owner_email: token.ownerEmail,
						name: token.name
					}
				);
				return { ...token, revokedAt: at };
			});
		},

		// Organisations ---------------------------------------------------------------------------

		async listOrganisations(actor: Actor, q?: string): Promise<OrganisationListRow[]> {
			authorizeAdmin(actor.role, 'organisation.read');
			return listOrganisations(db, (q ?? '').trim().slice(0, 300) || undefined);
		},

		async getOrganisation(actor: Actor, id: string) {
			authorizeAdmin(actor.role, 'organisation.read');
			const organisation = await requireOrganisation(id);
			return { organisation, members: await listMembersOfOrganisation(db, organisation.id) };
		},

		async createOrganisation(
			ctx: RequestContext,
			actor: Actor,
			input: { name: string; country: string }
		): Promise<{ id: string }> {
			authorizeAdmin(actor.role, 'organisation.manage');
			const parsed = organisationSchema.safeParse(input);
			if (!parsed.success) throw validationError(issuesOf(parsed.error));
			const { name, country } = parsed.data;
			return db.transaction(async (tx) => {
				const org = await insertOrganisation(tx, { name, country });
				await audit(
					tx,
					ctx,
					actor,
					'organisation.created',
					{ type: 'organisation', id: org.id },
					diffFields(null, { name, country })
				);
				return { id: org.id };
			});
		},

		async updateOrganisation(
			ctx: RequestContext,
			actor: Actor,
			id: string,
			input: { name: string; country: string }
		): Promise<void> {
			authorizeAdmin(actor.role, 'organisation.manage');
			await requireOrganisation(id);
			const parsed = organisationSchema.safeParse(input);
			if (!parsed.success) throw validationError(issuesOf(parsed.error));
			const next = parsed.data;
			await db.transaction(async (tx) => {
				const current = await findOrganisation(tx, id, true);
				if (!current) throw organisationNotFound();
				const changes = diffFields({ name: current.name, country: current.country }, next);
				if (Object.keys(changes).length === 0) return;
				await updateOrganisation(tx, id, next);
				await audit(tx, ctx, actor, 'organisation.updated', { type: 'organisation', id }, changes);
			});
		},

		// The audit trail -----------------------------------------------------------------------------

		/** One page of the filtered trail (newest first), with the lists the filter form offers. */
		async searchAudit(actor: Actor, query: AuditQuery, page: number) {
			authorizeAdmin(actor.role, 'audit.read');
			const found = await searchAuditEvents(db, query.filter, {
				limit: AUDIT_PAGE_SIZE,
				offset: (page - 1) * AUDIT_PAGE_SIZE
			});
			return {
				rows: found.rows.map(safeRow),
				total: found.total,
				page,
				pageSize: AUDIT_PAGE_SIZE,
				actions: await listAuditActions(db),
				objectTypes: await listAuditObjectTypes(db)
			};
		},

		/**
		 * The filtered trail for download. The export exposes non-public data, so it is itself
		 * audited (`audit.exported`: format, filter, row count) before the first row is sent; the rows
		 * are those that existed then (the export's own row is not in it). Newest first, at most
		 * AUDIT_EXPORT_MAX_ROWS.
		 */
		async exportAudit(
			ctx: RequestContext,
			actor: Actor,
			query: AuditQuery,
			format: 'csv' | 'json'
		): Promise<{ total: number; truncated: boolean; batches: AsyncIterable<AuditRow[]> }> {
			authorizeAdmin(actor.role, 'audit.export');
			const upTo = await maxAuditId(db);
			const { total } = await searchAuditEvents(db, { ...query.filter }, { limit: 0, offset: 0 });
			const exported = Math.min(total, AUDIT_EXPORT_MAX_ROWS);
			await db.transaction(async (tx) => {
				await audit(
					tx,
					ctx,
					actor,
					'audit.exported',
					{ type: 'audit', id: null },
					{
						format,
						filter: Object.fromEntries(Object.entries(query.fields).filter(([, v]) => v !== '')),
						rows: exported,
						truncated: total > exported
					}
				);
			});
			const batches = auditEventBatches(db, query.filter, {
				batchSize: 1_000,
				max: AUDIT_EXPORT_MAX_ROWS,
				startBelowId: upTo + 1
			});
			async function* redacted() {
				for await (const batch of batches) yield batch.map(safeRow);
			}
			return { total: exported, truncated: total > exported, batches: redacted() };
		},

		/**
		 * Records a refused write by a signed-in person (`access.denied`, ASVS 16.3.2) in its own
		 * transaction: the refused change rolled back, so its own audit row never existed. No policy
		 * check: the request hook calls it for whoever was refused.
		 */
		async recordDenied(ctx: RequestContext, actor: Actor, attempt: DeniedAttempt): Promise<void> {
			await db.transaction(async (tx) => {
				await audit(
					tx,
					ctx,
					actor,
					'access.denied',
					{ type: attempt.objectType, id: attempt.objectId },
					{
						attempted: `${attempt.method} ${attempt.route}${attempt.formAction ? `?/${attempt.formAction}` : ''}`,
						status: attempt.status
					}
				);
			});
		}
	};
}

export type AdminService = ReturnType<typeof createAdminService>;

/** The audit trail's CSV columns (a contract for whoever reads the export). */
export const AUDIT_CSV_HEADER = [
	'id',
	'at',
	'actor_id',
	'actor_label',
	'actor_role',
	'action',
	'object_type',
	'object_id',
	'channel',
	'request_id',
	'changes'
] as const;

export function auditCsvValues(row: AuditRow): string[] {
	return [
		String(row.id),
		row.at,
		row.actorId ?? '',
		row.actorLabel,
		row.actorRole ?? '',
		row.action,
		row.objectType,
		row.objectId ?? '',
		row.channel,
		row.requestId ?? '',
		JSON.stringify(row.changes)
	];
}

/** The JSON export's row shape (snake_case, like the CSV). */
export function auditJsonRow(row: AuditRow): Record<string, unknown> {
	return {
		id: row.id,
		at: row.at,
		actor_id: row.actorId,
		actor_label: row.actorLabel,
		actor_role: row.actorRole,
		action: row.action,
		object_type: row.objectType,
		object_id: row.objectId,
		channel: row.channel,
		request_id: row.requestId,
		changes: row.changes
	};
}
