/**
 * Public suggestions of initiatives: insert, the review queue, and the decisions (accept / reject),
 * each decision a conditional `UPDATE … WHERE status = 'new'` so two reviewers cannot both decide.
 * Callers own the transaction (and write the audit row in it).
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { isoTimestamp, list, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

export type SuggestionStatus = 'new' | 'accepted' | 'rejected';

export interface SuggestionRow {
	id: string;
	payload: unknown;
	contact: string | null;
	status: SuggestionStatus;
	initiativeId: string | null;
	reviewedBy: string | null;
	reviewedAt: string | null;
	submittedAt: string;
}

interface RawRow {
	id: string;
	payload: unknown;
	contact: string | null;
	status: SuggestionStatus;
	initiative_id: string | null;
	reviewed_by: string | null;
	reviewed_at: string | null;
	submitted_at: string;
}

const COLUMNS = sql`id, payload, contact, status, initiative_id, reviewed_by,
	${isoTimestamp(sql`reviewed_at`)} AS reviewed_at, ${isoTimestamp(sql`submitted_at`)} AS submitted_at`;

function toRow(r: RawRow): SuggestionRow {
	return {
		id: r.id,
		// node-postgres parses jsonb; PGlite too — but a string would mean double-encoded JSON.
		payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload,
		contact: r.contact,
		status: r.status,
		initiativeId: r.initiative_id,
		reviewedBy: r.reviewed_by,
		reviewedAt: r.reviewed_at,
		submittedAt: r.submitted_at
	};
}

export async function insertSuggestion(
	db: Executor,
	input: { payload: unknown; contact: string | null; at: Date }
): Promise<string> {
	const [row] = await rows<{ id: string }>(
		db,
		sql`INSERT INTO suggestion (payload, contact, submitted_at)
		    VALUES (${JSON.stringify(input.payload)}::jsonb, ${input.contact}, ${input.at.toISOString()}::timestamptz)
		    RETURNING id`
	);
	if (!row) throw new Error('suggestion insert returned no row');
	return row.id;
}

export async function findSuggestion(db: Executor, id: string): Promise<SuggestionRow | null> {
	const [row] = await rows<RawRow>(db, sql`SELECT ${COLUMNS} FROM suggestion WHERE id = ${id}::uuid`);
	return row ? toRow(row) : null;
}

/**
 * The queue, newest first. `countries`: null = every suggestion; otherwise only those whose
 * payload names at least one of these countries (an empty list matches nothing).
 */
export async function listSuggestions(
	db: Executor,
	filter: { status: SuggestionStatus; countries: readonly string[] | null; limit: number }
): Promise<SuggestionRow[]> {
	if (filter.countries !== null && filter.countries.length === 0) return [];
	const scope =
		filter.countries === null
			? sql``
			: sql`AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(payload->'countries') AS c(code)
			                 WHERE c.code IN ${list(filter.countries)})`;
	const found = await rows<RawRow>(
		db,
		sql`SELECT ${COLUMNS} FROM suggestion WHERE status = ${filter.status} ${scope}
		    ORDER BY submitted_at DESC, id LIMIT ${filter.limit}`
	);
	return found.map(toRow);
}

/** new → accepted (without its draft yet); false when someone else decided first. */
export async function claimSuggestion(db: Executor, id: string, reviewerId: string | null, at: Date): Promise<boolean> {
	const done = await rows<{ id: string }>(
		db,
		sql`UPDATE suggestion SET status = 'accepted', reviewed_by = ${reviewerId}::uuid, reviewed_at = ${at.toISOString()}::timestamptz
		    WHERE id = ${id}::uuid AND status = 'new' RETURNING id`
	);
	return done.length === 1;
}

/** Undoes a claim whose draft could not be created (back to the queue). */
export async function releaseSuggestion(db: Executor, id: string): Promise<void> {
	await db.execute(
		sql`UPDATE suggestion SET status = 'new', reviewed_by = NULL, reviewed_at = NULL
		    WHERE id = ${id}::uuid AND status = 'accepted' AND initiative_id IS NULL`
	);
}

/** Links a claimed suggestion to the draft made from it. */
export async function linkSuggestion(db: Executor, id: string, initiativeId: string): Promise<boolean> {
	const done = await rows<{ id: string }>(
		db,
		sql`UPDATE suggestion SET initiative_id = ${initiativeId}::uuid
		    WHERE id = ${id}::uuid AND status = 'accepted' AND initiative_id IS NULL RETURNING id`
	);
	return done.length === 1;
}

/** new → rejected; false when someone else decided first. */
export async function rejectSuggestion(
	db: Executor,
	id: string,
	reviewerId: string | null,
	at: Date
): Promise<boolean> {
	const done = await rows<{ id: string }>(
		db,
		sql`UPDATE suggestion SET status = 'rejected', reviewed_by = ${reviewerId}::uuid, reviewed_at = ${at.toISOString()}::timestamptz
		    WHERE id = ${id}::uuid AND status = 'new' RETURNING id`
	);
	return done.length === 1;
}

/** The rejection reasons, read from the audit trail (the suggestion table has no column for them). */
export async function rejectionReasons(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
	if (ids.length === 0) return new Map();
	const found = await rows<{ object_id: string; reason: string | null }>(
		db,
		sql`SELECT object_id, changes->'reason'->>'after' AS reason FROM audit_event
		    WHERE object_type = 'suggestion' AND action = 'suggestion.rejected' AND object_id IN ${list(ids)}
		    ORDER BY id`
	);
	return new Map(found.filter((r) => r.reason !== null).map((r) => [r.object_id, r.reason as string]));
}
