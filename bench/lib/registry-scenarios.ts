/**
 * Scenarios 1-4: the registry search through the service layer, facet counts alone, full-text
 * search with filters, and the same three as hand-written SQL on the raw driver. The service
 * answers public counts from its in-memory facet index (ADR 0005) once built for the current data
 * version; the "cache empty" scenarios use a service without answer caches and with the index
 * built (what a query not asked since the last write costs once the index is ready), and the
 * SQL-path lines measure the same service without the index (the fallback while it is built).
 */
import pg from 'pg';
import { countriesInRegion, parseInitiativeQuery, type InitiativeQuery } from '../../src/lib/core/registry/query';
import type { Database } from '../../src/lib/server/db/client';
import { facetCounts, type Facets } from '../../src/lib/server/db/initiative.repository';
import { createServices } from '../../src/lib/server/runtime';
import { createRegistryService, type FacetIndexStatus } from '../../src/lib/server/services/registry.service';
import { PUBLIC_API } from '../../src/lib/server/services/viewer';
import { MID_COUNTRIES, QUERY_WORDS, TOP_COUNTRIES, rng } from './generate';
import { measure, measurePair, type LatencyStats, type MeasureOptions } from './stats';

const REGIONS = ['002', '142', '150', '419', '145', '202', '035'];
const ACTION = ['meeting', 'project', 'policy_law', 'consultation', 'coordination', 'funding'];

/** Realistic filter combinations (what a user of /initiatives or the API does most). */
export function filterCombos(n = 24): URLSearchParams[] {
	const r = rng(42);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
	const out: URLSearchParams[] = [];
	const shapes: ((p: URLSearchParams) => void)[] = [
		(p) => p.set('country', pick(TOP_COUNTRIES)),
		(p) => {
			p.set('country', pick(TOP_COUNTRIES));
			p.set('action_type', pick(ACTION));
		},
		(p) => {
			p.set('region', pick(REGIONS));
			p.set('objective', String(1 + Math.floor(r() * 23)));
		},
		(p) => {
			p.set('action_type', pick(ACTION));
			p.set('from', '2019');
			p.set('to', '2022');
		},
		(p) => {
			p.set('country', pick(MID_COUNTRIES));
			p.set('objective', String(1 + Math.floor(r() * 23)));
			p.set('from', '2018');
		},
		(p) => {
			p.set('region', pick(REGIONS));
			p.append('action_type', pick(ACTION));
			p.append('action_type', pick(ACTION));
		},
		(p) => p.set('objective', String(1 + Math.floor(r() * 23))),
		(p) => {
			p.set('region', pick(REGIONS));
			p.set('from', '2020-01');
			p.set('to', '2024-12');
		}
	];
	for (let i = 0; i < n; i++) {
		const p = new URLSearchParams();
		shapes[i % shapes.length]!(p);
		p.set('sort', 'date_desc');
		p.set('limit', '20');
		out.push(p);
	}
	return out;
}

export function ftsCombos(n = 24): URLSearchParams[] {
	const r = rng(43);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
	const out: URLSearchParams[] = [];
	for (let i = 0; i < n; i++) {
		const p = new URLSearchParams({ q: pick(QUERY_WORDS) });
		if (i % 3 === 0) p.set('country', pick(TOP_COUNTRIES));
		else if (i % 3 === 1) p.set('region', pick(REGIONS));
		else p.set('action_type', pick(ACTION));
		p.set('limit', '20');
		out.push(p);
	}
	return out;
}

function groupFacets(rows: { facet: string; value: string | null; count: number }[]): {
	total: number;
	facets: Facets;
} {
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
	for (const r of rows) {
		if (r.facet === 'total') total = Number(r.count);
		else if (r.value !== null) facets[r.facet as keyof Facets].push({ value: r.value, count: Number(r.count) });
	}
	for (const list of Object.values(facets)) {
		list.sort(
			(a: { value: string; count: number }, b: { value: string; count: number }) =>
				b.count - a.count || a.value.localeCompare(b.value, 'en', { numeric: true })
		);
	}
	return { total, facets };
}

