/**
 * The admin workspace's service on a real database (both engines): every action requires the admin
 * role, the last-admin rule (also under concurrency), disable/enable and what it does to sessions
 * and API tokens, memberships, country scopes and organisations with their audit rows, the audit
 * browser's filters and pages, the export (audited, redacted) and the access.denied row.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { totpCode } from '../../src/lib/core/accounts/totp';
import { DomainError } from '../../src/lib/core/shared/errors';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import {
	actorOf,
	CLI_ACTOR,
	createAccountService,
	type AccountService,
	type AccountUser,
	type Actor,
	type RequestContext
} from '../../src/lib/server/services/account.service';
import {
	AUDIT_PAGE_SIZE,
	createAdminService,
	describeDeniedRequest,
	parseAuditQuery,
	type AdminService,
	type AuditQuery
} from '../../src/lib/server/services/admin.service';
import { createApiTokenService } from '../../src/lib/server/services/api-token.service';
import { createRateLimiter } from '../../src/lib/server/http/rate-limit';
import { openTestDatabase, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-admin', clientAddress: '198.51.100.9' };
const CLI: RequestContext = { channel: 'cli', requestId: null };
const PASSWORD = 'tq3-vintage-lamp-orbit';
const HOSTILE = `<script>alert(1)</script> منظمة المهاجرين 移民组织 ${'x'.repeat(100)}`;

let seq = 0;

async function codeOf(p: Promise<unknown>): Promise<string | null> {
	return p.then(
		() => null,
		(e: unknown) => (e instanceof DomainError ? e.code : `unexpected ${String(e)}`)
	);
}

const query = (params: Record<string, string> = {}): AuditQuery => parseAuditQuery(new URLSearchParams(params));

describe.each(testEngines())('admin workspace (%s)', (engine) => {
	let database: Database;
	let accounts: AccountService;
	let admin: AdminService;
	let clock: number;
	const now = () => new Date(clock);

	beforeAll(async () => {
		database = await openTestDatabase(engine);
	});
	afterAll(() => database.close());
	beforeEach(() => {
		clock = Date.parse('2026-04-01T08:00:00Z');
		accounts = createAccountService(database, { sessionIdleMinutes: 30, sessionAbsoluteHours: 12, now });
		admin = createAdminService(database, { accounts, now });
	});

	/** An account with a password (created by the operator). */
	async function account(role: string, name = HOSTILE): Promise<AccountUser> {
		const link = await accounts.createUser(CLI, CLI_ACTOR, {
			email: `adm-${role}-${++seq}@example.org`,
			displayName: name,
			role
		});
		await accounts.setPasswordWithToken(WEB, 'password_reset', link.token, PASSWORD);
		return link.user;
	}

	async function signIn(user: AccountUser): Promise<string> {
		const r = await accounts.signIn(
			{ ...WEB, clientAddress: `203.0.113.${++seq % 250}` },
			{
				email: user.email,
				password: PASSWORD
			}
		);
		if (!r.ok) throw new Error('sign-in failed');
		return r.token;
	}

	async function auditCount(): Promise<number> {
		const [r] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM audit_event`);
		return Number(r?.n ?? 0);
	}

	/** Demotes or disables every other active admin, so `keep` is the only one. */
	async function onlyAdmin(keep: AccountUser) {
		const others = await rows<{ id: string }>(
			database.db,
			sql`SELECT id FROM app_user WHERE role = 'admin' AND status = 'active' AND id <> ${keep.id}::uuid`
		);
		for (const o of others) await accounts.changeRole(CLI, CLI_ACTOR, o.id, 'editor');
	}

	it('refuses every action to every other role, writing nothing', async () => {
		const target = await account('editor');
		const org = await admin.createOrganisation(WEB, CLI_ACTOR, { name: 'Org for refusals', country: 'KEN' });
		for (const role of ['coordinator', 'editor', 'reviewer', 'contributor', 'expert'] as const) {
			const actor: Actor = actorOf(await account(role));
			const before = await auditCount();
			const attempts: [string, Promise<unknown>][] = [
				['listUsers', admin.listUsers(actor, {})],
				['getUser', admin.getUser(actor, target.id)],
				['invite', admin.inviteUser(WEB, actor, { email: `x${++seq}@example.org`, displayName: 'X', role: 'admin' })],
				['reset', admin.passwordResetLink(WEB, actor, target.id)],
				['role', admin.changeRole(WEB, actor, target.id, 'admin')],
				['status', admin.setStatus(WEB, actor, target.id, 'disabled')],
				['countries', admin.setCountries(WEB, actor, target.id, ['KEN'])],
				[
					'add membership',
					admin.addMembership(WEB, actor, { userId: target.id, organisationId: org.id, role: 'member' })
				],
				['remove membership', admin.removeMembership(WEB, actor, target.id, org.id)],
				['orgs', admin.listOrganisations(actor)],
				['org', admin.getOrganisation(actor, org.id)],
				['create org', admin.createOrganisation(WEB, actor, { name: 'Nope', country: '' })],
				['update org', admin.updateOrganisation(WEB, actor, org.id, { name: 'Nope', country: '' })],
				['end sessions', admin.endSessions(WEB, actor, target.id)],
				['reset 2FA', admin.resetTwoFactor(WEB, actor, target.id)],
				['tokens', admin.listApiTokens(actor, {})],
				['revoke token', admin.revokeApiToken(WEB, actor, '00000000-0000-4000-8000-000000000000')],
				['audit', admin.searchAudit(actor, query(), 1)],
				['export', admin.exportAudit(WEB, actor, query(), 'csv')]
			];
			for (const [name, p] of attempts) expect([role, name, await codeOf(p)]).toEqual([role, name, 'FORBIDDEN']);
			expect(await auditCount()).toBe(before);
		}
		const fresh = await admin.getUser(CLI_ACTOR, target.id);
		expect(fresh.user.role).toBe('editor');
		expect(fresh.user.status).toBe('active');
		expect(fresh.countries).toEqual([]);
	});

	it('invites a user with a link shown once, and issues a password link for an active account only', async () => {
		const boss = actorOf(await account('admin'));
		const link = await admin.inviteUser(WEB, boss, {
			email: ` New.Person+${++seq}@Example.org `,
			displayName: HOSTILE,
			role: 'reviewer'
		});
		expect(link.token).toMatch(/^inv_/);
		expect(link.user.email).toBe(`new.person+${seq}@example.org`);
		expect(link.user.role).toBe('reviewer');
		const stored = JSON.stringify(await rows(database.db, sql`SELECT * FROM user_token`));
		expect(stored).not.toContain(link.token);
		const invited = (await listAuditEvents(database.db, { objectId: link.user.id }))[0];
		expect(invited?.action).toBe('user.invited');
		expect(invited?.actorLabel).toBe(boss.label);
		expect(JSON.stringify(invited)).not.toContain(link.token);

		expect(
			await codeOf(admin.inviteUser(WEB, boss, { email: link.user.email, displayName: 'Again', role: 'editor' }))
		).toBe('USER_EXISTS');
		expect(await codeOf(admin.inviteUser(WEB, boss, { email: 'not-an-email', displayName: 'X', role: 'editor' }))).toBe(
			'VALIDATION_FAILED'
		);
		expect(
			await codeOf(admin.inviteUser(WEB, boss, { email: `r${++seq}@example.org`, displayName: 'X', role: 'root' }))
		).toBe('VALIDATION_FAILED');

		const reset = await admin.passwordResetLink(WEB, boss, link.user.id);
		expect(reset.token).toMatch(/^rst_/);
		expect(await accounts.checkLink(reset.token, 'password_reset')).toEqual({ email: link.user.email });
		await admin.setStatus(WEB, boss, link.user.id, 'disabled');
		expect(await codeOf(admin.passwordResetLink(WEB, boss, link.user.id))).toBe('CONFLICT');
		expect(await accounts.checkLink(reset.token, 'password_reset')).toBeNull();
		expect(await codeOf(admin.passwordResetLink(WEB, boss, '00000000-0000-4000-8000-000000000000'))).toBe(
			'USER_NOT_FOUND'
		);
		expect(await codeOf(admin.getUser(boss, 'not-a-uuid'))).toBe('USER_NOT_FOUND');
	});

	it('changes a role, ending the person’s sessions, and never removes the last active admin', async () => {
		const first = await account('admin');
		await onlyAdmin(first);
		const boss = actorOf(first);
		const editor = await account('editor');
		const session = await signIn(editor);
		expect(await accounts.validateSession(session)).not.toBeNull();
		const changed = await admin.changeRole(WEB, boss, editor.id, 'reviewer');
		expect(changed.role).toBe('reviewer');
		expect(await accounts.validateSession(session)).toBeNull();
		const [row] = (await listAuditEvents(database.db, { objectId: editor.id, action: 'user.role_changed' })).slice(-1);
		expect(row?.changes).toMatchObject({ role: { before: 'editor', after: 'reviewer' }, sessions_ended: 1 });
		expect(await codeOf(admin.changeRole(WEB, boss, editor.id, 'superuser'))).toBe('VALIDATION_FAILED');

		// The only active admin cannot demote or disable themselves.
		const before = await auditCount();
		expect(await codeOf(admin.changeRole(WEB, boss, first.id, 'editor'))).toBe('LAST_ADMIN');
		expect(await codeOf(admin.setStatus(WEB, boss, first.id, 'disabled'))).toBe('LAST_ADMIN');
		expect(await auditCount()).toBe(before);
		expect((await admin.getUser(boss, first.id)).user).toMatchObject({ role: 'admin', status: 'active' });

		// With a second active admin, either may step down.
		const second = await account('admin');
		await admin.changeRole(WEB, boss, first.id, 'coordinator');
		expect((await admin.getUser(actorOf(second), first.id)).user.role).toBe('coordinator');
		expect(await codeOf(admin.setStatus(WEB, actorOf(second), second.id, 'disabled'))).toBe('LAST_ADMIN');
	});

	it('lets only one of two admins who demote each other at the same moment succeed', async () => {
		const a = await account('admin');
		await onlyAdmin(a);
		const b = await account('admin');
		const outcomes = await Promise.all([
			codeOf(admin.changeRole(WEB, actorOf(a), b.id, 'editor')),
			codeOf(admin.setStatus(WEB, actorOf(b), a.id, 'disabled'))
		]);
		expect(outcomes.filter((o) => o === null)).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'LAST_ADMIN')).toHaveLength(1);
		const [active] = await rows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND status = 'active'`
		);
		expect(Number(active?.n)).toBe(1);
	});

	it('disables an account: sessions end, links and API tokens stop working; enabling restores the tokens', async () => {
		const boss = actorOf(await account('admin'));
		const editor = await account('editor');
		const session = await signIn(editor);
		const tokens = createApiTokenService(database, {
			now,
			bearerLimiter: createRateLimiter({ now: () => clock, maxFailures: 1000 })
		});
		const { token } = await tokens.create(WEB, { user: editor, mfa: 'ok' }, { name: 'Nightly', access: 'read' });
		const API: RequestContext = { channel: 'api', requestId: 'r', clientAddress: '192.0.2.1' };
		expect((await tokens.authenticate(API, `Bearer ${token}`)).user.id).toBe(editor.id);

		expect(await admin.setStatus(WEB, boss, editor.id, 'disabled')).toBe('disabled');
		expect(await accounts.validateSession(session)).toBeNull();
		expect(await codeOf(tokens.authenticate(API, `Bearer ${token}`))).toBe('API_TOKEN_INVALID');
		const refused = await accounts.signIn(WEB, { email: editor.email, password: PASSWORD });
		expect(refused.ok).toBe(false);
		const [disabled] = await listAuditEvents(database.db, { objectId: editor.id, action: 'user.disabled' });
		expect(disabled?.changes).toEqual({
			status: { before: 'active', after: 'disabled' },
			sessions_ended: 1,
			live_api_keys: 1
		});
		// Disabling again changes nothing and writes nothing.
		const before = await auditCount();
		await admin.setStatus(WEB, boss, editor.id, 'disabled');
		expect(await auditCount()).toBe(before);

		await admin.setStatus(WEB, boss, editor.id, 'active');
		expect((await tokens.authenticate(API, `Bearer ${token}`)).user.id).toBe(editor.id);
		expect(await listAuditEvents(database.db, { objectId: editor.id, action: 'user.enabled' })).toHaveLength(1);
		expect(await codeOf(admin.setStatus(WEB, boss, editor.id, 'deleted'))).toBe('VALIDATION_FAILED');
	});

	it('ends every session of a person without changing the role, the status or the tokens', async () => {
		const boss = actorOf(await account('admin'));
		const editor = await account('editor');
		const phone = await signIn(editor);
		const laptop = await signIn(editor);
		const bystander = await account('editor');
		const theirs = await signIn(bystander);
		const tokens = createApiTokenService(database, { now });
		const { token } = await tokens.create(WEB, { user: editor, mfa: 'ok' }, { name: 'Nightly', access: 'read' });

		expect(await admin.endSessions(WEB, boss, editor.id)).toBe(2);
		expect(await accounts.validateSession(phone)).toBeNull();
		expect(await accounts.validateSession(laptop)).toBeNull();
		expect(await accounts.validateSession(theirs)).not.toBeNull();
		const after = await admin.getUser(boss, editor.id);
		expect(after.user).toMatchObject({ role: 'editor', status: 'active' });
		expect(after.liveApiTokens).toBe(1);
		const API: RequestContext = { channel: 'api', requestId: 'r', clientAddress: '192.0.2.2' };
		expect((await tokens.authenticate(API, `Bearer ${token}`)).user.id).toBe(editor.id);
		// The person signs in again as before.
		expect(await accounts.validateSession(await signIn(editor))).not.toBeNull();

		const [event] = await listAuditEvents(database.db, { objectId: editor.id, action: 'session.revoked_all' });
		expect(event).toMatchObject({ actorId: boss.id, actorRole: 'admin', objectType: 'user', channel: 'web' });
		expect(event?.changes).toEqual({ sessions_ended: 2 });
		expect(await codeOf(admin.endSessions(WEB, boss, '00000000-0000-4000-8000-000000000000'))).toBe('USER_NOT_FOUND');
	});

	it('resets a lost second factor: codes and sessions gone, a coordinator must set it up again; audited', async () => {
		const boss = actorOf(await account('admin'));
		const coordinator = await account('coordinator');
		const first = await signIn(coordinator);
		const { secret } = await accounts.beginTwoFactor(WEB, first);
		const { session } = await accounts.confirmTwoFactor(WEB, first, totpCode(decodeBase32IgnorePadding(secret), clock));
		expect((await accounts.validateSession(session.token))?.mfa).toBe('ok');
		expect(await accounts.unusedRecoveryCodes(coordinator.id)).toBe(10);

		await admin.resetTwoFactor(WEB, boss, coordinator.id);
		expect(await accounts.validateSession(session.token)).toBeNull();
		expect(await accounts.unusedRecoveryCodes(coordinator.id)).toBe(0);
		const detail = await admin.getUser(boss, coordinator.id);
		expect(detail.user).toMatchObject({ role: 'coordinator', status: 'active', totpEnabled: false });
		// The password still works; the new session is unusable until two-step sign-in is set up again.
		const again = await accounts.signIn(
			{ ...WEB, clientAddress: '203.0.113.250' },
			{ email: coordinator.email, password: PASSWORD }
		);
		expect(again.ok && again.mfa).toBe('enrol');

		const [event] = await listAuditEvents(database.db, { objectId: coordinator.id, action: 'user.two_factor_reset' });
		expect(event).toMatchObject({ actorId: boss.id, actorRole: 'admin', objectType: 'user' });
		expect(event?.changes).toEqual({
			two_factor_enabled: { before: true, after: false },
			sessions_ended: 1
		});
		expect(JSON.stringify(event)).not.toContain(secret);
		const before = await auditCount();
		expect(await codeOf(admin.resetTwoFactor(WEB, boss, coordinator.id))).toBe('CONFLICT');
		expect(await auditCount()).toBe(before);
	});

	it('lists every account’s API tokens without secrets, filters them, and revokes one (audited, admin as actor)', async () => {
		const boss = actorOf(await account('admin'));
		const ana = await account('editor', `Ana ${HOSTILE}`);
		const ben = await account('contributor', 'Ben');
		const tokens = createApiTokenService(database, { now });
		const a1 = await tokens.create(
			WEB,
			{ user: ana, mfa: 'ok' },
			{ name: `Import ${HOSTILE.slice(0, 60)}`, access: 'write' }
		);
		clock += 1_000;
		const a2 = await tokens.create(WEB, { user: ana, mfa: 'ok' }, { name: 'Reports', access: 'read' });
		clock += 1_000;
		const b1 = await tokens.create(WEB, { user: ben, mfa: 'ok' }, { name: 'Ben script', access: 'read' });

		const anas = await admin.listApiTokens(boss, { user: ana.id });
		expect(anas.total).toBe(2);
		expect(anas.rows.map((t) => t.id)).toEqual([a2.summary.id, a1.summary.id]);
		expect(anas.rows[1]).toMatchObject({
			name: `Import ${HOSTILE.slice(0, 60)}`,
			ownerEmail: ana.email,
			access: 'write',
			state: 'active',
			hint: a1.token.slice(4, 10),
			lastUsedAt: null,
			revokedAt: null
		});
		// Never the secret or its hash.
		const text = JSON.stringify(await admin.listApiTokens(boss, {}));
		for (const secret of [a1.token, a2.token, b1.token]) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(secret.slice(4));
		}
		expect(text).not.toMatch(/"hash"/);
		expect((await admin.listApiTokens(boss, { q: 'ben script' })).rows.map((t) => t.id)).toEqual([b1.summary.id]);
		expect((await admin.listApiTokens(boss, { q: ben.email.slice(0, 12) })).total).toBe(1);
		expect((await admin.listApiTokens(boss, { q: '%' })).total).toBe(0);
		expect(await codeOf(admin.listApiTokens(boss, { user: 'not-an-id' }))).toBe('VALIDATION_FAILED');

		const API: RequestContext = { channel: 'api', requestId: 'r', clientAddress: '192.0.2.3' };
		expect((await tokens.authenticate(API, `Bearer ${a1.token}`)).tokenId).toBe(a1.summary.id);
		const revoked = await admin.revokeApiToken(WEB, boss, a1.summary.id);
		expect(revoked.revokedAt?.getTime()).toBe(clock);
		expect(await codeOf(tokens.authenticate(API, `Bearer ${a1.token}`))).toBe('API_TOKEN_INVALID');
		expect((await tokens.authenticate(API, `Bearer ${a2.token}`)).tokenId).toBe(a2.summary.id);
		expect((await admin.listApiTokens(boss, { user: ana.id })).rows[1]?.state).toBe('revoked');
		// The owner sees it revoked in their own list too.
		expect((await tokens.list(ana)).find((t) => t.id === a1.summary.id)?.state).toBe('revoked');

		const [event] = await listAuditEvents(database.db, { objectId: a1.summary.id, action: 'api_token.revoked' });
		expect(event).toMatchObject({ actorId: boss.id, actorRole: 'admin', objectType: 'api_token' });
		expect(event?.changes).toEqual({
			revoked_at: { before: null, after: new Date(clock).toISOString() },
			owner_id: ana.id,
			owner_email: ana.email,
			name: `Import ${HOSTILE.slice(0, 60)}`
		});
		expect(JSON.stringify(event)).not.toContain(a1.token.slice(4));
		// Twice, or an unknown id: NOT_FOUND, nothing written.
		const before = await auditCount();
		expect(await codeOf(admin.revokeApiToken(WEB, boss, a1.summary.id))).toBe('NOT_FOUND');
		expect(await codeOf(admin.revokeApiToken(WEB, boss, 'nope'))).toBe('NOT_FOUND');
		expect(await auditCount()).toBe(before);
	});

	it('manages memberships and country scopes with an audit row for each change', async () => {
		const boss = actorOf(await account('admin'));
		const person = await account('reviewer');
		const org = await admin.createOrganisation(WEB, boss, { name: `  ${HOSTILE}  `, country: 'ken' });
		await admin.addMembership(WEB, boss, { userId: person.id, organisationId: org.id, role: 'member' });
		await admin.addMembership(WEB, boss, { userId: person.id, organisationId: org.id, role: 'member' }); // no change
		await admin.addMembership(WEB, boss, { userId: person.id, organisationId: org.id, role: 'manager' });
		let detail = await admin.getUser(boss, person.id);
		expect(detail.memberships.map((m) => [m.organisationId, m.role])).toEqual([[org.id, 'manager']]);
		expect((await admin.getOrganisation(boss, org.id)).members.map((m) => m.userId)).toEqual([person.id]);
		await admin.removeMembership(WEB, boss, person.id, org.id);
		expect(await codeOf(admin.removeMembership(WEB, boss, person.id, org.id))).toBe('NOT_FOUND');
		expect(
			await codeOf(admin.addMembership(WEB, boss, { userId: person.id, organisationId: org.id, role: 'owner' }))
		).toBe('VALIDATION_FAILED');
		expect(
			await codeOf(
				admin.addMembership(WEB, boss, {
					userId: person.id,
					organisationId: '00000000-0000-4000-8000-000000000000',
					role: 'member'
				})
			)
		).toBe('VALIDATION_FAILED');

		expect(await admin.setCountries(WEB, boss, person.id, ['uga', 'KEN', 'KEN'])).toEqual(['KEN', 'UGA']);
		expect(await codeOf(admin.setCountries(WEB, boss, person.id, ['XXX']))).toBe('VALIDATION_FAILED');
		detail = await admin.getUser(boss, person.id);
		expect(detail.countries).toEqual(['KEN', 'UGA']);
		expect(detail.memberships).toEqual([]);

		const trail = (await listAuditEvents(database.db, { objectId: person.id }))
			.filter((e) => e.action !== 'user.created' && e.action !== 'user.password_set')
			.map((e) => [e.action, e.changes]);
		expect(trail).toEqual([
			[
				'user.membership_added',
				{
					organisation_id: org.id,
					organisation_name: HOSTILE.trim().replace(/\s+/g, ' '),
					membership_role: { before: null, after: 'member' }
				}
			],
			['user.membership_changed', expect.objectContaining({ membership_role: { before: 'member', after: 'manager' } })],
			['user.membership_removed', expect.objectContaining({ membership_role: { before: 'manager', after: null } })],
			['user.scopes_changed', { countries: { before: [], after: ['KEN', 'UGA'] } }]
		]);
	});

	it('creates and edits organisations, validating the name and the country', async () => {
		const boss = actorOf(await account('admin'));
		const org = await admin.createOrganisation(WEB, boss, { name: 'Red de Migrantes', country: '' });
		expect(await codeOf(admin.createOrganisation(WEB, boss, { name: '   ', country: '' }))).toBe('VALIDATION_FAILED');
		expect(await codeOf(admin.createOrganisation(WEB, boss, { name: 'x\u0000y', country: '' }))).toBe(
			'VALIDATION_FAILED'
		);
		expect(await codeOf(admin.createOrganisation(WEB, boss, { name: 'Ok', country: 'ZZZ' }))).toBe('VALIDATION_FAILED');
		await admin.updateOrganisation(WEB, boss, org.id, { name: 'Red de Migrantes', country: 'CHL' });
		await admin.updateOrganisation(WEB, boss, org.id, { name: 'Red de Migrantes', country: 'chl' }); // no change
		expect((await admin.getOrganisation(boss, org.id)).organisation).toMatchObject({ country: 'CHL' });
		expect((await admin.listOrganisations(boss, 'red de')).map((o) => o.id)).toContain(org.id);
		expect(await admin.listOrganisations(boss, '%')).not.toContainEqual(expect.objectContaining({ id: org.id }));
		expect(await codeOf(admin.getOrganisation(boss, '00000000-0000-4000-8000-000000000000'))).toBe(
			'ORGANISATION_NOT_FOUND'
		);
		const trail = (await listAuditEvents(database.db, { objectId: org.id })).map((e) => [e.action, e.changes]);
		expect(trail).toEqual([
			['organisation.created', { name: { before: null, after: 'Red de Migrantes' } }],
			['organisation.updated', { country: { before: null, after: 'CHL' } }]
		]);
	});

	it('filters and pages the audit trail', async () => {
		const bossUser = await account('admin');
		const boss = actorOf(bossUser);
		const people = [await account('editor'), await account('editor'), await account('editor')];
		clock = Date.parse('2026-05-10T12:00:00Z');
		for (const p of people) await admin.setCountries(WEB, boss, p.id, ['KEN']);
		clock = Date.parse('2026-05-12T12:00:00Z');
		await admin.setCountries(CLI, CLI_ACTOR, people[0]!.id, ['UGA']);

		const byActor = await admin.searchAudit(boss, query({ actor: bossUser.email.toUpperCase() }), 1);
		expect(byActor.rows.every((r) => r.actorLabel === bossUser.email)).toBe(true);
		expect(byActor.rows.filter((r) => r.action === 'user.scopes_changed')).toHaveLength(3);
		expect((await admin.searchAudit(boss, query({ actor: bossUser.id }), 1)).total).toBe(byActor.total);

		const exact = await admin.searchAudit(boss, query({ action: 'user.scopes_changed', channel: 'cli' }), 1);
		expect(exact.rows.map((r) => r.objectId)).toContain(people[0]!.id);
		expect(exact.rows.every((r) => r.channel === 'cli' && r.action === 'user.scopes_changed')).toBe(true);
		const area = await admin.searchAudit(boss, query({ action: 'user.' }), 1);
		expect(area.rows.every((r) => r.action.startsWith('user.'))).toBe(true);
		expect(area.actions).toContain('user.scopes_changed');
		expect(area.objectTypes).toContain('user');

		const object = await admin.searchAudit(boss, query({ object_type: 'user', object_id: people[1]!.id }), 1);
		expect(new Set(object.rows.map((r) => r.objectId))).toEqual(new Set([people[1]!.id]));

		const day = await admin.searchAudit(
			boss,
			query({ from: '2026-05-10', to: '2026-05-10', action: 'user.scopes_changed' }),
			1
		);
		expect(day.total).toBe(3);
		expect(day.rows.every((r) => r.at.startsWith('2026-05-10'))).toBe(true);
		const later = await admin.searchAudit(boss, query({ from: '2026-05-11' }), 1);
		expect(later.rows.map((r) => r.objectId)).toEqual([people[0]!.id]);

		// Newest first, AUDIT_PAGE_SIZE per page, pages do not overlap.
		const all = await admin.searchAudit(boss, query(), 1);
		expect(all.rows.length).toBe(Math.min(all.total, AUDIT_PAGE_SIZE));
		expect(all.rows.map((r) => r.id)).toEqual([...all.rows.map((r) => r.id)].sort((x, y) => y - x));
		if (all.total > AUDIT_PAGE_SIZE) {
			const two = await admin.searchAudit(boss, query(), 2);
			expect(two.rows[0]!.id).toBeLessThan(all.rows[all.rows.length - 1]!.id);
		}

		// Wildcards in the actor filter are literal.
		expect((await admin.searchAudit(boss, query({ actor: '%' }), 1)).total).toBe(0);
		for (const bad of [
			{ from: '2026-13-01' },
			{ to: '2026-02-30' },
			{ channel: 'email' },
			{ action: "user'; DROP TABLE audit_event;--" },
			{ object_type: 'User Type' },
			{ from: '2026-05-12', to: '2026-05-10' }
		] as Record<string, string>[]) {
			expect(() => query(bad)).toThrow(DomainError);
		}
	});

	it('exports the filtered trail redacted, and audits the export', async () => {
		const boss = actorOf(await account('admin'));
		const person = await account('coordinator');
		const link = await admin.passwordResetLink(WEB, boss, person.id);
		await accounts.setPasswordWithToken(WEB, 'password_reset', link.token, 'another-long-passphrase-9');
		const signedIn = await accounts.signIn(WEB, { email: person.email, password: 'another-long-passphrase-9' });
		if (!signedIn.ok) throw new Error('sign-in failed');
		const session = signedIn.token;
		const setup = await accounts.beginTwoFactor(WEB, session);

		const q = query({ object_id: person.id });
		const result = await admin.exportAudit(WEB, boss, q, 'json');
		const exported: unknown[] = [];
		for await (const batch of result.batches) exported.push(...batch);
		expect(exported.length).toBe(result.total);
		expect(result.truncated).toBe(false);
		const text = JSON.stringify(exported);
		expect(text).toContain('user.password_set');
		expect(text).toContain('user.two_factor_setup_started');
		expect(text).not.toContain('$argon2');
		expect(text).not.toContain(link.token);
		expect(text).not.toContain(setup.secret);
		expect(text).toContain('[redacted]');
		// The export's own row is written before, with the filter and count, and is not in the file.
		expect(text).not.toContain('audit.exported');
		const [row] = (await listAuditEvents(database.db, { action: 'audit.exported' })).slice(-1);
		expect(row).toMatchObject({
			actorId: boss.id,
			objectType: 'audit',
			channel: 'web',
			requestId: 'req-admin',
			changes: { format: 'json', filter: { object_id: person.id }, rows: result.total, truncated: false }
		});
	});

	it('records a refused write as access.denied in its own transaction', async () => {
		const editor = await account('editor');
		const attempt = describeDeniedRequest({
			method: 'post',
			routeId: '/(workspace)/workspace/initiatives/[id]',
			path: '/workspace/initiatives/5f0c…',
			params: { id: '5f0c6f2e-0000-4000-8000-000000000001' },
			search: '?/publish',
			status: 403
		});
		expect(attempt).toEqual({
			method: 'POST',
			route: '/workspace/initiatives/[id]',
			formAction: 'publish',
			objectType: 'initiative',
			objectId: '5f0c6f2e-0000-4000-8000-000000000001',
			status: 403
		});
		expect(
			describeDeniedRequest({
				method: 'PATCH',
				routeId: '/api/v1/initiatives/[id]',
				path: '/api/v1/initiatives/x',
				params: { id: 'x' },
				search: '',
				status: 403
			})
		).toMatchObject({ objectType: 'initiative', objectId: 'x', formAction: null });
		expect(
			describeDeniedRequest({
				method: 'POST',
				routeId: null,
				path: '/admin/users',
				params: {},
				search: '?/invite',
				status: 403
			})
		).toMatchObject({ objectType: 'route', objectId: null, route: '/admin/users', formAction: 'invite' });

		await admin.recordDenied(WEB, actorOf(editor), attempt);
		const [row] = await listAuditEvents(database.db, { action: 'access.denied', objectId: attempt.objectId! });
		expect(row).toMatchObject({
			actorId: editor.id,
			actorRole: 'editor',
			objectType: 'initiative',
			changes: { attempted: 'POST /workspace/initiatives/[id]?/publish', status: 403 }
		});
	});
});
