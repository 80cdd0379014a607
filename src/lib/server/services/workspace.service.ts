/**
 * The signed-in workspace's reads: my unpublished records, the review queue of my countries, which
 * workflow buttons a record shows, and a record's history with people's names. Runs on the
 * workspace pages. Every list row is checked against the access policy again (can()), so a list
 * never shows a record its reader could not open; changes go through the workflow service.
 */
import { can } from '../../core/access/authorize';
import type { Database } from '../db/client';
import { listByCountries, listOwnRecords, type WorkspaceItem } from '../db/workspace.repository';
import type { InitiativeWorkflowService, NamedHistoryEntry, WorkflowStep } from './initiative-workflow.service';
import { RECORD_STEP_NAMES, subjectOf } from './record-workflow';
import { accessActorOf, type Viewer } from './viewer';

export type { NamedHistoryEntry, WorkspaceItem };

/**
 * The workflow steps, in the order their buttons show: the state machine every record kind follows
 * (record-workflow.ts RECORD_STEPS), which the workflow service also runs.
 */
export const WORKFLOW_STEPS: WorkflowStep[] = RECORD_STEP_NAMES;

const LIST_LIMIT = 100;

export function createWorkspaceService(database: Database, workflow: InitiativeWorkflowService) {
	const { db } = database;

	return {
		/** Unpublished records I created or my organisations own (drafts first in the page, newest first). */
		async myRecords(viewer: Viewer): Promise<WorkspaceItem[]> {
			if (viewer.kind !== 'user') return [];
			const actor = accessActorOf(viewer);
			const found = await listOwnRecords(
				db,
				{ userId: viewer.user.id, organisationIds: viewer.user.organisationIds },
				['draft', 'in_review', 'archived'],
				LIST_LIMIT
			);
			return found.filter((r) => can(actor, 'initiative.read', subjectOf(r)));
		},

		/** Records in review that I may review: in my countries (all of them for admins). */
		async reviewQueue(viewer: Viewer): Promise<WorkspaceItem[]> {
			if (viewer.kind !== 'user') return [];
			const actor = accessActorOf(viewer);
			const countries = actor.role === 'admin' ? null : actor.countries;
			if (!['admin', 'reviewer', 'coordinator'].includes(actor.role)) return [];
			const found = await listByCountries(db, countries, 'in_review', LIST_LIMIT);
			return found.filter((r) => can(actor, 'initiative.review', subjectOf(r)));
		},

		/** Whether the viewer may create drafts (for their only organisation, or none). */
		canCreate(viewer: Viewer): boolean {
			// A record concerning the viewer's own countries (coordinators); create() checks the real one.
			return workflow.mayCreate(viewer);
		},

		// Which buttons and how much history a record shows: the workflow's own rules, which it checks
		// again on every step.
		allowedSteps: workflow.allowedSteps,
		canEdit: workflow.canEdit,
		canReadHistory: workflow.canReadHistory,

		/** The record's history, newest first, with names (as much as the viewer may see). */
		history: workflow.namedHistory,

		/** The record as it was at one version (what an editor's form was based on), or null. */
		snapshotAt: workflow.snapshotAt
	};
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
