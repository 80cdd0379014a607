/**
 * TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) with an explicit clock, so the window
 * (the current step and one on either side, for clock drift) can be tested. Built on @oslojs/otp's
 * HOTP; the otpauth URI is what authenticator apps read (typed in or from a QR code).
 */
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (±30 s). */
export const TOTP_WINDOW = 1;

export function totpStep(atMs: number): bigint {
	return BigInt(Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS));
}

export function totpCode(key: Uint8Array, atMs: number, digits = TOTP_DIGITS): string {
	return generateHOTP(key, totpStep(atMs), digits);
}

/**
 * The matching step, or null. Spaces are ignored ("123 456"); comparison is constant-time per
 * candidate. `afterStep` (RFC 6238 §5.2, replay): only steps strictly after the last accepted one
 * count, so a code already used — or any code of an earlier step — is refused. When several steps
 * of the window match (a 6-digit collision), the latest allowed one is returned. The caller must
 * still record the step atomically (the database decides between two parallel uses).
 */
export function verifyTotp(
	key: Uint8Array,
	code: string,
	atMs: number,
	digits = TOTP_DIGITS,
	afterStep: bigint | null = null
): bigint | null {
	const given = code.replace(/\s+/g, '');
	if (!new RegExp(`^\\d{${digits}}$`).test(given)) return null;
	const step = totpStep(atMs);
	let matched: bigint | null = null;
	for (let d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
		const candidate = step + BigInt(d);
		if (candidate < 0n) continue;
		// Every candidate is compared (no early exit), so timing does not depend on which one matched.
		const equal = constantTimeEqual(generateHOTP(key, candidate, digits), given);
		if (equal && (afterStep === null || candidate > afterStep)) matched = candidate;
	}
	return matched;
}

export function totpUri(issuer: string, accountName: string, key: Uint8Array): string {
	return createTOTPKeyURI(issuer, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

function constantTimeEqual(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}
