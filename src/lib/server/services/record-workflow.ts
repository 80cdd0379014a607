/**
 * The editing workflow of every record kind (initiatives, practices, actors), one engine with a
 * small adapter per kind: create and edit drafts (PATCH), submit, approve or request changes with a
 * comment, publish, unpublish and archive; one record and its revision history by id; for practices
 * and actors also the workspace lists (initiatives have theirs in workspace.service.ts). Runs on
 * workspace requests, API calls and `gcm` commands.
 *
 * Every change: authorize (core/access) → validate → ONE transaction holding the versioned write
 * (`WHERE id AND version`: a stale writer gets CONFLICT), the data-version bump, the revision (the
 * kind's revision store: record_revision, or initiative_revision for initiatives) and the audit
 * row, so a failed audit insert rolls the change back.
 */
import type { z } from 'zod';
import { authorize, can, type AccessSubject } from '../../core/access/authorize';
import { actionOf, type RecordVerb } from '../../core/access/policy';
import { diffFields } from '../../core/accounts/diff';
import { redactSecrets } from '../../core/accounts/redact';
import type { Role } from '../../core/accounts/roles';
import { cleanText } from '../../core/registry/initiative';
import type { RecordStatus } from '../../core/registry/vocabulary';
import { DomainError, validationError, type ErrorCode, type FieldIssue } from '../../core/shared/errors';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database, Db } from '../db/client';
import { bumpRegistryVersion } from '../db/data-version.repository';
import type { WorkItem, WorkItemFilter } from '../db/record-workflow.repository';
import {
	insertRecordRevision,
	latestComments,
	listRecordRevisions,
	type RecordRevision,
	type RevisedRecordType
} from '../db/record-revision.repository';
import { accountNames } from '../db/workspace.repository';
import type { RequestContext } from './account.service';
import { accessActorOf, type Viewer } from './viewer';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Executor = Pick<Db, 'execute'>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Content is edited only before publication: a published revision is never changed in place. */
export const EDITABLE_STATES: readonly RecordStatus[] = ['draft', 'in_review'];
const LIST_LIMIT = 100;

/** The state machine of every record kind (initiatives too): the verb each step needs, where it starts and ends. */
export const RECORD_STEPS = {
	submit: { verb: 'submit', from: ['draft'], to: 'in_review', event: 'submitted' },
	approve: { verb: 'review', from: ['in_review'], to: 'published', event: 'approved' },
	requestChanges: { verb: 'review', from: ['in_review'], to: 'draft', event: 'changes_requested' },
	publish: { verb: 'publish', from: ['draft', 'in_review', 'archived'], to: 'published', event: 'published' },
	unpublish: { verb: 'unpublish', from: ['published'], to: 'draft', event: 'unpublished' },
	archive: { verb: 'archive', from: ['draft', 'in_review', 'published'], to: 'archived', event: 'archived' }
} as const satisfies Record<
	string,
	{ verb: RecordVerb; from: readonly RecordStatus[]; to: RecordStatus; event: string }
>;
export type RecordStep = keyof typeof RECORD_STEPS;
export const RECORD_STEP_NAMES = Object.keys(RECORD_STEPS) as RecordStep[];

/** What the policy and the workflow need of any record. */
export interface WorkflowRecord {
	id: string;
	status: RecordStatus;
	version: number;
	ownerOrganisationId: string | null;
	createdBy: string | null;
	/** The countries the record concerns (a practice's countries; an actor's home country). */
	countries: readonly string[];
	createdAt: string;
	updatedAt: string;
}

/** A list row of the workspace. */
export interface RecordWorkItem extends WorkItem {
	lastComment: string | null;
}

export type { WorkItemFilter };

/** The record kinds the workflow engine runs. */
export type WorkflowRecordType = RevisedRecordType | 'initiative';

