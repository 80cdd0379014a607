/**
 * Removes secrets from anything about to be stored in the audit trail or logged (ASVS 16.2.5):
 * the value of every key that looks like a secret is replaced, at any depth, in arrays too.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY = /pass(word)?|secret|token|totp|recovery|hash/i;

export function isSecretKey(key: string): boolean {
	return SECRET_KEY.test(key);
}

export function redactSecrets<T>(value: T): T {
	return redact(value, new WeakSet()) as T;
}

function redact(value: unknown, seen: WeakSet<object>): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (value instanceof Date) return value;
	if (seen.has(value)) return '[circular]';
	seen.add(value);
	if (Array.isArray(value)) return value.map((v) => redact(v, seen));
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value)) out[key] = isSecretKey(key) ? REDACTED : redact(v, seen);
	return out;
}
