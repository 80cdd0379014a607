import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/shared/errors';
import { parseConfig } from './config';

describe('parseConfig', () => {
	it('uses the documented defaults: PGlite in .data, 127.0.0.1:3000', () => {
		const c = parseConfig({});
		expect(c).toMatchObject({
			host: '127.0.0.1',
			port: 3000,
			engine: 'pglite',
			databaseUrl: null,
			seedWhenEmpty: true
		});
		expect(c.dataDir.endsWith('.data')).toBe(true);
	});

	it('switches to PostgreSQL when DATABASE_URL is set', () => {
		expect(parseConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).engine).toBe('postgres');
	});

	it('names each invalid variable', () => {
		try {
			parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
			expect.unreachable();
		} catch (err) {
			expect(err).toBeInstanceOf(DomainError);
			const fields = (err as DomainError).issues.map((i) => i.field).sort();
			expect(fields).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
			expect((err as DomainError).message).toContain('PORT');
		}
	});

	it('rejects out-of-range ports', () => {
		expect(() => parseConfig({ PORT: '70000' })).toThrow(/PORT/);
	});

	it('has session timeouts of 30 minutes idle and 12 hours absolute by default, and no trusted proxy', () => {
		const c = parseConfig({});
		expect(c.sessionIdleMinutes).toBe(30);
		expect(c.sessionAbsoluteHours).toBe(12);
		expect(c.trustedProxies).toEqual([]);
	});

	it('reads session timeouts and a comma-separated list of trusted proxies', () => {
		const c = parseConfig({
			SESSION_IDLE_MINUTES: '15',
			SESSION_ABSOLUTE_HOURS: '8',
			TRUSTED_PROXIES: ' 10.0.0.1, ::1 ,'
		});
		expect(c).toMatchObject({ sessionIdleMinutes: 15, sessionAbsoluteHours: 8, trustedProxies: ['10.0.0.1', '::1'] });
	});

	it('rejects bad session timeouts and proxies that are not IP addresses', () => {
		expect(() => parseConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
		expect(() => parseConfig({ SESSION_ABSOLUTE_HOURS: 'long' })).toThrow(/SESSION_ABSOLUTE_HOURS/);
		expect(() => parseConfig({ TRUSTED_PROXIES: '10.0.0.1,proxy.local' })).toThrow(/TRUSTED_PROXIES/);
	});
});
