import { describe, expect, it } from 'vitest';
import { totpCode, totpUri, verifyTotp } from './totp';

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

	it('builds an otpauth URI', () => {
		const uri = totpUri('GCM Observatory', 'ana@example.org', RFC_KEY);
		expect(uri.startsWith('otpauth://totp/')).toBe(true);
		expect(uri).toContain('secret=');
		expect(uri).toContain('period=30');
		expect(uri).toContain('digits=6');
	});
});
