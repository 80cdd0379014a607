/**
 * Initiative persistence: writes (with their child rows) and the registry search. Every read
 * takes a `visibility` so callers state whether unpublished records may be returned.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { InitiativeInput, Initiative } from '../../core/registry/initiative';
import { countriesInRegion, type InitiativeQuery } from '../../core/registry/query';
import type { FacetCount, Facets, FacetResult } from '../../core/registry/facet-index';
import { searchExtraFor } from '../../core/registry/search-text';
import { dateInterval } from '../../core/registry/partial-date';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import { deferIndexesIfEmpty } from './bulk-load.repository';
import { bumpRegistryVersion } from './data-version.repository';
import { isoTimestamp, list, rows } from './sql';

export type Visibility = 'published' | 'all';
type Executor = Pick<Db, 'execute'>;

// The count shapes are the domain's (the in-memory facet index answers the same ones).
export type { FacetCount, Facets, FacetResult } from '../../core/registry/facet-index';

export interface SearchResult {
	total: number;
	items: Initiative[];
	facets: Facets;
}

interface InitiativeRow {
	id: string;
	key: string;
	title: string;
	description: string;
	action_type: string;
	scope: string;
	regional_scope: boolean;
	region: string | null;
	date_start: string | null;
	date_end: string | null;
	date_precision: string;
	date_text: string | null;
	predates_gcm: boolean;
	verification_status: string;
	report_table: string | null;
	report_row: number | null;
	original_text: string | null;
	status: string;
	version: number;
	created_at: string;
	updated_at: string;
	countries: string[] | null;
	initiator_kinds: string[] | null;
	initiators: string[] | null;
	objectives: number[] | null;
	principles: string[] | null;
	sources: { citation: string; url: string | null }[] | string | null;
}

const SELECT_FULL = sql`
	i.id, i.key, i.title, i.description, i.action_type, i.scope, i.regional_scope, i.region,
	i.date_start, i.date_end, i.date_precision, i.date_text, i.predates_gcm, i.verification_status,
	i.report_table, i.report_row, i.original_text, i.status, i.version,
	${isoTimestamp(sql`i.created_at`)} AS created_at, ${isoTimestamp(sql`i.updated_at`)} AS updated_at,
	ARRAY(SELECT c.iso3 FROM initiative_country c WHERE c.initiative_id = i.id ORDER BY c.iso3) AS countries,
	ARRAY(SELECT k.kind FROM initiative_initiator_kind k WHERE k.initiative_id = i.id ORDER BY k.kind) AS initiator_kinds,
	ARRAY(SELECT a.name FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id
	      WHERE ia.initiative_id = i.id ORDER BY ia.position, a.name) AS initiators,
	ARRAY(SELECT o.objective::int FROM initiative_objective o WHERE o.initiative_id = i.id ORDER BY o.objective) AS objectives,
	ARRAY(SELECT p.principle FROM initiative_principle p WHERE p.initiative_id = i.id ORDER BY p.principle) AS principles,
	(SELECT coalesce(json_agg(json_build_object('citation', s.citation, 'url', s.url) ORDER BY s.position), '[]'::json)
	   FROM initiative_source s WHERE s.initiative_id = i.id) AS sources`;

function toInitiative(r: InitiativeRow): Initiative {
	const sources = typeof r.sources === 'string' ? (JSON.parse(r.sources) as InitiativeRow['sources']) : r.sources;
	return {
		id: r.id,
		key: r.key,
		title: r.title,
		description: r.description,
		actionType: r.action_type as Initiative['actionType'],
		initiatorKinds: (r.initiator_kinds ?? []) as Initiative['initiatorKinds'],
		initiators: r.initiators ?? [],
		scope: r.scope as Initiative['scope'],
		regionalScope: r.regional_scope,
		region: r.region,
		countries: r.countries ?? [],
		dateStart: r.date_start,
		dateEnd: r.date_end,
		datePrecision: r.date_precision as Initiative['datePrecision'],
		dateText: r.date_text,
		predatesGcm: r.predates_gcm,
		objectives: (r.objectives ?? []).map(Number),
		principles: r.principles ?? [],
		sources: Array.isArray(sources) ? sources : [],
		verificationStatus: r.verification_status as Initiative['verificationStatus'],
		reportTable: r.report_table,
		reportRow: r.report_row,
		originalText: r.original_text,
		status: r.status as RecordStatus,
		version: r.version,
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

/** A bound text[] parameter list, e.g. ARRAY['CHL', 'MEX']::text[]. */
function textArray(values: readonly string[]): SQL {
	return sql`ARRAY[${sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	)}]::text[]`;
}

