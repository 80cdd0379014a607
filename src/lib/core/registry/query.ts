/**
 * The registry query: search text, filters, sort and page, parsed from URL parameters the same
 * way for pages, the JSON API and exports. Every value is checked against an allowlist, so
 * nothing a user types reaches SQL except as a bound parameter.
 */
import { COUNTRIES, isCountryCode, isObjectiveNumber } from '../reference';
import { validationError, type FieldIssue } from '../shared/errors';
import { parsePartialDate } from './partial-date';
import {
	ACTION_TYPES,
	INITIATOR_KINDS,
	SCOPES,
	SORTS,
	type ActionType,
	type InitiatorKind,
	type Scope,
	type Sort
} from './vocabulary';

export interface InitiativeQuery {
	q: string | null;
	countries: string[];
	/** M49 codes of regions, sub-regions or intermediate regions. */
	regions: string[];
	actionTypes: ActionType[];
	initiatorKinds: InitiatorKind[];
	scopes: Scope[];
	objectives: number[];
	regionalScope: boolean | null;
	predatesGcm: boolean | null;
	/** Inclusive day bounds (yyyy-mm-dd) derived from the partial dates given. */
	from: string | null;
	to: string | null;
	sort: Sort;
	limit: number;
	offset: number;
}

export const QUERY_PARAMS = [
	'q',
	'country',
	'region',
	'action_type',
	'initiator_kind',
	'scope',
	'objective',
	'regional_scope',
	'predates_gcm',
	'from',
	'to',
	'sort',
	'limit',
	'offset',
	'cursor'
] as const;

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 100_000;
export const MAX_Q = 200;

const REGION_CODES = new Set(
	COUNTRIES.flatMap((c) => [c.region?.code, c.subregion?.code, c.intermediateRegion?.code]).filter((x): x is string =>
		Boolean(x)
	)
);

export function isRegionCode(code: string): boolean {
	return REGION_CODES.has(code);
}

/** ISO3 codes of the countries inside an M49 region, sub-region or intermediate region. */
export function countriesInRegion(code: string): string[] {
	return COUNTRIES.filter(
		(c) => c.region?.code === code || c.subregion?.code === code || c.intermediateRegion?.code === code
	).map((c) => c.iso3);
}

function parseBool(v: string): boolean | undefined {
	if (v === 'true' || v === '1') return true;
	if (v === 'false' || v === '0') return false;
	return undefined;
}

/** Cursors are opaque to clients: base64url of the next offset. */
export function encodeCursor(offset: number): string {
	return btoa(`o:${offset}`).replace(/=+$/, '');
}

function decodeCursor(cursor: string): number | undefined {
	let text: string;
	try {
		text = atob(cursor);
	} catch {
		return undefined;
	}
	const m = /^o:(\d{1,7})$/.exec(text);
	return m ? Number(m[1]) : undefined;
}

export interface ParseOptions {
	/** Reject parameters that are not part of the query (the API does; pages ignore e.g. `lang`). */
	strict: boolean;
}

/**
 * Parses URL parameters into a query. Throws a VALIDATION_FAILED DomainError naming each bad
 * parameter. Repeated parameters (or comma-separated values) are OR-ed within a filter.
 */
