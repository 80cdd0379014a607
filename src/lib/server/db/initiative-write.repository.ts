/**
 * Single-record initiative writes for the editing workflow: insert a draft, versioned updates and
 * status transitions (`… WHERE id = $1 AND version = $2`, so a stale writer changes nothing), and
 * the revision history. Callers own the transaction (and bump the data version and audit in it).
 */
import { sql } from 'drizzle-orm';
import type { Initiative, InitiativeInput } from '../../core/registry/initiative';
import { dateInterval } from '../../core/registry/partial-date';
import { searchExtraFor } from '../../core/registry/search-text';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import { actorKey, arrayLiteral, findInitiative } from './initiative.repository';
import { isoTimestamp, list, rows } from './sql';
import { transitionRecord } from './record-workflow.repository';

type Executor = Pick<Db, 'execute'>;

/** An initiative with the fields the access policy looks at. */
export interface WorkflowInitiative extends Initiative {
	ownerOrganisationId: string | null;
	createdBy: string | null;
	publishedAt: string | null;
}

/** The list fields stored in child tables (replaced only when they change). */
export type ListField = 'initiatorKinds' | 'initiators' | 'countries' | 'objectives' | 'principles' | 'sources';
export const LIST_FIELDS: readonly ListField[] = [
	'initiatorKinds',
	'initiators',
	'countries',
	'objectives',
	'principles',
	'sources'
];

/** The full record (any status) with its owner, creator and publication time, or null. */
export async function findWorkflowInitiative(db: Executor, id: string): Promise<WorkflowInitiative | null> {
	const base = await findInitiative(db, id, 'all');
	if (!base) return null;
	const [extra] = await rows<{
		owner_organisation_id: string | null;
		created_by: string | null;
		published_at: string | null;
	}>(
		db,
		sql`SELECT owner_organisation_id, created_by, ${isoTimestamp(sql`published_at`)} AS published_at
		    FROM initiative WHERE id = ${id}::uuid`
	);
	if (!extra) return null;
	return {
		...base,
		ownerOrganisationId: extra.owner_organisation_id,
		createdBy: extra.created_by,
		publishedAt: extra.published_at
	};
}

/** The scalar columns of a record, derived columns included (dates interval, search text, arrays). */
function columnValues(input: InitiativeInput) {
	const interval = dateInterval(input.dateStart, input.dateEnd);
	return sql`key = ${input.key}, title = ${input.title}, description = ${input.description},
		action_type = ${input.actionType}, scope = ${input.scope}, regional_scope = ${input.regionalScope},
		region = ${input.region}, date_start = ${input.dateStart}, date_end = ${input.dateEnd},
		date_precision = ${input.datePrecision}, date_text = ${input.dateText},
		date_from = ${interval?.from ?? null}::date, date_to = ${interval?.to ?? null}::date,
		predates_gcm = ${input.predatesGcm}, verification_status = ${input.verificationStatus},
		report_table = ${input.reportTable}, report_row = ${input.reportRow}::int, original_text = ${input.originalText},
		search_extra = ${searchExtraFor(input)}, country_codes = ${arrayLiteral(input.countries)}::text[],
		objective_numbers = ${arrayLiteral(input.objectives.map(String))}::smallint[],
		initiator_kind_keys = ${arrayLiteral(input.initiatorKinds)}::text[]`;
}

/** Rewrites the child rows of the given list fields (the record's own columns are written by the caller). */
async function writeLists(
	tx: Executor,
	id: string,
	input: InitiativeInput,
	fields: readonly ListField[]
): Promise<void> {
	for (const field of fields) {
		switch (field) {
			case 'initiatorKinds':
				await tx.execute(sql`DELETE FROM initiative_initiator_kind WHERE initiative_id = ${id}::uuid`);
				for (const k of input.initiatorKinds) {
					await tx.execute(sql`INSERT INTO initiative_initiator_kind (initiative_id, kind) VALUES (${id}::uuid, ${k})`);
				}
				break;
			case 'initiators': {
				await tx.execute(sql`DELETE FROM initiative_actor WHERE initiative_id = ${id}::uuid`);
				const seen = new Set<string>();
				for (const [pos, name] of input.initiators.entries()) {
					const [actor] = await rows<{ id: string }>(
						tx,
						sql`INSERT INTO actor (name, name_key) VALUES (${name}, ${actorKey(name)})
						    ON CONFLICT (name_key) DO UPDATE SET name_key = EXCLUDED.name_key RETURNING id`
					);
					if (!actor || seen.has(actor.id)) continue;
					seen.add(actor.id);
					await tx.execute(
						sql`INSERT INTO initiative_actor (initiative_id, actor_id, position) VALUES (${id}::uuid, ${actor.id}::uuid, ${pos})`
					);
				}
				break;
			}
			case 'countries':
				await tx.execute(sql`DELETE FROM initiative_country WHERE initiative_id = ${id}::uuid`);
				for (const c of input.countries) {
					await tx.execute(sql`INSERT INTO initiative_country (initiative_id, iso3) VALUES (${id}::uuid, ${c})`);
				}
				break;
			case 'objectives':
				await tx.execute(sql`DELETE FROM initiative_objective WHERE initiative_id = ${id}::uuid`);
				for (const o of input.objectives) {
					await tx.execute(sql`INSERT INTO initiative_objective (initiative_id, objective) VALUES (${id}::uuid, ${o})`);
				}
				break;
			case 'principles':
				await tx.execute(sql`DELETE FROM initiative_principle WHERE initiative_id = ${id}::uuid`);
				for (const p of input.principles) {
					await tx.execute(sql`INSERT INTO initiative_principle (initiative_id, principle) VALUES (${id}::uuid, ${p})`);
				}
				break;
			case 'sources':
				await tx.execute(sql`DELETE FROM initiative_source WHERE initiative_id = ${id}::uuid`);
				for (const [pos, s] of input.sources.entries()) {
					await tx.execute(
						sql`INSERT INTO initiative_source (initiative_id, position, citation, url) VALUES (${id}::uuid, ${pos}, ${s.citation}, ${s.url})`
					);
				}
				break;
		}
	}
}