// ---- raw SQL (the floor) -------------------------------------------------------------------

export interface RawClient {
	query<T>(text: string, params: unknown[]): Promise<T[]>;
	close(): Promise<void>;
	explain(text: string, params: unknown[]): Promise<string>;
}

export async function openRaw(database: Database, databaseUrl: string | null): Promise<RawClient> {
	if (database.pglite) {
		const p = database.pglite;
		return {
			query: async <T>(text: string, params: unknown[]) => (await p.query<T>(text, params)).rows,
			close: async () => {},
			explain: async (text, params) =>
				(await p.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).rows
					.map((r) => r['QUERY PLAN'])
					.join('\n')
		};
	}
	const client = new pg.Client({ connectionString: databaseUrl ?? undefined });
	await client.connect();
	return {
		query: async <T>(text: string, params: unknown[]) => (await client.query(text, params)).rows as T[],
		close: () => client.end(),
		explain: async (text, params) =>
			(await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).rows
				.map((r: Record<string, string>) => r['QUERY PLAN'])
				.join('\n')
	};
}

/**
 * Hand-written WHERE with array parameters (= ANY / &&) instead of expanded lists. `arrays`: the
 * schema has the denormalised country_codes / objective_numbers / initiator_kind_keys columns.
 * `side`: the WHERE is on `initiative_search i` (migration 0009: published rows only, no status;
 * the full-text index leads, so a region tests the first country by hashed lookup).
 */
export function rawWhere(q: InitiativeQuery, params: unknown[], arrays: boolean, side = false): string {
	const p = (v: unknown) => {
		params.push(v);
		return `$${params.length}`;
	};
	const c = side ? [] : [`i.status = 'published'`];
	if (q.q) c.push(`i.search_vector @@ websearch_to_tsquery('english', ${p(q.q)})`);
	const inCountries = (codes: string[]) =>
		arrays
			? `i.country_codes && ${p(codes)}::text[]`
			: `i.id IN (SELECT initiative_id FROM initiative_country WHERE iso3 = ANY(${p(codes)}::text[]))`;
	if (q.countries.length > 0) c.push(inCountries([...q.countries]));
	if (q.regions.length > 0) {
		const codes = [...new Set(q.regions.flatMap(countriesInRegion))];
		if (side) {
			const list = p(codes);
			c.push(
				`(i.country_codes[1] = ANY(${list}::text[]) OR (cardinality(i.country_codes) > 1 AND i.country_codes && ${list}::text[]))`
			);
		} else c.push(inCountries(codes));
	}
	if (q.actionTypes.length > 0) c.push(`i.action_type = ANY(${p(q.actionTypes)}::text[])`);
	if (q.scopes.length > 0) c.push(`i.scope = ANY(${p(q.scopes)}::text[])`);
	if (q.initiatorKinds.length > 0)
		c.push(
			arrays
				? `i.initiator_kind_keys && ${p(q.initiatorKinds)}::text[]`
				: `i.id IN (SELECT initiative_id FROM initiative_initiator_kind WHERE kind = ANY(${p(q.initiatorKinds)}::text[]))`
		);
	if (q.objectives.length > 0)
		c.push(
			arrays
				? `i.objective_numbers && ${p(q.objectives)}::smallint[]`
				: `i.id IN (SELECT initiative_id FROM initiative_objective WHERE objective = ANY(${p(q.objectives)}::smallint[]))`
		);
	if (q.regionalScope !== null) c.push(`i.regional_scope = ${p(q.regionalScope)}`);
	if (q.predatesGcm !== null) c.push(`i.predates_gcm = ${p(q.predatesGcm)}`);
	if (q.from) c.push(`i.date_to >= ${p(q.from)}::date`);
	if (q.to) c.push(`i.date_from <= ${p(q.to)}::date`);
	return c.length > 0 ? c.join(' AND ') : 'true';
}

/**
 * `side`: the schema has `initiative_search` (migration 0009); a ranked full-text page is then
 * chosen on it and only the page's records are read from `initiative`.
 */