/** Where a kind keeps one revision per version (written in the transaction that made the version). */
export interface RevisionStore<R> {
	insert(
		tx: Executor,
		id: string,
		r: {
			version: number;
			status: RecordStatus;
			snapshot: R;
			changedBy: string | null;
			comment: string | null;
			at: Date;
		}
	): Promise<void>;
	list(db: Executor, id: string): Promise<RecordRevision<R>[]>;
}

/** The revisions of practices and actors: the shared record_revision table. */
export function recordRevisionStore<R>(type: RevisedRecordType): RevisionStore<R> {
	return {
		insert: (tx, id, r) => insertRecordRevision(tx, type, id, r),
		list: (db, id) => listRecordRevisions<R>(db, type, id)
	};
}

/** What one record kind plugs into the engine. */
export interface WorkflowAdapter<R extends WorkflowRecord, I extends object> {
	type: WorkflowRecordType;
	notFound: ErrorCode;
	label: string;
	/** Strict zod object of the full content (unknown fields refused). */
	schema: z.ZodType<I>;
	editableFields: readonly (keyof I & string)[];
	normalize(input: I): I;
	countriesOf(input: I): readonly string[];
	contentOf(record: R): I;
	find(db: Executor, id: string): Promise<R | null>;
	/**
	 * A field issue when the content clashes with another record (unique key or name), else null;
	 * checked before create and update. A kind without it relies on the insert alone.
	 */
	uniqueIssue?(db: Executor, input: I, exceptId: string | null): Promise<FieldIssue | null>;
	/** The issue when the insert found its unique key taken and uniqueIssue names none. */
	duplicateIssue?: FieldIssue;
	insert(
		tx: Executor,
		input: I,
		owner: { ownerOrganisationId: string | null; createdBy: string | null }
	): Promise<string | null>;
	/** The versioned content write; `changed` names the fields that differ from the current content. */
	update(
		tx: Executor,
		id: string,
		version: number,
		states: readonly RecordStatus[],
		input: I,
		changed: readonly (keyof I & string)[]
	): Promise<boolean>;
	transition(
		tx: Executor,
		id: string,
		version: number,
		from: readonly RecordStatus[],
		to: RecordStatus
	): Promise<boolean>;
}

/** A kind with workspace lists of its own and revisions in record_revision (practices, actors). */
export interface RecordAdapter<R extends WorkflowRecord, I extends object> extends WorkflowAdapter<R, I> {
	type: RevisedRecordType;
	listWorkItems(db: Executor, filter: WorkItemFilter, limit: number): Promise<Omit<RecordWorkItem, 'lastComment'>[]>;
}

export type RecordHistoryEntry<R> = RecordRevision<R>;
export interface NamedRecordHistoryEntry<R> extends RecordHistoryEntry<R> {
	changedByName: string | null;
}

function issuesOf(error: z.ZodError): FieldIssue[] {
	return error.issues.flatMap((i): FieldIssue[] =>
		i.code === 'unrecognized_keys'
			? i.keys.map((k) => ({ field: k, message: 'is not an editable field' }))
			: [{ field: i.path.map(String).join('.') || 'input', message: i.message }]
	);
}

/** What the access policy looks at of a record (or of a workspace list row of one). */
export function subjectOf(
	r: Pick<WorkflowRecord, 'status' | 'ownerOrganisationId' | 'createdBy' | 'countries'>
): AccessSubject {
	return {
		status: r.status,
		ownerOrganisationId: r.ownerOrganisationId,
		createdBy: r.createdBy,
		countries: r.countries
	};
}

function defaultOwner(organisationIds: readonly string[]): string | null {
	return organisationIds.length === 1 ? (organisationIds[0] ?? null) : null;
}

function createSubject(createdBy: string | null, owner: string | null, countries: readonly string[]): AccessSubject {
	return { status: 'draft', ownerOrganisationId: owner, createdBy, countries };
}

