/**
 * An in-memory, columnar index of the published initiatives for totals and facet counts (ADR 0005).
 * Pure: built from compact rows (read by initiative-facet-index.repository.ts), it answers the same
 * `{ total, facets }` as the SQL `facetCounts(db, query, 'published')`, entry for entry and in the
 * same order, by scanning typed arrays instead of aggregating in the database.
 *
 * Layout (n rows, kept in ascending uuid order so ids from SQL map to positions by binary search):
 * - ids: 4 × Uint32 per row (the uuid's 16 bytes, big-endian words: the order PostgreSQL sorts uuids);
 * - action type, scope: Uint8 codes into per-index dictionaries; regional scope and predates-GCM: bit flags;
 * - date_from / date_to: Int32 day numbers (days since 1970-01-01), NULL as a sentinel no filter passes;
 *   the year of date_from as a Uint16 code (0 = no date);
 * - objectives and initiator kinds: Uint32 bitmasks over per-index dictionaries (at most 32 values each);
 * - countries: CSR (Uint32 offsets + Uint16 codes), duplicates kept as SQL's unnest would count them;
 * - byDate: the positions ordered by date_from, latest first, rows without a date last (ties in
 *   position order), so a page in date order is found by walking from the front (pageCandidates);
 *   a row's place in it is its rank;
 * - postings: per country code, the rows naming it (once per row), as ranks ascending (a page
 *   walks a country's rows in date order) and as positions ascending (counting visits them in
 *   column order): a country filter visits its own rows only.
 * Dictionaries are built from the data, so an index never needs to know the vocabularies.
 */
import { countriesInRegion, type InitiativeQuery } from './query';

export interface FacetCount {
	value: string;
	count: number;
}

/** The facets of a registry query, in the key order of the SQL answer. */
export interface Facets {
	action_type: FacetCount[];
	initiator_kind: FacetCount[];
	scope: FacetCount[];
	country: FacetCount[];
	objective: FacetCount[];
	regional_scope: FacetCount[];
	predates_gcm: FacetCount[];
	year: FacetCount[];
}

export interface FacetResult {
	total: number;
	facets: Facets;
}

/** One published initiative as the index needs it (NULL list elements are ignored, as SQL does). */
export interface FacetIndexRow {
	/** The uuid, canonical (8-4-4-4-12) or as 32 hex digits. */
	id: string;
	actionType: string;
	scope: string;
	regionalScope: boolean;
	predatesGcm: boolean;
	/** Days since 1970-01-01 of date_from / date_to; null when the record has no date. */
	dateFrom: number | null;
	dateTo: number | null;
	countries: readonly (string | null)[];
	objectives: readonly (number | null)[];
	initiatorKinds: readonly (string | null)[];
}

export class FacetIndexError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FacetIndexError';
	}
}

const NULL_FROM = 0x7fffffff; // `date_from <= to` is false for every real `to`
const NULL_TO = -0x80000000; // `date_to >= from` is false for every real `from`
const FLAG_REGIONAL = 1;
const FLAG_PREDATES = 2;
const MAX_BITS = 32;
const MAX_DAY_BUCKETS = 1 << 22;

