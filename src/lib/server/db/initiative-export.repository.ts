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

/** Rows per FETCH on PostgreSQL: about 3 MB of CSV at the generated data's ~620 bytes a row. */
export const EXPORT_PAGE = 5000;

/**
 * Rows per statement on PGlite, whose statements block the server's other requests while they run:
 * about 0.1 s at 100k rows (bench/README.md, "Export paged on PGlite").
 */
export const PGLITE_EXPORT_PAGE = 1000;

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
export function exportStatement(
	query: InitiativeQuery,
	visibility: Visibility,
	shape: ChildShape = 'grouped',
	ids: readonly string[] | null = null
): SQL {
	const where = whereClause(query, visibility);
	// A page of ids (PGlite's paged export): the same lines for those ids, in the list's order; the
	// query's conditions still apply, so a record unpublished since the list was read is left out.
	const page =
		ids === null ? null : sql`unnest(string_to_array(${ids.join(',')}, ',')::uuid[]) WITH ORDINALITY AS p(id, n)`;
	const filtered =
		page === null ? sql`(SELECT i.id FROM initiative i WHERE ${where})` : sql`(SELECT p.id FROM ${page})`;
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
	    FROM ${page === null ? sql`initiative i` : sql`${page} JOIN initiative i ON i.id = p.id`} ${children}
	      CROSS JOIN LATERAL (SELECT ${sql.raw(PAGE_SQL.columns)} OFFSET 0) v
	    WHERE ${where}
	    ORDER BY ${page === null ? orderBy(query) : sql`p.n`}`;
}

/**
 * The ids of every initiative under a query, in the query's order (the order exportStatement
 * sorts by), as one text value: one field crosses the driver instead of one row per record.
 */
export function exportIdsStatement(query: InitiativeQuery, visibility: Visibility): SQL {
	return sql`SELECT array_to_string(ARRAY(SELECT i.id FROM initiative i WHERE ${whereClause(query, visibility)}
	    ORDER BY ${orderBy(query)}), ',') AS ids`;
}

const dialect = new PgDialect();
let cursorSeq = 0;

/** A PostgreSQL connection that keeps a cursor between statements. */
interface CursorSession {
	query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
	/** Ends the export: ends its transaction (closing the cursor) and gives the connection back. */
	end(failed: boolean): Promise<void>;
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
 * (`idle_in_transaction_session_timeout`).
 */
async function openPgSession(pool: pg.Pool): Promise<CursorSession> {
	await acquireExportSlot();
	let conn: pg.PoolClient;
	try {
		conn = await pool.connect();
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
		query: (text, params) => conn.query(text, params as unknown[]),
		// Ending the transaction closes its cursor.
		end: async (failed) => {
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
	};
}

/** Joins a page of lines. */
function joinLines(rows: unknown[]): string {
	let text = '';
	for (const row of rows as { line: string }[]) text += row.line;
	return text;
}

/** How iterateInitiativeCsv reads. */
export interface ExportReadOptions {
	/** Rows per page (default: EXPORT_PAGE on PostgreSQL, PGLITE_EXPORT_PAGE on PGlite). */
	page?: number;
	/**
	 * PGlite only: read the export as one statement, for a process that has the database to itself
	 * (`Database.exclusive`: a command, not a server). Faster, but nothing else runs meanwhile.
	 */
	whole?: boolean;
}

/**
 * Streams the CSV lines (no header) of every initiative under a query, in the query's order,
 * a page at a time.
 *
 * PostgreSQL: one statement (`exportStatement`) read through a server-side cursor in the export's
 * own transaction (see openPgSession).
 *
 * PGlite has one session, shared by every request, and runs on the server's main thread: while a
 * statement runs nothing else does. A transaction would hold that session for as long as the
 * client downloads, and a `WITH HOLD` cursor is materialised when declared (the whole export in
 * one statement: 3-6 s at 100k rows, during which every other request waited). So a server reads
 * the ordered ids first (one text value, the longest statement: ~0.3-0.7 s at 100k), then each
 * page as one statement over its ids (~0.1 s), and other requests run between them
 * (bench/export-stall.ts). There is no snapshot across pages: a record changed meanwhile is
 * written as it is when its page is read, and one no longer matching (e.g. unpublished) is left
 * out, never shown; the order is the one read first. With `whole`, the one statement through a
 * WITH HOLD cursor.
 */
export async function* iterateInitiativeCsv(
	db: Db,
	query: InitiativeQuery,
	visibility: Visibility,
	options: ExportReadOptions = {}
): AsyncGenerator<string> {
	const { page, whole = false } = options;
	if (page !== undefined && (!Number.isSafeInteger(page) || page < 1)) {
		throw new RangeError(`page must be a positive integer, got ${page}`);
	}
	const client = (db as unknown as { $client: unknown }).$client;
	if (client instanceof pg.Pool) {
		const session = await openPgSession(client);
		yield* readCursor(session, exportStatement(query, visibility), page ?? EXPORT_PAGE, 'WITHOUT HOLD');
		return;
	}
	const lite = client as PGlite;
	if (whole) {
		const session: CursorSession = {
			query: (text, params) => lite.query(text, params),
			end: async () => {}
		};
		yield* readCursor(session, exportStatement(query, visibility), page ?? EXPORT_PAGE, 'WITH HOLD');
		return;
	}
	const list = dialect.sqlToQuery(exportIdsStatement(query, visibility));
	const text = ((await lite.query(list.sql, list.params)).rows as { ids: string | null }[])[0]?.ids ?? '';
	const ids = text === '' ? [] : text.split(',');
	const size = page ?? PGLITE_EXPORT_PAGE;
	for (let at = 0; at < ids.length; at += size) {
		const statement = dialect.sqlToQuery(exportStatement(query, visibility, 'grouped', ids.slice(at, at + size)));
		const lines = joinLines((await lite.query(statement.sql, statement.params)).rows);
		if (lines !== '') yield lines;
	}
}

/**
 * Declares a cursor for the statement in the session, yields its lines `page` rows at a time, and
 * closes it (also when the consumer stops early or a statement fails) before ending the session.
 */
async function* readCursor(
	session: CursorSession,
	statement: SQL,
	page: number,
	hold: 'WITH HOLD' | 'WITHOUT HOLD'
): AsyncGenerator<string> {
	const query = dialect.sqlToQuery(statement);
	const name = `gcm_export_${++cursorSeq}`;
	// A WITH HOLD cursor outlives its transaction and must be closed; ending a transaction closes the others.
	let open = false;
	let failed = true;
	try {
		await session.query(`DECLARE ${name} NO SCROLL CURSOR ${hold} FOR ${query.sql}`, query.params);
		open = hold === 'WITH HOLD';
		for (;;) {
			const r = (await session.query(`FETCH ${page} FROM ${name}`)).rows;
			if (r.length === 0) break;
			yield joinLines(r);
			if (r.length < page) break;
		}
		if (open) {
			open = false;
			await session.query(`CLOSE ${name}`);
		}
		failed = false;
	} finally {
		// Stopped early or failed: close what is open, best effort (the first error is the one to report).
		if (open) await session.query(`CLOSE ${name}`).catch(() => undefined);
		await session.end(failed);
	}
}