/**
 * WHERE clause for a registry query; all values are bound parameters. List filters use the
 * denormalised, GIN-indexed array columns (`&&` = overlaps), so no joins are needed.
 */
export function whereClause(query: InitiativeQuery, visibility: Visibility): SQL {
	const conds = filterConditions(query, 'overlap');
	if (visibility === 'published') conds.unshift(sql`i.status = 'published'`);
	return conds.length > 0 ? sql.join(conds, sql` AND `) : sql`true`;
}

/**
 * The query's conditions on the columns `initiative` and `initiative_search` share (alias `i`),
 * without visibility. `regions`: how a region is tested. 'overlap' (`country_codes && list`) lets
 * the planner use the GIN index, but costs every row ~60 text comparisons per country for a
 * continent; 'lookup' tests the first country with one hashed `= ANY` (PostgreSQL 14+ hashes a
 * constant list of 9+ values) and only rows with several countries by overlap. Both are true for
 * exactly the same rows (an empty list gives NULL OR false: not matched, as && gives false), but
 * 'lookup' is meant for a WHERE only, and where another index (the full text) leads the plan.
 */
export function filterConditions(query: InitiativeQuery, regions: 'overlap' | 'lookup'): SQL[] {
	const conds: SQL[] = [];
	if (query.q) conds.push(sql`i.search_vector @@ websearch_to_tsquery('english', ${query.q})`);
	if (query.countries.length > 0) conds.push(sql`i.country_codes && ${textArray(query.countries)}`);
	if (query.regions.length > 0) {
		const inRegion = [...new Set(query.regions.flatMap(countriesInRegion))];
		if (inRegion.length === 0) conds.push(sql`false`);
		else if (regions === 'overlap') conds.push(sql`i.country_codes && ${textArray(inRegion)}`);
		else {
			const codes = textArray(inRegion);
			conds.push(
				sql`(i.country_codes[1] = ANY(${codes}) OR (cardinality(i.country_codes) > 1 AND i.country_codes && ${codes}))`
			);
		}
	}
	if (query.actionTypes.length > 0) conds.push(sql`i.action_type IN ${list(query.actionTypes)}`);
	if (query.scopes.length > 0) conds.push(sql`i.scope IN ${list(query.scopes)}`);
	if (query.initiatorKinds.length > 0) conds.push(sql`i.initiator_kind_keys && ${textArray(query.initiatorKinds)}`);
	if (query.objectives.length > 0) {
		conds.push(
			sql`i.objective_numbers && ARRAY[${sql.join(
				query.objectives.map((o) => sql`${o}`),
				sql`, `
			)}]::smallint[]`
		);
	}
	if (query.regionalScope !== null) conds.push(sql`i.regional_scope = ${query.regionalScope}`);
	if (query.predatesGcm !== null) conds.push(sql`i.predates_gcm = ${query.predatesGcm}`);
	if (query.from) conds.push(sql`i.date_to >= ${query.from}::date`);
	if (query.to) conds.push(sql`i.date_from <= ${query.to}::date`);
	return conds;
}

/**
 * Sort keys come from an allowlist. Ties break on title, then on the unique key, so pages and
 * exports are stable and identical across databases holding the same records.
 */