function actorSnapshot(viewer: Viewer): { id: string | null; label: string; role: Role | 'system' | null } {
	switch (viewer.kind) {
		case 'user':
			return { id: viewer.user.id, label: viewer.user.label, role: viewer.user.role };
		case 'system':
			return { id: null, label: 'cli', role: 'system' };
		case 'public':
			return { id: null, label: 'anonymous', role: null };
	}
}

function auditedFields(r: WorkflowRecord | null): Record<string, unknown> | null {
	if (!r) return null;
	const { createdAt: _c, updatedAt: _u, ...rest } = r;
	return rest;
}

const commentSchema = cleanText(5_000).refine((s) => s.trim().length > 0, { message: 'is required' });

export interface RecordWorkflowOptions {
	now?: () => Date;
}

/**
 * The workflow of one record kind: every rule of it (which step from which state, who may, what is
 * audited, CONFLICT on a stale version) is written here once, for initiatives, practices and actors.
 */
export function createWorkflowEngine<R extends WorkflowRecord, I extends object>(
	database: Database,
	adapter: WorkflowAdapter<R, I>,
	revisions: RevisionStore<R>,
	options: RecordWorkflowOptions = {}
) {
	const { db } = database;
	const now = options.now ?? (() => new Date());
	const type = adapter.type;
	const act = (verb: RecordVerb) => actionOf(type, verb);

	const notFound = () => new DomainError(adapter.notFound, `No such ${adapter.label}`);
	const conflict = (message: string, current: R | null) =>
		new DomainError('CONFLICT', message, [], current ?? undefined);

	/** Loads a record the viewer may read; anything else (unknown id, unreadable) is "not found". */
	async function loadReadable(viewer: Viewer, id: string): Promise<R> {
		const found = UUID_RE.test(id) ? await adapter.find(db, id) : null;
		if (!found) throw notFound();
		authorize(accessActorOf(viewer), act('read'), subjectOf(found));
		return found;
	}

	/** Read access, then the version the client saw, then the permission for this change. */
	async function loadForChange(
		viewer: Viewer,
		id: string,
		expectedVersion: unknown,
		verb: RecordVerb
	): Promise<{ current: R; version: number }> {
		const current = await loadReadable(viewer, id);
		const v = expectedVersion;
		if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
			throw validationError([{ field: 'expectedVersion', message: 'must be the version the change was based on' }]);
		}
		if (current.version !== v) {
			throw conflict(`The record changed since version ${v} (it is now at version ${current.version}).`, current);
		}
		authorize(accessActorOf(viewer), act(verb), subjectOf(current));
		return { current, version: v };
	}

	/** Data version, revision and audit row of a change, in its transaction. */
	async function record(
		tx: Tx,
		ctx: RequestContext,
		viewer: Viewer,
		event: string,
		before: R | null,
		id: string,
		comment: string | null = null
	): Promise<R> {
		await bumpRegistryVersion(tx);
		const after = await adapter.find(tx, id);
		if (!after) throw new Error(`${type} ${id} vanished inside its own transaction`);
		const who = actorSnapshot(viewer);
		const at = now();
		await revisions.insert(tx, id, {
			version: after.version,
			status: after.status,
			snapshot: after,
			changedBy: who.id,
			comment,
			at
		});
		const changes: Record<string, unknown> = diffFields(auditedFields(before), auditedFields(after));
		if (comment !== null) changes.comment = { before: null, after: comment };
		await insertAuditEvent(tx, {
			at,
			actorId: who.id,
			actorLabel: who.label,
			actorRole: who.role,
			action: `${type}.${event}`,
			objectType: type,
			objectId: id,
			changes: redactSecrets(changes),
			requestId: ctx.requestId,
			channel: ctx.channel
		});
		return after;
	}

	function parseComment(comment: unknown, required: boolean): string | null {
		if (!required && (comment === undefined || comment === null || comment === '')) return null;
		const parsed = commentSchema.safeParse(comment);
		if (!parsed.success) {
			throw validationError([{ field: 'comment', message: parsed.error.issues[0]?.message ?? 'invalid' }]);
		}
		return parsed.data.trim();
	}

	async function step(
		name: RecordStep,
		ctx: RequestContext,
		viewer: Viewer,
		id: string,
		expectedVersion: unknown,
		commentInput: { value: unknown; required: boolean } | null = null
	): Promise<R> {
		const s = RECORD_STEPS[name];
		const { current, version } = await loadForChange(viewer, id, expectedVersion, s.verb);
		const comment = commentInput ? parseComment(commentInput.value, commentInput.required) : null;
		if (!(s.from as readonly RecordStatus[]).includes(current.status)) {
			throw conflict(`A record that is ${current.status} cannot be moved to ${s.to} this way.`, current);
		}
		return db.transaction(async (tx) => {
			if (!(await adapter.transition(tx, id, version, s.from, s.to))) {
				throw conflict('The record was changed by someone else.', await adapter.find(tx, id));
			}
			return record(tx, ctx, viewer, s.event, current, id, comment);
		});
	}

	async function history(viewer: Viewer, id: string): Promise<RecordHistoryEntry<R>[]> {
		const current = await loadReadable(viewer, id);
		const all = await revisions.list(db, id);
		if (can(accessActorOf(viewer), act('read_history'), subjectOf(current))) return all;
		// Everyone else who may read it sees only its published revisions (the public history starts at
		// publication), without who changed it or review comments.
		return all
			.filter((r) => r.status === 'published')
			.map((r) => ({ ...r, changedBy: null, comment: null, snapshot: { ...r.snapshot, createdBy: null } }));
	}

	return {
		type,

		/** Whether the viewer may create a draft (one concerning their own countries, for coordinators). */
		mayCreate(viewer: Viewer, countries: readonly string[] | null = null): boolean {
			const actor = accessActorOf(viewer);
			return can(
				actor,
				act('create'),
				createSubject(actor.id, defaultOwner(actor.organisationIds), countries ?? actor.countries)
			);
		},

		/** One record by id, in any status the viewer may read; otherwise the type's NOT_FOUND. */
		get(viewer: Viewer, id: string): Promise<R> {
			return loadReadable(viewer, id);
		},

		/** Creates a draft from the full content (strict: unknown fields are refused). */
		async create(
			ctx: RequestContext,
			viewer: Viewer,
			input: unknown,
			opts: { ownerOrganisationId?: string | null } = {}
		): Promise<R> {
			const actor = accessActorOf(viewer);
			const owner =
				opts.ownerOrganisationId !== undefined ? opts.ownerOrganisationId : defaultOwner(actor.organisationIds);
			// First: could this person create any record at all (one concerning their own countries)?
			// Those who cannot (the public, experts, reviewers) are refused before their input is validated.
			authorize(actor, act('create'), createSubject(actor.id, owner, actor.countries));
			if (owner !== null && actor.role !== 'admin' && !actor.organisationIds.includes(owner)) {
				throw new DomainError('FORBIDDEN', 'Records can only be created for your own organisations.');
			}
			const parsed = adapter.schema.safeParse(input);
			if (!parsed.success) throw validationError(issuesOf(parsed.error));
			const content = adapter.normalize(parsed.data);
			// Then the record as it would be created: a country-scoped grant (coordinators) needs the record
			// to concern one of the person's countries.
			if (!can(actor, act('create'), createSubject(actor.id, owner, adapter.countriesOf(content)))) {
				throw new DomainError('FORBIDDEN', 'You may only create records that concern one of your countries.', [
					{ field: 'countries', message: 'must include one of the countries you are scoped to' }
				]);
			}
			const clash = adapter.uniqueIssue ? await adapter.uniqueIssue(db, content, null) : null;
			if (clash) throw validationError([clash]);
			return db.transaction(async (tx) => {
				const id = await adapter.insert(tx, content, { ownerOrganisationId: owner, createdBy: actor.id });
				if (!id) {
					const taken = adapter.uniqueIssue ? await adapter.uniqueIssue(tx, content, null) : null;
					throw validationError([taken ?? adapter.duplicateIssue ?? { field: 'input', message: 'is already used' }]);
				}
				return record(tx, ctx, viewer, 'created', null, id);
			});
		},

		/**
		 * Changes some fields of a draft or a record in review (PATCH: only the fields sent). Fields that
		 * are not content (status, version, owner …) are refused with VALIDATION_FAILED naming them.
		 */
		async update(
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			expectedVersion: unknown,
			patch: unknown
		): Promise<R> {
			const { current, version } = await loadForChange(viewer, id, expectedVersion, 'update');
			if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
				throw validationError([{ field: 'input', message: 'must be an object of changed fields' }]);
			}
			const unknownFields = Object.keys(patch).filter(
				(k) => !(adapter.editableFields as readonly string[]).includes(k)
			);
			if (unknownFields.length > 0) {
				throw validationError(
					unknownFields.map((field) => ({ field, message: 'is not an editable field' })),
					`Not editable: ${unknownFields.join(', ')}`
				);
			}
			if (!EDITABLE_STATES.includes(current.status)) {
				throw conflict(`A record that is ${current.status} is not edited; unpublish it first.`, current);
			}
			const base = adapter.contentOf(current);
			const merged = adapter.schema.safeParse({ ...base, ...patch });
			if (!merged.success) throw validationError(issuesOf(merged.error));
			const next = adapter.normalize(merged.data);
			const changed = Object.keys(
				diffFields(base as Record<string, unknown>, next as Record<string, unknown>)
			) as (keyof I & string)[];
			if (changed.length === 0) return current;
			const clash = adapter.uniqueIssue ? await adapter.uniqueIssue(db, next, id) : null;
			if (clash) throw validationError([clash]);
			return db.transaction(async (tx) => {
				if (!(await adapter.update(tx, id, version, EDITABLE_STATES, next, changed))) {
					throw conflict('The record was changed by someone else.', await adapter.find(tx, id));
				}
				return record(tx, ctx, viewer, 'updated', current, id);
			});
		},

		/** Draft → in review. */
		submit: (ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) =>
			step('submit', ctx, viewer, id, expectedVersion),
		/** In review → published, with an optional comment. */
		approve: (ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown, comment?: unknown) =>
			step('approve', ctx, viewer, id, expectedVersion, { value: comment, required: false }),
		/** In review → draft, with the reviewer's comment (required). */
		requestChanges: (ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown, comment: unknown) =>
			step('requestChanges', ctx, viewer, id, expectedVersion, { value: comment, required: true }),
		/** Draft, in review or archived → published. */
		publish: (ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) =>
			step('publish', ctx, viewer, id, expectedVersion),
		/** Published → draft: gone from every public surface when the transaction commits. */
		unpublish: (ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) =>
			step('unpublish', ctx, viewer, id, expectedVersion),
		/** Draft, in review or published → archived. */
		archive: (ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) =>
			step('archive', ctx, viewer, id, expectedVersion),

		/** Runs one named step (forms and API step routes); `comment` is used by approve and requestChanges. */
		runStep(
			name: RecordStep,
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			expectedVersion: unknown,
			comment?: unknown
		): Promise<R> {
			if (name === 'approve') return step(name, ctx, viewer, id, expectedVersion, { value: comment, required: false });
			if (name === 'requestChanges') {
				return step(name, ctx, viewer, id, expectedVersion, { value: comment, required: true });
			}
			return step(name, ctx, viewer, id, expectedVersion);
		},

		/**
		 * The revisions of a record, oldest first: all of them with who and comments for viewers allowed
		 * `<type>.read_history`; only the published ones, anonymised, for everyone else who may read it.
		 */
		history,

		/** The history, newest first, with people's names (as much as the viewer may see). */
		async namedHistory(viewer: Viewer, id: string): Promise<NamedRecordHistoryEntry<R>[]> {
			const entries = await history(viewer, id);
			const ids = [...new Set(entries.map((e) => e.changedBy).filter((x): x is string => x !== null))];
			const names = await accountNames(db, ids);
			return entries
				.map((e) => ({ ...e, changedByName: e.changedBy ? (names.get(e.changedBy) ?? null) : null }))
				.reverse();
		},

		/** The record as it was at one version (what an editor's form was based on), or null. */
		async snapshotAt(viewer: Viewer, id: string, version: number): Promise<R | null> {
			const entries = await history(viewer, id);
			return entries.find((e) => e.version === version)?.snapshot ?? null;
		},

		/** The steps the policy allows this viewer on this record now (the buttons to show). */
		allowedSteps(viewer: Viewer, r: R): RecordStep[] {
			const actor = accessActorOf(viewer);
			return RECORD_STEP_NAMES.filter((s) => {
				const rule = RECORD_STEPS[s];
				return (rule.from as readonly RecordStatus[]).includes(r.status) && can(actor, act(rule.verb), subjectOf(r));
			});
		},

		/** Whether the edit form is offered (update() decides again on save). */
		canEdit(viewer: Viewer, r: R): boolean {
			return EDITABLE_STATES.includes(r.status) && can(accessActorOf(viewer), act('update'), subjectOf(r));
		},

		/** Whether the full history (who, comments, drafts) is shown. */
		canReadHistory(viewer: Viewer, r: R): boolean {
			return can(accessActorOf(viewer), act('read_history'), subjectOf(r));
		}
	};
}

