/**
 * Reads behind the in-memory facet index (ADR 0005): the compact rows of published initiatives,
 * streamed in keyset chunks; the ids of published initiatives matching a full-text query and the
 * public relevance-ranked pages (from `initiative_search`, the narrow copy of the published
 * initiatives, ADR 0008); and the persisted public unfiltered counts of a data version
 * (registry_count_snapshot). Published only: nothing here can return a draft.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { FacetIndexRow, FacetResult } from '../../core/registry/facet-index';
import type { InitiativeQuery } from '../../core/registry/query';
import type { Db } from './client';
import { filterConditions } from './initiative.repository';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** Rows per keyset read: small enough that one read does not hold PGlite's single thread for long. */
export const FACET_INDEX_CHUNK = 2500;

/**
 * A chunk travels as ONE text value (rows joined by GS 0x1d, fields by US 0x1f, list elements by
 * RS 0x1e): PGlite spends several µs per returned value, so 10 columns × 100k rows cost seconds,
 * while one string per chunk costs what the server needs to produce it. Control characters cannot
 * occur in uuids, day numbers, country codes, objective numbers or vocabulary keys (the input
 * schema allows only those); a row that does not split into its fields is refused, never guessed.
 * NULL list elements are dropped by array_to_string exactly as SQL's unnest + GROUP BY drops them.
 */
const ROW_SEP = '\u001d';
const FIELD_SEP = '\u001f';
const LIST_SEP = '\u001e';
const FIELDS = 10;

function parseRow(line: string): FacetIndexRow {
	const f = line.split(FIELD_SEP);
	if (f.length !== FIELDS) throw new Error(`facet index: a row has ${f.length} fields instead of ${FIELDS}`);
	const list = (s: string): string[] => (s === '' ? [] : s.split(LIST_SEP));
	return {
		id: f[0]!,
		actionType: f[1]!,
		scope: f[2]!,
		regionalScope: f[3] === '1',
		predatesGcm: f[4] === '1',
		dateFrom: f[5] === '' ? null : Number(f[5]),
		dateTo: f[6] === '' ? null : Number(f[6]),
		countries: list(f[7]!),
		objectives: list(f[8]!).map(Number),
		initiatorKinds: list(f[9]!)
	};
}

/**
 * The published initiatives in ascending id order, `chunk` rows per statement (keyset on the
 * primary key, so no statement re-reads earlier rows and no whole-table array is ever held).
 * Each chunk is read on its own: callers that need one consistent state compare the registry
 * data version before and after.
 */
export async function* publishedFacetRows(
	db: Executor,
	chunk: number = FACET_INDEX_CHUNK
): AsyncGenerator<FacetIndexRow[]> {
	let after: string | null = null;
	for (;;) {
		const got: { rows: string | null }[] = await rows<{ rows: string | null }>(
			db,
			sql`SELECT string_agg(r, chr(29) ORDER BY id) AS rows FROM (
			      SELECT i.id, concat(i.id::text, chr(31), i.action_type, chr(31), i.scope, chr(31),
			        i.regional_scope::int, chr(31), i.predates_gcm::int, chr(31),
			        i.date_from - DATE '1970-01-01', chr(31), i.date_to - DATE '1970-01-01', chr(31),
			        array_to_string(i.country_codes, chr(30)), chr(31),
			        array_to_string(i.objective_numbers, chr(30)), chr(31),
			        array_to_string(i.initiator_kind_keys, chr(30))) AS r
			      FROM initiative i
			      WHERE i.status = 'published' ${after === null ? sql`` : sql`AND i.id > ${after}::uuid`}
			      ORDER BY i.id LIMIT ${chunk}) s`
		);
		const text = got[0]?.rows ?? null;
		if (text === null) return;
		const parsed = text.split(ROW_SEP).map(parseRow);
		yield parsed;
		if (parsed.length < chunk) return;
		after = parsed[parsed.length - 1]!.id;
	}
}

/**
 * The conditions of `query` on `initiative_search i`, which holds exactly the published
 * initiatives (so no status test). The full-text index leads these plans, so a region is tested
 * by hashed lookup (filterConditions 'lookup').
 */
function publishedSearchWhere(query: InitiativeQuery): SQL {
	const conds = filterConditions(query, 'lookup');
	return conds.length > 0 ? sql.join(conds, sql` AND `) : sql`true`;
}

/** The rank orderBy('relevance') sorts on (then date_from DESC NULLS LAST, then the unique key). */
function relevanceRank(q: string): SQL {
	return sql`ts_rank_cd(i.search_vector, websearch_to_tsquery('english', ${q}))`;
}