export function orderBy(query: InitiativeQuery): SQL {
	switch (query.sort) {
		case 'relevance':
			return sql`ts_rank_cd(i.search_vector, websearch_to_tsquery('english', ${query.q ?? ''})) DESC, i.date_from DESC NULLS LAST, i.key`;
		case 'date_asc':
			return sql`i.date_from ASC NULLS LAST, i.title, i.key`;
		case 'title_asc':
			return sql`lower(i.title), i.key`;
		case 'updated_desc':
			return sql`i.updated_at DESC, i.key`;
		case 'date_desc':
			return sql`i.date_from DESC NULLS LAST, i.title, i.key`;
	}
}

/**
 * At most this many matches (the filter's total, known before the page is read): the page is
 * sorted from all the matches instead of walking a sort-order index (see searchPage).
 */
export const FEW_MATCHES = 2000;

/**
 * One page of results under a query. With `matches` (the filter's total, when the caller knows
 * it) at most FEW_MATCHES, the matches are found first and then sorted: the planner would
 * otherwise walk the `(status, date_from)` index in date order, filtering every row and expecting
 * 20 matches soon, and for a rare combination under a large registry read tens of thousands of
 * rows to find them (bench/README.md, "1M on PostgreSQL: which cases miss"). `OFFSET 0` keeps the
 * subquery from taking the outer ORDER BY. The order is total (it ends on the unique key), so both
 * shapes return the same rows in the same order.
 */
export async function searchPage(
	db: Executor,
	query: InitiativeQuery,
	visibility: Visibility,
	matches: number | null = null
): Promise<Initiative[]> {
	const where = whereClause(query, visibility);
	const source =
		matches !== null && matches <= FEW_MATCHES
			? sql`(SELECT * FROM initiative i WHERE ${where} OFFSET 0) i`
			: sql`initiative i WHERE ${where}`;
	const r = await rows<InitiativeRow>(
		db,
		sql`SELECT ${SELECT_FULL} FROM ${source} ORDER BY ${orderBy(query)} LIMIT ${query.limit} OFFSET ${query.offset}`
	);
	return r.map(toInitiative);
}

/**
 * One public page read from candidates chosen by the facet index (FacetIndex.pageCandidates):
 * the candidates sorted by the query's full ORDER BY, `skip` of them passed over, then `limit`
 * rows; published only, so an id unpublished since the index was built is never returned.
 */
export async function publishedPageAmong(
	db: Executor,
	ids: readonly string[],
	query: InitiativeQuery,
	skip: number
): Promise<Initiative[]> {
	if (ids.length === 0) return [];
	const r = await rows<InitiativeRow>(
		db,
		sql`SELECT ${SELECT_FULL} FROM initiative i WHERE i.id = ANY(${uuidArray(ids)}) AND i.status = 'published'
		    ORDER BY ${orderBy(query)} LIMIT ${query.limit} OFFSET ${skip}`
	);
	return r.map(toInitiative);
}

/**
 * The records of a page whose ids (and order) were chosen by another statement: exactly what
 * searchPage returns for them (same select list), in the order given. Ids no longer visible (a
 * write between the two statements) are left out, so this never returns what `visibility` hides.
 */
export async function pageByIds(db: Executor, ids: readonly string[], visibility: Visibility): Promise<Initiative[]> {
	if (ids.length === 0) return [];
	const vis = visibility === 'published' ? sql`AND i.status = 'published'` : sql``;
	const r = await rows<InitiativeRow>(
		db,
		sql`SELECT ${SELECT_FULL} FROM initiative i WHERE i.id = ANY(${uuidArray(ids)}) ${vis}`
	);
	const byId = new Map(r.map((x) => [x.id, x] as const));
	const out: Initiative[] = [];
	for (const id of ids) {
		const found = byId.get(id);
		if (found) out.push(toInitiative(found));
	}
	return out;
}

