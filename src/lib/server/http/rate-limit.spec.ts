import { describe, expect, it } from 'vitest';
import { afterFailure, createMemoryRateLimitStore, SIGN_IN_LIMITS, signInKey } from './rate-limit';
import { rateLimitStoreContract } from './rate-limit.contract';

describe('rate limiter on the in-memory store', () => {
	rateLimitStoreContract(() => createMemoryRateLimitStore());
});

describe('afterFailure', () => {
	const t = 1_000_000;

	it('starts a new entry, and starts over once an old one is forgotten', () => {
		expect(afterFailure(undefined, t, SIGN_IN_LIMITS)).toEqual({
			failures: [t],
			lockouts: 0,
			lockedUntil: 0,
			lastFailureAt: t
		});
		const old = { failures: [], lockouts: 5, lockedUntil: t + 60_000, lastFailureAt: t };
		const later = t + SIGN_IN_LIMITS.forgetAfterMs + 60_001;
		expect(afterFailure(old, later, SIGN_IN_LIMITS)).toEqual({
			failures: [later],
			lockouts: 0,
			lockedUntil: 0,
			lastFailureAt: later
		});
	});

	it('locks at once when one failure is the limit', () => {
		expect(afterFailure(undefined, t, { ...SIGN_IN_LIMITS, maxFailures: 1 })).toEqual({
			failures: [],
			lockouts: 1,
			lockedUntil: t + 60_000,
			lastFailureAt: t
		});
	});

	it('does not change a running lockout', () => {
		const locked = { failures: [], lockouts: 2, lockedUntil: t + 120_000, lastFailureAt: t };
		expect(afterFailure(locked, t + 1_000, SIGN_IN_LIMITS)).toEqual({ ...locked, lastFailureAt: t + 1_000 });
	});
});

describe('signInKey', () => {
	it('keys by address and normalised email', () => {
		expect(signInKey('10.0.0.1', ' Ana@Example.ORG ')).toBe(signInKey('10.0.0.1', 'ana@example.org'));
		expect(signInKey('10.0.0.1', 'a@x.org')).not.toBe(signInKey('10.0.0.2', 'a@x.org'));
	});
});
