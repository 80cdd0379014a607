import { describe, expect, it } from 'vitest';
import { createRateLimiter, signInKey } from './rate-limit';

function limiter() {
	let t = 1_000_000;
	const l = createRateLimiter({ now: () => t });
	return { l, advance: (ms: number) => (t += ms) };
}

describe('createRateLimiter', () => {
	it('allows 4 failures, locks after the 5th, and says when to retry', () => {
		const { l } = limiter();
		for (let i = 0; i < 4; i++) expect(l.fail('k')).toEqual({ allowed: true });
		expect(l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
		expect(l.check('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
		expect(l.check('other')).toEqual({ allowed: true });
	});

	it('counts failures within 15 minutes only', () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 4; i++) l.fail('k');
		advance(15 * 60_000);
		expect(l.fail('k')).toEqual({ allowed: true });
	});

	it('doubles the lockout each time, up to one hour', () => {
		const { l, advance } = limiter();
		const lockouts: number[] = [];
		for (let round = 0; round < 8; round++) {
			let d = l.fail('k');
			for (let i = 0; i < 4; i++) d = l.fail('k');
			if (d.allowed) throw new Error('expected a lockout');
			lockouts.push(d.retryAfterSeconds);
			advance(d.retryAfterSeconds * 1000);
			expect(l.check('k').allowed).toBe(true);
		}
		expect(lockouts).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
	});

	it('does not extend the lockout on attempts made while locked', () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 5; i++) l.fail('k');
		advance(30_000);
		expect(l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 30 });
	});

	it('clears the key on success and forgets old backoff after a day', () => {
		const { l, advance } = limiter();
		for (let i = 0; i < 4; i++) l.fail('k');
		l.succeed('k');
		for (let i = 0; i < 4; i++) expect(l.fail('k').allowed).toBe(true);
		expect(l.fail('k').allowed).toBe(false);
		advance(25 * 60 * 60_000);
		for (let i = 0; i < 4; i++) l.fail('k');
		expect(l.fail('k')).toEqual({ allowed: false, retryAfterSeconds: 60 });
	});

	it('keeps a bounded number of keys', () => {
		let t = 0;
		const l = createRateLimiter({ now: () => t, maxKeys: 3 });
		for (const k of ['a', 'b', 'c', 'd']) {
			t += 1;
			l.fail(k);
		}
		expect(l.size()).toBe(3);
	});

	it('keys by address and normalised email', () => {
		expect(signInKey('10.0.0.1', ' Ana@Example.ORG ')).toBe(signInKey('10.0.0.1', 'ana@example.org'));
		expect(signInKey('10.0.0.1', 'a@x.org')).not.toBe(signInKey('10.0.0.2', 'a@x.org'));
	});
});
