/**
 * The actor editing workflow (issue #3): the record-workflow engine with the actor adapter, plus
 * nothing else (the public reads are registry.listActors/getActor/findActorLinks). Runs on workspace
 * requests, API calls and `gcm` commands. An actor concerns its home country (the
 * scope of reviewers and coordinators; one without a country is reviewed by an admin); names are
 * unique by their normalised key, like the initiators that initiatives name.
 */
import { actorInputSchema, normalizeActorInput, type ActorInput } from '../../core/registry/actor';
import {
	actorNameTaken,
	findWorkflowActor,
	insertActorDraft,
	listActorWorkItems,
	transitionActor,
	updateActorContent,
	type WorkflowActor
} from '../db/actor.repository';
import type { Database } from '../db/client';
import { createRecordWorkflow, type RecordAdapter, type RecordWorkflowOptions } from './record-workflow';

export type { WorkflowActor };

export const ACTOR_FIELDS = Object.keys(actorInputSchema.shape) as (keyof ActorInput & string)[];

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

/** The actor workflow; the public reads (list, page, initiator links) are in the registry service. */
export function createActorWorkflowService(database: Database, options: RecordWorkflowOptions = {}) {
	return createRecordWorkflow(database, actorAdapter, options);
}

export type ActorWorkflowService = ReturnType<typeof createActorWorkflowService>;
