/**
 * The initiative editing workflow: drafts are created and edited (PATCH), submitted for review,
 * approved (published) or sent back with a comment, published, unpublished and archived; one record
 * and its revision history are read by id. Runs on workspace requests, API calls and `gcm` commands.
 *
 * The rules (steps, policy checks, CONFLICT, the revision and the audit row in one transaction) are
 * the record-workflow engine's; this file is the initiative adapter: its schema, its repository, its
 * own revision table (initiative_revision), and list columns rewritten only when they changed.
 * See docs/security.md.
 */
import type { Role } from '../../core/accounts/roles';
import { initiativeInputSchema, normalizeInitiativeInput, type InitiativeInput } from '../../core/registry/initiative';
import type { Database } from '../db/client';
import {
	findWorkflowInitiative,
	insertDraft,
	insertRevision,
	LIST_FIELDS,
	listRevisions,
	transition,
	updateContent,
	type Revision,
	type WorkflowInitiative
} from '../db/initiative-write.repository';
import { findAccessFacts } from '../db/organisation.repository';
import {
	createWorkflowEngine,
	type NamedRecordHistoryEntry,
	type RecordStep,
	type RecordWorkflowOptions,
	type RevisionStore,
	type WorkflowAdapter
} from './record-workflow';
import type { Channel, Viewer } from './viewer';

export type { Revision, WorkflowInitiative };

/**
 * The state machine is the one every record kind follows (record-workflow.ts RECORD_STEPS): each
 * step's permission is `initiative.<verb>` and its audit event `initiative.<event>`.
 */
export type WorkflowStep = RecordStep;

const EDITABLE_FIELDS = Object.keys(initiativeInputSchema.shape) as (keyof InitiativeInput)[];

export interface CreateOptions {
	/** The organisation responsible for the record; defaults to the creator's only organisation. */
	ownerOrganisationId?: string | null;
}

/** A history entry. For viewers without `initiative.read_history`, `changedBy` and `comment` are null. */
export type HistoryEntry = Revision;

/** A history entry with the display name of who made the change (null for the command line or hidden history). */
export type NamedHistoryEntry = NamedRecordHistoryEntry<WorkflowInitiative>;

export type WorkflowServiceOptions = RecordWorkflowOptions;

export const initiativeAdapter: WorkflowAdapter<WorkflowInitiative, InitiativeInput> = {
	type: 'initiative',
	notFound: 'INITIATIVE_NOT_FOUND',
	label: 'initiative',
	schema: initiativeInputSchema,
	editableFields: EDITABLE_FIELDS,
	normalize: normalizeInitiativeInput,
	countriesOf: (i) => i.countries,
	contentOf: (r) => {
		const out: Record<string, unknown> = {};
		for (const f of EDITABLE_FIELDS) out[f] = r[f];
		return out as unknown as InitiativeInput;
	},
	find: findWorkflowInitiative,
	// No check before the write: the key's unique index decides, inside the transaction.
	duplicateIssue: { field: 'key', message: 'is already used by another initiative' },
	insert: insertDraft,
	// The child tables of list fields are rewritten only for the lists that changed.
	update: (tx, id, version, states, input, changed) =>
		updateContent(
			tx,
			id,
			version,
			states,
			input,
			LIST_FIELDS.filter((f) => changed.includes(f))
		),
	transition
};

/** Initiatives keep their revisions in initiative_revision. */
const initiativeRevisions: RevisionStore<WorkflowInitiative> = {
	insert: (tx, initiativeId, r) => insertRevision(tx, { initiativeId, ...r }),
	list: listRevisions
};

export function createInitiativeWorkflowService(database: Database, options: WorkflowServiceOptions = {}) {
	const { db } = database;
	const engine = createWorkflowEngine(database, initiativeAdapter, initiativeRevisions, options);

	return {
		/** The viewer for a signed-in account: its organisations and countries, read fresh on every request. */
		async viewerFor(user: { id: string; email: string; role: Role }, channel: Channel): Promise<Viewer> {
			const facts = await findAccessFacts(db, user.id);
			return { kind: 'user', channel, user: { id: user.id, label: user.email, role: user.role, ...facts } };
		},

		/**
		 * Whether the viewer may create a draft concerning these countries (null: a record concerning
		 * their own countries, i.e. whether a creation form is offered at all). create() decides again.
		 */
		mayCreate: engine.mayCreate,

		/** One record by id, in any status the viewer may read; otherwise INITIATIVE_NOT_FOUND. */
		get: engine.get,

		/** Creates a draft. The input is the full record (strict: unknown fields are refused). */
		create: engine.create,

		/**
		 * Changes some fields of a draft or a record in review (PATCH: only the fields sent). Fields that
		 * are not content (status, version, owner, role …) are refused with VALIDATION_FAILED naming them.
		 */
		update: engine.update,

		submit: engine.submit,
		approve: engine.approve,
		requestChanges: engine.requestChanges,
		publish: engine.publish,
		unpublish: engine.unpublish,
		archive: engine.archive,
		runStep: engine.runStep,

		/**
		 * The revisions of a record, oldest first. Viewers allowed `initiative.read_history` on it see
		 * every revision with who changed it and review comments; everyone else who may read it sees
		 * only its published revisions (so the history starts at the first publication), anonymised.
		 */
		history: engine.history,

		/** The history, newest first, with people's names (as much as the viewer may see). */
		namedHistory: engine.namedHistory,

		/** The record as it was at one version (what an editor's form was based on), or null. */
		snapshotAt: engine.snapshotAt,

		/** The steps the policy allows this viewer on this record now (the buttons to show). */
		allowedSteps: engine.allowedSteps,

		/** Whether the edit form is offered (update() decides again on save). */
		canEdit: engine.canEdit,

		/** Whether the full history (who, comments, drafts) is shown. */
		canReadHistory: engine.canReadHistory
	};
}

export type InitiativeWorkflowService = ReturnType<typeof createInitiativeWorkflowService>;
