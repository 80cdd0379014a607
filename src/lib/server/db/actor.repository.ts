/**
 * Actor persistence for the editing workflow and the public actor pages.
 *
 * Public visibility (decision, docs/security.md): an actor is public when its status is
 * `published` AND it was published through the workflow (`published_at` set) or a published
 * initiative names it. Actors created implicitly — by imports or by naming a new initiator in an
 * initiative draft — default to `published` with no `published_at`, so a draft initiative never
 * makes a new actor page appear: the actor shows once an initiative naming it is published.
 */
import { sql } from 'drizzle-orm';
import type { Actor, ActorInput } from '../../core/registry/actor';
import type { InitiatorKind, RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import { actorKey } from './initiative.repository';
import { transitionRecord, workItemCondition, type WorkItem, type WorkItemFilter } from './record-workflow.repository';
import { isoTimestamp, list, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** An actor with the fields the access policy looks at; `countries` is its home country as a list. */
export interface WorkflowActor extends Actor {
	ownerOrganisationId: string | null;
	createdBy: string | null;
	publishedAt: string | null;
	countries: string[];
}

interface ActorRow {
	id: string;
	name: string;
	description: string;
	website: string | null;
	country: string | null;
	kind: string | null;
	status: string;
	version: number;
	owner_organisation_id: string | null;
	created_by: string | null;
	published_at: string | null;
	created_at: string;
	updated_at: string;
}

const SELECT = sql`a.id, a.name, a.description, a.website, a.country, a.kind, a.status, a.version,
	a.owner_organisation_id, a.created_by, ${isoTimestamp(sql`a.published_at`)} AS published_at,
	${isoTimestamp(sql`a.created_at`)} AS created_at, ${isoTimestamp(sql`a.updated_at`)} AS updated_at`;

/** The public-visibility rule above, as SQL over alias `a`. */
const PUBLICLY_VISIBLE = sql`a.status = 'published' AND (a.published_at IS NOT NULL OR EXISTS (
	SELECT 1 FROM initiative_actor ia JOIN initiative i ON i.id = ia.initiative_id
	WHERE ia.actor_id = a.id AND i.status = 'published'))`;

function toActor(r: ActorRow): WorkflowActor {
	return {
		id: r.id,
		name: r.name,
		description: r.description,
		website: r.website,
		country: r.country,
		kind: r.kind as InitiatorKind | null,
		status: r.status as RecordStatus,
		version: Number(r.version),
		ownerOrganisationId: r.owner_organisation_id,
		createdBy: r.created_by,
		publishedAt: r.published_at,
		countries: r.country ? [r.country] : [],
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

export async function findWorkflowActor(db: Executor, id: string): Promise<WorkflowActor | null> {
	const found = await rows<ActorRow>(db, sql`SELECT ${SELECT} FROM actor a WHERE a.id = ${id}::uuid`);
	return found[0] ? toActor(found[0]) : null;
}

/** The id of the actor with this name (by its normalised key), other than `exceptId`. */
export async function actorNameTaken(db: Executor, name: string, exceptId: string | null): Promise<boolean> {
	const except = exceptId ? sql`AND id <> ${exceptId}::uuid` : sql``;
	const found = await rows<{ id: string }>(
		db,
		sql`SELECT id FROM actor WHERE name_key = ${actorKey(name)} ${except} LIMIT 1`
	);
	return found.length > 0;
}

/** Inserts a draft; null when an actor with the same normalised name exists. */
export async function insertActorDraft(
	tx: Executor,
	a: ActorInput,
	owner: { ownerOrganisationId: string | null; createdBy: string | null }
): Promise<string | null> {
	const [row] = await rows<{ id: string }>(
		tx,
		sql`INSERT INTO actor (name, name_key, description, website, country, kind, status, owner_organisation_id, created_by)
		    VALUES (${a.name}, ${actorKey(a.name)}, ${a.description}, ${a.website}, ${a.country}, ${a.kind}, 'draft',
		      ${owner.ownerOrganisationId}::uuid, ${owner.createdBy}::uuid)
		    ON CONFLICT (name_key) DO NOTHING RETURNING id`
	);
	return row?.id ?? null;
}

/** Writes the content if still at `expectedVersion` and in one of `states`. False: nothing written. */
export async function updateActorContent(
	tx: Executor,
	id: string,
	expectedVersion: number,
	states: readonly RecordStatus[],
	a: ActorInput
): Promise<boolean> {
	const updated = await rows<{ id: string }>(
		tx,
		sql`UPDATE actor SET name = ${a.name}, name_key = ${actorKey(a.name)}, description = ${a.description},
		      website = ${a.website}, country = ${a.country}, kind = ${a.kind}, version = version + 1, updated_at = now()
		    WHERE id = ${id}::uuid AND version = ${expectedVersion} AND status IN ${list(states)} RETURNING id`
	);
	return updated.length > 0;
}

/** Moves the record from one of `from` to `to` if still at `expectedVersion`. False: nothing written. */
export function transitionActor(
	tx: Executor,
	id: string,
	expectedVersion: number,
	from: readonly RecordStatus[],
	to: RecordStatus
): Promise<boolean> {
	return transitionRecord(tx, 'actor', id, expectedVersion, from, to);
}

export interface PublicActorSummary {
	id: string;
	name: string;
	country: string | null;
	kind: InitiatorKind | null;
	/** Published initiatives naming the actor. */
	initiativeCount: number;
}

/** Publicly visible actors, by name. */
export async function listPublicActors(db: Executor, limit: number, offset: number): Promise<PublicActorSummary[]> {
	const found = await rows<{
		id: string;
		name: string;
		country: string | null;
		kind: string | null;
		initiative_count: number;
	}>(
		db,
		sql`SELECT a.id, a.name, a.country, a.kind,
		      (SELECT count(*) FROM initiative_actor ia JOIN initiative i ON i.id = ia.initiative_id
		        WHERE ia.actor_id = a.id AND i.status = 'published')::int AS initiative_count
		    FROM actor a WHERE ${PUBLICLY_VISIBLE} ORDER BY lower(a.name), a.id LIMIT ${limit} OFFSET ${offset}`
	);
	return found.map((r) => ({
		id: r.id,
		name: r.name,
		country: r.country,
		kind: r.kind as InitiatorKind | null,
		initiativeCount: Number(r.initiative_count)
	}));
}

export async function countPublicActors(db: Executor): Promise<number> {
	const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM actor a WHERE ${PUBLICLY_VISIBLE}`);
	return Number(r?.n ?? 0);
}

/** One publicly visible actor, or null (unknown, unpublished, or only named by unpublished initiatives). */
export async function findPublicActor(db: Executor, id: string): Promise<WorkflowActor | null> {
	const found = await rows<ActorRow>(
		db,
		sql`SELECT ${SELECT} FROM actor a WHERE a.id = ${id}::uuid AND ${PUBLICLY_VISIBLE}`
	);
	return found[0] ? toActor(found[0]) : null;
}

/** The published initiatives naming an actor, newest first. */
export async function publishedInitiativesOf(
	db: Executor,
	actorId: string
): Promise<{ id: string; title: string; countries: string[] }[]> {
	const found = await rows<{ id: string; title: string; country_codes: string[] | null }>(
		db,
		sql`SELECT i.id, i.title, i.country_codes FROM initiative_actor ia JOIN initiative i ON i.id = ia.initiative_id
		    WHERE ia.actor_id = ${actorId}::uuid AND i.status = 'published'
		    ORDER BY i.date_from DESC NULLS LAST, i.title, i.id LIMIT 500`
	);
	return found.map((r) => ({
		id: r.id,
		title: r.title,
		countries: Array.isArray(r.country_codes) ? r.country_codes : []
	}));
}

/** Names → ids of the publicly visible actors among them (to link names on public initiative pages). */
export async function publicActorIdsByName(db: Executor, names: readonly string[]): Promise<Map<string, string>> {
	if (names.length === 0) return new Map();
	const keys = names.map(actorKey);
	const found = await rows<{ id: string; name_key: string }>(
		db,
		sql`SELECT a.id, a.name_key FROM actor a WHERE a.name_key IN ${list(keys)} AND ${PUBLICLY_VISIBLE}`
	);
	const byKey = new Map(found.map((r) => [r.name_key, r.id]));
	const out = new Map<string, string>();
	for (const n of names) {
		const id = byKey.get(actorKey(n));
		if (id) out.set(n, id);
	}
	return out;
}

export type ActorWorkItem = WorkItem;

/** Workspace list candidates (see workItemCondition); the service filters through the policy. */
export async function listActorWorkItems(
	db: Executor,
	filter: WorkItemFilter,
	limit: number
): Promise<ActorWorkItem[]> {
	const who = workItemCondition('a', filter, (countries) => sql`a.country IN ${list(countries)}`);
	if (!who) return [];
	const found = await rows<ActorRow>(
		db,
		sql`SELECT ${SELECT} FROM actor a WHERE ${who} AND a.status IN ${list(filter.statuses)}
		    ORDER BY a.updated_at DESC, a.id LIMIT ${limit}`
	);
	return found.map((r) => {
		const a = toActor(r);
		return {
			id: a.id,
			title: a.name,
			status: a.status,
			version: a.version,
			countries: a.countries,
			ownerOrganisationId: a.ownerOrganisationId,
			createdBy: a.createdBy,
			updatedAt: a.updatedAt
		};
	});
}
