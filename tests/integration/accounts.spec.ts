/**
 * Accounts, sessions and the audit trail on a real database (research b3, b7, b10): hashing,
 * sign-in and its failures, hashed session ids and every way a session ends, purpose-bound
 * single-use links, the second factor, and audit rows that are redacted, transactional and
 * append-only.
 */
import { sql } from 'drizzle-orm';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/lib/core/accounts/totp';
import { DomainError } from '../../src/lib/core/shared/errors';
import type { Database } from '../../src/lib/server/db/client';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import { createDatabaseRateLimitStore } from '../../src/lib/server/db/rate-limit.repository';
import { rows } from '../../src/lib/server/db/sql';
import {
	CLI_ACTOR,
	createAccountService,
	sha256Hex,
	type AccountService,
	type RequestContext
} from '../../src/lib/server/services/account.service';
import type { Channel } from '../../src/lib/server/services/viewer';
import { openTestDatabase, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-test', clientAddress: '198.51.100.1' };
const CLI: RequestContext = { channel: 'cli', requestId: null };
const PASSWORD = 'tq3-vintage-lamp-orbit';
const HOSTILE_NAME = '<script>alert(1)</script> أمينة 王芳';

let seq = 0;
const email = (p = 'user') => `${p}-${++seq}@Example.org`;

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
}

