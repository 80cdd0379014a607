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
});
