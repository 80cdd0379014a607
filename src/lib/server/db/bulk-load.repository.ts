/**
 * Bulk load into an EMPTY registry (docs/adr/0006-bulk-import.md): inside the import's own
 * transaction, the secondary indexes of the initiative tables and the foreign keys of the child
 * tables are set aside while the rows are written, then recreated from their own catalog
 * definitions before the transaction commits. Building an index or checking a foreign key once
 * over the loaded rows costs a fraction of maintaining it row by row (bench/import-profile.ts).
 *
 * The exclusive table locks this takes block readers of the registry until the import commits;
 * that is why it is only ever done when the registry holds no initiative (nothing to read yet).
 * If the locks cannot be had within LOCK_WAIT (a long reader), the import runs the ordinary way.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** The initiative and its child tables (unique indexes and primary keys are always kept). */
const TABLES = [
	'initiative',
	'initiative_initiator_kind',
	'initiative_actor',
	'initiative_country',
	'initiative_objective',
	'initiative_principle',
	'initiative_source',
	// The published-search copy (ADR 0008): its triggers still fill it, one statement per chunk.
	'initiative_search'
] as const;
const CHILD_TABLES = TABLES.slice(1);
const LOCK_WAIT = '3s';

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface DeferredIndexes {
	readonly indexes: number;
	readonly foreignKeys: number;
	/** Recreates every index and foreign key set aside (same names and definitions). */
	restore(): Promise<void>;
}

/**
 * Sets the secondary indexes and child-table foreign keys aside when the registry is empty and
 * the tables can be locked; returns null (nothing changed) otherwise. Must run inside the
 * transaction that loads the rows, and `restore` must run in it before the commit.
 */
export async function deferIndexesIfEmpty(tx: Executor): Promise<DeferredIndexes | null> {
	if ((await rows(tx, sql`SELECT 1 FROM initiative LIMIT 1`)).length > 0) return null;
	const tables = sql.raw(TABLES.map(quoteIdent).join(', '));
	await tx.execute(sql`SAVEPOINT gcm_bulk_load`);
	try {
		await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`));
		await tx.execute(sql`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`);
		// Dropping the initiative_actor → actor key touches actor's triggers (readers of actor go on).
		await tx.execute(sql`LOCK TABLE actor IN SHARE ROW EXCLUSIVE MODE`);
		await tx.execute(sql`RESET lock_timeout`);
		await tx.execute(sql`RELEASE SAVEPOINT gcm_bulk_load`);
	} catch {
		await tx.execute(sql`ROLLBACK TO SAVEPOINT gcm_bulk_load`);
		await tx.execute(sql`RELEASE SAVEPOINT gcm_bulk_load`);
		return null;
	}
	// Checked again under the lock: a writer may have committed rows since the first look.
	if ((await rows(tx, sql`SELECT 1 FROM initiative LIMIT 1`)).length > 0) return null;

	const tableList = sql`${`{${TABLES.join(',')}}`}::text[]`;
	const indexes = await rows<{ name: string; def: string }>(
		tx,
		sql`SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS def
		    FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		    JOIN pg_namespace n ON n.oid = t.relnamespace
		    WHERE n.nspname = current_schema() AND t.relname = ANY(${tableList})
		      AND NOT x.indisunique AND NOT x.indisprimary AND NOT x.indisexclusion
		    ORDER BY t.relname, c.relname`
	);
	const foreignKeys = await rows<{ table: string; name: string; def: string }>(
		tx,
		sql`SELECT t.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def
		    FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		    WHERE k.contype = 'f' AND n.nspname = current_schema()
		      AND t.relname = ANY(${sql`${`{${CHILD_TABLES.join(',')}}`}::text[]`})
		    ORDER BY t.relname, k.conname`
	);
	for (const fk of foreignKeys) {
		await tx.execute(sql.raw(`ALTER TABLE ${quoteIdent(fk.table)} DROP CONSTRAINT ${quoteIdent(fk.name)}`));
	}
	if (indexes.length > 0) await tx.execute(sql.raw(`DROP INDEX ${indexes.map((i) => quoteIdent(i.name)).join(', ')}`));
	return {
		indexes: indexes.length,
		foreignKeys: foreignKeys.length,
		async restore() {
			for (const i of indexes) await tx.execute(sql.raw(i.def));
			for (const fk of foreignKeys) {
				await tx.execute(
					sql.raw(`ALTER TABLE ${quoteIdent(fk.table)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.def}`)
				);
			}
		}
	};
}