describe.each(testEngines())('accounts (%s)', (engine) => {
	let database: Database;
	let accounts: AccountService;
	let clock: number;
	const now = () => new Date(clock);
	const advance = (ms: number) => (clock += ms);

	beforeAll(async () => {
		database = await openTestDatabase(engine);
	});
	afterAll(() => database.close());
	beforeEach(() => {
		clock = Date.parse('2026-03-01T09:00:00Z');
		accounts = createAccountService(database, { sessionIdleMinutes: 30, sessionAbsoluteHours: 12, now });
	});

	/** An active account with a password, via the create-user link. */
	async function activeUser(role = 'editor', address = email()) {
		const link = await accounts.createUser(CLI, CLI_ACTOR, { email: address, displayName: HOSTILE_NAME, role });
		await accounts.setPasswordWithToken(WEB, 'password_reset', link.token, PASSWORD);
		return link.user;
	}

	async function signedIn(role = 'editor') {
		const user = await activeUser(role);
		const r = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		if (!r.ok) throw new Error('sign-in failed');
		return { user, token: r.token, mfa: r.mfa };
	}

	async function sessionIds(userId: string): Promise<string[]> {
		const r = await rows<{ id: string }>(database.db, sql`SELECT id FROM user_session WHERE user_id = ${userId}`);
		return r.map((x) => x.id);
	}

	it('stores emails lower-cased and passwords as Argon2id at the OWASP minimum', async () => {
		const user = await activeUser('editor', 'Ana.Lopez@Example.ORG');
		expect(user.email).toBe('ana.lopez@example.org');
		const [row] = await rows<{ password_hash: string }>(
			database.db,
			sql`SELECT password_hash FROM app_user WHERE id = ${user.id}`
		);
		expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(row?.password_hash).not.toContain(PASSWORD);
		const ok = await accounts.signIn(WEB, { email: 'ANA.LOPEZ@example.org ', password: PASSWORD });
		expect(ok.ok).toBe(true);
	});

	it('refuses a wrong password, an unknown email and a disabled-style account alike, and audits each', async () => {
		const user = await activeUser();
		const wrong = await accounts.signIn(WEB, { email: user.email, password: 'not-the-password' });
		const unknown = await accounts.signIn(WEB, { email: 'nobody@example.org', password: PASSWORD });
		expect(wrong).toEqual({ ok: false, reason: 'invalid', retryAfterSeconds: null });
		expect(unknown).toEqual({ ok: false, reason: 'invalid', retryAfterSeconds: null });
		const failed = await listAuditEvents(database.db, { action: 'user.sign_in_failed' });
		const mine = failed.filter((e) => e.objectId === user.id);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ channel: 'web', requestId: 'req-test', actorId: null });
		expect(mine[0]?.changes).toEqual({ reason: 'wrong_password', locked_out: false });
		expect(
			failed.some((e) => e.objectId === null && (e.changes as { reason: string }).reason === 'unknown_account')
		).toBe(true);
		// The attempted password is never stored, not even for unknown accounts.
		const all = JSON.stringify(await listAuditEvents(database.db));
		expect(all).not.toContain('not-the-password');
		expect(all).not.toContain(PASSWORD);
	});

	it('locks out after 5 failures: the right password is refused until Retry-After, and the spoofed key does not reset it', async () => {
		const user = await activeUser();
		let last = await accounts.signIn(WEB, { email: user.email, password: 'wrong-1' });
		for (let i = 2; i <= 5; i++) last = await accounts.signIn(WEB, { email: user.email, password: `wrong-${i}` });
		expect(last).toEqual({ ok: false, reason: 'invalid', retryAfterSeconds: 60 });
		const locked = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		expect(locked).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 60 });
		// Another client address is another key (the route takes it from the socket, not X-Forwarded-For).
		const elsewhere = await accounts.signIn(
			{ ...WEB, clientAddress: '203.0.113.5' },
			{ email: user.email, password: PASSWORD }
		);
		expect(elsewhere.ok).toBe(true);
		advance(60_000);
		expect((await accounts.signIn(WEB, { email: user.email, password: PASSWORD })).ok).toBe(true);
		const lockout = (await listAuditEvents(database.db, { objectId: user.id, action: 'user.sign_in_failed' })).at(-1);
		expect(lockout?.changes).toMatchObject({ locked_out: true });
	});

	it('stores only the SHA-256 of the session token, and rotates the session at sign-in', async () => {
		const { user, token } = await signedIn();
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const ids = await sessionIds(user.id);
		expect(ids).toEqual([sha256Hex(token)]);
		const dump = await rows<Record<string, unknown>>(database.db, sql`SELECT * FROM user_session`);
		expect(JSON.stringify(dump)).not.toContain(token);

		const again = await accounts.signIn(WEB, { email: user.email, password: PASSWORD, currentToken: token });
		if (!again.ok) throw new Error('sign-in failed');
		expect(again.token).not.toBe(token);
		expect(await accounts.validateSession(token)).toBeNull();
		expect((await accounts.validateSession(again.token))?.user.id).toBe(user.id);
		expect(await sessionIds(user.id)).toEqual([sha256Hex(again.token)]);
	});

	it('rejects the old session after sign-out (every session of the user ends)', async () => {
		const { user, token } = await signedIn();
		const other = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		if (!other.ok) throw new Error('sign-in failed');
		await accounts.signOut(WEB, token);
		expect(await accounts.validateSession(token)).toBeNull();
		expect(await accounts.validateSession(other.token)).toBeNull();
		const [event] = await listAuditEvents(database.db, { objectId: user.id, action: 'user.signed_out' });
		expect(event?.changes).toEqual({ sessions_ended: 2 });
	});

	it('rejects old sessions after a password change, and the new password works', async () => {
		const { user, token } = await signedIn();
		const other = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		if (!other.ok) throw new Error('sign-in failed');
		await expectCode(
			accounts.changePassword(WEB, token, { currentPassword: 'wrong', newPassword: 'a-brand-new-passphrase' }),
			'PASSWORD_REJECTED'
		);
		await expectCode(
			accounts.changePassword(WEB, token, { currentPassword: PASSWORD, newPassword: 'password' }),
			'PASSWORD_REJECTED'
		);
		const fresh = await accounts.changePassword(WEB, token, {
			currentPassword: PASSWORD,
			newPassword: 'a-brand-new-passphrase'
		});
		expect(await accounts.validateSession(token)).toBeNull();
		expect(await accounts.validateSession(other.token)).toBeNull();
		expect((await accounts.validateSession(fresh.token))?.user.id).toBe(user.id);
		expect((await accounts.signIn(WEB, { email: user.email, password: PASSWORD })).ok).toBe(false);
		expect((await accounts.signIn(WEB, { email: user.email, password: 'a-brand-new-passphrase' })).ok).toBe(true);
		const [event] = await listAuditEvents(database.db, { objectId: user.id, action: 'user.password_changed' });
		expect(event?.changes).toEqual({ password_hash: '[redacted]', sessions_ended: 2 });
	});

	it('ends a session after 30 idle minutes, but activity keeps it alive', async () => {
		const { token } = await signedIn();
		advance(29 * 60_000);
		expect(await accounts.validateSession(token)).not.toBeNull();
		advance(29 * 60_000);
		expect(await accounts.validateSession(token)).not.toBeNull();
		advance(30 * 60_000);
		expect(await accounts.validateSession(token)).toBeNull();
		// Deleted on sight: coming back does not revive it.
		clock -= 30 * 60_000;
		expect(await accounts.validateSession(token)).toBeNull();
	});

	it('clears expired sessions of everyone at the next sign-in', async () => {
		const a = await signedIn();
		advance(31 * 60_000);
		await signedIn();
		expect(await sessionIds(a.user.id)).toEqual([]);
	});

	it('touches last_seen_at at most once a minute', async () => {
		const { user, token } = await signedIn();
		const seen = async () =>
			(
				await rows<{ t: string }>(
					database.db,
					sql`SELECT last_seen_at::text AS t FROM user_session WHERE user_id = ${user.id}`
				)
			)[0]?.t;
		const first = await seen();
		advance(30_000);
		await accounts.validateSession(token);
		expect(await seen()).toBe(first);
		advance(31_000);
		await accounts.validateSession(token);
		expect(await seen()).not.toBe(first);
	});

	it('ends a session 12 hours after sign-in whatever the activity', async () => {
		const { token } = await signedIn();
		for (let i = 0; i < 23; i++) {
			advance(29 * 60_000);
			expect(await accounts.validateSession(token)).not.toBeNull();
		}
		advance(60 * 60_000 - 23 * 29 * 60_000 + 11 * 60 * 60_000);
		expect(await accounts.validateSession(token)).toBeNull();
	});

	it('keeps invite and reset links purpose-bound, single-use and expiring', async () => {
		const invite = await accounts.inviteUser(CLI, CLI_ACTOR, { email: email('invitee'), role: 'reviewer' });
		expect(invite.token.startsWith('inv_')).toBe(true);
		expect(invite.expiresAt.getTime() - clock).toBe(72 * 60 * 60_000);
		// An invite token is not a reset token.
		await expectCode(accounts.setPasswordWithToken(WEB, 'password_reset', invite.token, PASSWORD), 'TOKEN_INVALID');
		expect(await accounts.checkLink(invite.token, 'password_reset')).toBeNull();
		expect(await accounts.checkLink(invite.token, 'invite')).toEqual({ email: invite.user.email });
		await accounts.setPasswordWithToken(WEB, 'invite', invite.token, PASSWORD);
		// Single use.
		await expectCode(
			accounts.setPasswordWithToken(WEB, 'invite', invite.token, 'another-long-passphrase'),
			'TOKEN_INVALID'
		);

		// A reset token is not an invite token, and expires after an hour.
		const reset = await accounts.requestPasswordReset(CLI, CLI_ACTOR, invite.user.email);
		if (!reset) throw new Error('no reset link');
		expect(reset.token.startsWith('rst_')).toBe(true);
		await expectCode(
			accounts.setPasswordWithToken(WEB, 'invite', reset.token, 'another-long-passphrase'),
			'TOKEN_INVALID'
		);
		advance(60 * 60_000);
		await expectCode(
			accounts.setPasswordWithToken(WEB, 'password_reset', reset.token, 'another-long-passphrase'),
			'TOKEN_INVALID'
		);

		// An expired invite cannot be used either (Decidim CVE-2023-48220).
		const late = await accounts.inviteUser(CLI, CLI_ACTOR, { email: email('late'), role: 'contributor' });
		advance(72 * 60 * 60_000 + 1);
		await expectCode(accounts.setPasswordWithToken(WEB, 'invite', late.token, PASSWORD), 'TOKEN_INVALID');
		expect(await accounts.requestPasswordReset(CLI, CLI_ACTOR, 'nobody@example.org')).toBeNull();
	});

	it('retires outstanding links when a password is set, and rejects weak passwords without using the link', async () => {
		const link = await accounts.createUser(CLI, CLI_ACTOR, { email: email(), role: 'editor' });
		await expectCode(accounts.setPasswordWithToken(WEB, 'password_reset', link.token, 'short'), 'PASSWORD_REJECTED');
		const spare = await accounts.requestPasswordReset(CLI, CLI_ACTOR, link.user.email);
		if (!spare) throw new Error('no reset link');
		await accounts.setPasswordWithToken(WEB, 'password_reset', link.token, PASSWORD);
		await expectCode(
			accounts.setPasswordWithToken(WEB, 'password_reset', spare.token, 'another-long-passphrase'),
			'TOKEN_INVALID'
		);
	});

	it('refuses duplicate emails and invalid input', async () => {
		const address = email();
		await accounts.inviteUser(CLI, CLI_ACTOR, { email: address, role: 'editor' });
		await expectCode(
			accounts.inviteUser(CLI, CLI_ACTOR, { email: address.toUpperCase(), role: 'editor' }),
			'USER_EXISTS'
		);
		await expectCode(
			accounts.inviteUser(CLI, CLI_ACTOR, { email: 'not-an-email', role: 'editor' }),
			'VALIDATION_FAILED'
		);
		await expectCode(accounts.inviteUser(CLI, CLI_ACTOR, { email: email(), role: 'superuser' }), 'VALIDATION_FAILED');
	});

	it('makes an admin session unusable until TOTP is set up, then requires the code at every sign-in', async () => {
		const { user, token, mfa } = await signedIn('admin');
		expect(mfa).toBe('enrol');
		expect((await accounts.validateSession(token))?.mfa).toBe('enrol');
		// Nothing else is allowed with an unverified session.
		await expectCode(
			accounts.changePassword(WEB, token, { currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase' }),
			'FORBIDDEN'
		);
		await expectCode(accounts.verifyTwoFactor(WEB, token, '000000'), 'FORBIDDEN');

		expect(await accounts.pendingTwoFactor(token)).toBeNull();
		const setup = await accounts.beginTwoFactor(WEB, token);
		expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
		expect(setup.uri).toContain(`secret=${setup.secret}`);
		expect(await accounts.pendingTwoFactor(token)).toEqual(setup);
		const key = decodeBase32IgnorePadding(setup.secret);
		await expectCode(accounts.confirmTwoFactor(WEB, token, '000000'), 'TWO_FACTOR_INVALID');
		const confirmed = await accounts.confirmTwoFactor(WEB, token, totpCode(key, clock));
		expect(confirmed.recoveryCodes).toHaveLength(10);
		expect(new Set(confirmed.recoveryCodes).size).toBe(10);
		expect(confirmed.session.mfa).toBe('ok');
		expect(await accounts.validateSession(token)).toBeNull(); // rotated
		expect((await accounts.validateSession(confirmed.session.token))?.mfa).toBe('ok');
		expect(await accounts.unusedRecoveryCodes(user.id)).toBe(10);

		// Recovery codes are stored hashed; the audit row has neither the secret nor the codes.
		const stored = JSON.stringify(await rows(database.db, sql`SELECT * FROM recovery_code`));
		for (const c of confirmed.recoveryCodes) expect(stored).not.toContain(c);
		const trail = JSON.stringify(await listAuditEvents(database.db, { objectId: user.id }));
		expect(trail).not.toContain(setup.secret);
		for (const c of confirmed.recoveryCodes) expect(trail).not.toContain(c);

		// Next sign-in: password alone is not enough.
		const next = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		if (!next.ok) throw new Error('sign-in failed');
		expect(next.mfa).toBe('verify');
		await expectCode(accounts.verifyTwoFactor(WEB, next.token, totpCode(key, clock + 120_000)), 'TWO_FACTOR_INVALID');
		// The set-up code's step is used (replay protection, totp-replay.spec.ts): the next step's
		// code, typed 30 s late, is inside the ±1 step window.
		advance(60_000);
		const verified = await accounts.verifyTwoFactor(WEB, next.token, totpCode(key, clock - 30_000)); // ±1 step
		expect(verified.mfa).toBe('ok');
		expect(await accounts.validateSession(next.token)).toBeNull();
		expect((await accounts.validateSession(verified.token))?.mfa).toBe('ok');
	});

	it('accepts each recovery code once', async () => {
		const { token } = await signedIn('coordinator');
		const setup = await accounts.beginTwoFactor(WEB, token);
		const { recoveryCodes, session } = await accounts.confirmTwoFactor(
			WEB,
			token,
			totpCode(decodeBase32IgnorePadding(setup.secret), clock)
		);
		const user = (await accounts.validateSession(session.token))?.user;
		if (!user) throw new Error('no session');
		const code = recoveryCodes[3] as string;
		const a = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		if (!a.ok) throw new Error('sign-in failed');
		const ok = await accounts.verifyTwoFactor(WEB, a.token, code.toUpperCase().replace(/-/g, ' '));
		expect(ok.mfa).toBe('ok');
		const b = await accounts.signIn(WEB, { email: user.email, password: PASSWORD });
		if (!b.ok) throw new Error('sign-in failed');
		await expectCode(accounts.verifyTwoFactor(WEB, b.token, code), 'TWO_FACTOR_INVALID');
		expect(await accounts.unusedRecoveryCodes(user.id)).toBe(9);
		const methods = (await listAuditEvents(database.db, { objectId: user.id }))
			.filter((e) => e.action.startsWith('user.two_factor_'))
			.map((e) => [e.action, (e.changes as { method?: string }).method]);
		expect(methods).toEqual([
			['user.two_factor_setup_started', undefined],
			['user.two_factor_enabled', undefined],
			['user.two_factor_verified', 'recovery_code'],
			['user.two_factor_failed', 'recovery_code']
		]);
	});

	it('does not require a second factor for an editor without one', async () => {
		const { token, mfa } = await signedIn('editor');
		expect(mfa).toBe('ok');
		expect((await accounts.validateSession(token))?.mfa).toBe('ok');
	});

	it('ends the sessions of a user whose role changes, and audits the change', async () => {
		const { user, token } = await signedIn('editor');
		await expectCode(
			accounts.changeRole(WEB, { id: user.id, label: user.email, role: 'editor' }, user.id, 'admin'),
			'FORBIDDEN'
		);
		const changed = await accounts.changeRole(CLI, CLI_ACTOR, user.id, 'coordinator');
		expect(changed.role).toBe('coordinator');
		expect(await accounts.validateSession(token)).toBeNull();
		const [event] = await listAuditEvents(database.db, { objectId: user.id, action: 'user.role_changed' });
		expect(event).toMatchObject({ actorLabel: 'cli', actorRole: 'system', channel: 'cli' });
		expect(event?.changes).toEqual({ role: { before: 'editor', after: 'coordinator' }, sessions_ended: 1 });
	});

	it('writes audit rows with actor snapshot, field diff and redacted secrets', async () => {
		const address = email('audited');
		const link = await accounts.inviteUser({ channel: 'cli', requestId: 'r-1' }, CLI_ACTOR, {
			email: address,
			displayName: HOSTILE_NAME,
			role: 'contributor'
		});
		await accounts.setPasswordWithToken(WEB, 'invite', link.token, PASSWORD);
		const events = await listAuditEvents(database.db, { objectId: link.user.id });
		expect(events.map((e) => e.action)).toEqual(['user.invited', 'user.password_set']);
		expect(events[0]).toMatchObject({ actorLabel: 'cli', channel: 'cli', requestId: 'r-1', objectType: 'user' });
		expect(events[0]?.changes).toMatchObject({
			email: { before: null, after: address.toLowerCase() },
			display_name: { before: null, after: HOSTILE_NAME },
			role: { before: null, after: 'contributor' }
		});
		expect(events[1]).toMatchObject({
			actorId: link.user.id,
			actorLabel: address.toLowerCase(),
			actorRole: 'contributor'
		});
		expect(events[1]?.changes).toEqual({ password_hash: '[redacted]', via: 'invite', sessions_ended: 0 });
		const text = JSON.stringify(events);
		expect(text).not.toContain(link.token);
		expect(text).not.toContain('$argon2id$');
		expect(events[0]?.at.getTime()).toBe(clock);
	});

	it('rolls the change back when its audit row cannot be written (fail closed)', async () => {
		const broken = { channel: 'carrier-pigeon' as Channel, requestId: null };
		const address = email('rollback');
		await expect(accounts.inviteUser(broken, CLI_ACTOR, { email: address, role: 'editor' })).rejects.toThrow();
		const users = await rows(database.db, sql`SELECT id FROM app_user WHERE email = ${address.toLowerCase()}`);
		expect(users).toEqual([]);

		const { user, token } = await signedIn('editor');
		await expect(accounts.changeRole(broken, CLI_ACTOR, user.id, 'admin')).rejects.toThrow();
		expect((await accounts.validateSession(token))?.user.role).toBe('editor');

		await expect(
			accounts.changePassword(broken as RequestContext, token, {
				currentPassword: PASSWORD,
				newPassword: 'a-brand-new-passphrase'
			})
		).rejects.toThrow();
		expect(await accounts.validateSession(token)).not.toBeNull();
		expect((await accounts.signIn(WEB, { email: user.email, password: PASSWORD })).ok).toBe(true);
	});

	it('rejects UPDATE and DELETE on audit_event', async () => {
		await accounts.inviteUser(CLI, CLI_ACTOR, { email: email(), role: 'editor' });
		const [first] = await listAuditEvents(database.db);
		expect(first).toBeDefined();
		/** The database's own message (drizzle wraps it as the cause of "Failed query"). */
		const failure = async (q: Promise<unknown>) => {
			const err = await q.then(
				() => null,
				(e: unknown) => e as Error & { cause?: Error }
			);
			return err ? `${err.message} ${err.cause?.message ?? ''}` : 'no error';
		};
		expect(
			await failure(database.db.execute(sql`UPDATE audit_event SET action = 'x' WHERE id = ${first?.id}`))
		).toMatch(/audit_event is append-only: UPDATE/);
		expect(await failure(database.db.execute(sql`DELETE FROM audit_event WHERE id = ${first?.id}`))).toMatch(
			/audit_event is append-only: DELETE/
		);
		expect(await failure(database.db.execute(sql`DELETE FROM audit_event`))).toMatch(/append-only/);
		const [again] = await listAuditEvents(database.db);
		expect(again?.action).toBe(first?.action);
	});
	describe('set-password links are rate-limited per client address', () => {
		const ATTACKER: RequestContext = { channel: 'web', requestId: 'req-attack', clientAddress: '203.0.113.66' };
		const HOLDER: RequestContext = { channel: 'web', requestId: 'req-holder', clientAddress: '198.51.100.77' };
		const guess = (i: number) => `rst_${'A'.repeat(42)}${i}`;

		it('locks an address after 5 invalid links; the holder of a valid link elsewhere is not affected', async () => {
			const link = await accounts.createUser(CLI, CLI_ACTOR, { email: email('holder'), role: 'editor' });
			for (let i = 0; i < 4; i++) expect(await accounts.openLink(ATTACKER, guess(i))).toBeNull();
			const tripped = await accounts.openLink(ATTACKER, 'not-a-link').then(
				() => null,
				(e: unknown) => e as DomainError
			);
			expect(tripped?.code).toBe('RATE_LIMITED');
			expect(tripped?.issues).toEqual([{ field: 'retry_after', message: '60' }]);
			// Locked: even a valid link is not looked at from that address (a lockout confirms no guess).
			await expectCode(accounts.openLink(ATTACKER, link.token), 'RATE_LIMITED');
			await expectCode(accounts.setPasswordWithLink(ATTACKER, link.token, PASSWORD), 'RATE_LIMITED');
			// The link still works for its holder, from their own address.
			expect(await accounts.openLink(HOLDER, link.token)).toEqual({
				email: link.user.email,
				purpose: 'password_reset'
			});
			const user = await accounts.setPasswordWithLink(HOLDER, link.token, PASSWORD);
			expect(user.id).toBe(link.user.id);
			expect((await accounts.signIn(HOLDER, { email: link.user.email, password: PASSWORD })).ok).toBe(true);
			// The lockout ends after Retry-After, and the backoff doubles on the next one.
			advance(60_000);
			expect(await accounts.openLink(ATTACKER, guess(9))).toBeNull();
			for (let i = 0; i < 3; i++) await accounts.openLink(ATTACKER, guess(i));
			const again = await accounts.openLink(ATTACKER, guess(5)).then(
				() => null,
				(e: unknown) => e as DomainError
			);
			expect(again?.issues[0]?.message).toBe('120');
		});

		it('counts used, expired and wrong-purpose links posted to the form, but not a rejected password', async () => {
			const link = await accounts.inviteUser(CLI, CLI_ACTOR, { email: email('invitee'), role: 'reviewer' });
			// A weak password through a valid link is the person's mistake, not a guess: never counted.
			for (let i = 0; i < 6; i++) {
				await expectCode(accounts.setPasswordWithLink(ATTACKER, link.token, 'short'), 'PASSWORD_REJECTED');
			}
			await accounts.setPasswordWithLink(ATTACKER, link.token, PASSWORD);
			const reset = await accounts.requestPasswordReset(CLI, CLI_ACTOR, link.user.email);
			if (!reset) throw new Error('no reset link');
			advance(60 * 60_000 + 1);
			await expectCode(accounts.setPasswordWithLink(ATTACKER, link.token, PASSWORD), 'TOKEN_INVALID'); // used
			// Wrong purpose: a reset token relabelled as an invitation.
			await expectCode(
				accounts.setPasswordWithLink(ATTACKER, `inv_${reset.token.slice(4)}`, PASSWORD),
				'TOKEN_INVALID'
			);
			await expectCode(accounts.setPasswordWithLink(ATTACKER, reset.token, PASSWORD), 'TOKEN_INVALID'); // expired
			await expectCode(accounts.setPasswordWithLink(ATTACKER, '', PASSWORD), 'TOKEN_INVALID');
			await expectCode(accounts.setPasswordWithLink(ATTACKER, guess(1), PASSWORD), 'RATE_LIMITED');
			// Invalid link attempts are not written to the audit trail (unauthenticated traffic cannot fill it).
			const events = await listAuditEvents(database.db, { objectId: link.user.id });
			expect(events.map((e) => e.action)).toEqual([
				'user.invited',
				'user.password_set',
				'user.password_reset_requested'
			]);
		});

		it('shares one budget between two services (two processes) on the rate_limit table', async () => {
			const shared = () =>
				createAccountService(database, {
					sessionIdleMinutes: 30,
					sessionAbsoluteHours: 12,
					now,
					rateLimitStore: createDatabaseRateLimitStore(database.db)
				});
			const first = shared();
			const second = shared();
			const address: RequestContext = { ...ATTACKER, clientAddress: `192.0.2.${10 + seq}` };
			await first.openLink(address, guess(1));
			await second.openLink(address, guess(2));
			await first.openLink(address, guess(3));
			await second.openLink(address, guess(4));
			await expectCode(first.openLink(address, guess(5)), 'RATE_LIMITED');
			await expectCode(second.openLink(address, guess(6)), 'RATE_LIMITED');
		});
	});
});
