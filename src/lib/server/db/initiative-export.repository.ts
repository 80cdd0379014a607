/**
 * The initiative CSV export's reads: one statement per export, read through a server-side cursor
 * a page at a time, each row already a CSV line formatted in SQL (record, initiators, principles
 * and sources together).
 *
 * Why in SQL: the cost of an export is per field crossing the driver (PGlite parses every field
 * of every row in JavaScript: ~4 µs per field, 23 fields plus three child lists per row, against
 * one text value per row here). The formatting is exactly `initiativeToCsvRecord` + `csvLine`
 * (formula prefix, quoting, list separators and orders); tests/integration/export.spec.ts checks
 * the two byte for byte, hostile values included.
 *
 * Why one statement: the previous shape read the ordered id list, then looked every page up by
 * `id = ANY(...)` with an index probe per row and child table; one statement sorts once and
 * aggregates each child table once (bench/export-floor.ts measures the shapes).
 */
import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { InitiativeQuery } from '../../core/registry/query';
import type { Db } from './client';
import { orderBy, whereClause, type Visibility } from './initiative.repository';

/** Rows per FETCH: about 3 MB of CSV at the generated data's ~620 bytes a row. */
export const EXPORT_PAGE = 5000;

/**
 * One CSV cell from a text column `c` of the page (never NULL): csv.ts `escapeFormula` (a value
 * starting with apostrophes then = + - @ tab or CR gets one more apostrophe), then `cell`
 * (quoted, with doubled quotes, when it holds CR, LF, a quote or a comma).
 */
function cellSql(c: string): string {
	// `ascii` (the first character's code, 0 when empty) spares the regex on almost every cell:
	// ' = + - @ tab CR.
	const e = `(CASE WHEN ascii(${c}) IN (39, 61, 43, 45, 64, 9, 13) AND ${c} ~ '^''*[=+\\-@\\t\\r]' THEN '''' || ${c} ELSE ${c} END)`;
	return `CASE WHEN ${c} ~ '[\\r\\n",]' THEN '"' || replace(${e}, '"', '""') || '"' ELSE ${e} END`;
}

/**
 * An array column as `;`-separated text in `order` (its elements' ORDER BY). Stored lists are
 * almost always already in that order (the domain sorts countries and objectives), so up to six
 * elements are compared in place and written by `array_to_string`; a longer or unsorted list
 * (or one holding a NULL) is sorted by a subquery, which costs ~10 µs a row (3 s per 100k rows
 * for the three lists, measured on PostgreSQL 15 under load 5).
 */
function sortedListSql(a: string, order: string, cast = ''): string {
	const inOrder = [1, 2, 3, 4, 5].map((k) => `(${a}[${k + 1}] IS NULL OR ${a}[${k}]${order} <= ${a}[${k + 1}])`);
	return `CASE WHEN cardinality(${a}) <= 6 AND ${inOrder.join(' AND ')} THEN array_to_string(${a}, ';')
	  ELSE coalesce((SELECT string_agg(x${cast}, ';' ORDER BY x${order}) FROM unnest(${a}) x), '') END`;
}

const REGIONAL_SCOPE_TEXT = `CASE WHEN i.regional_scope THEN 'true' ELSE 'false' END`;
const PREDATES_GCM_TEXT = `CASE WHEN i.predates_gcm THEN 'true' ELSE 'false' END`;
/** Columns that are always 'true' or 'false': nothing to escape or quote. */
const BOOLEAN_TEXT = new Set([REGIONAL_SCOPE_TEXT, PREDATES_GCM_TEXT]);

/** The text of every column, in INITIATIVE_CSV_COLUMNS order, as `initiativeToCsvRecord` writes it. */
const COLUMN_TEXT = [
	'i.key',
	'i.title',
	'i.description',
	'i.action_type',
	// Lists the record keeps as arrays, in the order the export has always used (ASCII codes, numbers).
	sortedListSql('i.initiator_kind_keys', ' COLLATE "C"'),
	`coalesce(act.v, '')`,
	'i.scope',
	REGIONAL_SCOPE_TEXT,
	`coalesce(i.region, '')`,
	sortedListSql('i.country_codes', ' COLLATE "C"'),
	`coalesce(i.date_start, '')`,
	`coalesce(i.date_end, '')`,
	'i.date_precision',
	`coalesce(i.date_text, '')`,
	PREDATES_GCM_TEXT,
	sortedListSql('i.objective_numbers', '', '::text'),
	`coalesce(pri.v, '')`,
	`coalesce(src.c, '')`,
	// URLs of sources without one are empty lines; trailing empty lines are dropped.
	`regexp_replace(coalesce(src.u, ''), E'\\n+$', '')`,
	'i.verification_status',
	`coalesce(i.report_table, '')`,
	`coalesce(i.report_row::text, '')`,
	`coalesce(i.original_text, '')`
];

