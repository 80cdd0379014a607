/**
 * The in-memory facet index (ADR 0005) answers exactly what the SQL facetCounts answers for the
 * public, on both engines: every filter kind, combinations, full text with filters, empty results,
 * drafts never counted, and after publish / unpublish / update / delete the next query is right.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FacetIndexBuilder } from '../../src/lib/core/registry/facet-index';
import { emptyQuery, type InitiativeQuery } from '../../src/lib/core/registry/query';
import { ACTION_TYPES, INITIATOR_KINDS, SCOPES } from '../../src/lib/core/registry/vocabulary';
import type { Database } from '../../src/lib/server/db/client';
import { bumpRegistryVersion, readRegistryVersion } from '../../src/lib/server/db/data-version.repository';
import {
	publishedFacetRows,
	readUnfilteredCounts,
	writeUnfilteredCounts
} from '../../src/lib/server/db/initiative-facet-index.repository';
import { facetCounts, publishedPageAmong, searchPage } from '../../src/lib/server/db/initiative.repository';
import { createServices } from '../../src/lib/server/runtime';
import { createRegistryService, PAGE_CANDIDATES_MAX } from '../../src/lib/server/services/registry.service';
import { seedBundledData } from '../../src/lib/server/services/seed.service';
import { PUBLIC_API, SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { csvOf, utf8, type CsvRow } from './builders';
import { BUNDLED_DATA_DIR, openTestDatabase, testEngines } from './harness';

const q = (patch: Partial<InitiativeQuery> = {}): InitiativeQuery => ({ ...emptyQuery(), ...patch });

/** A small deterministic generator (mulberry32), so the data set is the same on every run. */
function rng(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const COUNTRIES = ['CHL', 'PER', 'ARG', 'MEX', 'KEN', 'UGA', 'NGA', 'MAR', 'FRA', 'DEU', 'ITA', 'PHL', 'IND', 'JPN'];

/** Varied published rows: multi-country, undated, month/year precision, every vocabulary value. */
function generatedRows(n: number): CsvRow[] {
	const r = rng(7);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
	const some = <T>(xs: readonly T[], max: number) => [
		...new Set(Array.from({ length: Math.floor(r() * (max + 1)) }, () => pick(xs)))
	];
	const rows: CsvRow[] = [];
	for (let i = 0; i < n; i++) {
		const year = 2014 + Math.floor(r() * 16);
		const month = String(1 + Math.floor(r() * 12)).padStart(2, '0');
		const dated = r();
		const [start, end, precision] =
			dated < 0.15
				? ['', '', 'unknown']
				: dated < 0.4
					? [String(year), r() < 0.5 ? String(year + 2) : '', 'year']
					: dated < 0.6
						? [`${year}-${month}`, '', 'month']
						: [`${year}-${month}-1${Math.floor(r() * 10)}`, '', 'day'];
		const scope = pick(SCOPES);
		rows.push({
			key: `fi-gen-${i}`,
			title: `Generated ${pick(['labour migration', 'border management', 'return and reintegration', 'consultation'])} ${i}`,
			action_type: pick(ACTION_TYPES),
			scope,
			// The schema allows regional_scope only on regional initiatives.
			regional_scope: scope === 'regional' && r() < 0.6 ? 'true' : 'false',
			countries: some(COUNTRIES, 4).join(';') || pick(COUNTRIES),
			initiator_kinds: some(INITIATOR_KINDS, 3).join(';'),
			objectives: some(
				Array.from({ length: 23 }, (_, k) => String(k + 1)),
				4
			).join(';'),
			predates_gcm: r() < 0.2 ? 'true' : 'false',
			date_start: start,
			date_end: end,
			date_precision: precision
		});
	}
	return rows;
}

/** Filter combinations: every filter kind alone, combinations, full text with filters, empty results. */
const CASES: [string, InitiativeQuery][] = [
	['unfiltered', q()],
	['one country', q({ countries: ['CHL'] })],
	['two countries', q({ countries: ['KEN', 'JPN'] })],
	['a country only drafts have', q({ countries: ['ISL'] })],
	['region Africa', q({ regions: ['002'] })],
	['regions Americas + Asia', q({ regions: ['019', '142'] })],
	['sub-region South America', q({ regions: ['005'] })],
	['action types', q({ actionTypes: ['meeting', 'policy_law'] })],
	['scope', q({ scopes: ['regional'] })],
	['initiator kinds', q({ initiatorKinds: ['civil_society', 'un'] })],
	['objectives', q({ objectives: [2, 23] })],
	['objective drafts only', q({ objectives: [23], countries: ['ISL'] })],
	['regional scope true', q({ regionalScope: true })],
	['regional scope false', q({ regionalScope: false })],
	['predates GCM', q({ predatesGcm: true })],
	['from', q({ from: '2019-06-01' })],
	['to', q({ to: '2018-12-31' })],
	['from + to', q({ from: '2019-01-01', to: '2022-12-31' })],
	['an empty day window', q({ from: '2014-02-03', to: '2014-02-03' })],
	['country + action type', q({ countries: ['PER'], actionTypes: ['project'] })],
	['region + objective + from', q({ regions: ['150'], objectives: [5], from: '2018-01-01' })],
	[
		'everything at once',
		q({
			regions: ['002', '142'],
			actionTypes: ['meeting', 'project', 'funding'],
			scopes: ['national', 'local'],
			initiatorKinds: ['government'],
			objectives: [1, 2, 3, 4, 5, 6, 7],
			regionalScope: false,
			predatesGcm: false,
			from: '2016-01-01',
			to: '2030-12-31'
		})
	],
	['full text', q({ q: 'migration' })],
	['full text phrase + country', q({ q: '"labour migration"', countries: ['MEX', 'CHL'] })],
	['full text + region + objective', q({ q: 'consultation', regions: ['002'], objectives: [1, 2, 3] })],
	['full text in Spanish country names', q({ q: 'Marruecos' })],
	['full text with no match', q({ q: 'zzyzxquixotic' })],
	['full text matching only drafts', q({ q: 'Quixotically' })]
];

describe.each(testEngines())('facet index (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	/** A registry service without answer caches: every public count is computed (index or SQL). */
	const uncached = () => createRegistryService(database.db, { facetCacheSize: 0, textMatchCacheSize: 0 });
	const sqlCounts = (query: InitiativeQuery) => facetCounts(database.db, query, 'published');
	const importRows = (rows: CsvRow[], status: 'published' | 'draft') =>
		services.transfer.importInitiatives(SYSTEM_CLI, utf8(csvOf(rows)), status);

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		await seedBundledData(database, BUNDLED_DATA_DIR, { onlyIfEmpty: true });
		await importRows(generatedRows(400), 'published');
		// Drafts with values no published record has (ISL, objective 23 alone, a marker word).
		await importRows(
			[
				{ key: 'fi-draft-1', title: 'Quixotically drafted', countries: 'ISL', objectives: '23' },
				{
					key: 'fi-draft-2',
					title: 'Quixotically again',
					countries: 'ISL;CHL',
					date_start: '',
					date_precision: 'unknown'
				}
			],
			'draft'
		);
	});
	afterAll(async () => {
		await database?.close();
	});

	it('the data set is not vacuous: every case has a reason to exist', async () => {
		const all = await sqlCounts(q());
		expect(all.total).toBeGreaterThan(450);
		expect(all.facets.country.some((f) => f.value === 'ISL')).toBe(false);
		expect(all.facets.year.length).toBeGreaterThan(10);
		expect((await sqlCounts(q({ from: '2019-06-01' }))).total).toBeLessThan(all.total);
		expect((await sqlCounts(q({ q: 'migration' }))).total).toBeGreaterThan(10);
		expect((await facetCounts(database.db, q({ countries: ['ISL'] }), 'all')).total).toBe(2);
	});

	it('builds the index of the current version from published rows only', async () => {
		const registry = uncached();
		const status = await registry.refreshIndex();
		expect(status.error).toBeNull();
		expect(status.current).toBe(true);
		expect(status.version).toBe(await readRegistryVersion(database.db));
		expect(status.rows).toBe((await sqlCounts(q())).total);
		expect(status.bytes).toBeGreaterThan(status.rows * 20);
	});

	it('answers every filter case exactly as facetCounts does', async () => {
		const registry = uncached();
		expect((await registry.refreshIndex()).current).toBe(true);
		for (const [name, query] of CASES) {
			expect(await registry.facets(PUBLIC_API, query), name).toEqual(await sqlCounts(query));
		}
		// The index was current throughout: these answers came from it, not from the SQL fallback.
		expect((await registry.refreshIndex()).current).toBe(true);
		const empty = await registry.facets(PUBLIC_API, q({ q: 'Quixotically' }));
		expect(empty.total).toBe(0);
	});

	it('full text in relevance order: the same items, order, total and facets as SQL, on a miss and once known', async () => {
		const rank = (query: InitiativeQuery, page: { limit: number; offset: number }): InitiativeQuery => ({
			...query,
			sort: 'relevance',
			...page
		});
		const expected = async (query: InitiativeQuery) => ({
			items: await searchPage(database.db, query, 'published'),
			...(await sqlCounts(query))
		});
		// Ties: many matches share a rank (and a date), so date_from and the key decide their order.
		const ties = await database.db.execute(
			sql`SELECT count(*) - count(DISTINCT (ts_rank_cd(search_vector, websearch_to_tsquery('english', 'migration')), date_from)) AS n
			    FROM initiative WHERE status = 'published' AND search_vector @@ websearch_to_tsquery('english', 'migration')`
		);
		expect(Number((ties as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBeGreaterThan(10);

		const miss = uncached(); // every call: one statement for the matches and the page
		const server = createRegistryService(database.db); // with caches: later calls know the text or the counts
		expect((await miss.refreshIndex()).current).toBe(true);
		expect((await server.refreshIndex()).current).toBe(true);
		const texts = CASES.filter(([, c]) => c.q);
		const pages = [
			{ limit: 20, offset: 0 },
			{ limit: 7, offset: 13 },
			{ limit: 20, offset: 100 },
			{ limit: 20, offset: 5000 }
		];
		for (const [name, query] of texts) {
			for (const page of pages) {
				const ranked = rank(query, page);
				const want = await expected(ranked);
				expect(await miss.search(PUBLIC_API, ranked), `${name} ${page.offset}`).toEqual(want);
				expect(await server.search(PUBLIC_API, ranked), `${name} ${page.offset} (caches)`).toEqual(want);
			}
			// The same text under another filter: its matches are known, only the page is read.
			const narrowed = rank({ ...query, countries: ['CHL'], actionTypes: [] }, pages[0]!);
			expect(await server.search(PUBLIC_API, narrowed), `${name} in CHL`).toEqual(await expected(narrowed));
		}
		expect((await miss.search(PUBLIC_API, rank(q({ q: 'migration' }), pages[0]!))).items).toHaveLength(20);
		// Drafts: the public never gets them; the operator's search (all records) is not this path.
		const drafts = rank(q({ q: 'Quixotically' }), pages[0]!);
		expect((await server.search(PUBLIC_API, drafts)).total).toBe(0);
		expect((await server.search(SYSTEM_CLI, drafts)).items.map((x) => x.key).sort()).toEqual([
			'fi-draft-1',
			'fi-draft-2'
		]);
		expect((await server.refreshIndex()).current).toBe(true);
	});

	it('pages in date order from the index: the same items in the same order as SQL, every case, both directions', async () => {
		const builder = new FacetIndexBuilder();
		for await (const chunk of publishedFacetRows(database.db)) for (const row of chunk) builder.add(row);
		const index = builder.finish();
		// The service's statements are recorded, to prove which path read each page.
		const statements: string[] = [];
		const dialect = new PgDialect();
		const recording = new Proxy(database.db, {
			get(target, key, receiver) {
				const value: unknown = Reflect.get(target, key, receiver);
				if (key !== 'execute' || typeof value !== 'function') return value;
				return (query: SQL) => {
					statements.push(dialect.sqlToQuery(query).sql);
					return (value as (q: SQL) => unknown).call(target, query);
				};
			}
		});
		const registry = createRegistryService(recording, { facetCacheSize: 0, textMatchCacheSize: 0 });
		expect((await registry.refreshIndex()).current).toBe(true);
		const pages = [
			{ limit: 20, offset: 0 },
			{ limit: 7, offset: 13 },
			{ limit: 20, offset: 100 },
			{ limit: 50, offset: 380 },
			{ limit: 20, offset: 5000 }
		];
		let fromCandidates = 0;
		let nonEmpty = 0;
		for (const [name, base] of CASES) {
			const positions = base.q
				? index.positionsOf(
						(
							(await database.db.execute(
								sql`SELECT encode(string_agg(uuid_send(id), ''::bytea), 'hex') AS ids FROM initiative
							    WHERE status = 'published' AND search_vector @@ websearch_to_tsquery('english', ${base.q})`
							)) as unknown as { rows: { ids: string | null }[] }
						).rows[0]!.ids ?? ''
					)
				: undefined;
			for (const sort of ['date_desc', 'date_asc'] as const) {
				for (const page of pages) {
					const query = { ...base, sort, ...page };
					const want = await searchPage(database.db, query, 'published');
					const label = `${name} ${sort} ${page.offset}`;
					const cand = index.pageCandidates(
						query,
						sort === 'date_asc' ? 'asc' : 'desc',
						page.offset,
						page.limit,
						PAGE_CANDIDATES_MAX,
						positions
					);
					if (cand) {
						fromCandidates++;
						expect(await publishedPageAmong(database.db, cand.ids, query, cand.skip), label).toEqual(want);
					}
					if (want.length > 0) nonEmpty++;
					statements.length = 0;
					const got = await registry.search(PUBLIC_API, query);
					expect(got, `${label} (service)`).toEqual({ items: want, ...(await sqlCounts(query)) });
					// The page came from the index's candidates, never from a search of the table.
					const pageReads = statements.filter((st) => /from initiative i where/i.test(st));
					if (cand && cand.ids.length > 0) {
						expect(pageReads.length, label).toBe(1);
						expect(pageReads[0], label).toContain('i.id = ANY(');
					}
				}
			}
		}
		// The index answered every page here (a page among more than PAGE_CANDIDATES_MAX ties would fall back to SQL).
		expect(fromCandidates).toBe(CASES.length * 2 * pages.length);
		expect(nonEmpty).toBeGreaterThan(CASES.length * 2);
		expect((await registry.refreshIndex()).current).toBe(true);
	});

	it('an index read in small keyset chunks equals one read whole', async () => {
		const builder = new FacetIndexBuilder();
		let chunks = 0;
		for await (const chunk of publishedFacetRows(database.db, 37)) {
			chunks++;
			for (const row of chunk) builder.add(row);
		}
		const index = builder.finish();
		expect(chunks).toBeGreaterThan(10);
		for (const [name, query] of CASES.filter(([, c]) => !c.q)) {
			expect(index.count(query), name).toEqual(await sqlCounts(query));
		}
	});

	it('after publish, unpublish, update and delete the next public query is right, then the index is too', async () => {
		const registry = createRegistryService(database.db); // with its caches, as the server runs it
		await registry.refreshIndex();
		const watched = [q(), q({ countries: ['ISL'] }), q({ countries: ['CHL'] }), q({ q: 'Quixotically' })];
		const agree = async (step: string) => {
			for (const query of watched)
				expect(await registry.facets(PUBLIC_API, query), step).toEqual(await sqlCounts(query));
			for (const query of watched) await registry.facets(PUBLIC_API, query); // cached answers too
			const status = await registry.refreshIndex();
			expect(status.current, step).toBe(true);
			for (const query of watched)
				expect(await registry.facets(PUBLIC_API, query), step).toEqual(await sqlCounts(query));
		};
		for (const query of watched) await registry.facets(PUBLIC_API, query); // fill the caches

		// Publish: the draft becomes public.
		await importRows(
			[{ key: 'fi-draft-1', title: 'Quixotically drafted', countries: 'ISL', objectives: '23' }],
			'published'
		);
		expect((await registry.facets(PUBLIC_API, q({ countries: ['ISL'] }))).total).toBe(1);
		await agree('publish');

		// Update: it moves from ISL to CHL.
		const chlBefore = (await registry.facets(PUBLIC_API, q({ countries: ['CHL'] }))).total;
		await importRows(
			[{ key: 'fi-draft-1', title: 'Quixotically drafted', countries: 'CHL', objectives: '23' }],
			'published'
		);
		expect((await registry.facets(PUBLIC_API, q({ countries: ['ISL'] }))).total).toBe(0);
		expect((await registry.facets(PUBLIC_API, q({ countries: ['CHL'] }))).total).toBe(chlBefore + 1);
		await agree('update');

		// Unpublish: back to a draft, gone from every public count at once.
		await importRows(
			[{ key: 'fi-draft-1', title: 'Quixotically drafted', countries: 'CHL', objectives: '23' }],
			'draft'
		);
		expect((await registry.facets(PUBLIC_API, q({ countries: ['CHL'] }))).total).toBe(chlBefore);
		expect((await registry.facets(PUBLIC_API, q({ q: 'Quixotically' }))).total).toBe(0);
		await agree('unpublish');

		// Delete a published record (with the version bump every writer makes).
		const total = (await registry.facets(PUBLIC_API, q())).total;
		await database.db.transaction(async (tx) => {
			await bumpRegistryVersion(tx);
			await tx.execute(sql`DELETE FROM initiative WHERE key = 'fi-gen-0'`);
		});
		expect((await registry.facets(PUBLIC_API, q())).total).toBe(total - 1);
		await agree('delete');
		expect((await registry.stats(PUBLIC_API)).initiatives).toBe(total - 1);
	});

	it('start-up reads the persisted unfiltered counts of the current version, and only of it', async () => {
		const version = await readRegistryVersion(database.db);
		// A full build persists the unfiltered counts of its version.
		await createRegistryService(database.db).refreshIndex();
		expect(await readUnfilteredCounts(database.db, version)).toEqual(await sqlCounts(q()));
		expect(await readUnfilteredCounts(database.db, version - 1)).toBeNull();

		// A marker proves a fresh service answers from the stored row (one read, no count).
		const marker = { ...(await sqlCounts(q())), total: 987_654 };
		await writeUnfilteredCounts(database.db, version, marker);
		const restarted = createRegistryService(database.db, { facetIndex: false });
		await restarted.warm();
		expect(await restarted.facets(PUBLIC_API, q())).toEqual(marker);

		// After a write the stored row is stale: ignored, recounted, and replaced.
		await importRows([{ key: 'fi-late', countries: 'PER' }], 'published');
		const next = createRegistryService(database.db, { facetIndex: false });
		const fresh = await next.facets(PUBLIC_API, q());
		expect(fresh).toEqual(await sqlCounts(q()));
		expect(fresh.total).not.toBe(marker.total);
		const now = await readRegistryVersion(database.db);
		await expect.poll(() => readUnfilteredCounts(database.db, now)).toEqual(fresh);

		// warm() with the index: the unfiltered counts are cached and equal to SQL, drafts excluded.
		const warmed = createRegistryService(database.db);
		await warmed.warm();
		expect((await warmed.refreshIndex()).current).toBe(true);
		expect(await warmed.facets(PUBLIC_API, q())).toEqual(await sqlCounts(q()));
	});
});
