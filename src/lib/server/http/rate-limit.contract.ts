/**
 * The behaviour every RateLimitStore must have, as one set of tests: run against the in-memory
 * store by rate-limit.spec.ts and against the database store (PGlite and PostgreSQL) by
 * tests/integration/rate-limit-store.spec.ts, so both make the same decisions.
 * Call inside a describe(); `makeStore` gives a store with no keys (it may be called once per test).
 */
import { expect, it } from 'vitest';
import { createRateLimiter, type RateLimiterOptions, type RateLimitStore } from './rate-limit';

let scopes = 0;

export function rateLimitStoreContract(makeStore: () => Promise<RateLimitStore> | RateLimitStore): void {
	async function limiter(options: RateLimiterOptions = {}) {
		let t = Date.parse('2026-03-01T09:00:00Z');
		const store = await makeStore();
		// A fresh scope per test, so a shared database table starts empty for it.
		const scope = `contract_${++scopes}`;
		const l = createRateLimiter({ now: () => t, store, scope, ...options });
		return { l, store, scope, advance: (ms: number) => (t += ms) };
	}

	it('allows 4 failures, locks after the 5th, and says when to retry', async () => {
		const { l } = await limiter();
		for (let i = 0; i < 4; i++) expect(await l.fail('k')).toEqual({ allowed: true });
		expect(await l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
		expect(await l.check('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
		expect(await l.check('other')).toEqual({ allowed: true });
	});

	it('counts failures within 15 minutes only (a sliding window)', async () => {
		const { l, advance } = await limiter();
		for (let i = 0; i < 4; i++) await l.fail('k');
		advance(15 * 60_000);
		expect(await l.fail('k')).toEqual({ allowed: true });
		// 14 minutes later the first of these two is still in the window: 4 recent, the 5th locks.
		advance(60_000);
		await l.fail('k');
		await l.fail('k');
		advance(13 * 60_000);
		expect(await l.fail('k')).toEqual({ allowed: true });
		expect(await l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
	});

	it('doubles the lockout each time, up to one hour', async () => {
		const { l, advance } = await limiter();
		const lockouts: number[] = [];
		for (let round = 0; round < 8; round++) {
			let d = await l.fail('k');
			for (let i = 0; i < 4; i++) d = await l.fail('k');
			if (d.allowed) throw new Error('expected a lockout');
			lockouts.push(d.retryAfterSeconds);
			advance(d.retryAfterSeconds * 1000);
			expect((await l.check('k')).allowed).toBe(true);
		}
		expect(lockouts).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
	});

	it('does not extend the lockout on attempts made while locked', async () => {
		const { l, advance } = await limiter();
		for (let i = 0; i < 5; i++) await l.fail('k');
		advance(30_000);
		expect(await l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 30 });
		advance(30_000);
		// The failures made while locked did not count towards the next lockout.
		for (let i = 0; i < 4; i++) expect((await l.fail('k')).allowed).toBe(true);
		expect(await l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 120 });
	});

	it('clears the key on success and forgets old backoff after a day', async () => {
		const { l, advance } = await limiter();
		for (let i = 0; i < 4; i++) await l.fail('k');
		await l.succeed('k');
		for (let i = 0; i < 4; i++) expect((await l.fail('k')).allowed).toBe(true);
		expect((await l.fail('k')).allowed).toBe(false);
		advance(25 * 60 * 60_000);
		for (let i = 0; i < 4; i++) await l.fail('k');
		expect(await l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
	});

	it('keeps limiters (scopes) and keys apart', async () => {
		const store = await makeStore();
		const t = Date.parse('2026-03-01T09:00:00Z');
		const a = createRateLimiter({ now: () => t, store, scope: `contract_${++scopes}`, maxFailures: 2 });
		const b = createRateLimiter({ now: () => t, store, scope: `contract_${++scopes}`, maxFailures: 2 });
		await a.fail('k');
		expect((await a.fail('k')).allowed).toBe(false);
		expect(await b.check('k')).toEqual({ allowed: true });
		expect(await a.check('k2')).toEqual({ allowed: true });
		expect(await b.size()).toBe(0);
	});

	it('counts every one of parallel failures (no lost updates)', async () => {
		const { l } = await limiter({ maxFailures: 20 });
		const decisions = await Promise.all(Array.from({ length: 20 }, () => l.fail('k')));
		expect(decisions.filter((d) => !d.allowed)).toHaveLength(1);
		expect(await l.check('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
	});

	it('keeps a bounded number of keys, evicting the least recently failed', async () => {
		const { l, advance } = await limiter({ maxKeys: 3, maxFailures: 2 });
		await l.fail('a');
		advance(1);
		await l.fail('b');
		advance(1);
		await l.fail('c');
		advance(1);
		await l.fail('a');
		advance(1);
		await l.fail('d');
		expect(await l.size()).toBe(3);
		// 'b' was the oldest; 'a' failed twice and stays locked.
		expect((await l.check('a')).allowed).toBe(false);
		expect((await l.fail('b')).allowed).toBe(true);
	});
}