export type WorkflowEngine<R extends WorkflowRecord, I extends object> = ReturnType<typeof createWorkflowEngine<R, I>>;

/** The workflow of practices or actors: the engine over record_revision, plus their workspace lists. */
export function createRecordWorkflow<R extends WorkflowRecord, I extends object>(
	database: Database,
	adapter: RecordAdapter<R, I>,
	options: RecordWorkflowOptions = {}
) {
	const { db } = database;
	const type = adapter.type;
	const act = (verb: RecordVerb) => actionOf(type, verb);

	async function withComments(items: Omit<RecordWorkItem, 'lastComment'>[]): Promise<RecordWorkItem[]> {
		const comments = await latestComments(
			db,
			type,
			items.map((i) => i.id)
		);
		return items.map((i) => ({ ...i, lastComment: comments.get(i.id) ?? null }));
	}

	return {
		...createWorkflowEngine(database, adapter, recordRevisionStore<R>(type), options),

		/** Unpublished records I created or my organisations own, newest first. */
		async myRecords(viewer: Viewer): Promise<RecordWorkItem[]> {
			if (viewer.kind !== 'user') return [];
			const actor = accessActorOf(viewer);
			const found = await adapter.listWorkItems(
				db,
				{
					own: { userId: viewer.user.id, organisationIds: viewer.user.organisationIds },
					statuses: ['draft', 'in_review', 'archived']
				},
				LIST_LIMIT
			);
			return withComments(found.filter((r) => can(actor, act('read'), subjectOf(r))));
		},

		/** Records in review that I may review: in my countries (all for admins). */
		async reviewQueue(viewer: Viewer): Promise<RecordWorkItem[]> {
			if (viewer.kind !== 'user') return [];
			const actor = accessActorOf(viewer);
			if (!['admin', 'reviewer', 'coordinator'].includes(actor.role)) return [];
			const found = await adapter.listWorkItems(
				db,
				{ countries: actor.role === 'admin' ? null : actor.countries, statuses: ['in_review'] },
				LIST_LIMIT
			);
			return withComments(found.filter((r) => can(actor, act('review'), subjectOf(r))));
		}
	};
}

export type RecordWorkflow<R extends WorkflowRecord, I extends object> = ReturnType<typeof createRecordWorkflow<R, I>>;
