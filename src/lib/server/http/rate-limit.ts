/**
 * In-memory limiter for failed attempts with exponential backoff (ASVS 6.3.1, research b7).
 * Keyed by the caller (client IP + account): after `maxFailures` failures within `windowMs` the
 * key is locked for `baseLockoutMs`, and each further lockout doubles, up to `maxLockoutMs`.
 * A success clears the key. One process only: a multi-node deployment needs a shared store.
 */
export interface RateLimitOptions {
	maxFailures: number;
	windowMs: number;
	baseLockoutMs: number;
	maxLockoutMs: number;
	/** After this long without a failure the backoff starts over. */
	forgetAfterMs: number;
	/** Keys kept at most (oldest evicted first), so a flood of new keys cannot exhaust memory. */
	maxKeys: number;
	now: () => number;
}

export const SIGN_IN_LIMITS: Omit<RateLimitOptions, 'now'> = {
	maxFailures: 5,
	windowMs: 15 * 60_000,
	baseLockoutMs: 60_000,
	maxLockoutMs: 60 * 60_000,
	forgetAfterMs: 24 * 60 * 60_000,
	maxKeys: 50_000
};

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Entry {
	failures: number[];
	lockouts: number;
	lockedUntil: number;
	lastFailureAt: number;
}

export interface RateLimiter {
	/** Whether an attempt may be made now. */
	check(key: string): RateLimitDecision;
	/** Records a failed attempt; returns the decision for the next attempt. */
	fail(key: string): RateLimitDecision;
	/** A successful attempt clears the key. */
	succeed(key: string): void;
	size(): number;
}

export function createRateLimiter(options: Partial<RateLimitOptions> = {}): RateLimiter {
	const o: RateLimitOptions = { ...SIGN_IN_LIMITS, now: () => Date.now(), ...options };
	const entries = new Map<string, Entry>();

	function current(key: string, now: number): Entry | undefined {
		const e = entries.get(key);
		if (!e) return undefined;
		if (now - e.lastFailureAt > o.forgetAfterMs && now >= e.lockedUntil) {
			entries.delete(key);
			return undefined;
		}
		return e;
	}

	function decision(e: Entry | undefined, now: number): RateLimitDecision {
		if (e && now < e.lockedUntil) return { allowed: false, retryAfterSeconds: Math.ceil((e.lockedUntil - now) / 1000) };
		return { allowed: true };
	}

	return {
		check(key) {
			const now = o.now();
			return decision(current(key, now), now);
		},
		fail(key) {
			const now = o.now();
			let e = current(key, now);
			if (!e) {
				if (entries.size >= o.maxKeys) {
					const oldest = entries.keys().next();
					if (!oldest.done) entries.delete(oldest.value);
				}
				e = { failures: [], lockouts: 0, lockedUntil: 0, lastFailureAt: now };
			}
			// Re-insert so the Map's order is least-recently-failed first (eviction order).
			entries.delete(key);
			entries.set(key, e);
			e.lastFailureAt = now;
			if (now < e.lockedUntil) return decision(e, now);
			e.failures = e.failures.filter((t) => now - t < o.windowMs);
			e.failures.push(now);
			if (e.failures.length >= o.maxFailures) {
				const lockout = Math.min(o.baseLockoutMs * 2 ** e.lockouts, o.maxLockoutMs);
				e.lockouts += 1;
				e.lockedUntil = now + lockout;
				e.failures = [];
			}
			return decision(e, now);
		},
		succeed(key) {
			entries.delete(key);
		},
		size: () => entries.size
	};
}

/** The limiter key for a sign-in: who is trying (address) and on which account. */
export function signInKey(clientAddress: string, email: string): string {
	return `${clientAddress}\u0000${email.trim().toLowerCase()}`;
}
