/**
 * Opens the database: embedded PGlite (data dir on disk, exclusive lock) by default, or a
 * PostgreSQL server when DATABASE_URL is set. Both give the same drizzle API and run the same
 * migrations from drizzle/.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './lock';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
	db: Db;
	engine: 'pglite' | 'postgres';
	/** Runs the checked-in migrations (idempotent). */
	migrate(migrationsFolder: string): Promise<void>;
	/** Closes connections and releases the data-dir lock. */
	close(): Promise<void>;
	/** The PGlite instance, when embedded (for dumps in tests and backups). */
	pglite: PGlite | null;
	/**
	 * Embedded, and opened by a one-off command that has it to itself ({@link PgliteTuning.exclusive}):
	 * a long statement keeps no other request waiting. Always false on a PostgreSQL server.
	 */
	exclusive: boolean;
}

export interface OpenOptions {
	databaseUrl: string | null;
	/** PGlite data dir; `null` opens an in-memory database (tests). */
	dataDir: string | null;
	/** Hold the exclusive lock on the data dir (servers and writing commands). */
	lock: boolean;
	/** Reuse an existing PGlite instance (tests clone a migrated template). */
	pglite?: PGlite;
	/** PGlite memory settings; the defaults are {@link DEFAULT_PGLITE_TUNING} (benchmarks vary them). */
	pgliteTuning?: Partial<PgliteTuning>;
}

/**
 * Memory settings of embedded PGlite. (Its initial WebAssembly memory cannot go below the 128 MiB
 * its module declares, and only touched pages count in RSS, so it is not a setting.)
 */
export interface PgliteTuning {
	/** PostgreSQL `shared_buffers` (e.g. `'32MB'`); `null` keeps PGlite's own default (128 MB). */
	sharedBuffers: string | null;
	/**
	 * The process is a one-off command with the database to itself (import, export), not a server:
	 * PGlite runs statements one at a time on the main thread, so a server splits long reads (the
	 * CSV export) into short statements to let other requests run between them; a command reads
	 * them whole, which is faster.
	 */
	exclusive: boolean;
}

/**
 * PGlite's own settings (128 MB of shared buffers) for everything else: a server answers registry
 * queries from its buffer cache, and at 100k initiatives 32 MB or 16 MB made them ~1.4× slower
 * (median p50 of three runs each, raw page query 92 → 132 / 145 ms; bench/memory-pglite.ts).
 */
export const DEFAULT_PGLITE_TUNING: PgliteTuning = { sharedBuffers: null, exclusive: false };

/**
 * For one-off bulk commands (CSV import and export): 16 MB of shared buffers. PostgreSQL's buffers
 * live in PGlite's WebAssembly memory, which never shrinks; with 128 MB it grows from its initial
 * 128 MiB to 189 MiB as soon as PGlite opens (226 MiB after a 100k import) and every buffer page
 * read stays resident. With 16 MB it stays at 128 MiB. At 100k rows: export peak RSS 566 → 431 MB;
 * import 699 → 656 MB (V8 then held ~150 MB of garbage; `gcm import` now peaks at 349-376 MB with
 * 256 KB CSV pieces and a slower heap growth, io/csv.ts and cli/bulk-heap.ts). A reading or writing pass over the
 * whole registry gains nothing from a larger buffer cache (rows/s unchanged within the noise).
 */
export const BULK_PGLITE_TUNING: PgliteTuning = { sharedBuffers: '16MB', exclusive: true };

/** The PGlite constructor options for a tuning (start parameters keep PGlite's own defaults). */
export function pgliteOptions(tuning: Partial<PgliteTuning> = {}): { startParams?: string[] } {
	const t = { ...DEFAULT_PGLITE_TUNING, ...tuning };
	if (t.sharedBuffers === null) return {};
	if (!/^\d+(kB|MB|GB)$/.test(t.sharedBuffers)) throw new Error(`bad shared_buffers ${t.sharedBuffers}`);
	return { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${t.sharedBuffers}`] };
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
	if (options.databaseUrl) {
		// JIT compilation costs more than it saves on these short registry queries (measured
		// 117-148 ms per statement at 1M rows in bench/README.md), so it is off for our sessions.
		// work_mem 16 MB: at the default 4 MB the bitmap of a broad full-text match over a large
		// registry turns lossy and every row of its pages is rechecked (bench/README.md, "Full text
		// at 1M"); 10 connections × a few sorts or bitmaps each stay well under a gigabyte.
		const pool = new pg.Pool({
			connectionString: options.databaseUrl,
			max: 10,
			options: '-c jit=off -c work_mem=16MB'
		});
		// Fail fast with a clear error when the server is unreachable.
		const client = await pool.connect();
		client.release();
		const db = drizzlePg(pool, { schema }) as unknown as Db;
		return {
			db,
			engine: 'postgres',
			pglite: null,
			exclusive: false,
			migrate: async (migrationsFolder) => {
				await migratePg(db as never, { migrationsFolder });
			},
			close: async () => {
				await pool.end();
			}
		};
	}

	let lock: DataDirLock | null = null;
	if (options.dataDir && options.lock) {
		mkdirSync(options.dataDir, { recursive: true });
		lock = await acquireDataDirLock(options.dataDir);
	}
	let client: PGlite;
	try {
		client = options.pglite ?? (await PGlite.create(options.dataDir ?? undefined, pgliteOptions(options.pgliteTuning)));
	} catch (err) {
		await lock?.release();
		throw err;
	}
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		engine: 'pglite',
		pglite: client,
		exclusive: { ...DEFAULT_PGLITE_TUNING, ...options.pgliteTuning }.exclusive,
		migrate: async (migrationsFolder) => {
			await migratePglite(db as never, { migrationsFolder });
		},
		close: async () => {
			try {
				if (!client.closed) {
					await client.exec('CHECKPOINT');
					await client.close();
				}
			} finally {
				await lock?.release();
			}
		}
	};
}
