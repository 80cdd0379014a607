/**
 * The database rate-limit store (issue #3): the same contract as the in-memory store (one set of
 * tests, src/lib/server/http/rate-limit.contract.ts), on PGlite and PostgreSQL; two limiter
 * instances (as in two processes) on one table share one budget; keys are stored hashed; old keys
 * are cleaned up.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { createDatabaseRateLimitStore } from '../../src/lib/server/db/rate-limit.repository';
import { rows } from '../../src/lib/server/db/sql';
import { createRateLimiter, signInKey, SIGN_IN_LIMITS } from '../../src/lib/server/http/rate-limit';
import { rateLimitStoreContract } from '../../src/lib/server/http/rate-limit.contract';
import { openTestDatabase, testEngines } from './harness';

describe.each(testEngines())('database rate-limit store (%s)', (engine) => {
	let database: Database;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
	});
	afterAll(() => database.close());

	describe('contract', () => {
		rateLimitStoreContract(() => createDatabaseRateLimitStore(database.db, { trimEvery: 1 }));
	});

	it('two limiter instances on one table (two processes) share one budget', async () => {
		let t = Date.parse('2026-03-01T09:00:00Z');
		const now = () => t;
		// Separate stores, as two processes would have: only the table is shared.
		const a = createRateLimiter({ now, scope: 'shared', store: createDatabaseRateLimitStore(database.db) });
		const b = createRateLimiter({ now, scope: 'shared', store: createDatabaseRateLimitStore(database.db) });
		const key = signInKey('203.0.113.7', 'ana@example.org');
		await a.fail(key);
		await b.fail(key);
		await a.fail(key);
		expect((await b.fail(key)).allowed).toBe(true);
		expect(await a.fail(key)).toEqual({ allowed: false, retryAfterSeconds: 60 });
		expect(await b.check(key)).toEqual({ allowed: false, retryAfterSeconds: 60 });
		t += 60_000;
		expect(await b.check(key)).toEqual({ allowed: true });
		// Parallel failures from both: all counted, exactly one of them trips the second lockout.
		const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).fail(key)));
		expect(decisions.filter((d) => !d.allowed).length).toBe(6);
		expect(await a.check(key)).toEqual({ allowed: false, retryAfterSeconds: 120 });
		await b.succeed(key);
		expect(await a.check(key)).toEqual({ allowed: true });
	});

	it('stores only a hash of the key (no email or address in the table)', async () => {
		const store = createDatabaseRateLimitStore(database.db);
		const l = createRateLimiter({ scope: 'privacy', store });
		await l.fail(signInKey('198.51.100.23', 'secret.person@example.org'));
		const dump = await rows<{ json: string }>(
			database.db,
			sql`SELECT row_to_json(r)::text AS json FROM rate_limit r WHERE scope = 'privacy'`
		);
		expect(dump).toHaveLength(1);
		expect(dump[0]?.json).not.toContain('secret.person');
		expect(dump[0]?.json).not.toContain('198.51.100.23');
		expect(dump[0]?.json).toMatch(/"key_hash":"[0-9a-f]{64}"/);
	});

	it('deletes forgotten keys when it trims, and keeps running lockouts', async () => {
		let t = Date.parse('2026-03-01T09:00:00Z');
		const store = createDatabaseRateLimitStore(database.db, { trimEvery: 1_000, trimIntervalMs: 60_000 });
		const l = createRateLimiter({ now: () => t, scope: 'cleanup', store, maxFailures: 2 });
		await l.fail('old-1');
		await l.fail('old-2');
		await l.fail('locked');
		await l.fail('locked');
		expect(await l.size()).toBe(3);
		// A day and more later the lockout of 'locked' is over too (1 minute): all three are forgotten.
		t += SIGN_IN_LIMITS.forgetAfterMs + 120_000;
		await l.fail('fresh');
		expect(await l.size()).toBe(1);
		expect(await l.check('locked')).toEqual({ allowed: true });
	});
});
