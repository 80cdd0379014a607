/**
 * Embedded PGlite's memory settings (client.ts): PGlite's own shared_buffers for the server,
 * 16 MB for bulk import/export (BULK_PGLITE_TUNING, the RSS budget of issue #4). The settings are
 * start parameters, never written to the data dir's postgresql.conf.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { BULK_PGLITE_TUNING, openDatabase, pgliteOptions } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';

describe('PGlite memory settings (pglite)', { timeout: 60_000 }, () => {
	it('opens PGlite with PGlite’s own shared_buffers by default', async () => {
		expect(pgliteOptions()).toEqual({});
		const database = await openDatabase({ databaseUrl: null, dataDir: null, lock: false });
		try {
			const got = await rows<{ s: string }>(database.db, sql`SELECT current_setting('shared_buffers') AS s`);
			expect(got).toEqual([{ s: '128MB' }]);
		} finally {
			await database.close();
		}
	});

	it('opens PGlite with the bulk shared_buffers and keeps PGlite’s other start parameters', async () => {
		const database = await openDatabase({
			databaseUrl: null,
			dataDir: null,
			lock: false,
			pgliteTuning: BULK_PGLITE_TUNING
		});
		try {
			const got = await rows<{ shared_buffers: string; search_path: string; max_parallel_workers: string }>(
				database.db,
				sql`SELECT current_setting('shared_buffers') AS shared_buffers, current_setting('search_path') AS search_path,
				      current_setting('max_parallel_workers') AS max_parallel_workers`
			);
			expect(got).toEqual([{ shared_buffers: '16MB', search_path: 'public', max_parallel_workers: '0' }]);
		} finally {
			await database.close();
		}
	});

	it('refuses a malformed size before starting PGlite', () => {
		expect(() => pgliteOptions({ sharedBuffers: '32MB; DROP' })).toThrow(/bad shared_buffers/);
		expect(() => pgliteOptions({ sharedBuffers: '32 MB' })).toThrow(/bad shared_buffers/);
	});
});
