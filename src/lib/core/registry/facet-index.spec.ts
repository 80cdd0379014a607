import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	FacetIndex,
	FacetIndexBuilder,
	FacetIndexError,
	dayNumber,
	daysFromCivil,
	yearOfDay,
	type FacetCount,
	type FacetIndexRow,
	type FacetResult,
	type Facets
} from './facet-index';
import { countriesInRegion, emptyQuery, type InitiativeQuery } from './query';

/** A row as the reference sees it: ISO dates, lists as SQL arrays. */
interface RefRow {
	id: string;
	actionType: string;
	scope: string;
	regionalScope: boolean;
	predatesGcm: boolean;
	dateFrom: string | null;
	dateTo: string | null;
	countries: string[];
	objectives: number[];
	initiatorKinds: string[];
}

/**
 * The naive reference: the SQL of facetCounts written out literally (WHERE, then GROUP BY with
 * unnest, NULL groups dropped, the same sort with String.localeCompare).
 */
function reference(rows: readonly RefRow[], q: InitiativeQuery, matching?: ReadonlySet<string>): FacetResult {
	const overlaps = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
	const inRegion = [...new Set(q.regions.flatMap(countriesInRegion))];
	const kept = rows.filter(
		(r) =>
			(!matching || matching.has(r.id)) &&
			(q.countries.length === 0 || overlaps(r.countries, q.countries)) &&
			(q.regions.length === 0 || overlaps(r.countries, inRegion)) &&
			(q.actionTypes.length === 0 || (q.actionTypes as string[]).includes(r.actionType)) &&
			(q.scopes.length === 0 || (q.scopes as string[]).includes(r.scope)) &&
			(q.initiatorKinds.length === 0 || overlaps(r.initiatorKinds, q.initiatorKinds)) &&
			(q.objectives.length === 0 || r.objectives.some((o) => q.objectives.includes(o))) &&
			(q.regionalScope === null || r.regionalScope === q.regionalScope) &&
			(q.predatesGcm === null || r.predatesGcm === q.predatesGcm) &&
			(!q.from || (r.dateTo !== null && r.dateTo >= q.from)) &&
			(!q.to || (r.dateFrom !== null && r.dateFrom <= q.to))
	);
	const group = (values: (string | null)[]): FacetCount[] => {
		const m = new Map<string, number>();
		for (const v of values) if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
		return [...m]
			.map(([value, count]) => ({ value, count }))
			.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'en', { numeric: true }));
	};
	const facets: Facets = {
		action_type: group(kept.map((r) => r.actionType)),
		initiator_kind: group(kept.flatMap((r) => r.initiatorKinds)),
		scope: group(kept.map((r) => r.scope)),
		country: group(kept.flatMap((r) => r.countries)),
		objective: group(kept.flatMap((r) => r.objectives.map(String))),
		regional_scope: group(kept.map((r) => String(r.regionalScope))),
		predates_gcm: group(kept.map((r) => String(r.predatesGcm))),
		year: group(kept.map((r) => (r.dateFrom === null ? null : String(Number(r.dateFrom.slice(0, 4))))))
	};
	return { total: kept.length, facets };
}

function indexRow(r: RefRow): FacetIndexRow {
	return {
		...r,
		dateFrom: r.dateFrom === null ? null : dayNumber(r.dateFrom),
		dateTo: r.dateTo === null ? null : dayNumber(r.dateTo)
	};
}

function buildIndex(rows: readonly RefRow[]): FacetIndex {
	const b = new FacetIndexBuilder();
	for (const r of [...rows].sort((x, y) => (x.id < y.id ? -1 : 1))) b.add(indexRow(r));
	return b.finish();
}

const q = (patch: Partial<InitiativeQuery>): InitiativeQuery => ({ ...emptyQuery(), ...patch });

let seq = 0;
function row(patch: Partial<RefRow> = {}): RefRow {
	seq++;
	return {
		id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
		actionType: 'project',
		scope: 'national',
		regionalScope: false,
		predatesGcm: false,
		dateFrom: '2019-01-01',
		dateTo: '2019-12-31',
		countries: ['CHL'],
		objectives: [1],
		initiatorKinds: ['government'],
		...patch
	};
}

