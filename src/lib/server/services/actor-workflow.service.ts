/**
 * The actor editing workflow (issue #3): the record-workflow engine with the actor adapter, plus
 * the public reads (list, detail with the actor's published initiatives). Runs on workspace
 * requests, API calls, public pages and `gcm` commands. An actor concerns its home country (the
 * scope of reviewers and coordinators; one without a country is reviewed by an admin); names are
 * unique by their normalised key, like the initiators that initiatives name.
 */
import { actorInputSchema, normalizeActorInput, type ActorInput } from '../../core/registry/actor';
import { DomainError } from '../../core/shared/errors';
import {
	actorNameTaken,
	countPublicActors,
	findPublicActor,
	findWorkflowActor,
	insertActorDraft,
	listActorWorkItems,
	listPublicActors,
	publicActorIdsByName,
	publishedInitiativesOf,
	transitionActor,
	updateActorContent,
	type PublicActorSummary,
	type WorkflowActor
} from '../db/actor.repository';
import type { Database } from '../db/client';
import { createRecordWorkflow, type RecordAdapter, type RecordWorkflowOptions } from './record-workflow';

export type { PublicActorSummary, WorkflowActor };

export const ACTOR_FIELDS = Object.keys(actorInputSchema.shape) as (keyof ActorInput & string)[];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const actorAdapter: RecordAdapter<WorkflowActor, ActorInput> = {
	type: 'actor',
	notFound: 'ACTOR_NOT_FOUND',
	label: 'actor',
	schema: actorInputSchema,
	editableFields: ACTOR_FIELDS,
	normalize: normalizeActorInput,
	countriesOf: (a) => (a.country ? [a.country] : []),
	contentOf: (r) => ({
		name: r.name,
		description: r.description,
		website: r.website,
		country: r.country,
		kind: r.kind
	}),
	find: findWorkflowActor,
	async uniqueIssue(db, a, exceptId) {
		return (await actorNameTaken(db, a.name, exceptId))
			? { field: 'name', message: 'is already the name of another actor' }
			: null;
	},
	insert: insertActorDraft,
	update: updateActorContent,
	transition: transitionActor,
	listWorkItems: listActorWorkItems
};

export const PUBLIC_ACTOR_PAGE_SIZE = 100;

export function createActorWorkflowService(database: Database, options: RecordWorkflowOptions = {}) {
	const { db } = database;
	return {
		...createRecordWorkflow(database, actorAdapter, options),

		/** Publicly visible actors (see actor.repository.ts for the rule), by name, one page. */
		async listPublic(
			page = 1
		): Promise<{ items: PublicActorSummary[]; total: number; page: number; pageSize: number }> {
			const p = Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
			const [items, total] = await Promise.all([
				listPublicActors(db, PUBLIC_ACTOR_PAGE_SIZE, (p - 1) * PUBLIC_ACTOR_PAGE_SIZE),
				countPublicActors(db)
			]);
			return { items, total, page: p, pageSize: PUBLIC_ACTOR_PAGE_SIZE };
		},

		/** One publicly visible actor with its published initiatives; otherwise ACTOR_NOT_FOUND. */
		async getPublic(id: string): Promise<{
			actor: WorkflowActor;
			initiatives: { id: string; title: string; countries: string[] }[];
		}> {
			const actor = UUID_RE.test(id) ? await findPublicActor(db, id) : null;
			if (!actor) throw new DomainError('ACTOR_NOT_FOUND', 'No such actor');
			return { actor, initiatives: await publishedInitiativesOf(db, id) };
		},

		/**
		 * Which of these initiator names have a public actor page (name → actor id). A published
		 * initiative naming an unpublished actor shows the name as plain text, never a link to a draft.
		 */
		publicActorLinks(names: readonly string[]): Promise<Map<string, string>> {
			return publicActorIdsByName(db, names.slice(0, 200));
		}
	};
}

export type ActorWorkflowService = ReturnType<typeof createActorWorkflowService>;
