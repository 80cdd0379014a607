/**
 * The initiative CSV export's reads: each page of rows comes back from the database as CSV text,
 * already formatted, in one statement (record, initiators, principles and sources together).
 *
 * Why in SQL: the cost of an export is per field crossing the driver (PGlite parses every field
 * of every row in JavaScript: ~4 µs per field, 23 fields plus three child lists per row, against
 * one text value per page here). The formatting is exactly `initiativeToCsvRecord` + `csvLine`
 * (formula prefix, quoting, list separators and orders); tests/integration/export.spec.ts checks
 * the two byte for byte, hostile values included.
 */
import { sql } from 'drizzle-orm';
import type { InitiativeQuery } from '../../core/registry/query';
import type { Db } from './client';
import { arrayLiteral, orderBy, whereClause, type Visibility } from './initiative.repository';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** Rows per statement: about 3 MB of CSV at the generated data's ~620 bytes a row. */
export const EXPORT_PAGE = 5000;

/**
 * One CSV cell from a text column `c` of the page (never NULL): csv.ts `escapeFormula` (a value
 * starting with apostrophes then = + - @ tab or CR gets one more apostrophe), then `cell`
 * (quoted, with doubled quotes, when it holds CR, LF, a quote or a comma).
 */
function cellSql(c: string): string {
	const e = `(CASE WHEN ${c} ~ '^''*[=+\\-@\\t\\r]' THEN '''' || ${c} ELSE ${c} END)`;
	return `CASE WHEN ${c} ~ '[\\r\\n",]' THEN '"' || replace(${e}, '"', '""') || '"' ELSE ${e} END`;
}

/** The text of every column, in INITIATIVE_CSV_COLUMNS order, as `initiativeToCsvRecord` writes it. */
const COLUMN_TEXT = [
	'i.key',
	'i.title',
	'i.description',
	'i.action_type',
	// Lists the record keeps as arrays, in the order the export has always used (ASCII codes, numbers).
	`coalesce((SELECT string_agg(x, ';' ORDER BY x COLLATE "C") FROM unnest(i.initiator_kind_keys) x), '')`,
	`coalesce(act.v, '')`,
	'i.scope',
	`CASE WHEN i.regional_scope THEN 'true' ELSE 'false' END`,
	`coalesce(i.region, '')`,
	`coalesce((SELECT string_agg(x, ';' ORDER BY x COLLATE "C") FROM unnest(i.country_codes) x), '')`,
	`coalesce(i.date_start, '')`,
	`coalesce(i.date_end, '')`,
	'i.date_precision',
	`coalesce(i.date_text, '')`,
	`CASE WHEN i.predates_gcm THEN 'true' ELSE 'false' END`,
	`coalesce((SELECT string_agg(x::text, ';' ORDER BY x) FROM unnest(i.objective_numbers) x), '')`,
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
	line: `${COLUMN_TEXT.map((_, n) => cellSql(`v.c${n}`)).join(` || ',' || `)} || E'\\r\\n'`
};

/** CSV lines (CRLF-terminated) of the initiatives with these ids, in the order of `ids`. */
async function csvPage(db: Executor, ids: readonly string[]): Promise<string> {
	const idArray = sql`${arrayLiteral(ids)}::uuid[]`;
	const r = await rows<{ text: string | null }>(
		db,
		sql`WITH v AS MATERIALIZED (
		    SELECT p.ord, ${sql.raw(PAGE_SQL.columns)}
		    FROM unnest(${idArray}) WITH ORDINALITY AS p(id, ord) JOIN initiative i ON i.id = p.id
		      CROSS JOIN LATERAL (SELECT string_agg(a.name, ';' ORDER BY ia.position, a.name) AS v
		          FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id WHERE ia.initiative_id = i.id) act
		      CROSS JOIN LATERAL (SELECT string_agg(principle, ';' ORDER BY principle) AS v
		          FROM initiative_principle pr WHERE pr.initiative_id = i.id) pri
		      CROSS JOIN LATERAL (SELECT string_agg(citation, E'\\n' ORDER BY position) AS c,
		                 string_agg(coalesce(url, ''), E'\\n' ORDER BY position) AS u
		          FROM initiative_source s WHERE s.initiative_id = i.id) src)
		SELECT string_agg(${sql.raw(PAGE_SQL.line)}, '' ORDER BY v.ord) AS text FROM v`
	);
	return r[0]?.text ?? '';
}

/**
 * Streams the CSV lines (no header) of every initiative under a query, in the query's order, a
 * page of EXPORT_PAGE rows at a time: the ordered ids are read once (works for every sort,
 * relevance included; ~40 bytes a row), then each page is one statement. Records deleted
 * between the two are skipped.
 */
export async function* iterateInitiativeCsv(
	db: Executor,
	query: InitiativeQuery,
	visibility: Visibility,
	page = EXPORT_PAGE
): AsyncGenerator<string> {
	const ordered = await rows<{ id: string }>(
		db,
		sql`SELECT i.id FROM initiative i WHERE ${whereClause(query, visibility)} ORDER BY ${orderBy(query)}`
	);
	for (let i = 0; i < ordered.length; i += page) {
		const ids: string[] = [];
		for (let k = i; k < Math.min(ordered.length, i + page); k++) ids.push(ordered[k]!.id);
		yield await csvPage(db, ids);
	}
}