export function rawItemsSql(q: InitiativeQuery, arrays: boolean, side = false): { text: string; params: unknown[] } {
	const params: unknown[] = [];
	if (side && q.q && q.sort === 'relevance') {
		const where = rawWhere(q, params, arrays, true);
		const tq = `websearch_to_tsquery('english', $${params.push(q.q)})`;
		const text = `WITH page AS (SELECT i.initiative_id AS id, ts_rank_cd(i.search_vector, ${tq}) AS rank, i.date_from, i.key
		  FROM initiative_search i WHERE ${where} ORDER BY 2 DESC, 3 DESC NULLS LAST, 4 LIMIT ${q.limit} OFFSET ${q.offset})
		SELECT ${RAW_COLUMNS} FROM page p JOIN initiative i ON i.id = p.id ORDER BY p.rank DESC, p.date_from DESC NULLS LAST, p.key`;
		return { text, params };
	}
	const where = rawWhere(q, params, arrays);
	const order =
		q.sort === 'relevance'
			? `ts_rank_cd(i.search_vector, websearch_to_tsquery('english', $${params.push(q.q ?? '')})) DESC, i.date_from DESC NULLS LAST, i.key`
			: `i.date_from DESC NULLS LAST, i.title, i.key`;
	const text = `SELECT ${RAW_COLUMNS}
	FROM initiative i WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`;
	return { text, params };
}

/** The record columns of a page (what searchPage returns), on `initiative i`. */
const RAW_COLUMNS = `i.id, i.key, i.title, i.description, i.action_type, i.scope, i.regional_scope, i.region,
	  i.date_start, i.date_end, i.date_precision, i.date_text, i.predates_gcm, i.verification_status, i.report_table,
	  i.report_row, i.original_text, i.status, i.version, i.created_at::text AS created_at, i.updated_at::text AS updated_at,
	  ARRAY(SELECT iso3 FROM initiative_country WHERE initiative_id = i.id ORDER BY iso3) AS countries,
	  ARRAY(SELECT kind FROM initiative_initiator_kind WHERE initiative_id = i.id ORDER BY kind) AS initiator_kinds,
	  ARRAY(SELECT a.name FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id WHERE ia.initiative_id = i.id ORDER BY ia.position, a.name) AS initiators,
	  ARRAY(SELECT objective::int FROM initiative_objective WHERE initiative_id = i.id ORDER BY objective) AS objectives,
	  ARRAY(SELECT principle FROM initiative_principle WHERE initiative_id = i.id ORDER BY principle) AS principles,
	  (SELECT coalesce(json_agg(json_build_object('citation', s.citation, 'url', s.url) ORDER BY s.position), '[]'::json)
	     FROM initiative_source s WHERE s.initiative_id = i.id) AS sources`;

/** `side`: a full-text query's filtered set is read from `initiative_search` (it has every facet column). */
export function rawFacetsSql(q: InitiativeQuery, arrays: boolean, side = false): { text: string; params: unknown[] } {
	const params: unknown[] = [];
	const fromSide = side && arrays && q.q !== null;
	const where = rawWhere(q, params, arrays, fromSide);
	const head = `SELECT 'total' AS facet, NULL AS value, count(*)::int AS count FROM f
	UNION ALL SELECT 'action_type', action_type, count(*)::int FROM f GROUP BY action_type
	UNION ALL SELECT 'scope', scope, count(*)::int FROM f GROUP BY scope
	UNION ALL SELECT 'regional_scope', regional_scope::text, count(*)::int FROM f GROUP BY regional_scope
	UNION ALL SELECT 'predates_gcm', predates_gcm::text, count(*)::int FROM f GROUP BY predates_gcm
	UNION ALL SELECT 'year', extract(year FROM date_from)::int::text, count(*)::int FROM f WHERE date_from IS NOT NULL GROUP BY 2`;
	const text = arrays
		? `WITH f AS MATERIALIZED (SELECT i.action_type, i.scope, i.regional_scope, i.predates_gcm, i.date_from,
	    i.country_codes, i.objective_numbers, i.initiator_kind_keys FROM ${fromSide ? 'initiative_search' : 'initiative'} i WHERE ${where})
	${head}
	UNION ALL SELECT 'initiator_kind', k, count(*)::int FROM f, unnest(f.initiator_kind_keys) AS k GROUP BY k
	UNION ALL SELECT 'country', c, count(*)::int FROM f, unnest(f.country_codes) AS c GROUP BY c
	UNION ALL SELECT 'objective', o::text, count(*)::int FROM f, unnest(f.objective_numbers) AS o GROUP BY o`
		: `WITH f AS (SELECT i.id, i.action_type, i.scope, i.regional_scope, i.predates_gcm, i.date_from FROM initiative i WHERE ${where})
	${head}
	UNION ALL SELECT 'initiator_kind', k.kind, count(*)::int FROM f JOIN initiative_initiator_kind k ON k.initiative_id = f.id GROUP BY k.kind
	UNION ALL SELECT 'country', c.iso3, count(*)::int FROM f JOIN initiative_country c ON c.initiative_id = f.id GROUP BY c.iso3
	UNION ALL SELECT 'objective', o.objective::text, count(*)::int FROM f JOIN initiative_objective o ON o.initiative_id = f.id GROUP BY o.objective`;
	return { text, params };
}