export function parseInitiativeQuery(params: URLSearchParams, options: ParseOptions): InitiativeQuery {
	const issues: FieldIssue[] = [];
	const known = new Set<string>(QUERY_PARAMS);
	if (options.strict) {
		for (const name of new Set(params.keys())) {
			if (!known.has(name)) issues.push({ field: name, message: 'is not a known parameter' });
		}
	}
	const list = (name: string): string[] =>
		params
			.getAll(name)
			.flatMap((v) => v.split(','))
			.map((v) => v.trim())
			.filter((v) => v !== '');
	const single = (name: string): string | null => {
		const all = params.getAll(name).filter((v) => v !== '');
		if (all.length > 1) issues.push({ field: name, message: 'may be given only once' });
		return all[0] ?? null;
	};
	const enumList = <T extends string>(name: string, allowed: readonly T[]): T[] => {
		const out: T[] = [];
		for (const v of list(name)) {
			if ((allowed as readonly string[]).includes(v)) out.push(v as T);
			else issues.push({ field: name, message: `"${truncate(v)}" is not one of ${allowed.join(', ')}` });
		}
		return [...new Set(out)];
	};

	const qRaw = single('q');
	let q: string | null = null;
	if (qRaw !== null) {
		if (qRaw.length > MAX_Q) issues.push({ field: 'q', message: `must be at most ${MAX_Q} characters` });
		// eslint-disable-next-line no-control-regex -- rejecting control characters is the intent
		else if (/[\u0000-\u001F\u007F]/.test(qRaw)) issues.push({ field: 'q', message: 'contains control characters' });
		else q = qRaw.trim() || null;
	}

	const countries: string[] = [];
	for (const v of list('country')) {
		const code = v.toUpperCase();
		if (isCountryCode(code)) countries.push(code);
		else issues.push({ field: 'country', message: `"${truncate(v)}" is not an ISO 3166-1 alpha-3 code` });
	}
	const regions: string[] = [];
	for (const v of list('region')) {
		if (isRegionCode(v)) regions.push(v);
		else issues.push({ field: 'region', message: `"${truncate(v)}" is not a UN M49 region code (e.g. 002 Africa)` });
	}
	const objectives: number[] = [];
	for (const v of list('objective')) {
		const n = /^\d{1,2}$/.test(v) ? Number(v) : NaN;
		if (isObjectiveNumber(n)) objectives.push(n);
		else issues.push({ field: 'objective', message: `"${truncate(v)}" is not a GCM objective number (1-23)` });
	}
	const boolParam = (name: string): boolean | null => {
		const v = single(name);
		if (v === null) return null;
		const b = parseBool(v);
		if (b === undefined) {
			issues.push({ field: name, message: 'must be true or false' });
			return null;
		}
		return b;
	};
	const dateParam = (name: 'from' | 'to'): string | null => {
		const v = single(name);
		if (v === null) return null;
		const d = parsePartialDate(v);
		if (!d) {
			issues.push({ field: name, message: 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD' });
			return null;
		}
		return name === 'from' ? d.first : d.last;
	};
	const intParam = (name: string, min: number, max: number, fallback: number): number => {
		const v = single(name);
		if (v === null) return fallback;
		if (!/^\d{1,7}$/.test(v) || Number(v) < min || Number(v) > max) {
			issues.push({ field: name, message: `must be an integer from ${min} to ${max}` });
			return fallback;
		}
		return Number(v);
	};

	const sortRaw = single('sort');
	let sort: Sort = q ? 'relevance' : 'date_desc';
	if (sortRaw !== null) {
		if ((SORTS as readonly string[]).includes(sortRaw)) sort = sortRaw as Sort;
		else issues.push({ field: 'sort', message: `must be one of ${SORTS.join(', ')}` });
	}
	if (sort === 'relevance' && !q) sort = 'date_desc';

	const from = dateParam('from');
	const to = dateParam('to');
	if (from && to && to < from) issues.push({ field: 'to', message: 'is before from' });

	let offset = intParam('offset', 0, MAX_OFFSET, 0);
	const cursor = single('cursor');
	if (cursor !== null) {
		if (params.has('offset')) issues.push({ field: 'cursor', message: 'cannot be combined with offset' });
		const decoded = decodeCursor(cursor);
		if (decoded === undefined || decoded > MAX_OFFSET)
			issues.push({ field: 'cursor', message: 'is not a valid cursor' });
		else offset = decoded;
	}

	const query: InitiativeQuery = {
		q,
		countries: [...new Set(countries)],
		regions: [...new Set(regions)],
		actionTypes: enumList('action_type', ACTION_TYPES),
		initiatorKinds: enumList('initiator_kind', INITIATOR_KINDS),
		scopes: enumList('scope', SCOPES),
		objectives: [...new Set(objectives)],
		regionalScope: boolParam('regional_scope'),
		predatesGcm: boolParam('predates_gcm'),
		from,
		to,
		sort,
		limit: intParam('limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
		offset
	};
	if (issues.length > 0) throw validationError(issues);
	return query;
}

function truncate(v: string): string {
	return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

/** Serializes a query back to URL parameters (for links, pagination and download URLs). */
export function queryToParams(
	query: InitiativeQuery,
	overrides: Partial<Record<string, string | null>> = {}
): URLSearchParams {
	const p = new URLSearchParams();
	if (query.q) p.set('q', query.q);
	for (const c of query.countries) p.append('country', c);
	for (const r of query.regions) p.append('region', r);
	for (const a of query.actionTypes) p.append('action_type', a);
	for (const k of query.initiatorKinds) p.append('initiator_kind', k);
	for (const s of query.scopes) p.append('scope', s);
	for (const o of query.objectives) p.append('objective', String(o));
	if (query.regionalScope !== null) p.set('regional_scope', String(query.regionalScope));
	if (query.predatesGcm !== null) p.set('predates_gcm', String(query.predatesGcm));
	if (query.from) p.set('from', query.from);
	if (query.to) p.set('to', query.to);
	const defaultSort = query.q ? 'relevance' : 'date_desc';
	if (query.sort !== defaultSort) p.set('sort', query.sort);
	if (query.limit !== DEFAULT_LIMIT) p.set('limit', String(query.limit));
	if (query.offset > 0) p.set('offset', String(query.offset));
	for (const [k, v] of Object.entries(overrides)) {
		if (v === null || v === undefined) p.delete(k);
		else p.set(k, v);
	}
	return p;
}

export function emptyQuery(): InitiativeQuery {
	return parseInitiativeQuery(new URLSearchParams(), { strict: true });
}