const PAGE_SQL = {
	columns: COLUMN_TEXT.map((expr, n) => `${expr} AS c${n}`).join(',\n'),
	// One concat_ws instead of a chain of `||` (each of which copies the line so far): ~2 s less per
	// 100k rows on PostgreSQL 15.
	line: `concat_ws(',', ${COLUMN_TEXT.map((expr, n) => (BOOLEAN_TEXT.has(expr) ? `v.c${n}` : cellSql(`v.c${n}`))).join(', ')}) || E'\\r\\n'`
};

/** How the child lists reach each row (both give the same bytes; `bench/export-floor.ts` times them). */
export type ChildShape = 'grouped' | 'lateral';

/**
 * The whole export as one statement: one CSV line (CRLF-terminated) per initiative under the
 * query, in the query's order (every sort, relevance included; ties end on the unique key).
 *
 * `grouped` (the default): each child table is aggregated once, restricted to the filtered ids by
 * a semi-join, and hash-joined to the records: one pass over each table instead of an index probe
 * per row and table (at 100k on PostgreSQL 15 under load 7: 2.5 s against 4.2 s unformatted). For
 * a narrow filter the semi-join keeps the aggregates to the filtered records' children.
 * `lateral`: one correlated aggregate per row and table (kept for the floor measurements).
 *
 * The columns are computed once per row in a LATERAL subquery (`OFFSET 0` keeps it from being
 * flattened, which would repeat each expression in every `cellSql` that reads it).
 */
export function exportStatement(query: InitiativeQuery, visibility: Visibility, shape: ChildShape = 'grouped'): SQL {
	const where = whereClause(query, visibility);
	const filtered = sql`(SELECT i.id FROM initiative i WHERE ${where})`;
	const children =
		shape === 'grouped'
			? sql`LEFT JOIN (SELECT ia.initiative_id AS id, string_agg(a.name, ';' ORDER BY ia.position, a.name) AS v
			        FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id
			        WHERE ia.initiative_id IN ${filtered} GROUP BY ia.initiative_id) act ON act.id = i.id
			      LEFT JOIN (SELECT pr.initiative_id AS id, string_agg(pr.principle, ';' ORDER BY pr.principle) AS v
			        FROM initiative_principle pr
			        WHERE pr.initiative_id IN ${filtered} GROUP BY pr.initiative_id) pri ON pri.id = i.id
			      LEFT JOIN (SELECT s.initiative_id AS id, string_agg(s.citation, E'\n' ORDER BY s.position) AS c,
			               string_agg(coalesce(s.url, ''), E'\n' ORDER BY s.position) AS u
			        FROM initiative_source s
			        WHERE s.initiative_id IN ${filtered} GROUP BY s.initiative_id) src ON src.id = i.id`
			: sql`CROSS JOIN LATERAL (SELECT string_agg(a.name, ';' ORDER BY ia.position, a.name) AS v
			        FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id WHERE ia.initiative_id = i.id) act
			      CROSS JOIN LATERAL (SELECT string_agg(principle, ';' ORDER BY principle) AS v
			        FROM initiative_principle pr WHERE pr.initiative_id = i.id) pri
			      CROSS JOIN LATERAL (SELECT string_agg(citation, E'\n' ORDER BY position) AS c,
			               string_agg(coalesce(url, ''), E'\n' ORDER BY position) AS u
			        FROM initiative_source s WHERE s.initiative_id = i.id) src`;
	return sql`SELECT ${sql.raw(PAGE_SQL.line)} AS line
	    FROM initiative i ${children}
	      CROSS JOIN LATERAL (SELECT ${sql.raw(PAGE_SQL.columns)} OFFSET 0) v
	    WHERE ${where}
	    ORDER BY ${orderBy(query)}`;
}

