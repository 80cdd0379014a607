/**
 * The signed-in workspace's reads: my unpublished records, the review queue of my countries, which
 * workflow buttons a record shows, and a record's history with people's names. Runs on the
 * workspace pages. Every list row is checked against the access policy again (can()), so a list
 * never shows a record its reader could not open; changes go through the workflow service.
 */
import { can, type AccessSubject } from '../../core/access/authorize';
import { actionOf } from '../../core/access/policy';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Database } from '../db/client';
import { accountNames, listByCountries, listOwnRecords, type WorkspaceItem } from '../db/workspace.repository';
import type {
	HistoryEntry,
	InitiativeWorkflowService,
	WorkflowInitiative,
	WorkflowStep
} from './initiative-workflow.service';
import { EDITABLE_STATES, RECORD_STEP_NAMES, RECORD_STEPS } from './record-workflow';
import { accessActorOf, type Viewer } from './viewer';

export type { WorkspaceItem };

/**
 * The workflow steps, in the order their buttons show: the state machine every record kind follows
 * (record-workflow.ts RECORD_STEPS), which the workflow service also runs; used here only to decide
 * which buttons to show — the workflow service still checks every step itself.
 */
export const WORKFLOW_STEPS: WorkflowStep[] = RECORD_STEP_NAMES;

const LIST_LIMIT = 100;

export interface NamedHistoryEntry extends HistoryEntry {
	/** Display name of the person who made the change; null for the command line or hidden history. */
	changedByName: string | null;
}

function subjectOf(r: {
	status: RecordStatus;
	ownerOrganisationId: string | null;
	createdBy: string | null;
	countries: readonly string[];
}): AccessSubject {
	return {
		status: r.status,
		ownerOrganisationId: r.ownerOrganisationId,
		createdBy: r.createdBy,
		countries: r.countries
	};
}

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

		/** The workflow steps the policy allows this viewer on this record now (the buttons to show). */
		allowedSteps(viewer: Viewer, record: WorkflowInitiative): WorkflowStep[] {
			const actor = accessActorOf(viewer);
			return WORKFLOW_STEPS.filter((s) => {
				const rule = RECORD_STEPS[s];
				const from: readonly RecordStatus[] = rule.from;
				return from.includes(record.status) && can(actor, actionOf('initiative', rule.verb), subjectOf(record));
			});
		},

		/** Whether the viewer may create drafts (for their only organisation, or none). */
		canCreate(viewer: Viewer): boolean {
			// A record concerning the viewer's own countries (coordinators); create() checks the real one.
			return workflow.mayCreate(viewer);
		},

		/** Whether the edit form is offered (the workflow service decides again on save). */
		canEdit(viewer: Viewer, record: WorkflowInitiative): boolean {
			return (
				EDITABLE_STATES.includes(record.status) && can(accessActorOf(viewer), 'initiative.update', subjectOf(record))
			);
		},

		/** Whether the full history (who, comments, drafts) is shown. */
		canReadHistory(viewer: Viewer, record: WorkflowInitiative): boolean {
			return can(accessActorOf(viewer), 'initiative.read_history', subjectOf(record));
		},

		/** The record's history, newest first, with names (as much as the viewer may see). */
		async history(viewer: Viewer, id: string): Promise<NamedHistoryEntry[]> {
			const entries = await workflow.history(viewer, id);
			const ids = [...new Set(entries.map((e) => e.changedBy).filter((x): x is string => x !== null))];
			const names = await accountNames(db, ids);
			return entries
				.map((e) => ({ ...e, changedByName: e.changedBy ? (names.get(e.changedBy) ?? null) : null }))
				.reverse();
		},

		/** The record as it was at one version (what an editor's form was based on), or null. */
		async snapshotAt(viewer: Viewer, id: string, version: number): Promise<WorkflowInitiative | null> {
			const entries = await workflow.history(viewer, id);
			return entries.find((e) => e.version === version)?.snapshot ?? null;
		}
	};
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