describe('day numbers', () => {
	it('agree with Date.UTC and back, over the registry years and beyond', () => {
		fc.assert(
			fc.property(fc.date({ min: new Date('1600-01-01'), max: new Date('2400-12-31'), noInvalidDate: true }), (d) => {
				const days = Math.floor(d.getTime() / 86_400_000);
				const y = d.getUTCFullYear();
				expect(daysFromCivil(y, d.getUTCMonth() + 1, d.getUTCDate())).toBe(days);
				expect(yearOfDay(days)).toBe(y);
			})
		);
		expect(dayNumber('1970-01-01')).toBe(0);
		expect(dayNumber('2000-03-01')).toBe(11017);
		expect(() => dayNumber('2019')).toThrow(FacetIndexError);
	});
});

describe('FacetIndex.count', () => {
	it('an empty index counts nothing, with every facet empty', () => {
		const index = new FacetIndexBuilder().finish();
		const empty = reference([], emptyQuery());
		expect(index.count(emptyQuery())).toEqual(empty);
		expect(empty.total).toBe(0);
		expect(index.count(q({ countries: ['CHL'], from: '2019-01-01' }))).toEqual(reference([], emptyQuery()));
		expect(index.positionsOf('')).toEqual(new Uint32Array(0));
		expect(index.size).toBe(0);
	});

	it('counts a multi-country row once in the total and once per country', () => {
		const rows = [row({ countries: ['CHL', 'PER', 'ARG'] }), row({ countries: ['PER'] })];
		const got = buildIndex(rows).count(emptyQuery());
		expect(got.total).toBe(2);
		expect(got.facets.country).toEqual([
			{ value: 'PER', count: 2 },
			{ value: 'ARG', count: 1 },
			{ value: 'CHL', count: 1 }
		]);
		expect(got).toEqual(reference(rows, emptyQuery()));
	});

	it('rows without dates have no year and fail from/to filters, as NULL does in SQL', () => {
		const rows = [row({ dateFrom: null, dateTo: null }), row(), row({ dateFrom: '2031-05-01', dateTo: null })];
		const index = buildIndex(rows);
		const all = index.count(emptyQuery());
		expect(all.total).toBe(3);
		expect(all.facets.year).toEqual([
			{ value: '2019', count: 1 },
			{ value: '2031', count: 1 }
		]);
		expect(index.count(q({ from: '2000-01-01' })).total).toBe(1); // date_to NULL fails date_to >= from
		expect(index.count(q({ to: '2100-12-31' })).total).toBe(2); // date_from NULL fails date_from <= to
		for (const query of [q({ from: '2019-12-31' }), q({ to: '2019-01-01' }), q({ from: '2020-01-01' })]) {
			expect(index.count(query)).toEqual(reference(rows, query));
		}
	});

	it('applies every filter kind with the SQL semantics', () => {
		const rows = [
			row({ actionType: 'policy_law', scope: 'regional', regionalScope: true, countries: ['KEN', 'UGA'] }),
			row({ predatesGcm: true, objectives: [2, 23], initiatorKinds: ['civil_society', 'un'], countries: ['FRA'] }),
			row({ dateFrom: '2016-02-29', dateTo: '2017-03-01', countries: [] }),
			row({ actionType: 'meeting', scope: 'local', objectives: [], initiatorKinds: [], countries: ['JPN'] })
		];
		const index = buildIndex(rows);
		const cases: [Partial<InitiativeQuery>, number][] = [
			[{ countries: ['UGA'] }, 1],
			[{ countries: ['UGA', 'FRA'] }, 2],
			[{ countries: ['ZZZ'] }, 0],
			[{ regions: ['002'] }, 1], // Africa
			[{ regions: ['150', '142'] }, 2], // Europe, Asia
			[{ regions: ['002'], countries: ['FRA'] }, 0], // two list filters are ANDed
			[{ actionTypes: ['policy_law', 'meeting'] }, 2],
			[{ scopes: ['national'] }, 2],
			[{ initiatorKinds: ['un'] }, 1],
			[{ objectives: [23, 7] }, 1],
			[{ objectives: [1] }, 2],
			[{ regionalScope: true }, 1],
			[{ regionalScope: false }, 3],
			[{ predatesGcm: true }, 1],
			[{ from: '2017-03-01' }, 4],
			[{ from: '2017-03-02' }, 3],
			[{ to: '2016-02-29' }, 1],
			[{ to: '2016-02-28' }, 0]
		];
		for (const [patch, total] of cases) {
			const query = q(patch);
			const got = index.count(query);
			expect(got.total, JSON.stringify(patch)).toBe(total);
			expect(got, JSON.stringify(patch)).toEqual(reference(rows, query));
		}
	});

	it('restricts to full-text matches given as positions, and requires them when q is set', () => {
		const rows = [row({ countries: ['CHL'] }), row({ countries: ['PER'] }), row({ countries: ['CHL'] })];
		const index = buildIndex(rows);
		const hex = (id: string) => id.replace(/-/g, '');
		const positions = index.positionsOf(hex(rows[2]!.id) + hex(rows[0]!.id) + 'ffffffffffffffffffffffffffffffff');
		expect([...positions]).toEqual([0, 2]);
		const got = index.count(q({ q: 'border', countries: ['CHL'] }), positions);
		expect(got.total).toBe(2);
		expect(got).toEqual(reference(rows, q({ countries: ['CHL'] }), new Set([rows[0]!.id, rows[2]!.id])));
		expect(() => index.count(q({ q: 'border' }))).toThrow(FacetIndexError);
		expect(() => index.positionsOf('abc')).toThrow(FacetIndexError);
	});

	it('refuses rows out of id order, bad ids, and lists SQL would count twice', () => {
		const b = new FacetIndexBuilder();
		b.add(indexRow(row({ id: '00000000-0000-4000-8000-000000000002' })));
		expect(() => b.add(indexRow(row({ id: '00000000-0000-4000-8000-000000000001' })))).toThrow(/ascending id order/);
		expect(() => b.add(indexRow(row({ id: 'not-a-uuid' })))).toThrow(FacetIndexError);
		expect(() => new FacetIndexBuilder().add(indexRow(row({ objectives: [3, 3] })))).toThrow(/twice/);
		const many = new FacetIndexBuilder();
		expect(() => {
			for (let i = 0; i < 33; i++) many.add(indexRow(row({ objectives: [i] })));
		}).toThrow(/more than 32 distinct objectives/);
	});

	it('reports its size and memory', () => {
		const index = buildIndex([row({ countries: ['CHL', 'PER'] }), row()]);
		expect(index.size).toBe(2);
		// 2 rows: ids 32, 3 × Uint8 6, dates 16, date order 8, year 4, masks 16, offsets 12, 3 country codes 6,
		// postings of 2 countries: offsets 12, 3 ranks 12, 3 positions 12.
		expect(index.byteLength).toBe(32 + 6 + 16 + 8 + 4 + 16 + 12 + 6 + 12 + 12 + 12);
	});
});

