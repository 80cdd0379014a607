import { describe, expect, it } from 'vitest';
import { checkPassword, isCommonPassword, PASSWORD_MAX_LENGTH, passwordLength } from './password';

describe('checkPassword (ASVS 6.2.x)', () => {
	it('rejects fewer than 8 characters and accepts exactly 8', () => {
		expect(checkPassword('a7#kQ2p')).toBe('too_short');
		expect(checkPassword('a7#kQ2pz')).toBeNull();
	});

	it('accepts 128 characters and rejects 129 (at least 64 must be allowed)', () => {
		expect(checkPassword('x9'.repeat(32))).toBeNull();
		expect(checkPassword('ab3'.repeat(42) + 'ab')).toBeNull();
		expect(passwordLength('ab3'.repeat(43))).toBe(PASSWORD_MAX_LENGTH + 1);
		expect(checkPassword('ab3'.repeat(43))).toBe('too_long');
	});

	it('counts characters, not UTF-16 units', () => {
		expect(passwordLength('🔑🔑🔑🔑')).toBe(4);
		expect(checkPassword('🔑🔑🔑🔑🔑🔑🔑')).toBe('too_short');
		expect(checkPassword('مرور كلمة 密码')).toBeNull();
	});

	it('has no composition rules: a long lower-case passphrase is fine', () => {
		expect(checkPassword('correct horse battery staple')).toBeNull();
		expect(checkPassword('onlyletterslong')).toBeNull();
	});

	it('rejects common passwords from the bundled list, in any case', () => {
		for (const p of ['password', '12345678', 'qwertyuiop', 'iloveyou', 'PASSWORD', 'Password']) {
			expect(isCommonPassword(p)).toBe(true);
			expect(checkPassword(p)).toBe('common');
		}
		expect(isCommonPassword('tq3-vintage-lamp-orbit')).toBe(false);
	});

	it('rejects the account email as password', () => {
		expect(checkPassword('Ana@Example.org', { email: 'ana@example.org' })).toBe('contains_email');
	});
});