/**
 * Ids of the published initiatives matching a full-text query (the GIN-indexed `search_vector`,
 * the same condition as the registry search), as concatenated 32-digit hex: one text value
 * instead of one row per match.
 */
export async function publishedIdsMatching(db: Executor, q: string): Promise<string> {
	const r = await rows<{ ids: string | null }>(
		db,
		sql`SELECT encode(string_agg(uuid_send(i.initiative_id), ''::bytea), 'hex') AS ids FROM initiative_search i
		    WHERE i.search_vector @@ websearch_to_tsquery('english', ${q})`
	);
	return r[0]?.ids ?? '';
}

/**
 * The ids of one public page in relevance order: exactly the ids of searchPage(query, 'published'),
 * read from the narrow `initiative_search` rows.
 */
export async function publishedRankedPageIds(db: Executor, query: InitiativeQuery): Promise<string[]> {
	if (!query.q || query.sort !== 'relevance') {
		throw new Error('publishedRankedPageIds needs a full-text query sorted by relevance');
	}
	const r = await rows<{ id: string }>(
		db,
		sql`SELECT i.initiative_id AS id FROM initiative_search i WHERE ${publishedSearchWhere(query)}
		    ORDER BY ${relevanceRank(query.q)} DESC, i.date_from DESC NULLS LAST, i.key
		    LIMIT ${query.limit} OFFSET ${query.offset}`
	);
	return r.map((x) => x.id);
}

/**
 * One pass over the published initiatives matching `query` (its text AND its other filters)
 * answering two questions: their ids (as publishedIdsMatching returns them; with no other filter,
 * exactly the text's matches) and the ids of the requested page in relevance order (exactly the
 * ids searchPage returns). The matching rows of `initiative_search` are read once instead of once
 * per statement, and the planner may combine the full-text and filter indexes. The ORDER BY is that of
 * orderBy('relevance') on the same values: the float4 ranks as computed, date_from, then the
 * unique key, so the page is the same rows in the same order.
 */
export async function publishedMatchesAndRankedPage(
	db: Executor,
	query: InitiativeQuery
): Promise<{ ids: string; page: string[] }> {
	if (!query.q || query.sort !== 'relevance') {
		throw new Error('publishedMatchesAndRankedPage needs a full-text query sorted by relevance');
	}
	const r = await rows<{ ids: string | null; page: string | null }>(
		db,
		sql`WITH m AS MATERIALIZED (
		      SELECT i.initiative_id AS id, i.key, i.date_from, ${relevanceRank(query.q)} AS rank
		      FROM initiative_search i WHERE ${publishedSearchWhere(query)})
		    SELECT (SELECT encode(string_agg(uuid_send(m.id), ''::bytea), 'hex') FROM m) AS ids,
		      array_to_string(ARRAY(SELECT m.id FROM m
		        ORDER BY m.rank DESC, m.date_from DESC NULLS LAST, m.key
		        LIMIT ${query.limit} OFFSET ${query.offset}), ',') AS page`
	);
	// The page's uuids as one comma-separated text value: the same on both drivers.
	const page = r[0]?.page ?? '';
	return { ids: r[0]?.ids ?? '', page: page === '' ? [] : page.split(',') };
}

const PUBLIC_UNFILTERED = 'registry:published';

function isFacetResult(v: unknown): v is FacetResult {
	if (typeof v !== 'object' || v === null) return false;
	const o = v as { total?: unknown; facets?: unknown };
	return typeof o.total === 'number' && typeof o.facets === 'object' && o.facets !== null;
}

/** The persisted public unfiltered counts of exactly this data version, or null. */
export async function readUnfilteredCounts(db: Executor, version: number): Promise<FacetResult | null> {
	const r = await rows<{ counts: unknown }>(
		db,
		sql`SELECT counts FROM registry_count_snapshot WHERE scope = ${PUBLIC_UNFILTERED} AND version = ${version}`
	);
	const raw = r[0]?.counts;
	const counts: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
	return isFacetResult(counts) ? counts : null;
}

/**
 * Stores the public unfiltered counts of a data version, replacing whatever version was stored
 * (readers only ever take the row of the current version, so a racing writer of another version
 * costs at most one recount at the next start).
 */
export async function writeUnfilteredCounts(db: Executor, version: number, counts: FacetResult): Promise<void> {
	await db.execute(
		sql`INSERT INTO registry_count_snapshot (scope, version, counts, computed_at)
		    VALUES (${PUBLIC_UNFILTERED}, ${version}, ${JSON.stringify(counts)}::jsonb, now())
		    ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version, counts = EXCLUDED.counts,
		      computed_at = EXCLUDED.computed_at`
	);
}
