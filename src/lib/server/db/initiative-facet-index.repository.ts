/**
 * Reads behind the in-memory facet index (ADR 0005): the compact rows of published initiatives,
 * streamed in keyset chunks; the ids of published initiatives matching a full-text query; and the
 * persisted public unfiltered counts of a data version (registry_count_snapshot). Published only:
 * nothing here can return a draft.
 */
import { sql } from 'drizzle-orm';
import type { FacetIndexRow, FacetResult } from '../../core/registry/facet-index';
import type { Db } from './client';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** Rows per keyset read: small enough that one read does not hold PGlite's single thread for long. */
export const FACET_INDEX_CHUNK = 4000;

interface CompactRow {
	id: string;
	action_type: string;
	scope: string;
	regional_scope: boolean;
	predates_gcm: boolean;
	date_from: number | null;
	date_to: number | null;
	country_codes: string | null;
	objective_numbers: string | null;
	initiator_kind_keys: string | null;
}

/**
 * Lists travel as text joined by a control character (arrays would be parsed element by element
 * by the driver): US (0x1f) cannot occur in a country code, an objective number or a vocabulary
 * key, and NULL elements are dropped by array_to_string exactly as SQL's unnest + GROUP BY drops them.
 */
const SEP = '\u001f';
const split = (s: string | null): string[] => (s ? s.split(SEP) : []);

function toRow(r: CompactRow): FacetIndexRow {
	return {
		id: r.id,
		actionType: r.action_type,
		scope: r.scope,
		regionalScope: r.regional_scope,
		predatesGcm: r.predates_gcm,
		dateFrom: r.date_from === null ? null : Number(r.date_from),
		dateTo: r.date_to === null ? null : Number(r.date_to),
		countries: split(r.country_codes),
		objectives: split(r.objective_numbers).map(Number),
		initiatorKinds: split(r.initiator_kind_keys)
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
		const got: CompactRow[] = await rows<CompactRow>(
			db,
			sql`SELECT i.id::text AS id, i.action_type, i.scope, i.regional_scope, i.predates_gcm,
			      i.date_from - DATE '1970-01-01' AS date_from, i.date_to - DATE '1970-01-01' AS date_to,
			      array_to_string(i.country_codes, ${SEP}) AS country_codes,
			      array_to_string(i.objective_numbers, ${SEP}) AS objective_numbers,
			      array_to_string(i.initiator_kind_keys, ${SEP}) AS initiator_kind_keys
			    FROM initiative i
			    WHERE i.status = 'published' ${after === null ? sql`` : sql`AND i.id > ${after}::uuid`}
			    ORDER BY i.id LIMIT ${chunk}`
		);
		if (got.length === 0) return;
		yield got.map(toRow);
		if (got.length < chunk) return;
		after = got[got.length - 1]!.id;
	}
}

/**
 * Ids of the published initiatives matching a full-text query (the GIN-indexed `search_vector`,
 * the same condition as the registry search), as concatenated 32-digit hex: one text value
 * instead of one row per match.
 */
export async function publishedIdsMatching(db: Executor, q: string): Promise<string> {
	const r = await rows<{ ids: string | null }>(
		db,
		sql`SELECT encode(string_agg(uuid_send(i.id), ''::bytea), 'hex') AS ids FROM initiative i
		    WHERE i.status = 'published' AND i.search_vector @@ websearch_to_tsquery('english', ${q})`
	);
	return r[0]?.ids ?? '';
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