const dialect = new PgDialect();
let cursorSeq = 0;

/** A database session that keeps a cursor between statements. */
interface CursorSession {
	query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
	/** Ends the export: closes the cursor (when declared) and gives the session back. */
	end(cursor: string | null, failed: boolean): Promise<void>;
}

/**
 * PostgreSQL exports holding a pooled connection at the same time (client.ts opens 10); more
 * wait for a slot, so slow downloads can never take every connection the app needs.
 */
export const MAX_CONCURRENT_PG_EXPORTS = 2;
let pgExports = 0;
const waitingForSlot: (() => void)[] = [];

async function acquireExportSlot(): Promise<void> {
	if (pgExports < MAX_CONCURRENT_PG_EXPORTS) {
		pgExports++;
		return;
	}
	await new Promise<void>((resolve) => waitingForSlot.push(resolve));
}

/** Hands the slot to the next waiting export, or frees it. */
function releaseExportSlot(): void {
	const next = waitingForSlot.shift();
	if (next) next();
	else pgExports--;
}

/**
 * PostgreSQL: a pooled connection of its own (one of MAX_CONCURRENT_PG_EXPORTS), in a read-only
 * REPEATABLE READ transaction (one snapshot for the whole file), held while the client downloads;
 * an export left waiting more than 10 minutes between pages is ended by the server
 * (`idle_in_transaction_session_timeout`). PGlite (one session, shared): a WITH HOLD cursor,
 * materialised when declared, so other statements run between pages (a transaction would hold
 * PGlite's only session for as long as the client downloads).
 */
async function openSession(db: Db): Promise<{ session: CursorSession; hold: boolean }> {
	const client = (db as unknown as { $client: unknown }).$client;
	if (client instanceof pg.Pool) {
		await acquireExportSlot();
		let conn: pg.PoolClient;
		try {
			conn = await client.connect();
		} catch (err) {
			releaseExportSlot();
			throw err;
		}
		try {
			await conn.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
			await conn.query(`SET LOCAL idle_in_transaction_session_timeout = '10min'`);
		} catch (err) {
			conn.release(true);
			releaseExportSlot();
			throw err;
		}
		return {
			hold: false,
			session: {
				query: (text, params) => conn.query(text, params as unknown[]),
				// Ending the transaction closes its cursor.
				end: async (_cursor, failed) => {
					try {
						await conn.query(failed ? 'ROLLBACK' : 'COMMIT');
						conn.release();
					} catch (err) {
						conn.release(true);
						if (!failed) throw err;
					} finally {
						releaseExportSlot();
					}
				}
			}
		};
	}
	const lite = client as PGlite;
	return {
		hold: true,
		session: {
			query: (text, params) => lite.query(text, params),
			end: async (cursor, failed) => {
				if (cursor === null) return;
				try {
					await lite.query(`CLOSE ${cursor}`);
				} catch (err) {
					if (!failed) throw err;
				}
			}
		}
	};
}

/**
 * Streams the CSV lines (no header) of every initiative under a query, in the query's order,
 * `page` rows at a time: one statement (`exportStatement`) read through a server-side cursor.
 */
export async function* iterateInitiativeCsv(
	db: Db,
	query: InitiativeQuery,
	visibility: Visibility,
	page = EXPORT_PAGE
): AsyncGenerator<string> {
	if (!Number.isSafeInteger(page) || page < 1) throw new RangeError(`page must be a positive integer, got ${page}`);
	const statement = dialect.sqlToQuery(exportStatement(query, visibility));
	const name = `gcm_export_${++cursorSeq}`;
	const { session, hold } = await openSession(db);
	let declared: string | null = null;
	let failed = true;
	try {
		await session.query(
			`DECLARE ${name} NO SCROLL CURSOR ${hold ? 'WITH HOLD' : 'WITHOUT HOLD'} FOR ${statement.sql}`,
			statement.params
		);
		declared = name;
		for (;;) {
			const r = (await session.query(`FETCH ${page} FROM ${name}`)).rows as { line: string }[];
			if (r.length === 0) break;
			let text = '';
			for (const row of r) text += row.line;
			yield text;
			if (r.length < page) break;
		}
		failed = false;
	} finally {
		await session.end(declared, failed);
	}
}