// ---- property: the index equals the reference on random data and random queries -----------

const ACTIONS = ['project', 'policy_law', 'meeting', 'Ünïcode <script>'];
const SCOPES_ = ['global', 'regional', 'national', 'local'];
const KINDS = ['government', 'civil_society', 'un', 'academia'];
// Countries of several regions, plus codes no region holds.
const COUNTRY_POOL = ['CHL', 'PER', 'ARG', 'KEN', 'UGA', 'NGA', 'FRA', 'DEU', 'JPN', 'IND', 'XKX', 'ZZZ'];
const REGION_POOL = ['002', '419', '150', '142', '005', '014', '999'];
const isoDate = fc
	.date({ min: new Date('2014-01-01'), max: new Date('2031-12-31'), noInvalidDate: true })
	.map((d) => d.toISOString().slice(0, 10));

const rowArb = fc.record({
	id: fc.uuid(),
	actionType: fc.constantFrom(...ACTIONS),
	scope: fc.constantFrom(...SCOPES_),
	regionalScope: fc.boolean(),
	predatesGcm: fc.boolean(),
	dateFrom: fc.option(isoDate, { nil: null }),
	dateTo: fc.option(isoDate, { nil: null }),
	// Duplicates allowed: SQL's unnest counts them, so must the index.
	countries: fc.array(fc.constantFrom(...COUNTRY_POOL), { maxLength: 5 }),
	objectives: fc.uniqueArray(fc.integer({ min: 1, max: 23 }), { maxLength: 4 }),
	initiatorKinds: fc.uniqueArray(fc.constantFrom(...KINDS), { maxLength: 3 })
});

