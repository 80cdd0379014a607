/**
 * TOTP replay protection (RFC 6238 §5.2) on a real database: a code accepted for a time step —
 * at set-up or at sign-in — is refused for that account afterwards, as is any code of an earlier
 * step, and two parallel sign-ins with the same code cannot both pass (one conditional UPDATE of
 * app_user.totp_last_step).
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../src/lib/core/accounts/totp';
import { DomainError } from '../../src/lib/core/shared/errors';
import { findUserById } from '../../src/lib/server/db/account.repository';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import {
	CLI_ACTOR,
	createAccountService,
	type AccountService,
	type RequestContext
} from '../../src/lib/server/services/account.service';
import { openTestDatabase, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-totp', clientAddress: '198.51.100.7' };
const CLI: RequestContext = { channel: 'cli', requestId: null };
const PASSWORD = 'tq3-vintage-lamp-orbit';

let seq = 0;

async function codeOf(p: Promise<unknown>): Promise<string | null> {
	return p.then(
		() => null,
		(e: unknown) => (e instanceof DomainError ? e.code : `unexpected ${String(e)}`)
	);
}

describe.each(testEngines())('TOTP replay protection (%s)', (engine) => {
	let database: Database;
	let accounts: AccountService;
	let clock: number;
	const now = () => new Date(clock);

	beforeAll(async () => {
		database = await openTestDatabase(engine);
	});
	afterAll(() => database.close());
	beforeEach(() => {
		// Mid-step, so "30 s later" is the next step and the set-up step is the current one.
		clock = Date.parse('2026-03-01T09:00:10Z');
		accounts = createAccountService(database, { sessionIdleMinutes: 30, sessionAbsoluteHours: 12, now });
	});

	/** An admin with 2FA enabled at `clock`; returns the key and email. */
	async function enrolledAdmin() {
		const link = await accounts.createUser(CLI, CLI_ACTOR, {
			email: `totp-${++seq}@example.org`,
			displayName: '<script>x</script> مدير',
			role: 'admin'
		});
		await accounts.setPasswordWithToken(WEB, 'password_reset', link.token, PASSWORD);
		const first = await accounts.signIn(WEB, { email: link.user.email, password: PASSWORD });
		if (!first.ok) throw new Error('sign-in failed');
		const setup = await accounts.beginTwoFactor(WEB, first.token);
		const key = decodeBase32IgnorePadding(setup.secret);
		await accounts.confirmTwoFactor(WEB, first.token, totpCode(key, clock));
		return { key, user: link.user };
	}

	async function passwordStep(emailAddress: string): Promise<string> {
		const r = await accounts.signIn(WEB, { email: emailAddress, password: PASSWORD });
		if (!r.ok) throw new Error('sign-in failed');
		expect(r.mfa).toBe('verify');
		return r.token;
	}

	it('records the set-up step, so the set-up code cannot be used to sign in', async () => {
		const { key, user } = await enrolledAdmin();
		expect((await findUserById(database.db, user.id))?.totpLastStep).toBe(Number(totpStep(clock)));
		const pending = await passwordStep(user.email);
		expect(await codeOf(accounts.verifyTwoFactor(WEB, pending, totpCode(key, clock)))).toBe('TWO_FACTOR_INVALID');
		// The session is still waiting for a good code; the next step's code works.
		clock += 30_000;
		const ok = await accounts.verifyTwoFactor(WEB, pending, totpCode(key, clock));
		expect(ok.mfa).toBe('ok');
		const trail = (await listAuditEvents(database.db, { objectId: user.id })).filter(
			(e) => e.action === 'user.two_factor_failed'
		);
		expect(trail.map((e) => e.changes)).toEqual([{ method: 'totp', reason: 'replayed', locked_out: false }]);
	});

	it('refuses a code already accepted at sign-in, and any code of an earlier step', async () => {
		const { key, user } = await enrolledAdmin();
		clock += 60_000; // two steps after set-up
		const a = await passwordStep(user.email);
		await accounts.verifyTwoFactor(WEB, a, totpCode(key, clock));
		const b = await passwordStep(user.email);
		expect(await codeOf(accounts.verifyTwoFactor(WEB, b, totpCode(key, clock)))).toBe('TWO_FACTOR_INVALID');
		// The previous step's code is still inside the ±1 window but older than the accepted step.
		expect(await codeOf(accounts.verifyTwoFactor(WEB, b, totpCode(key, clock - 30_000)))).toBe('TWO_FACTOR_INVALID');
		// A wrong code is audited without the replay reason.
		expect(await codeOf(accounts.verifyTwoFactor(WEB, b, '000000'))).toBe('TWO_FACTOR_INVALID');
		clock += 30_000;
		expect((await accounts.verifyTwoFactor(WEB, b, totpCode(key, clock))).mfa).toBe('ok');
		const failures = (await listAuditEvents(database.db, { objectId: user.id }))
			.filter((e) => e.action === 'user.two_factor_failed')
			.map((e) => (e.changes as { reason?: string }).reason ?? null);
		expect(failures.slice(0, 2)).toEqual(['replayed', 'replayed']);
		// '000000' might by chance be the valid code; only assert the replay rows above then.
		if (failures.length === 3) expect(failures[2]).toBeNull();
		const [row] = await rows<{ totp_last_step: string | number }>(
			database.db,
			sql`SELECT totp_last_step FROM app_user WHERE id = ${user.id}::uuid`
		);
		expect(Number(row?.totp_last_step)).toBe(Number(totpStep(clock)));
	});

	it('lets only one of two parallel sign-ins with the same code through', async () => {
		const { key, user } = await enrolledAdmin();
		clock += 90_000;
		const sessions = await Promise.all([passwordStep(user.email), passwordStep(user.email)]);
		const code = totpCode(key, clock);
		const outcomes = await Promise.all(sessions.map((s) => codeOf(accounts.verifyTwoFactor(WEB, s, code))));
		expect(outcomes.sort()).toEqual([null, 'TWO_FACTOR_INVALID'].sort());
		const verified = (await listAuditEvents(database.db, { objectId: user.id })).filter(
			(e) => e.action === 'user.two_factor_verified'
		);
		expect(verified).toHaveLength(1);
	});

	it('refuses a second parallel set-up confirmation with the same code', async () => {
		const link = await accounts.createUser(CLI, CLI_ACTOR, {
			email: `totp-${++seq}@example.org`,
			displayName: 'Ana',
			role: 'coordinator'
		});
		await accounts.setPasswordWithToken(WEB, 'password_reset', link.token, PASSWORD);
		const first = await accounts.signIn(WEB, { email: link.user.email, password: PASSWORD });
		if (!first.ok) throw new Error('sign-in failed');
		const setup = await accounts.beginTwoFactor(WEB, first.token);
		const code = totpCode(decodeBase32IgnorePadding(setup.secret), clock);
		const outcomes = await Promise.all([
			codeOf(accounts.confirmTwoFactor(WEB, first.token, code)),
			codeOf(accounts.confirmTwoFactor(WEB, first.token, code))
		]);
		expect(outcomes.filter((o) => o === null)).toHaveLength(1);
		expect(await accounts.unusedRecoveryCodes(link.user.id)).toBe(10);
	});
});