/** Page + total only, no facets (what "filters + sort + page + total" needs at a minimum). */
export function rawCountSql(q: InitiativeQuery, arrays: boolean): { text: string; params: unknown[] } {
	const params: unknown[] = [];
	const where = rawWhere(q, params, arrays);
	return { text: `SELECT count(*)::int AS n FROM initiative i WHERE ${where}`, params };
}

/** The LatencyStats fields of RegistryResults. */
export type RegistryLatencyKey =
	| 'search'
	| 'searchSql'
	| 'facetsSql'
	| 'ftsSql'
	| 'searchCached'
	| 'ftsCached'
	| 'facets'
	| 'fts'
	| 'rawSearch'
	| 'rawFacets'
	| 'rawFts'
	| 'rawPageAndCount';

/** Which case list each timed scenario runs over (filters: scenarios 1, 1b, 2, 4; fts: 3, 3b). */
const CASE_LIST: Record<RegistryLatencyKey, 'filters' | 'fts'> = {
	search: 'filters',
	searchSql: 'filters',
	facetsSql: 'filters',
	ftsSql: 'fts',
	searchCached: 'filters',
	ftsCached: 'fts',
	facets: 'filters',
	fts: 'fts',
	rawSearch: 'filters',
	rawFacets: 'filters',
	rawFts: 'fts',
	rawPageAndCount: 'filters'
};

export interface RegistryResults {
	/** Does the schema have the denormalised array columns (migration 0002)? */
	arrays: boolean;
	/** The facet index the service built (rows, bytes, build time). */
	index: FacetIndexStatus & { bytesPerRow: number; buildWallMs: number };
	/** Service-layer search with no answer cache, counts from the index (a query not seen since the last write). */
	search: LatencyStats;
	/** The same without the index: counts by SQL facetCounts (the fallback while an index is built). */
	searchSql: LatencyStats;
	/** The repository's facetCounts statement alone, uncached (the SQL path of scenario 2). */
	facetsSql: LatencyStats;
	/** Full text + filter without the index (SQL facetCounts). */
	ftsSql: LatencyStats;
	/** The same queries answered again from the service's facet/total cache. */
	searchCached: LatencyStats;
	ftsCached: LatencyStats;
	facets: LatencyStats;
	fts: LatencyStats;
	rawSearch: LatencyStats;
	rawFacets: LatencyStats;
	rawFts: LatencyStats;
	/** Extra floor: page + count(*) only, without facets. */
	rawPageAndCount: LatencyStats;
	/** Did the raw SQL return the same ids/total/facets as the app for every case? */
	equivalent: { search: boolean; facets: boolean; fts: boolean; mismatches: string[] };
	/**
	 * The measured cases as URL query strings. Each LatencyStats above carries per-case timings
	 * (`cases[].case` is an index into one of these lists; `caseList` says which).
	 */
	cases: { filters: string[]; fts: string[] };
	/** For each per-case LatencyStats field: the list in `cases` its case indexes refer to. */
	caseList: Record<RegistryLatencyKey, keyof RegistryResults['cases']>;
	/** Mean rows matched by the filters (to put the numbers in context). */
	meanTotal: { filters: number; fts: number };
}