const queryArb = fc
	.record({
		countries: fc.uniqueArray(fc.constantFrom(...COUNTRY_POOL), { maxLength: 3 }),
		regions: fc.uniqueArray(fc.constantFrom(...REGION_POOL), { maxLength: 2 }),
		actionTypes: fc.uniqueArray(fc.constantFrom(...ACTIONS, 'funding'), { maxLength: 2 }),
		scopes: fc.uniqueArray(fc.constantFrom(...SCOPES_), { maxLength: 2 }),
		initiatorKinds: fc.uniqueArray(fc.constantFrom(...KINDS, 'private_sector'), { maxLength: 2 }),
		objectives: fc.uniqueArray(fc.integer({ min: 1, max: 23 }), { maxLength: 3 }),
		regionalScope: fc.option(fc.boolean(), { nil: null }),
		predatesGcm: fc.option(fc.boolean(), { nil: null }),
		from: fc.option(isoDate, { nil: null }),
		to: fc.option(isoDate, { nil: null })
	})
	.map((patch) => q(patch as Partial<InitiativeQuery>));

describe('FacetIndex property', () => {
	it('equals the naive reference for random rows and queries', () => {
		fc.assert(
			fc.property(fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 60 }), queryArb, (rows, query) => {
				expect(buildIndex(rows).count(query)).toEqual(reference(rows, query));
			}),
			{ numRuns: 300 }
		);
	});

	it('equals the reference when restricted to a random set of full-text matches', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(rowArb, { selector: (r) => r.id, minLength: 1, maxLength: 40 }),
				queryArb,
				fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
				(rows, query, pick) => {
					const matched = rows.filter((_, i) => pick[i]);
					const index = buildIndex(rows);
					const positions = index.positionsOf(matched.map((r) => r.id.replace(/-/g, '')).join(''));
					expect(positions.length).toBe(matched.length);
					expect(index.count({ ...query, q: 'x' }, positions)).toEqual(
						reference(rows, query, new Set(matched.map((r) => r.id)))
					);
				}
			),
			{ numRuns: 200 }
		);
	});
});

// ---- pages in date order: the candidates hold exactly the page --------------------------------

/**
 * The reference page: every match sorted by the registry's ORDER BY for date_desc / date_asc
 * (date_from DESC|ASC NULLS LAST, then a tie-breaker the index does not know: title, then key).
 */
function referencePage(
	rows: readonly RefRow[],
	query: InitiativeQuery,
	direction: 'asc' | 'desc',
	tieOrder: (a: RefRow, b: RefRow) => number,
	matching?: ReadonlySet<string>
): RefRow[] {
	const kept = matchesOf(rows, query, matching);
	return kept.sort((a, b) => byDateThen(a, b, direction, tieOrder));
}

function matchesOf(rows: readonly RefRow[], query: InitiativeQuery, matching?: ReadonlySet<string>): RefRow[] {
	const ids = new Set(rows.filter((r) => reference([r], query, matching).total === 1).map((r) => r.id));
	return rows.filter((r) => ids.has(r.id));
}

function byDateThen(a: RefRow, b: RefRow, direction: 'asc' | 'desc', tieOrder: (a: RefRow, b: RefRow) => number) {
	if (a.dateFrom !== b.dateFrom) {
		if (a.dateFrom === null) return 1; // NULLS LAST either way
		if (b.dateFrom === null) return -1;
		const cmp = a.dateFrom < b.dateFrom ? -1 : 1;
		return direction === 'asc' ? cmp : -cmp;
	}
	return tieOrder(a, b);
}

