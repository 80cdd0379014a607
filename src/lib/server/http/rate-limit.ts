/**
 * Limiter for failed attempts with exponential backoff (ASVS 6.3.1, research b7). Keyed by the
 * caller (client IP + account): after `maxFailures` failures within `windowMs` the key is locked
 * for `baseLockoutMs`, and each further lockout doubles, up to `maxLockoutMs`. A success clears
 * the key (where the caller says so). The state lives in a RateLimitStore: in memory (one process,
 * the default on PGlite) or in the database (`rate_limit` table, several processes serving one
 * PostgreSQL database share one budget; see db/rate-limit.repository.ts). Both stores apply the
 * same transition, `afterFailure` below; the database one as a single atomic statement.
 */
export interface RateLimitOptions {
	maxFailures: number;
	windowMs: number;
	baseLockoutMs: number;
	maxLockoutMs: number;
	/** After this long without a failure (and no lockout running) the backoff starts over. */
	forgetAfterMs: number;
	/** Keys kept at most per limiter (oldest evicted first), so a flood of new keys cannot exhaust memory. */
	maxKeys: number;
	now: () => number;
}

/** The numbers of a limiter, without its clock. */
export type RateLimitPolicy = Omit<RateLimitOptions, 'now'>;

export const SIGN_IN_LIMITS: RateLimitPolicy = {
	maxFailures: 5,
	windowMs: 15 * 60_000,
	baseLockoutMs: 60_000,
	maxLockoutMs: 60 * 60_000,
	forgetAfterMs: 24 * 60 * 60_000,
	maxKeys: 50_000
};

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** What is kept per key. Times are epoch milliseconds. */
export interface RateLimitEntry {
	/** Failures of the current window (fewer than maxFailures: the list empties at each lockout). */
	failures: number[];
	lockouts: number;
	/** 0 when the key has never been locked. */
	lockedUntil: number;
	lastFailureAt: number;
}

/** Whether an entry is old enough to be dropped: no failure for forgetAfterMs and no lockout running. */
export function isForgotten(e: RateLimitEntry, now: number, p: RateLimitPolicy): boolean {
	return now - e.lastFailureAt > p.forgetAfterMs && now >= e.lockedUntil;
}

/**
 * The state after one more failure at `now` (pure; the database store runs the same rules in SQL).
 * While locked, a failure changes nothing but `lastFailureAt` (the lockout is not extended).
 */
export function afterFailure(prev: RateLimitEntry | undefined, now: number, p: RateLimitPolicy): RateLimitEntry {
	const e: RateLimitEntry =
		prev && !isForgotten(prev, now, p) ? prev : { failures: [], lockouts: 0, lockedUntil: 0, lastFailureAt: now };
	if (now < e.lockedUntil) return { ...e, lastFailureAt: now };
	const failures = [...e.failures.filter((t) => now - t < p.windowMs), now];
	if (failures.length >= p.maxFailures) {
		const lockout = Math.min(p.baseLockoutMs * 2 ** e.lockouts, p.maxLockoutMs);
		return { failures: [], lockouts: e.lockouts + 1, lockedUntil: now + lockout, lastFailureAt: now };
	}
	return { failures, lockouts: e.lockouts, lockedUntil: e.lockedUntil, lastFailureAt: now };
}

/** The decision for a key whose lockout ends at `lockedUntil`. */
export function decide(lockedUntil: number, now: number): RateLimitDecision {
	return now < lockedUntil
		? { allowed: false, retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000) }
		: { allowed: true };
}

/**
 * Where limiter state lives. `scope` names the limiter (sign_in, mfa, bearer, …) so several
 * limiters share one store without sharing budgets. Every method is one atomic step: two
 * processes recording failures for one key at once both count.
 */
export interface RateLimitStore {
	readonly kind: 'memory' | 'database';
	/** When the key's lockout ends (epoch ms); 0 or a past time when it is not locked. */
	lockedUntil(scope: string, key: string, now: number): Promise<number>;
	/** Records one failure (afterFailure) and returns when the key's lockout ends after it. */
	recordFailure(scope: string, key: string, now: number, policy: RateLimitPolicy): Promise<number>;
	/** Forgets the key (a success). */
	clear(scope: string, key: string): Promise<void>;
	/** Keys held for a scope (tests and bounds). */
	size(scope: string): Promise<number>;
}

/** In-memory state, one Map per scope (one process only: the default on PGlite, which is single-process). */
export function createMemoryRateLimitStore(): RateLimitStore {
	const scopes = new Map<string, Map<string, RateLimitEntry>>();
	const entriesOf = (scope: string) => {
		let m = scopes.get(scope);
		if (!m) scopes.set(scope, (m = new Map()));
		return m;
	};
	return {
		kind: 'memory',
		async lockedUntil(scope, key) {
			return scopes.get(scope)?.get(key)?.lockedUntil ?? 0;
		},
		async recordFailure(scope, key, now, policy) {
			const entries = entriesOf(scope);
			const prev = entries.get(key);
			if (!prev && entries.size >= policy.maxKeys) {
				// Evict the least recently failed key (the Map keeps insertion order, refreshed below).
				const oldest = entries.keys().next();
				if (!oldest.done) entries.delete(oldest.value);
			}
			const next = afterFailure(prev, now, policy);
			entries.delete(key);
			entries.set(key, next);
			return next.lockedUntil;
		},
		async clear(scope, key) {
			scopes.get(scope)?.delete(key);
		},
		async size(scope) {
			return scopes.get(scope)?.size ?? 0;
		}
	};
}

export interface RateLimiter {
	/** Whether an attempt may be made now. */
	check(key: string): Promise<RateLimitDecision>;
	/** Records a failed attempt; returns the decision for the next attempt. */
	fail(key: string): Promise<RateLimitDecision>;
	/** A successful attempt clears the key. */
	succeed(key: string): Promise<void>;
	/** Keys held by this limiter. */
	size(): Promise<number>;
}

export interface RateLimiterOptions extends Partial<RateLimitOptions> {
	/** Where the state lives; a private in-memory store when omitted. */
	store?: RateLimitStore;
	/** The limiter's name in a shared store (keys of different scopes never mix). */
	scope?: string;
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
	const { store = createMemoryRateLimitStore(), scope = 'default', now = () => Date.now(), ...rest } = options;
	const policy: RateLimitPolicy = { ...SIGN_IN_LIMITS, ...rest };
	return {
		async check(key) {
			const at = now();
			return decide(await store.lockedUntil(scope, key, at), at);
		},
		async fail(key) {
			const at = now();
			return decide(await store.recordFailure(scope, key, at, policy), at);
		},
		succeed: (key) => store.clear(scope, key),
		size: () => store.size(scope)
	};
}

/** The limiter key for a sign-in: who is trying (address) and on which account. */
export function signInKey(clientAddress: string, email: string): string {
	return `${clientAddress}\u0000${email.trim().toLowerCase()}`;
}