/** The total and every facet count under a query, in one statement (one scan of the filtered set). */
export async function facetCounts(db: Executor, query: InitiativeQuery, visibility: Visibility): Promise<FacetResult> {
	const facetRows = await rows<{ facet: string; value: string | null; count: number }>(
		db,
		sql`WITH f AS MATERIALIZED (
		      SELECT i.action_type, i.scope, i.regional_scope, i.predates_gcm, i.date_from,
		             i.country_codes, i.objective_numbers, i.initiator_kind_keys
		      FROM initiative i WHERE ${whereClause(query, visibility)})
		SELECT 'total' AS facet, NULL AS value, count(*)::int AS count FROM f
		UNION ALL SELECT 'action_type', action_type, count(*)::int FROM f GROUP BY action_type
		UNION ALL SELECT 'scope', scope, count(*)::int FROM f GROUP BY scope
		UNION ALL SELECT 'regional_scope', regional_scope::text, count(*)::int FROM f GROUP BY regional_scope
		UNION ALL SELECT 'predates_gcm', predates_gcm::text, count(*)::int FROM f GROUP BY predates_gcm
		UNION ALL SELECT 'year', extract(year FROM date_from)::int::text, count(*)::int FROM f WHERE date_from IS NOT NULL GROUP BY 2
		UNION ALL SELECT 'initiator_kind', k, count(*)::int FROM f, unnest(f.initiator_kind_keys) AS k GROUP BY k
		UNION ALL SELECT 'country', c, count(*)::int FROM f, unnest(f.country_codes) AS c GROUP BY c
		UNION ALL SELECT 'objective', o::text, count(*)::int FROM f, unnest(f.objective_numbers) AS o GROUP BY o`
	);
	const facets: Facets = {
		action_type: [],
		initiator_kind: [],
		scope: [],
		country: [],
		objective: [],
		regional_scope: [],
		predates_gcm: [],
		year: []
	};
	let total = 0;
	for (const r of facetRows) {
		if (r.facet === 'total') total = Number(r.count);
		else if (r.value !== null) facets[r.facet as keyof Facets].push({ value: r.value, count: Number(r.count) });
	}
	for (const list of Object.values(facets) as FacetCount[][]) {
		list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'en', { numeric: true }));
	}
	return { total, facets };
}

/** Page, total and facets under a query. */
export async function searchInitiatives(
	db: Executor,
	query: InitiativeQuery,
	visibility: Visibility
): Promise<SearchResult> {
	const [items, counts] = [await searchPage(db, query, visibility), await facetCounts(db, query, visibility)];
	return { items, ...counts };
}

export async function findInitiative(db: Executor, id: string, visibility: Visibility): Promise<Initiative | null> {
	const vis = visibility === 'published' ? sql`AND i.status = 'published'` : sql``;
	const found = await rows<InitiativeRow>(
		db,
		sql`SELECT ${SELECT_FULL} FROM initiative i WHERE i.id = ${id}::uuid ${vis}`
	);
	return found[0] ? toInitiative(found[0]) : null;
}

/** One uuid[] parameter (an array literal), so a batch is one bound value instead of one per id. */
function uuidArray(ids: readonly string[]): SQL {
	return sql`${arrayLiteral(ids)}::uuid[]`;
}