/** What the caller does with the candidates: sort them by the full order, skip, take a page. */
function pageFromCandidates(
	rows: readonly RefRow[],
	ids: readonly string[],
	skip: number,
	limit: number,
	direction: 'asc' | 'desc',
	tieOrder: (a: RefRow, b: RefRow) => number
): RefRow[] {
	const byId = new Map(rows.map((r) => [r.id, r] as const));
	return ids
		.map((id) => byId.get(id)!)
		.sort((a, b) => byDateThen(a, b, direction, tieOrder))
		.slice(skip, skip + limit);
}

describe('FacetIndex.pageCandidates', () => {
	const byTitle = (titles: Map<string, string>) => (a: RefRow, b: RefRow) =>
		(titles.get(a.id)! < titles.get(b.id)! ? -1 : titles.get(a.id)! > titles.get(b.id)! ? 1 : 0) ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

	it('returns the page rows plus their date ties, and how many ties come first', () => {
		const rows = [
			row({ dateFrom: '2021-01-01' }),
			row({ dateFrom: '2020-06-01' }),
			row({ dateFrom: '2020-06-01' }),
			row({ dateFrom: '2020-06-01', countries: ['PER'] }),
			row({ dateFrom: '2019-01-01' }),
			row({ dateFrom: null, dateTo: null })
		];
		const index = buildIndex(rows);
		// Page 2 of size 1 (offset 1) falls in the 2020-06-01 group of CHL rows: both are candidates.
		const page = index.pageCandidates(q({ countries: ['CHL'] }), 'desc', 1, 1, 100)!;
		expect(new Set(page.ids)).toEqual(new Set([rows[1]!.id, rows[2]!.id]));
		expect(page.skip).toBe(0);
		// Ascending, undated last: offset 3 of CHL is the 2021 row, offset 4 the undated one.
		expect(index.pageCandidates(q({ countries: ['CHL'] }), 'asc', 3, 1, 100)).toEqual({ ids: [rows[0]!.id], skip: 0 });
		expect(index.pageCandidates(q({ countries: ['CHL'] }), 'asc', 4, 5, 100)).toEqual({ ids: [rows[5]!.id], skip: 0 });
		// Past the last match: an empty page.
		expect(index.pageCandidates(q({ countries: ['CHL'] }), 'desc', 5, 20, 100)).toEqual({ ids: [], skip: 0 });
		// More candidates than allowed: null (the caller reads the page another way).
		expect(index.pageCandidates(q({ countries: ['CHL'] }), 'desc', 1, 1, 1)).toBeNull();
	});

	it('orders dates spread over millennia (day buckets; a comparison sort past 2^22 days)', () => {
		const b = new FacetIndexBuilder();
		const days = [-5_000_000, 3, null, 4_000_000, 3];
		const ids = days.map((_, i) => `00000000-0000-4000-8000-${String(900 + i).padStart(12, '0')}`);
		days.forEach((d, i) => b.add({ ...indexRow(row({ id: ids[i] })), dateFrom: d, dateTo: d }));
		const index = b.finish();
		const all = (direction: 'asc' | 'desc') =>
			Array.from({ length: 5 }, (_, k) => [...index.pageCandidates(q({}), direction, k, 1, 10)!.ids].sort());
		expect(all('desc')).toEqual([[ids[3]], [ids[1], ids[4]], [ids[1], ids[4]], [ids[0]], [ids[2]]]);
		expect(all('asc')).toEqual([[ids[0]], [ids[1], ids[4]], [ids[1], ids[4]], [ids[3]], [ids[2]]]);
	});

	it('a `to` bound keeps the rows dated on it, in both directions (the walk starts or stops at that date)', () => {
		const rows = [
			row({ dateFrom: '2021-01-01' }),
			row({ dateFrom: '2020-01-01' }),
			row({ dateFrom: '2020-01-01' }),
			row({ dateFrom: '2019-01-01' }),
			row({ dateFrom: null, dateTo: null })
		];
		const index = buildIndex(rows);
		const to = q({ to: '2020-01-01' });
		const sorted = (r: { ids: string[] } | null) => [...r!.ids].sort();
		expect(sorted(index.pageCandidates(to, 'desc', 0, 1, 100))).toEqual([rows[1]!.id, rows[2]!.id]);
		expect(sorted(index.pageCandidates(to, 'desc', 2, 5, 100))).toEqual([rows[3]!.id]);
		expect(sorted(index.pageCandidates(to, 'asc', 1, 1, 100))).toEqual([rows[1]!.id, rows[2]!.id]);
		expect(index.pageCandidates(to, 'asc', 3, 5, 100)).toEqual({ ids: [], skip: 0 });
	});

	it('refuses a bad page and a text query without its matches', () => {
		const index = buildIndex([row()]);
		expect(() => index.pageCandidates(q({}), 'desc', -1, 20, 100)).toThrow(FacetIndexError);
		expect(() => index.pageCandidates(q({}), 'desc', 0, 0, 100)).toThrow(FacetIndexError);
		expect(() => index.pageCandidates(q({ q: 'x' }), 'desc', 0, 20, 100)).toThrow(FacetIndexError);
	});

	it('sorted by the full order, the candidates give exactly the reference page (random rows, queries, pages, tie orders)', () => {
		const titleArb = fc.constantFrom('a', 'b', 'B', 'ä', 'z');
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.tuple(rowArb, titleArb), { selector: ([r]) => r.id, maxLength: 60 }),
				// Often unfiltered (full pages, large tie groups), by countries alone (the postings, merged
				// when several), or bounded by a date rows carry (the walk's start or end on a tie group).
				fc.oneof(
					fc.constant(q({})),
					fc
						.uniqueArray(fc.constantFrom(...COUNTRY_POOL), { minLength: 1, maxLength: 3 })
						.map((countries) => q({ countries })),
					fc
						.tuple(fc.integer({ min: 2014, max: 2031 }), fc.option(fc.constantFrom(...COUNTRY_POOL), { nil: null }))
						.map(([year, country]) => q({ to: `${year}-01-01`, countries: country ? [country] : [] })),
					queryArb
				),
				fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
				fc.oneof(fc.nat(6), fc.nat(70)),
				fc.integer({ min: 1, max: 25 }),
				fc.option(fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), { nil: null }),
				(pairs, query, direction, offset, limit, pick) => {
					// Few distinct dates, so ties are common.
					const rows = pairs.map(([r]) => ({
						...r,
						dateFrom: r.dateFrom === null ? null : r.dateFrom.slice(0, 4) + '-01-01'
					}));
					const tie = byTitle(new Map(pairs.map(([r, t]) => [r.id, t] as const)));
					const index = buildIndex(rows);
					const matched = pick ? new Set(rows.filter((_, i) => pick[i]).map((r) => r.id)) : undefined;
					const positions = matched
						? index.positionsOf([...matched].map((id) => id.replace(/-/g, '')).join(''))
						: undefined;
					const withText = matched ? { ...query, q: 'x' } : query;
					const expected = referencePage(rows, query, direction, tie, matched).slice(offset, offset + limit);
					const got = index.pageCandidates(withText, direction, offset, limit, Infinity, positions)!;
					// Candidates are matches only, and the page is where skip says.
					const allMatches = new Set(matchesOf(rows, query, matched).map((r) => r.id));
					for (const id of got.ids) expect(allMatches.has(id)).toBe(true);
					expect(pageFromCandidates(rows, got.ids, got.skip, limit, direction, tie).map((r) => r.id)).toEqual(
						expected.map((r) => r.id)
					);
					// A bound below the candidate count gives null, at or above it the same answer.
					if (got.ids.length > 0) {
						expect(index.pageCandidates(withText, direction, offset, limit, got.ids.length - 1, positions)).toBeNull();
						expect(index.pageCandidates(withText, direction, offset, limit, got.ids.length, positions)).toEqual(got);
					}
				}
			),
			{ numRuns: 400 }
		);
	});
});
