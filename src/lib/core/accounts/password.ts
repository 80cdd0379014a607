/**
 * Password rules (ASVS 5.0 6.2.1/6.2.9: at least 8 characters and at least 64 allowed; 6.2.5: no
 * composition rules; 6.2.4: reject common passwords). The common list is the 50,000 passwords of
 * `fxa-common-password-list` (Mozilla, MPL-2.0), filtered from the SecLists top 1M to lengths of
 * 8 or more; it is bundled with the package, so the check makes no network call.
 */
import commonPasswords from 'fxa-common-password-list';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email';

/** Length in characters (code points), not UTF-16 units: "🔑" counts as one. */
export function passwordLength(password: string): number {
	return [...password].length;
}

export function isCommonPassword(password: string): boolean {
	return commonPasswords.test(password) || commonPasswords.test(password.toLowerCase());
}

/** Returns the first problem with a new password, or null when it is acceptable. */
export function checkPassword(password: string, context: { email?: string } = {}): PasswordProblem | null {
	const length = passwordLength(password);
	if (length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'too_long';
	if (isCommonPassword(password)) return 'common';
	const email = context.email?.trim().toLowerCase();
	if (email && password.toLowerCase() === email) return 'contains_email';
	return null;
}
