import { describe, expect, it } from 'vitest';
import { totpCode, totpStep, totpUri, verifyTotp } from './totp';

// RFC 6238 Appendix B, SHA-1 seed.
const RFC_KEY = new TextEncoder().encode('12345678901234567890');

describe('TOTP', () => {
	it('matches the RFC 6238 test vectors (SHA-1, 8 digits)', () => {
		expect(totpCode(RFC_KEY, 59_000, 8)).toBe('94287082');
		expect(totpCode(RFC_KEY, 1_111_111_109_000, 8)).toBe('07081804');
		expect(totpCode(RFC_KEY, 2_000_000_000_000, 8)).toBe('69279037');
	});

	it('accepts the current step and one step either side, and nothing further', () => {
		const now = 1_700_000_000_000;
		const code = totpCode(RFC_KEY, now);
		expect(verifyTotp(RFC_KEY, code, now)).not.toBeNull();
		expect(verifyTotp(RFC_KEY, code, now + 30_000)).not.toBeNull();
		expect(verifyTotp(RFC_KEY, code, now - 30_000)).not.toBeNull();
		expect(verifyTotp(RFC_KEY, code, now + 90_000)).toBeNull();
		expect(verifyTotp(RFC_KEY, code, now - 90_000)).toBeNull();
	});

	it('ignores spaces and rejects malformed codes', () => {
		const now = 1_700_000_000_000;
		const code = totpCode(RFC_KEY, now);
		expect(verifyTotp(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now)).not.toBeNull();
		expect(verifyTotp(RFC_KEY, '12345', now)).toBeNull();
		expect(verifyTotp(RFC_KEY, 'abcdef', now)).toBeNull();
		expect(verifyTotp(RFC_KEY, '', now)).toBeNull();
	});

	it('refuses a code for the last accepted step or an earlier one (RFC 6238 §5.2 replay)', () => {
		const now = 1_700_000_000_000;
		const step = totpStep(now);
		const code = totpCode(RFC_KEY, now);
		expect(verifyTotp(RFC_KEY, code, now, 6, null)).toBe(step);
		expect(verifyTotp(RFC_KEY, code, now, 6, step - 1n)).toBe(step);
		// The same code again, or once a later step has been accepted: refused.
		expect(verifyTotp(RFC_KEY, code, now, 6, step)).toBeNull();
		expect(verifyTotp(RFC_KEY, code, now, 6, step + 1n)).toBeNull();
		// Still refused 30 s later, while the code is inside the ±1 window.
		expect(verifyTotp(RFC_KEY, code, now + 30_000, 6, step)).toBeNull();
		// The next step's code is accepted after this one was used.
		const next = totpCode(RFC_KEY, now + 30_000);
		expect(verifyTotp(RFC_KEY, next, now + 30_000, 6, step)).toBe(step + 1n);
		// A code from the step before the one already used (drift window) is refused too.
		const previous = totpCode(RFC_KEY, now - 30_000);
		expect(verifyTotp(RFC_KEY, previous, now, 6, step)).toBeNull();
		expect(verifyTotp(RFC_KEY, previous, now, 6, step - 2n)).toBe(step - 1n);
	});

	it('builds an otpauth URI', () => {
		const uri = totpUri('GCM Observatory', 'ana@example.org', RFC_KEY);
		expect(uri.startsWith('otpauth://totp/')).toBe(true);
		expect(uri).toContain('secret=');
		expect(uri).toContain('period=30');
		expect(uri).toContain('digits=6');
	});
});