/** Inserts a draft; null when the key is already taken. */
export async function insertDraft(
	tx: Executor,
	input: InitiativeInput,
	owner: { ownerOrganisationId: string | null; createdBy: string | null }
): Promise<string | null> {
	const interval = dateInterval(input.dateStart, input.dateEnd);
	const [row] = await rows<{ id: string }>(
		tx,
		sql`INSERT INTO initiative (key, title, description, action_type, scope, regional_scope, region, date_start, date_end,
		      date_precision, date_text, date_from, date_to, predates_gcm, verification_status, report_table, report_row,
		      original_text, status, search_extra, country_codes, objective_numbers, initiator_kind_keys,
		      owner_organisation_id, created_by)
		    VALUES (${input.key}, ${input.title}, ${input.description}, ${input.actionType}, ${input.scope}, ${input.regionalScope},
		      ${input.region}, ${input.dateStart}, ${input.dateEnd}, ${input.datePrecision}, ${input.dateText},
		      ${interval?.from ?? null}::date, ${interval?.to ?? null}::date, ${input.predatesGcm}, ${input.verificationStatus},
		      ${input.reportTable}, ${input.reportRow}::int, ${input.originalText}, 'draft', ${searchExtraFor(input)},
		      ${arrayLiteral(input.countries)}::text[], ${arrayLiteral(input.objectives.map(String))}::smallint[],
		      ${arrayLiteral(input.initiatorKinds)}::text[], ${owner.ownerOrganisationId}::uuid, ${owner.createdBy}::uuid)
		    ON CONFLICT (key) DO NOTHING RETURNING id`
	);
	if (!row) return null;
	await writeLists(tx, row.id, input, LIST_FIELDS);
	return row.id;
}

/**
 * Writes the record's content if it is still at `expectedVersion` (and in one of `states`), and
 * bumps the version. Child rows are rewritten only for `changedLists`. False: nothing written.
 */
export async function updateContent(
	tx: Executor,
	id: string,
	expectedVersion: number,
	states: readonly RecordStatus[],
	input: InitiativeInput,
	changedLists: readonly ListField[]
): Promise<boolean> {
	const updated = await rows<{ id: string }>(
		tx,
		sql`UPDATE initiative SET ${columnValues(input)}, version = version + 1, updated_at = now()
		    WHERE id = ${id}::uuid AND version = ${expectedVersion} AND status IN ${list(states)} RETURNING id`
	);
	if (updated.length === 0) return false;
	await writeLists(tx, id, input, changedLists);
	return true;
}

/** Moves the record from one of `from` to `to` if it is still at `expectedVersion`. False: nothing written. */
export function transition(
	tx: Executor,
	id: string,
	expectedVersion: number,
	from: readonly RecordStatus[],
	to: RecordStatus
): Promise<boolean> {
	return transitionRecord(tx, 'initiative', id, expectedVersion, from, to);
}

export interface RevisionInput {
	initiativeId: string;
	version: number;
	status: RecordStatus;
	snapshot: WorkflowInitiative;
	changedBy: string | null;
	comment: string | null;
	at: Date;
}

export interface Revision {
	version: number;
	status: RecordStatus;
	snapshot: WorkflowInitiative;
	changedBy: string | null;
	comment: string | null;
	at: string;
}

/** One revision per version; the primary key (initiative, version) refuses a second writer of the same version. */
export async function insertRevision(tx: Executor, r: RevisionInput): Promise<void> {
	await tx.execute(
		sql`INSERT INTO initiative_revision (initiative_id, version, status, snapshot, changed_by, comment, at)
		    VALUES (${r.initiativeId}::uuid, ${r.version}, ${r.status}, ${JSON.stringify(r.snapshot)}::jsonb,
		      ${r.changedBy}::uuid, ${r.comment}, ${r.at.toISOString()}::timestamptz)`
	);
}

/** Every revision of a record, oldest first. */
export async function listRevisions(db: Executor, id: string): Promise<Revision[]> {
	const r = await rows<{
		version: number;
		status: string;
		snapshot: WorkflowInitiative | string;
		changed_by: string | null;
		comment: string | null;
		at: string;
	}>(
		db,
		sql`SELECT version, status, snapshot, changed_by, comment, ${isoTimestamp(sql`at`)} AS at
		    FROM initiative_revision WHERE initiative_id = ${id}::uuid ORDER BY version`
	);
	return r.map((x) => ({
		version: Number(x.version),
		status: x.status as RecordStatus,
		snapshot: typeof x.snapshot === 'string' ? (JSON.parse(x.snapshot) as WorkflowInitiative) : x.snapshot,
		changedBy: x.changed_by,
		comment: x.comment,
		at: x.at
	}));
}
