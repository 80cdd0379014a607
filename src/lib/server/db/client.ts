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
}

export interface OpenOptions {
	databaseUrl: string | null;
	/** PGlite data dir; `null` opens an in-memory database (tests). */
	dataDir: string | null;
	/** Hold the exclusive lock on the data dir (servers and writing commands). */
	lock: boolean;
	/** Reuse an existing PGlite instance (tests clone a migrated template). */
	pglite?: PGlite;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
	if (options.databaseUrl) {
		// JIT compilation costs more than it saves on these short registry queries (measured
		// 117-148 ms per statement at 1M rows in bench/README.md), so it is off for our sessions.
		const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, options: '-c jit=off' });
		// Fail fast with a clear error when the server is unreachable.
		const client = await pool.connect();
		client.release();
		const db = drizzlePg(pool, { schema }) as unknown as Db;
		return {
			db,
			engine: 'postgres',
			pglite: null,
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
		client = options.pglite ?? (await PGlite.create(options.dataDir ?? undefined));
	} catch (err) {
		await lock?.release();
		throw err;
	}
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		engine: 'pglite',
		pglite: client,
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