/** Does the schema have the published-search copy `initiative_search` (migration 0009)? */
export async function hasSearchCopy(raw: RawClient): Promise<boolean> {
	const r = await raw.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'initiative_search'`, []);
	return r.length > 0;
}

export async function hasArrayColumns(raw: RawClient): Promise<boolean> {
	const r = await raw.query(
		`SELECT 1 FROM information_schema.columns WHERE table_name = 'initiative' AND column_name = 'country_codes'`,
		[]
	);
	return r.length > 0;
}

export async function runRegistryScenarios(
	database: Database,
	raw: RawClient,
	opts: MeasureOptions,
	log: (m: string) => void
): Promise<RegistryResults> {
	const arrays = await hasArrayColumns(raw);
	const side = await hasSearchCopy(raw);
	const filterParams = filterCombos();
	const ftsParams = ftsCombos();
	const filters = filterParams.map((p) => parseInitiativeQuery(p, { strict: true }));
	const fts = ftsParams.map((p) => parseInitiativeQuery(p, { strict: true }));
	// No answer caches: every call is the cost of a query not seen since the last write (it still
	// reads the data version, as every public query does); counts from the index, built first.
	const uncached = createRegistryService(database.db, { facetCacheSize: 0, textMatchCacheSize: 0 });
	const buildStarted = performance.now();
	const status = await uncached.refreshIndex();
	const buildWallMs = Math.round(performance.now() - buildStarted);
	if (!status.current) throw new Error(`the facet index was not built: ${status.error ?? 'version moved'}`);
	log(
		`  facet index: ${status.rows} rows, ${(status.bytes / 1024 / 1024).toFixed(1)} MB (${(status.bytes / Math.max(1, status.rows)).toFixed(1)} B/row), built in ${buildWallMs} ms`
	);
	const searchMiss = (q: InitiativeQuery) => uncached.search(PUBLIC_API, q);
	const sqlOnly = createRegistryService(database.db, { facetCacheSize: 0, facetIndex: false });
	const searchMissSql = (q: InitiativeQuery) => sqlOnly.search(PUBLIC_API, q);
	const shared = createServices(database);
	await shared.registry.refreshIndex();
	const searchHit = (q: InitiativeQuery) => shared.registry.search(PUBLIC_API, q);

	// Equivalence of app and raw results (checked once per case, before timing).
	const mismatches: string[] = [];
	const eq = { search: true, facets: true, fts: true };
	const totals = { filters: 0, fts: 0 };
	for (const [kind, cases] of [
		['search', filters],
		['fts', fts]
	] as const) {
		for (const q of cases) {
			const app = await searchMiss(q);
			const it = rawItemsSql(q, arrays, side);
			const fa = rawFacetsSql(q, arrays, side);
			const ids = (await raw.query<{ id: string }>(it.text, it.params)).map((r) => r.id);
			const rf = groupFacets(await raw.query(fa.text, fa.params));
			totals[kind === 'search' ? 'filters' : 'fts'] += app.total;
			if (JSON.stringify(ids) !== JSON.stringify(app.items.map((x) => x.id)) || rf.total !== app.total) {
				eq[kind] = false;
				mismatches.push(`${kind} items/total differ for ${JSON.stringify(q)}`);
			}
			if (JSON.stringify(rf.facets) !== JSON.stringify(app.facets)) {
				eq.facets = false;
				mismatches.push(`facets differ for ${JSON.stringify(q)}`);
			}
		}
	}

	// App and raw floor are measured interleaved (see measurePair) so background load hits both.
	const rawSearchFn = async (q: InitiativeQuery) => {
		const it = rawItemsSql(q, arrays, side);
		const fa = rawFacetsSql(q, arrays, side);
		await raw.query(it.text, it.params);
		return raw.query(fa.text, fa.params);
	};
	log('  scenario 1 + floor: registry search (service layer, facet cache empty) vs raw items + facets');
	const [search, rawSearch] = await measurePair(filters, searchMiss, rawSearchFn, opts);
	log('  scenario 1 (SQL path): registry search without the index, facet cache empty');
	const searchSql = await measure(filters, searchMissSql, opts);
	log('  scenario 1b: registry search answered from the facet cache');
	const searchCached = await measure(filters, searchHit, opts);
	log('  scenario 2 + floor: facet counts (service, from the index, uncached) vs raw');
	const [facets, rawFacets] = await measurePair(
		filters,
		(q) => uncached.facets(PUBLIC_API, q),
		(q) => {
			const fa = rawFacetsSql(q, arrays);
			return raw.query(fa.text, fa.params);
		},
		opts
	);
	log('  scenario 2 (SQL path): facetCounts (repository, uncached)');
	const facetsSql = await measure(filters, (q) => facetCounts(database.db, q, 'published'), opts);
	log('  scenario 3 + floor: full-text + filter (service layer, caches empty) vs raw');
	const [ftsStats, rawFts] = await measurePair(fts, searchMiss, rawSearchFn, opts);
	log('  scenario 3 (SQL path): full-text + filter without the index');
	const ftsSql = await measure(fts, searchMissSql, opts);
	log('  scenario 3b: full-text + filter answered from the facet cache');
	const ftsCached = await measure(fts, searchHit, opts);
	log('  scenario 4 extra floor: raw page + count(*) without facets');
	const rawPageAndCount = await measure(
		filters,
		async (q) => {
			const it = rawItemsSql(q, arrays);
			const c = rawCountSql(q, arrays);
			await raw.query(it.text, it.params);
			return raw.query(c.text, c.params);
		},
		opts
	);
	return {
		arrays,
		index: { ...status, bytesPerRow: Math.round((status.bytes / Math.max(1, status.rows)) * 10) / 10, buildWallMs },
		search,
		searchSql,
		facetsSql,
		ftsSql,
		searchCached,
		ftsCached,
		facets,
		fts: ftsStats,
		rawSearch,
		rawFacets,
		rawFts,
		rawPageAndCount,
		equivalent: { ...eq, mismatches: mismatches.slice(0, 10) },
		cases: {
			filters: filterParams.map((p) => p.toString()),
			fts: ftsParams.map((p) => p.toString())
		},
		caseList: CASE_LIST,
		meanTotal: { filters: Math.round(totals.filters / filters.length), fts: Math.round(totals.fts / fts.length) }
	};
}

/** EXPLAIN ANALYZE of the slowest-looking statements, for the report. */
export async function explainSamples(raw: RawClient): Promise<Record<string, string>> {
	const arrays = await hasArrayColumns(raw);
	const side = await hasSearchCopy(raw);
	const f = parseInitiativeQuery(filterCombos()[2]!, { strict: true }); // region + objective
	const c = parseInitiativeQuery(filterCombos()[0]!, { strict: true }); // one country
	const t = parseInitiativeQuery(ftsCombos()[1]!, { strict: true }); // q + region
	const out: Record<string, string> = {};
	for (const [name, s] of [
		['items: ' + filterCombos()[2]!.toString(), rawItemsSql(f, arrays)],
		['facets: ' + filterCombos()[2]!.toString(), rawFacetsSql(f, arrays)],
		['items: ' + filterCombos()[0]!.toString(), rawItemsSql(c, arrays)],
		['facets: ' + filterCombos()[0]!.toString(), rawFacetsSql(c, arrays)],
		['fts items: ' + ftsCombos()[1]!.toString(), rawItemsSql(t, arrays, side)],
		['fts facets: ' + ftsCombos()[1]!.toString(), rawFacetsSql(t, arrays, side)]
	] as const) {
		out[name] = await raw.explain(s.text, s.params);
	}
	return out;
}
