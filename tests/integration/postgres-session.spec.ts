/**
 * The settings every PostgreSQL session of the app runs with (openDatabase): JIT off and a work_mem
 * large enough that a broad full-text bitmap stays exact (bench/README.md, "Full text at 1M").
 * PostgreSQL only: PGlite has no JIT and its memory settings are PgliteTuning's.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import { openTestDatabase, testEngines } from './harness';

describe.runIf(testEngines().includes('postgres'))('PostgreSQL session settings', () => {
	let database: Database;
	beforeAll(async () => {
		database = await openTestDatabase('postgres');
	});
	afterAll(async () => {
		await database?.close();
	});

	it('every pooled session has jit off and work_mem 16 MB', async () => {
		// Several at once, so more than one pooled connection answers.
		const answers = await Promise.all(
			Array.from({ length: 4 }, () =>
				rows<{ jit: string; work_mem: string }>(
					database.db,
					sql`SELECT current_setting('jit') AS jit, current_setting('work_mem') AS work_mem, pg_sleep(0.05)::text`
				)
			)
		);
		for (const [r] of answers) expect(r).toMatchObject({ jit: 'off', work_mem: '16MB' });
	});
});