/** Groups child rows by initiative id, keeping their order. */
function groupBy<R extends { id: string }, T>(list: readonly R[], pick: (x: R) => T): Map<string, T[]> {
	const m = new Map<string, T[]>();
	for (const x of list) {
		const arr = m.get(x.id);
		if (arr) arr.push(pick(x));
		else m.set(x.id, [pick(x)]);
	}
	return m;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Loads full initiatives for ids, in the given order (used for exports): the record with its
 * denormalised country / objective / initiator-kind arrays (kept equal to the child tables by
 * every writer), plus one statement each for initiators, principles and sources, every id list
 * bound as one uuid[] parameter. Lists come out in the order `SELECT_FULL` gives them.
 */
async function hydrate(db: Executor, ids: readonly string[]): Promise<Initiative[]> {
	if (ids.length === 0) return [];
	const idArray = uuidArray(ids);
	const [base, actors, principles, sources] = await Promise.all([
		rows<InitiativeRow>(
			db,
			sql`SELECT i.id, i.key, i.title, i.description, i.action_type, i.scope, i.regional_scope, i.region,
			      i.date_start, i.date_end, i.date_precision, i.date_text, i.predates_gcm, i.verification_status,
			      i.report_table, i.report_row, i.original_text, i.status, i.version,
			      ${isoTimestamp(sql`i.created_at`)} AS created_at, ${isoTimestamp(sql`i.updated_at`)} AS updated_at,
			      i.country_codes AS countries, i.initiator_kind_keys AS initiator_kinds,
			      i.objective_numbers::int[] AS objectives
			    FROM initiative i WHERE i.id = ANY(${idArray})`
		),
		rows<{ id: string; v: string }>(
			db,
			sql`SELECT ia.initiative_id AS id, a.name AS v FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id
			    WHERE ia.initiative_id = ANY(${idArray}) ORDER BY ia.position, a.name`
		),
		rows<{ id: string; v: string }>(
			db,
			sql`SELECT initiative_id AS id, principle AS v FROM initiative_principle
			    WHERE initiative_id = ANY(${idArray}) ORDER BY principle`
		),
		rows<{ id: string; citation: string; url: string | null }>(
			db,
			sql`SELECT initiative_id AS id, citation, url FROM initiative_source
			    WHERE initiative_id = ANY(${idArray}) ORDER BY position`
		)
	]);
	const byActor = groupBy(actors, (x) => x.v);
	const byPrinciple = groupBy(principles, (x) => x.v);
	const bySource = groupBy(sources, (x) => ({ citation: x.citation, url: x.url }));
	const byId = new Map<string, Initiative>();
	for (const r of base) {
		byId.set(
			r.id,
			toInitiative({
				...r,
				// SELECT_FULL orders countries and kinds by their (ASCII) codes, objectives by number.
				countries: [...(r.countries ?? [])].sort(byText),
				initiator_kinds: [...(r.initiator_kinds ?? [])].sort(byText),
				objectives: [...(r.objectives ?? [])].map(Number).sort((a, b) => a - b),
				initiators: byActor.get(r.id) ?? [],
				principles: byPrinciple.get(r.id) ?? [],
				sources: bySource.get(r.id) ?? []
			})
		);
	}
	const out: Initiative[] = [];
	for (const id of ids) {
		const found = byId.get(id);
		if (found) out.push(found);
	}
	return out;
}

/**
 * Streams every initiative under a query in batches, in the query's order: the ordered ids are
 * read once (no OFFSET scans), then each batch is loaded with a few set-based statements.
 */
export async function* iterateInitiatives(
	db: Executor,
	query: InitiativeQuery,
	visibility: Visibility,
	batch = 1000
): AsyncGenerator<Initiative[]> {
	const where = whereClause(query, visibility);
	const ordered = await rows<{ id: string }>(
		db,
		sql`SELECT i.id FROM initiative i WHERE ${where} ORDER BY ${orderBy(query)}`
	);
	for (let i = 0; i < ordered.length; i += batch) {
		yield await hydrate(
			db,
			ordered.slice(i, i + batch).map((r) => r.id)
		);
	}
}

export async function countInitiatives(db: Executor, visibility: Visibility): Promise<number> {
	const vis = visibility === 'published' ? sql`WHERE i.status = 'published'` : sql``;
	const r = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM initiative i ${vis}`);
	return Number(r[0]?.n ?? 0);
}

/** Number of published initiatives per country (for the map and the country list). */
export async function countByCountry(db: Executor, visibility: Visibility): Promise<Map<string, number>> {
	const vis = visibility === 'published' ? sql`WHERE i.status = 'published'` : sql``;
	const r = await rows<{ iso3: string; n: number }>(
		db,
		sql`SELECT c.iso3, count(*)::int AS n FROM initiative_country c JOIN initiative i ON i.id = c.initiative_id
		    ${vis} GROUP BY c.iso3`
	);
	return new Map(r.map((x) => [x.iso3, Number(x.n)]));
}

export async function countByObjective(db: Executor, visibility: Visibility): Promise<Map<number, number>> {
	const vis = visibility === 'published' ? sql`WHERE i.status = 'published'` : sql``;
	const r = await rows<{ objective: number; n: number }>(
		db,
		sql`SELECT o.objective::int AS objective, count(*)::int AS n FROM initiative_objective o JOIN initiative i ON i.id = o.initiative_id
		    ${vis} GROUP BY o.objective`
	);
	return new Map(r.map((x) => [Number(x.objective), Number(x.n)]));
}

/**
 * A PostgreSQL array literal ('{"CHL","MEX"}') bound as one parameter: the same text on both
 * drivers. Values are vocabulary keys, ISO codes and numbers, quoted and escaped anyway.
 */
export function arrayLiteral(values: readonly string[]): string {
	return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export function actorKey(name: string): string {
	return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface UpsertOutcome {
	created: number;
	updated: number;
}

/** Rows per statement of a bulk upsert: large enough to amortise a round trip, small enough for memory. */
export const UPSERT_CHUNK = 2000;

/** `INSERT … SELECT … FROM json_to_recordset($1)`: one JSON parameter for a whole chunk of rows. */
function fromJson(records: readonly unknown[], columns: string): SQL {
	return sql`json_to_recordset(${JSON.stringify(records)}::json) AS r(${sql.raw(columns)})`;
}

export interface InitiativeUpsert {
	/** Upserts one chunk (keys unique across every chunk of the writer). */
	write(inputs: readonly InitiativeInput[]): Promise<void>;
	/** After the last chunk: recreates what a bulk load set aside. Call before the commit. */
	finish(): Promise<void>;
	readonly outcome: UpsertOutcome;
	/** True when the writer loads into an empty registry with indexes and foreign keys set aside. */
	readonly bulk: boolean;
}

/**
 * A bulk writer that inserts or updates initiatives by `key` chunk by chunk, replacing the child
 * rows of updated records. Each chunk is at most three statements — new actors, child-row deletes
 * of existing records (skipped while the registry was empty when the writer opened), and one
 * statement writing the records and all six child tables from one JSON parameter — so memory and
 * statement size do not grow with the file. Bumps the registry data version first. Must run
 * inside the caller's transaction so a file import is all or nothing.
 */
export async function openInitiativeUpsert(
	tx: Executor,
	status: RecordStatus,
	options: { bulkIfEmpty?: boolean } = {}
): Promise<InitiativeUpsert> {
	await bumpRegistryVersion(tx);
	const deferred = options.bulkIfEmpty ? await deferIndexesIfEmpty(tx) : null;
	const outcome: UpsertOutcome = { created: 0, updated: 0 };
	// Actors are reused by normalised name across chunks (a few thousand distinct names per 100k rows).
	const actorIds = new Map<string, string>();
	const published = status === 'published' ? sql`now()` : sql`NULL`;
	const startedEmpty = deferred !== null || (await rows(tx, sql`SELECT 1 FROM initiative LIMIT 1`)).length === 0;

	async function writeActors(inputs: readonly InitiativeInput[]): Promise<void> {
		const fresh = new Map<string, string>();
		for (const input of inputs) {
			for (const n of input.initiators) {
				const k = actorKey(n);
				if (!actorIds.has(k) && !fresh.has(k)) fresh.set(k, n);
			}
		}
		if (fresh.size === 0) return;
		const got = await rows<{ id: string; name_key: string }>(
			tx,
			sql`INSERT INTO actor (name, name_key) SELECT r.name, r.name_key
			    FROM ${fromJson(
						[...fresh].map(([name_key, name]) => ({ name, name_key })),
						'name text, name_key text'
					)}
			    ON CONFLICT (name_key) DO UPDATE SET name_key = EXCLUDED.name_key RETURNING id, name_key`
		);
		for (const r of got) actorIds.set(r.name_key, r.id);
	}

	async function write(inputs: readonly InitiativeInput[]): Promise<void> {
		if (inputs.length === 0) return;
		await writeActors(inputs);
		const records = inputs.map((input) => {
			const interval = dateInterval(input.dateStart, input.dateEnd);
			// Initiators as actor ids, one per actor (a name repeated in a record counts once, at its
			// first position); sources as parallel lists. These feed the child tables only.
			const actorIdList: string[] = [];
			const actorPositions: number[] = [];
			for (let pos = 0; pos < input.initiators.length; pos++) {
				const actorId = actorIds.get(actorKey(input.initiators[pos]!));
				if (!actorId || actorIdList.includes(actorId)) continue;
				actorIdList.push(actorId);
				actorPositions.push(pos);
			}
			return {
				key: input.key,
				title: input.title,
				description: input.description,
				action_type: input.actionType,
				scope: input.scope,
				regional_scope: input.regionalScope,
				region: input.region,
				date_start: input.dateStart,
				date_end: input.dateEnd,
				date_precision: input.datePrecision,
				date_text: input.dateText,
				date_from: interval?.from ?? null,
				date_to: interval?.to ?? null,
				predates_gcm: input.predatesGcm,
				verification_status: input.verificationStatus,
				report_table: input.reportTable,
				report_row: input.reportRow,
				original_text: input.originalText,
				search_extra: searchExtraFor(input),
				country_codes: input.countries,
				objective_numbers: input.objectives,
				initiator_kind_keys: input.initiatorKinds,
				principles: input.principles,
				actor_ids: actorIdList,
				actor_positions: actorPositions,
				source_citations: input.sources.map((x) => x.citation),
				source_urls: input.sources.map((x) => x.url)
			};
		});
		// Records that already exist lose their child rows first (replaced below with the file's).
		// Not needed while the registry was empty when the import began: keys are unique in a file.
		if (!startedEmpty) {
			const keys = sql`${arrayLiteral(inputs.map((x) => x.key))}::text[]`;
			await tx.execute(
				sql`WITH old AS MATERIALIZED (SELECT id FROM initiative WHERE key = ANY(${keys})),
				  d1 AS (DELETE FROM initiative_initiator_kind WHERE initiative_id IN (SELECT id FROM old)),
				  d2 AS (DELETE FROM initiative_actor WHERE initiative_id IN (SELECT id FROM old)),
				  d3 AS (DELETE FROM initiative_country WHERE initiative_id IN (SELECT id FROM old)),
				  d4 AS (DELETE FROM initiative_objective WHERE initiative_id IN (SELECT id FROM old)),
				  d5 AS (DELETE FROM initiative_principle WHERE initiative_id IN (SELECT id FROM old))
				DELETE FROM initiative_source WHERE initiative_id IN (SELECT id FROM old)`
			);
		}
		// One statement per chunk: the records, then every child table from the rows it returned
		// (country / objective / initiator-kind rows from the record's own arrays). A child insert
		// sees no earlier child row of these records (deleted above), so no key can collide.
		const saved = await rows<{ inserted: boolean }>(
			tx,
			sql`WITH r AS MATERIALIZED (SELECT * FROM ${fromJson(
				records,
				`key text, title text, description text, action_type text, scope text, regional_scope boolean,
				 region text, date_start text, date_end text, date_precision text, date_text text, date_from date,
				 date_to date, predates_gcm boolean, verification_status text, report_table text, report_row integer,
				 original_text text, search_extra text, country_codes text[], objective_numbers smallint[],
				 initiator_kind_keys text[], principles text[], actor_ids uuid[], actor_positions smallint[],
				 source_citations text[], source_urls text[]`
			)}),
			  saved AS (
			    INSERT INTO initiative (key, title, description, action_type, scope, regional_scope, region, date_start, date_end,
			      date_precision, date_text, date_from, date_to, predates_gcm, verification_status, report_table, report_row,
			      original_text, status, published_at, search_extra, country_codes, objective_numbers, initiator_kind_keys)
			    SELECT r.key, r.title, r.description, r.action_type, r.scope, r.regional_scope, r.region, r.date_start,
			      r.date_end, r.date_precision, r.date_text, r.date_from, r.date_to, r.predates_gcm, r.verification_status,
			      r.report_table, r.report_row, r.original_text, ${status}, ${published}, r.search_extra, r.country_codes,
			      r.objective_numbers, r.initiator_kind_keys
			    FROM r
			    ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
			      action_type = EXCLUDED.action_type, scope = EXCLUDED.scope, regional_scope = EXCLUDED.regional_scope,
			      region = EXCLUDED.region, date_start = EXCLUDED.date_start, date_end = EXCLUDED.date_end,
			      date_precision = EXCLUDED.date_precision, date_text = EXCLUDED.date_text, date_from = EXCLUDED.date_from,
			      date_to = EXCLUDED.date_to, predates_gcm = EXCLUDED.predates_gcm,
			      verification_status = EXCLUDED.verification_status, report_table = EXCLUDED.report_table,
			      report_row = EXCLUDED.report_row, original_text = EXCLUDED.original_text,
			      search_extra = EXCLUDED.search_extra, status = EXCLUDED.status, country_codes = EXCLUDED.country_codes,
			      objective_numbers = EXCLUDED.objective_numbers, initiator_kind_keys = EXCLUDED.initiator_kind_keys,
			      published_at = CASE WHEN EXCLUDED.status = 'published' THEN coalesce(initiative.published_at, now()) END,
			      version = initiative.version + 1, updated_at = now()
			    RETURNING id, key, (xmax = 0) AS inserted, country_codes, objective_numbers, initiator_kind_keys),
			  k AS (INSERT INTO initiative_initiator_kind (initiative_id, kind)
			        SELECT s.id, v FROM saved s, unnest(s.initiator_kind_keys) v),
			  c AS (INSERT INTO initiative_country (initiative_id, iso3) SELECT s.id, v FROM saved s, unnest(s.country_codes) v),
			  o AS (INSERT INTO initiative_objective (initiative_id, objective)
			        SELECT s.id, v FROM saved s, unnest(s.objective_numbers) v),
			  p AS (INSERT INTO initiative_principle (initiative_id, principle)
			        SELECT s.id, v FROM saved s JOIN r ON r.key = s.key, unnest(r.principles) v),
			  a AS (INSERT INTO initiative_actor (initiative_id, actor_id, position)
			        SELECT s.id, u.a, u.p FROM saved s JOIN r ON r.key = s.key, unnest(r.actor_ids, r.actor_positions) u(a, p)),
			  src AS (INSERT INTO initiative_source (initiative_id, position, citation, url)
			        SELECT s.id, u.n - 1, u.c, u.u
			        FROM saved s JOIN r ON r.key = s.key, unnest(r.source_citations, r.source_urls) WITH ORDINALITY u(c, u, n))
			SELECT inserted FROM saved`
		);
		if (saved.length !== inputs.length) throw new Error(`upsert wrote ${saved.length} of ${inputs.length} records`);
		for (const r of saved) {
			if (r.inserted) outcome.created++;
			else outcome.updated++;
		}
	}

	return {
		write,
		outcome,
		bulk: deferred !== null,
		finish: async () => {
			await deferred?.restore();
		}
	};
}

/**
 * Inserts or updates initiatives by `key` (see openInitiativeUpsert), in chunks. Must run inside
 * the caller's transaction so a file import is all or nothing. Keys must be unique within `inputs`.
 */
export async function upsertInitiatives(
	tx: Executor,
	inputs: readonly InitiativeInput[],
	status: RecordStatus
): Promise<UpsertOutcome> {
	const writer = await openInitiativeUpsert(tx, status);
	for (let i = 0; i < inputs.length; i += UPSERT_CHUNK) await writer.write(inputs.slice(i, i + UPSERT_CHUNK));
	await writer.finish();
	return writer.outcome;
}
