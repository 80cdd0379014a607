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

	describe('SMTP (email delivery of one-time links)', () => {
		const ORIGIN = { GCM_PUBLIC_ORIGIN: 'https://observatory.example.org' };
		const issuesOf = (env: Record<string, string>) => {
			try {
				parseConfig(env);
			} catch (err) {
				expect(err).toBeInstanceOf(DomainError);
				expect((err as DomainError).code).toBe('CONFIG_INVALID');
				return { fields: (err as DomainError).issues.map((i) => i.field), message: (err as DomainError).message };
			}
			throw new Error('expected CONFIG_INVALID');
		};

		it('is off by default', () => {
			expect(parseConfig({}).smtp).toBeNull();
		});

		it('reads smtps:// with credentials in the URL (decoded) and defaults to port 465', () => {
			const c = parseConfig({
				...ORIGIN,
				SMTP_URL: 'smtps://mailer%40example.org:p%C3%A4ss%3Aw0rd@mail.example.org',
				SMTP_FROM: 'GCM Observatory <noreply@example.org>'
			});
			expect(c.smtp).toEqual({
				host: 'mail.example.org',
				port: 465,
				implicitTls: true,
				allowInsecure: false,
				user: 'mailer@example.org',
				password: 'päss:w0rd',
				from: 'GCM Observatory <noreply@example.org>'
			});
		});

		it('reads smtp:// (STARTTLS, port 587 by default) with SMTP_USER/SMTP_PASSWORD, and the insecure opt-in', () => {
			const c = parseConfig({
				...ORIGIN,
				SMTP_URL: 'smtp://relay.internal',
				SMTP_USER: 'u',
				SMTP_PASSWORD: 'secret',
				SMTP_FROM: 'noreply@example.org'
			});
			expect(c.smtp).toMatchObject({
				port: 587,
				implicitTls: false,
				allowInsecure: false,
				user: 'u',
				password: 'secret'
			});
			const local = parseConfig({
				...ORIGIN,
				SMTP_URL: 'smtp://127.0.0.1:2525',
				SMTP_FROM: 'noreply@example.org',
				SMTP_ALLOW_INSECURE: 'true'
			});
			expect(local.smtp).toMatchObject({
				host: '127.0.0.1',
				port: 2525,
				allowInsecure: true,
				user: null,
				password: null
			});
		});

		it('refuses SMTP_URL without GCM_PUBLIC_ORIGIN (emailed links must be absolute)', () => {
			const { fields, message } = issuesOf({ SMTP_URL: 'smtps://mail.example.org', SMTP_FROM: 'a@example.org' });
			expect(fields).toEqual(['GCM_PUBLIC_ORIGIN']);
			expect(message).toMatch(/absolute/);
		});

		it('requires a valid one-line SMTP_FROM', () => {
			expect(issuesOf({ ...ORIGIN, SMTP_URL: 'smtps://mail.example.org' }).fields).toEqual(['SMTP_FROM']);
			expect(
				issuesOf({
					...ORIGIN,
					SMTP_URL: 'smtps://mail.example.org',
					SMTP_FROM: 'x@example.org\r\nBcc: all@evil.example'
				}).fields
			).toEqual(['SMTP_FROM']);
			expect(
				issuesOf({ ...ORIGIN, SMTP_URL: 'smtps://mail.example.org', SMTP_FROM: '<script>alert(1)</script>' }).fields
			).toEqual(['SMTP_FROM']);
		});

		it('rejects other schemes, paths and half or doubled credentials, without echoing the password', () => {
			const bad = issuesOf({
				...ORIGIN,
				SMTP_URL: 'https://user:hunter2@mail.example.org/x',
				SMTP_FROM: 'a@example.org'
			});
			expect(bad.fields).toEqual(['SMTP_URL', 'SMTP_URL']);
			expect(bad.message).not.toContain('hunter2');
			expect(issuesOf({ ...ORIGIN, SMTP_URL: 'not a url', SMTP_FROM: 'a@example.org' }).fields).toEqual(['SMTP_URL']);
			expect(
				issuesOf({
					...ORIGIN,
					SMTP_URL: 'smtps://u:p@mail.example.org',
					SMTP_USER: 'v',
					SMTP_PASSWORD: 'q',
					SMTP_FROM: 'a@example.org'
				}).fields
			).toEqual(['SMTP_USER']);
			expect(
				issuesOf({ ...ORIGIN, SMTP_URL: 'smtps://mail.example.org', SMTP_USER: 'v', SMTP_FROM: 'a@example.org' }).fields
			).toEqual(['SMTP_PASSWORD']);
		});

		it('refuses SMTP settings without SMTP_URL (they would be silently ignored)', () => {
			expect(issuesOf({ SMTP_FROM: 'a@example.org', SMTP_PASSWORD: 'x' }).fields.sort()).toEqual([
				'SMTP_FROM',
				'SMTP_PASSWORD'
			]);
		});
	});
});
