import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
	it('redacts secret-looking keys at any depth, in arrays too', () => {
		const input = {
			email: 'a@example.org',
			password: 'hunter22',
			nested: { passwordHash: '$argon2id$…', deeper: [{ token: 't1' }, { apiToken: 't2', ok: 1 }] },
			totpSecret: 'JBSWY3DP',
			recoveryCodes: ['a', 'b'],
			list: [[{ pass: 'p' }]],
			client_secret: 's',
			changes: { password_hash: { before: null, after: 'h' } }
		};
		expect(redactSecrets(input)).toEqual({
			email: 'a@example.org',
			password: REDACTED,
			nested: { passwordHash: REDACTED, deeper: [{ token: REDACTED }, { apiToken: REDACTED, ok: 1 }] },
			totpSecret: REDACTED,
			recoveryCodes: REDACTED,
			list: [[{ pass: REDACTED }]],
			client_secret: REDACTED,
			changes: { password_hash: REDACTED }
		});
	});

	it('does not mutate its input and keeps non-secret values', () => {
		const input = { role: 'admin', password: 'x', when: new Date(0), n: null };
		const out = redactSecrets(input);
		expect(input.password).toBe('x');
		expect(out).toEqual({ role: 'admin', password: REDACTED, when: new Date(0), n: null });
	});

	it('passes primitives through and survives cycles', () => {
		expect(redactSecrets('token')).toBe('token');
		expect(redactSecrets(null)).toBeNull();
		const a: Record<string, unknown> = { name: 'x' };
		a.self = a;
		expect(redactSecrets(a)).toEqual({ name: 'x', self: '[circular]' });
	});
});
