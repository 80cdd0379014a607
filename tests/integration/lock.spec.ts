/**
 * The embedded data dir is single-process: a second open with `lock: true` must be refused
 * with DATA_DIR_LOCKED, and the lock must be released by close(). Uses a real on-disk PGlite
 * (a cold initdb takes seconds), so PGlite only and long timeouts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/core/shared/errors';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';

describe('data dir lock (pglite)', { timeout: 120_000 }, () => {
	let root: string;
	let dataDir: string;
	const opened: Database[] = [];

	beforeAll(() => {
		root = mkdtempSync(join(tmpdir(), 'gcm-it-lock-'));
		dataDir = join(root, 'data');
	});
	afterAll(async () => {
		for (const d of opened) await d.close().catch(() => undefined);
		rmSync(root, { recursive: true, force: true });
	});

	const open = () => openDatabase({ databaseUrl: null, dataDir, lock: true });

	it('refuses a second open of a locked dir, and allows it after close()', async () => {
		const first = await open();
		opened.push(first);
		expect(first.engine).toBe('pglite');
		expect(existsSync(`${dataDir}.lock`)).toBe(true);
		await first.db.execute(sql`CREATE TABLE marker (n int)`);
		await first.db.execute(sql`INSERT INTO marker VALUES (42)`);

		const second = await open().then(
			(d) => {
				opened.push(d);
				return null;
			},
			(e: unknown) => e
		);
		expect(second).toBeInstanceOf(DomainError);
		expect((second as DomainError).code).toBe('DATA_DIR_LOCKED');
		expect((second as DomainError).message).toContain(dataDir);
		// The refused open did not disturb the holder.
		expect(await rows<{ n: number }>(first.db, sql`SELECT n FROM marker`)).toEqual([{ n: 42 }]);

		await first.close();
		opened.splice(opened.indexOf(first), 1);
		expect(existsSync(`${dataDir}.lock`)).toBe(false);
		await first.close(); // idempotent

		const third = await open();
		opened.push(third);
		// Same data dir, data kept across the close.
		expect(await rows<{ n: number }>(third.db, sql`SELECT n FROM marker`)).toEqual([{ n: 42 }]);
		await third.close();
		opened.splice(opened.indexOf(third), 1);
	});

	it('takes and releases the lock again on a later open of the existing dir', async () => {
		const locked = await open();
		opened.push(locked);
		expect(existsSync(`${dataDir}.lock`)).toBe(true);
		await expect(open()).rejects.toSatisfy((e) => e instanceof DomainError && e.code === 'DATA_DIR_LOCKED');
		await locked.close();
		opened.splice(opened.indexOf(locked), 1);
		expect(existsSync(`${dataDir}.lock`)).toBe(false);
	});
});