/** The SQL's sort: larger counts first, then values in English collation with numeric digits. */
const collator = new Intl.Collator('en', { numeric: true });
function byCountThenValue(a: FacetCount, b: FacetCount): number {
	return b.count - a.count || collator.compare(a.value, b.value);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** The calendar year of a day number (inverse of daysFromCivil, year part). */
export function yearOfDay(days: number): number {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const month = mp < 10 ? mp + 3 : mp - 9;
	return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

/** Day number of an ISO yyyy-mm-dd date (the query's from/to bounds). */
export function dayNumber(iso: string): number {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
	if (!m) throw new FacetIndexError(`not an ISO date: ${iso}`);
	return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The uuid's 16 bytes as 4 big-endian Uint32 words, into `out` (the hot path of a build: no allocation). */
function idWords(id: string, out: Uint32Array): void {
	if (!UUID_RE.test(id)) throw new FacetIndexError(`not a uuid: ${id}`);
	if (id.length === 36) {
		out[0] = parseInt(id.slice(0, 8), 16);
		out[1] = parseInt(id.slice(9, 13) + id.slice(14, 18), 16);
		out[2] = parseInt(id.slice(19, 23) + id.slice(24, 28), 16);
		out[3] = parseInt(id.slice(28, 36), 16);
	} else if (id.length === 32) {
		for (let i = 0; i < 4; i++) out[i] = parseInt(id.slice(i * 8, i * 8 + 8), 16);
	} else {
		throw new FacetIndexError(`not a uuid: ${id}`);
	}
}

/** Growable typed array storage for the builder. */
class Column<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array> {
	length = 0;
	constructor(
		private data: T,
		private readonly make: (n: number) => T
	) {}
	push(v: number): void {
		if (this.length === this.data.length) {
			const bigger = this.make(Math.max(16, this.data.length * 2));
			bigger.set(this.data);
			this.data = bigger;
		}
		this.data[this.length++] = v;
	}
	done(): T {
		return this.data.slice(0, this.length) as T;
	}
}

class Dictionary<V> {
	readonly values: V[] = [];
	private readonly codes = new Map<V, number>();
	constructor(
		private readonly max: number,
		private readonly what: string,
		private readonly first = 0
	) {}
	code(v: V): number {
		let c = this.codes.get(v);
		if (c === undefined) {
			if (this.values.length >= this.max) throw new FacetIndexError(`more than ${this.max} distinct ${this.what}`);
			c = this.values.length + this.first;
			this.codes.set(v, c);
			this.values.push(v);
		}
		return c;
	}
	find(v: V): number | undefined {
		return this.codes.get(v);
	}
}

/** Builds an index from rows given in ascending id order (the order of the keyset reads). */
export class FacetIndexBuilder {
	private readonly ids = new Column(new Uint32Array(64), (n) => new Uint32Array(n));
	private readonly action = new Column(new Uint8Array(16), (n) => new Uint8Array(n));
	private readonly scope = new Column(new Uint8Array(16), (n) => new Uint8Array(n));
	private readonly flags = new Column(new Uint8Array(16), (n) => new Uint8Array(n));
	private readonly dateFrom = new Column(new Int32Array(16), (n) => new Int32Array(n));
	private readonly dateTo = new Column(new Int32Array(16), (n) => new Int32Array(n));
	private readonly year = new Column(new Uint16Array(16), (n) => new Uint16Array(n));
	private readonly objectives = new Column(new Uint32Array(16), (n) => new Uint32Array(n));
	private readonly kinds = new Column(new Uint32Array(16), (n) => new Uint32Array(n));
	private readonly countryOffsets = new Column(new Uint32Array(16), (n) => new Uint32Array(n));
	private readonly countryCodes = new Column(new Uint16Array(64), (n) => new Uint16Array(n));
	private readonly actionDict = new Dictionary<string>(256, 'action types');
	private readonly scopeDict = new Dictionary<string>(256, 'scopes');
	private readonly yearDict = new Dictionary<number>(65535, 'years', 1);
	private readonly objectiveDict = new Dictionary<number>(MAX_BITS, 'objectives');
	private readonly kindDict = new Dictionary<string>(MAX_BITS, 'initiator kinds');
	private readonly countryDict = new Dictionary<string>(65536, 'countries');
	private readonly last = new Uint32Array(4);
	private readonly words = new Uint32Array(4);
	private count = 0;

	constructor() {
		this.countryOffsets.push(0);
	}

	get size(): number {
		return this.count;
	}

	add(row: FacetIndexRow): void {
		const w = this.words;
		idWords(row.id, w);
		if (this.count > 0 && compareWords(w, this.last) <= 0) {
			throw new FacetIndexError(`rows must come in ascending id order (${row.id})`);
		}
		for (let i = 0; i < 4; i++) {
			this.ids.push(w[i]!);
			this.last[i] = w[i]!;
		}
		this.action.push(this.actionDict.code(row.actionType));
		this.scope.push(this.scopeDict.code(row.scope));
		this.flags.push((row.regionalScope ? FLAG_REGIONAL : 0) | (row.predatesGcm ? FLAG_PREDATES : 0));
		this.dateFrom.push(row.dateFrom ?? NULL_FROM);
		this.dateTo.push(row.dateTo ?? NULL_TO);
		this.year.push(row.dateFrom === null ? 0 : this.yearDict.code(yearOfDay(row.dateFrom)));
		this.objectives.push(this.mask(row.objectives, this.objectiveDict, 'objective'));
		this.kinds.push(this.mask(row.initiatorKinds, this.kindDict, 'initiator kind'));
		for (const c of row.countries) if (c !== null) this.countryCodes.push(this.countryDict.code(c));
		this.countryOffsets.push(this.countryCodes.length);
		this.count++;
	}

	/** A bitmask; a value listed twice in one row would be counted twice by SQL, so it is refused. */
	private mask<V>(values: readonly (V | null)[], dict: Dictionary<V>, what: string): number {
		let m = 0;
		for (const v of values) {
			if (v === null) continue;
			const bit = 1 << dict.code(v);
			if (m & bit) throw new FacetIndexError(`${what} ${String(v)} listed twice in one row`);
			m |= bit;
		}
		return m >>> 0;
	}

	finish(): FacetIndex {
		const dateFrom = this.dateFrom.done();
		const byDate = latestFirst(dateFrom);
		const countryOffsets = this.countryOffsets.done();
		const countryCodes = this.countryCodes.done();
		const postings = countryPostings(byDate, countryOffsets, countryCodes, this.countryDict.values.length);
		return new FacetIndex({
			size: this.count,
			ids: this.ids.done(),
			action: this.action.done(),
			scope: this.scope.done(),
			flags: this.flags.done(),
			dateFrom,
			byDate,
			postingOffsets: postings.offsets,
			postings: postings.ranks,
			postingPositions: postings.positions,
			dateTo: this.dateTo.done(),
			year: this.year.done(),
			objectives: this.objectives.done(),
			kinds: this.kinds.done(),
			countryOffsets,
			countryCodes,
			actionValues: this.actionDict.values,
			scopeValues: this.scopeDict.values,
			yearValues: this.yearDict.values,
			objectiveValues: this.objectiveDict.values,
			kindValues: this.kindDict.values,
			countryValues: this.countryDict.values
		});
	}
}

/**
 * Positions ordered by day number, latest first, NULL_FROM (no date) last; ties keep position
 * order. A counting sort over the days from the earliest to the latest date, so O(n + days).
 */
function latestFirst(dateFrom: Int32Array): Uint32Array {
	let min = Infinity;
	let max = -Infinity;
	for (const d of dateFrom) {
		if (d === NULL_FROM) continue;
		if (d < min) min = d;
		if (d > max) max = d;
	}
	const span = max >= min ? max - min + 1 : 0;
	if (span > MAX_DAY_BUCKETS) {
		// Dates spread over more than ~11,000 years: a comparison sort instead of the buckets.
		const order = (d: number) => (d === NULL_FROM ? -Infinity : d);
		return Uint32Array.from(dateFrom.keys()).sort((a, b) => order(dateFrom[b]!) - order(dateFrom[a]!) || a - b);
	}
	// Bucket b holds day max − b; the last bucket the undated (registry dates span a few thousand days).
	const undated = span;
	const bucketOf = (d: number) => (d === NULL_FROM ? undated : max - d);
	const starts = new Uint32Array(span + 2);
	for (const d of dateFrom) starts[bucketOf(d) + 1]!++;
	for (let i = 1; i < starts.length; i++) starts[i]! += starts[i - 1]!;
	const out = new Uint32Array(dateFrom.length);
	for (let p = 0; p < dateFrom.length; p++) out[starts[bucketOf(dateFrom[p]!)]!++] = p;
	return out;
}

/** Is `code` listed in the row's countries before index i (a country named twice is posted once)? */
function listedBefore(codes: Uint16Array, start: number, i: number): boolean {
	for (let j = start; j < i; j++) if (codes[j] === codes[i]) return true;
	return false;
}

/** Per country code, the ranks of its rows in ascending order (CSR: offsets into ranks). */
function countryPostings(
	byDate: Uint32Array,
	countryOffsets: Uint32Array,
	countryCodes: Uint16Array,
	nCountries: number
): { offsets: Uint32Array; ranks: Uint32Array; positions: Uint32Array } {
	const offsets = new Uint32Array(nCountries + 1);
	for (let p = 0; p < byDate.length; p++) {
		for (let i = countryOffsets[p]!, end = countryOffsets[p + 1]!; i < end; i++) {
			if (!listedBefore(countryCodes, countryOffsets[p]!, i)) offsets[countryCodes[i]! + 1]!++;
		}
	}
	for (let c = 1; c <= nCountries; c++) offsets[c]! += offsets[c - 1]!;
	const fill = (order: (k: number) => number, value: (k: number) => number): Uint32Array => {
		const next = offsets.slice(0, nCountries);
		const out = new Uint32Array(offsets[nCountries]!);
		for (let k = 0; k < byDate.length; k++) {
			const p = order(k);
			for (let i = countryOffsets[p]!, end = countryOffsets[p + 1]!; i < end; i++) {
				if (!listedBefore(countryCodes, countryOffsets[p]!, i)) out[next[countryCodes[i]!]!++] = value(k);
			}
		}
		return out;
	};
	return {
		offsets,
		ranks: fill(
			(r) => byDate[r]!,
			(r) => r
		),
		positions: fill(
			(p) => p,
			(p) => p
		)
	};
}

function compareWords(a: ArrayLike<number>, b: ArrayLike<number>, bOffset = 0): number {
	for (let i = 0; i < 4; i++) {
		const x = a[i]!;
		const y = b[bOffset + i]!;
		if (x !== y) return x < y ? -1 : 1;
	}
	return 0;
}

interface Columns {
	size: number;
	ids: Uint32Array;
	action: Uint8Array;
	scope: Uint8Array;
	flags: Uint8Array;
	dateFrom: Int32Array;
	byDate: Uint32Array;
	postingOffsets: Uint32Array;
	postings: Uint32Array;
	postingPositions: Uint32Array;
	dateTo: Int32Array;
	year: Uint16Array;
	objectives: Uint32Array;
	kinds: Uint32Array;
	countryOffsets: Uint32Array;
	countryCodes: Uint16Array;
	actionValues: string[];
	scopeValues: string[];
	yearValues: number[];
	objectiveValues: number[];
	kindValues: string[];
	countryValues: string[];
}

/** A membership table over dictionary codes for a list filter (`IN` / `&&`); null = no filter. */
function membership(values: readonly string[], lookup: (v: string) => number | undefined, size: number): Uint8Array {
	const table = new Uint8Array(size);
	for (const v of values) {
		const c = lookup(v);
		if (c !== undefined) table[c] = 1;
	}
	return table;
}

function bitsOf<V>(values: readonly V[], dictionary: readonly V[]): number {
	let m = 0;
	for (const v of values) {
		const i = dictionary.indexOf(v);
		if (i >= 0) m |= 1 << i;
	}
	return m >>> 0;
}

/** A query's filters over one index's codes (null or -1: no such filter). */
interface Filter {
	/**
	 * The codes of the query's countries (their postings hold every match), or null: every row is a
	 * candidate. A region's postings are not used: they cover a large share of the rows, visited out
	 * of column order, which measured slower than one pass over every row.
	 */
	countries: number[] | null;
	countryIn: Uint8Array | null;
	regionIn: Uint8Array | null;
	actionIn: Uint8Array | null;
	scopeIn: Uint8Array | null;
	kindMask: number;
	objectiveMask: number;
	flagMask: number;
	flagWant: number;
	fromDay: number | null;
	toDay: number | null;
}

/**
 * The filter as a test of one position (the SQL WHERE of filterConditions, minus the text). A
 * closure over local constants: V8 keeps them in registers across a scan of a million rows,
 * where reading them from objects on every row cost about a third more.
 */
function compileTest(c: Columns, f: Filter): (p: number) => boolean {
	const { action, scope, flags, dateFrom, dateTo, objectives, kinds, countryOffsets, countryCodes } = c;
	const { actionIn, scopeIn, flagMask, flagWant, fromDay, toDay, objectiveMask, kindMask, countryIn, regionIn } = f;
	return (p: number): boolean => {
		if (actionIn !== null && actionIn[action[p]!] === 0) return false;
		if (scopeIn !== null && scopeIn[scope[p]!] === 0) return false;
		if ((flags[p]! & flagMask) !== flagWant) return false;
		if (fromDay !== null && dateTo[p]! < fromDay) return false;
		if (toDay !== null && dateFrom[p]! > toDay) return false;
		if (objectiveMask !== -1 && (objectives[p]! & objectiveMask) === 0) return false;
		if (kindMask !== -1 && (kinds[p]! & kindMask) === 0) return false;
		if (countryIn === null && regionIn === null) return true;
		const start = countryOffsets[p]!;
		const end = countryOffsets[p + 1]!;
		if (countryIn !== null && !anyIn(countryIn, countryCodes, start, end)) return false;
		if (regionIn !== null && !anyIn(regionIn, countryCodes, start, end)) return false;
		return true;
	};
}

/** The candidates of one page in date order (see FacetIndex.pageCandidates). */
export interface PageCandidates {
	/** Canonical uuids of every match dated within the page's first and last dates, in no set order. */
	ids: string[];
	/** How many of them, in the full sort order, come before the page. */
	skip: number;
}

export class FacetIndex {
	private readonly c: Columns;
	private readonly countryCode: Map<string, number>;

	constructor(columns: Columns) {
		this.c = columns;
		this.countryCode = new Map(columns.countryValues.map((v, i) => [v, i] as const));
	}

	/** Number of indexed (published) initiatives. */
	get size(): number {
		return this.c.size;
	}

	/** Bytes held by the typed arrays (dictionaries are a few hundred short strings). */
	get byteLength(): number {
		const c = this.c;
		return [
			c.ids,
			c.action,
			c.scope,
			c.flags,
			c.dateFrom,
			c.byDate,
			c.postingOffsets,
			c.postings,
			c.postingPositions,
			c.dateTo,
			c.year,
			c.objectives,
			c.kinds,
			c.countryOffsets,
			c.countryCodes
		].reduce((s, a) => s + a.byteLength, 0);
	}

	/**
	 * Positions of ids given as concatenated 32-digit hex uuids (PostgreSQL's
	 * `encode(uuid_send(id), 'hex')`), sorted ascending; ids not in the index are skipped.
	 */
	positionsOf(packedHexIds: string): Uint32Array {
		if (packedHexIds.length % 32 !== 0 || !/^[0-9a-f]*$/i.test(packedHexIds)) {
			throw new FacetIndexError('ids must be concatenated 32-digit hex uuids');
		}
		const ids = this.c.ids;
		const out = new Uint32Array(packedHexIds.length / 32);
		const w = new Uint32Array(4);
		let k = 0;
		for (let s = 0; s < packedHexIds.length; s += 32) {
			for (let i = 0; i < 4; i++) w[i] = parseInt(packedHexIds.slice(s + i * 8, s + i * 8 + 8), 16);
			let lo = 0;
			let hi = this.c.size - 1;
			while (lo <= hi) {
				const mid = (lo + hi) >>> 1;
				const cmp = compareWords(w, ids, mid * 4);
				if (cmp === 0) {
					out[k++] = mid;
					break;
				}
				if (cmp > 0) lo = mid + 1;
				else hi = mid - 1;
			}
		}
		return out.slice(0, k).sort();
	}

	/** The query's filters compiled to this index's codes (the text is not among them). */
	private filterOf(query: InitiativeQuery): Filter {
		const c = this.c;
		const nCountries = c.countryValues.length;
		const codesOf = (values: readonly string[]) => {
			const out = new Set<number>();
			for (const v of values) {
				const code = this.countryCode.get(v);
				if (code !== undefined) out.add(code);
			}
			return [...out];
		};
		const table = (codes: readonly number[]) => {
			const t = new Uint8Array(nCountries);
			for (const code of codes) t[code] = 1;
			return t;
		};
		const countries = query.countries.length > 0 ? codesOf(query.countries) : null;
		const region = query.regions.length > 0 ? codesOf([...new Set(query.regions.flatMap(countriesInRegion))]) : null;
		const countryIn = countries && table(countries);
		const regionIn = region && table(region);
		return {
			countries,
			countryIn,
			regionIn,
			actionIn:
				query.actionTypes.length > 0
					? membership(query.actionTypes, (v) => indexOrUndefined(c.actionValues, v), c.actionValues.length)
					: null,
			scopeIn:
				query.scopes.length > 0
					? membership(query.scopes, (v) => indexOrUndefined(c.scopeValues, v), c.scopeValues.length)
					: null,
			kindMask: query.initiatorKinds.length > 0 ? bitsOf(query.initiatorKinds, c.kindValues) : -1,
			objectiveMask: query.objectives.length > 0 ? bitsOf(query.objectives, c.objectiveValues) : -1,
			flagMask: (query.regionalScope !== null ? FLAG_REGIONAL : 0) | (query.predatesGcm !== null ? FLAG_PREDATES : 0),
			flagWant: (query.regionalScope ? FLAG_REGIONAL : 0) | (query.predatesGcm ? FLAG_PREDATES : 0),
			fromDay: query.from ? dayNumber(query.from) : null,
			toDay: query.to ? dayNumber(query.to) : null
		};
	}

	/**
	 * The rows naming one of the filter's countries, each once and ascending, from `list` (the
	 * postings as positions, for counting, or as ranks, for walking in date order); null when the
	 * filter names no country (every row is a candidate).
	 */
	private countryPostings(f: Filter, list: Uint32Array): Uint32Array | null {
		if (f.countries === null) return null;
		const offsets = this.c.postingOffsets;
		if (f.countries.length === 1) {
			const code = f.countries[0]!;
			return list.subarray(offsets[code]!, offsets[code + 1]!);
		}
		// A row naming several of the countries is posted under each: merged once.
		const merged = new Set<number>();
		for (const code of f.countries) {
			for (let e = offsets[code]!, end = offsets[code + 1]!; e < end; e++) merged.add(list[e]!);
		}
		return Uint32Array.from(merged).sort();
	}

	/**
	 * The rows a page of the query in date order can hold, found by walking the rows in date order
	 * (for 'desc': date_from DESC NULLS LAST; 'asc': ASC NULLS LAST) until the page's last match and
	 * every row sharing its date are passed. The index does not know the tie-breakers (title, then
	 * key, in the database's collation), so it returns every match dated from the page's first date
	 * to its last, and how many of those come before the page: sorted by the full ORDER BY, rows
	 * skip … skip + limit − 1 of the candidates ARE the page (facet-index.spec.ts proves it against
	 * a reference sort). `matching`: the positions of the text's matches, required when `q` is set.
	 * Returns null when there would be more than `max` candidates (e.g. a page inside thousands of
	 * undated rows): the caller reads the page another way.
	 */
	pageCandidates(
		query: InitiativeQuery,
		direction: 'asc' | 'desc',
		offset: number,
		limit: number,
		max: number,
		matching?: Uint32Array
	): PageCandidates | null {
		if (query.q && !matching) throw new FacetIndexError('a full-text query needs the positions of its matches');
		if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
			throw new FacetIndexError('offset must be a whole number ≥ 0 and limit ≥ 1');
		}
		const c = this.c;
		const f = this.filterOf(query);
		let textIn: Uint8Array | null = null;
		if (matching) {
			textIn = new Uint8Array(c.size);
			for (const p of matching) textIn[p] = 1;
		}
		const { byDate, dateFrom } = c;
		const ranks = this.countryPostings(f, c.postings);
		const n = ranks ? ranks.length : c.size;
		const rankAt = ranks ? (k: number) => ranks[k]! : (k: number) => k;
		// Ranks run latest first with the undated at the end: ascending walks the dated part backwards.
		let dated = n;
		while (dated > 0 && dateFrom[byDate[rankAt(dated - 1)]!] === NULL_FROM) dated--;
		const at =
			direction === 'desc'
				? (k: number) => byDate[rankAt(k)]!
				: (k: number) => byDate[rankAt(k < dated ? dated - 1 - k : k)]!;
		const test = compileTest(c, f);
		const matches = textIn === null ? test : (p: number) => textIn[p] === 1 && test(p);
		// A `to` bound fails every row dated after it and every undated row: walk only the rows between.
		let startK = 0;
		let limitK = n;
		if (f.toDay !== null) {
			const toDay = f.toDay;
			if (direction === 'desc') {
				startK = firstWhere(0, dated, (k) => dateFrom[at(k)]! <= toDay);
				limitK = dated;
			} else {
				limitK = firstWhere(0, dated, (k) => dateFrom[at(k)]! > toDay);
			}
		}

		const end = offset + limit;
		let seen = 0; // matches walked past
		let day = NaN; // date of the current tie group
		let groupK = 0; // where it starts
		let groupSeen = 0; // matches before it
		let firstK = -1; // where the page's first tie group starts
		let before = 0; // matches before that group
		let stopK = limitK;
		for (let k = startK; k < limitK; k++) {
			const p = at(k);
			if (dateFrom[p] !== day) {
				if (seen >= end) {
					stopK = k;
					break;
				}
				day = dateFrom[p]!;
				groupK = k;
				groupSeen = seen;
			}
			if (!matches(p)) continue;
			if (seen === offset) {
				firstK = groupK;
				before = groupSeen;
			}
			seen++;
		}
		if (firstK < 0) return { ids: [], skip: 0 };
		if (seen - before > max) return null;
		const ids: string[] = [];
		for (let k = firstK; k < stopK; k++) {
			const p = at(k);
			if (matches(p)) ids.push(this.idAt(p));
		}
		return { ids, skip: offset - before };
	}

	/** The canonical uuid of the row at position p. */
	private idAt(p: number): string {
		const hex = (w: number) => w.toString(16).padStart(8, '0');
		const ids = this.c.ids;
		const a = hex(ids[p * 4]!);
		const b = hex(ids[p * 4 + 1]!);
		const cc = hex(ids[p * 4 + 2]!);
		const d = hex(ids[p * 4 + 3]!);
		return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${cc.slice(0, 4)}-${cc.slice(4)}${d}`;
	}

	/**
	 * Total and facets of the published initiatives under the query's filters (sort and page are
	 * ignored). A query with `q` needs `matching`: the positions of its full-text matches
	 * (positionsOf the ids SQL's `search_vector @@ websearch_to_tsquery(…)` returns).
	 */
	count(query: InitiativeQuery, matching?: Uint32Array): FacetResult {
		if (query.q && !matching) throw new FacetIndexError('a full-text query needs the positions of its matches');
		const c = this.c;
		const f = this.filterOf(query);
		const actionN = new Uint32Array(c.actionValues.length);
		const scopeN = new Uint32Array(c.scopeValues.length);
		const flagN = new Uint32Array(4); // by flags value: regional / predates combinations
		const yearN = new Uint32Array(c.yearValues.length + 1);
		const objectiveN = new Uint32Array(MAX_BITS);
		const kindN = new Uint32Array(MAX_BITS);
		const countryN = new Uint32Array(c.countryValues.length);
		let total = 0;

		const { action, scope, flags, year, objectives, kinds, countryOffsets, countryCodes } = c;
		const test = compileTest(c, f);
		// The rows to test: the text's matches, else the query's countries' rows, else every row.
		// Two copies of one loop body: a scan of every row is the hot path (a million rows at 1M),
		// and one loop for both, or the body as a function, measured a quarter slower.
		const rows = matching ?? this.countryPostings(f, c.postingPositions);
		if (rows === null) {
			for (let p = 0, n = c.size; p < n; p++) {
				if (!test(p)) continue;
				total++;
				actionN[action[p]!]!++;
				scopeN[scope[p]!]!++;
				flagN[flags[p]!]!++;
				yearN[year[p]!]!++;
				for (let m = objectives[p]!; m !== 0; m &= m - 1) objectiveN[31 - Math.clz32(m & -m)]!++;
				for (let m = kinds[p]!; m !== 0; m &= m - 1) kindN[31 - Math.clz32(m & -m)]!++;
				for (let i = countryOffsets[p]!, end = countryOffsets[p + 1]!; i < end; i++) countryN[countryCodes[i]!]!++;
			}
		} else {
			for (const p of rows) {
				if (!test(p)) continue;
				total++;
				actionN[action[p]!]!++;
				scopeN[scope[p]!]!++;
				flagN[flags[p]!]!++;
				yearN[year[p]!]!++;
				for (let m = objectives[p]!; m !== 0; m &= m - 1) objectiveN[31 - Math.clz32(m & -m)]!++;
				for (let m = kinds[p]!; m !== 0; m &= m - 1) kindN[31 - Math.clz32(m & -m)]!++;
				for (let i = countryOffsets[p]!, end = countryOffsets[p + 1]!; i < end; i++) countryN[countryCodes[i]!]!++;
			}
		}

		const entries = (counts: ArrayLike<number>, valueOf: (i: number) => string, from = 0): FacetCount[] => {
			const out: FacetCount[] = [];
			for (let i = from; i < counts.length; i++) if (counts[i]! > 0) out.push({ value: valueOf(i), count: counts[i]! });
			return out.sort(byCountThenValue);
		};
		const flagEntries = (bit: number): FacetCount[] => {
			let yes = 0;
			let no = 0;
			for (let f = 0; f < 4; f++) {
				if (f & bit) yes += flagN[f]!;
				else no += flagN[f]!;
			}
			const out: FacetCount[] = [];
			if (yes > 0) out.push({ value: 'true', count: yes });
			if (no > 0) out.push({ value: 'false', count: no });
			return out.sort(byCountThenValue);
		};
		return {
			total,
			facets: {
				action_type: entries(actionN, (i) => c.actionValues[i]!),
				initiator_kind: entries(kindN.subarray(0, c.kindValues.length), (i) => c.kindValues[i]!),
				scope: entries(scopeN, (i) => c.scopeValues[i]!),
				country: entries(countryN, (i) => c.countryValues[i]!),
				objective: entries(objectiveN.subarray(0, c.objectiveValues.length), (i) => String(c.objectiveValues[i]!)),
				regional_scope: flagEntries(FLAG_REGIONAL),
				predates_gcm: flagEntries(FLAG_PREDATES),
				year: entries(yearN, (i) => String(c.yearValues[i - 1]!), 1)
			}
		};
	}
}

function indexOrUndefined(values: readonly string[], v: string): number | undefined {
	const i = values.indexOf(v);
	return i >= 0 ? i : undefined;
}

/** The first k in [lo, hi) where `holds` is true, for a `holds` false then true along the range (else hi). */
function firstWhere(lo: number, hi: number, holds: (k: number) => boolean): number {
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (holds(mid)) hi = mid;
		else lo = mid + 1;
	}
	return lo;
}

function anyIn(table: Uint8Array, codes: Uint16Array, start: number, end: number): boolean {
	for (let i = start; i < end; i++) if (table[codes[i]!] === 1) return true;
	return false;
}
