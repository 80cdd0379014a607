/**
 * The initiative editing workflow: drafts are created and edited (PATCH), submitted for review,
 * approved (published) or sent back with a comment, published, unpublished and archived; one record
 * and its revision history are read by id. Runs on workspace requests and `gcm` commands.
 *
 * Every change: authorize (core/access) → validate → ONE transaction holding the versioned write
 * (`WHERE id AND version`: a stale writer gets CONFLICT), the data-version bump, the revision and
 * the audit row, so a failed audit insert rolls the change back. See docs/security.md.
 */
import { z } from 'zod';
import { authorize, can, type AccessSubject } from '../../core/access/authorize';
import { actionOf, type InitiativeAction } from '../../core/access/policy';
import { diffFields } from '../../core/accounts/diff';
import { redactSecrets } from '../../core/accounts/redact';
import type { Role } from '../../core/accounts/roles';
import {
	cleanText,
	initiativeInputSchema,
	normalizeInitiativeInput,
	type InitiativeInput
} from '../../core/registry/initiative';
import type { RecordStatus } from '../../core/registry/vocabulary';
import { DomainError, validationError, type FieldIssue } from '../../core/shared/errors';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database, Db } from '../db/client';
import { bumpRegistryVersion } from '../db/data-version.repository';
import {
	findWorkflowInitiative,
	insertDraft,
	insertRevision,
	LIST_FIELDS,
	listRevisions,
	transition,
	updateContent,
	type ListField,
	type Revision,
	type WorkflowInitiative
} from '../db/initiative-write.repository';
import { findAccessFacts } from '../db/organisation.repository';
import type { RequestContext } from './account.service';
import { EDITABLE_STATES, RECORD_STEPS, type RecordStep } from './record-workflow';
import { accessActorOf, type Channel, type Viewer } from './viewer';

export type { Revision, WorkflowInitiative };

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Content is edited only before publication: a published revision is never changed in place. */

/**
 * The state machine is the one every record kind follows (record-workflow.ts RECORD_STEPS): each
 * step's permission is `initiative.<verb>` and its audit event `initiative.<event>`.
 */
export type WorkflowStep = RecordStep;
function stepRule(name: WorkflowStep) {
	const s = RECORD_STEPS[name];
	return { action: actionOf('initiative', s.verb), from: s.from, to: s.to, event: `initiative.${s.event}` };
}

const EDITABLE_FIELDS = Object.keys(initiativeInputSchema.shape) as (keyof InitiativeInput)[];

const versionSchema = z.number().int().min(1);
const commentSchema = cleanText(5_000).refine((s) => s.trim().length > 0, { message: 'is required' });

export interface CreateOptions {
	/** The organisation responsible for the record; defaults to the creator's only organisation. */
	ownerOrganisationId?: string | null;
}

/** A history entry. For viewers without `initiative.read_history`, `changedBy` and `comment` are null. */
export type HistoryEntry = Revision;

export interface WorkflowServiceOptions {
	now?: () => Date;
}

function issuesOf(error: z.ZodError): FieldIssue[] {
	return error.issues.flatMap((i): FieldIssue[] =>
		i.code === 'unrecognized_keys'
			? i.keys.map((k) => ({ field: k, message: 'is not an editable field' }))
			: [{ field: i.path.map(String).join('.') || 'input', message: i.message }]
	);
}

/** Whether the viewer sees the full history of a record (every revision, who changed it, comments). */
export function canReadHistory(viewer: Viewer, r: WorkflowInitiative): boolean {
	return can(accessActorOf(viewer), 'initiative.read_history', subjectOf(r));
}

function subjectOf(r: WorkflowInitiative): AccessSubject {
	return {
		status: r.status,
		ownerOrganisationId: r.ownerOrganisationId,
		createdBy: r.createdBy,
		countries: r.countries
	};
}

/** A new record belongs to the creator's only organisation unless another is named. */
function defaultOwner(organisationIds: readonly string[]): string | null {
	return organisationIds.length === 1 ? (organisationIds[0] ?? null) : null;
}

/** `initiative.create` is checked against the record as it would be created: a draft by this person. */
function createSubject(createdBy: string | null, owner: string | null, countries: readonly string[]): AccessSubject {
	return { status: 'draft', ownerOrganisationId: owner, createdBy, countries };
}

const asFields = (x: object): Record<string, unknown> => x as Record<string, unknown>;

/** The editable content of a record. */
function contentOf(r: WorkflowInitiative): InitiativeInput {
	const out: Record<string, unknown> = {};
	for (const f of EDITABLE_FIELDS) out[f] = r[f];
	return out as unknown as InitiativeInput;
}

/** What the audit diff compares: everything but the timestamps that change on every write. */
function auditedFields(r: WorkflowInitiative | null): Record<string, unknown> | null {
	if (!r) return null;
	const { createdAt: _c, updatedAt: _u, ...rest } = r;
	return rest;
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

function notFound(): DomainError {
	return new DomainError('INITIATIVE_NOT_FOUND', 'No such initiative');
}

function conflict(message: string, current: WorkflowInitiative | null): DomainError {
	return new DomainError('CONFLICT', message, [], current ?? undefined);
}

export function createInitiativeWorkflowService(database: Database, options: WorkflowServiceOptions = {}) {
	const { db } = database;
	const now = options.now ?? (() => new Date());

	/** Loads a record the viewer may read; anything else (unknown id, unreadable) is "not found". */
	async function loadReadable(viewer: Viewer, id: string): Promise<WorkflowInitiative> {
		const found = UUID_RE.test(id) ? await findWorkflowInitiative(db, id) : null;
		if (!found) throw notFound();
		authorize(accessActorOf(viewer), 'initiative.read', subjectOf(found));
		return found;
	}

	/** Read access, then the version the client saw, then the permission for this change. */
	async function loadForChange(
		viewer: Viewer,
		id: string,
		expectedVersion: unknown,
		action: InitiativeAction
	): Promise<{ current: WorkflowInitiative; version: number }> {
		const current = await loadReadable(viewer, id);
		const version = versionSchema.safeParse(expectedVersion);
		if (!version.success) {
			throw validationError([{ field: 'expectedVersion', message: 'must be the version the change was based on' }]);
		}
		if (current.version !== version.data) {
			throw conflict(
				`The record changed since version ${version.data} (it is now at version ${current.version}).`,
				current
			);
		}
		authorize(accessActorOf(viewer), action, subjectOf(current));
		return { current, version: version.data };
	}

	/** Data version, revision and audit row of a change, in its transaction. */
	async function record(
		tx: Tx,
		ctx: RequestContext,
		viewer: Viewer,
		event: string,
		before: WorkflowInitiative | null,
		id: string,
		comment: string | null = null
	): Promise<WorkflowInitiative> {
		await bumpRegistryVersion(tx);
		const after = await findWorkflowInitiative(tx, id);
		if (!after) throw new Error(`initiative ${id} vanished inside its own transaction`);
		const actor = actorSnapshot(viewer);
		const at = now();
		await insertRevision(tx, {
			initiativeId: id,
			version: after.version,
			status: after.status,
			snapshot: after,
			changedBy: actor.id,
			comment,
			at
		});
		const changes: Record<string, unknown> = diffFields(auditedFields(before), auditedFields(after));
		if (comment !== null) changes.comment = { before: null, after: comment };
		await insertAuditEvent(tx, {
			at,
			actorId: actor.id,
			actorLabel: actor.label,
			actorRole: actor.role,
			action: event,
			objectType: 'initiative',
			objectId: id,
			changes: redactSecrets(changes),
			requestId: ctx.requestId,
			channel: ctx.channel
		});
		return after;
	}

	async function step(
		name: WorkflowStep,
		ctx: RequestContext,
		viewer: Viewer,
		id: string,
		expectedVersion: unknown,
		commentInput: { value: unknown; required: boolean } | null = null
	): Promise<WorkflowInitiative> {
		const s = stepRule(name);
		const { current, version } = await loadForChange(viewer, id, expectedVersion, s.action);
		const comment = commentInput ? parseComment(commentInput.value, commentInput.required) : null;
		if (!(s.from as readonly RecordStatus[]).includes(current.status)) {
			throw conflict(`A record that is ${current.status} cannot be moved to ${s.to} this way.`, current);
		}
		return db.transaction(async (tx) => {
			if (!(await transition(tx, id, version, s.from, s.to))) {
				throw conflict('The record was changed by someone else.', await findWorkflowInitiative(tx, id));
			}
			return record(tx, ctx, viewer, s.event, current, id, comment);
		});
	}

	function parseComment(comment: unknown, required: boolean): string | null {
		if (!required && (comment === undefined || comment === null || comment === '')) return null;
		const parsed = commentSchema.safeParse(comment);
		if (!parsed.success)
			throw validationError([{ field: 'comment', message: parsed.error.issues[0]?.message ?? 'invalid' }]);
		return parsed.data.trim();
	}

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
		mayCreate(viewer: Viewer, countries: readonly string[] | null = null): boolean {
			const actor = accessActorOf(viewer);
			return can(
				actor,
				'initiative.create',
				createSubject(actor.id, defaultOwner(actor.organisationIds), countries ?? actor.countries)
			);
		},

		/** One record by id, in any status the viewer may read; otherwise INITIATIVE_NOT_FOUND. */
		get(viewer: Viewer, id: string): Promise<WorkflowInitiative> {
			return loadReadable(viewer, id);
		},

		/** Creates a draft. The input is the full record (strict: unknown fields are refused). */
		async create(
			ctx: RequestContext,
			viewer: Viewer,
			input: unknown,
			opts: CreateOptions = {}
		): Promise<WorkflowInitiative> {
			const actor = accessActorOf(viewer);
			const owner =
				opts.ownerOrganisationId !== undefined ? opts.ownerOrganisationId : defaultOwner(actor.organisationIds);
			// First: could this person create any record at all (one concerning their own countries)?
			// Those who cannot (the public, experts, reviewers) are refused before their input is validated.
			authorize(actor, 'initiative.create', createSubject(actor.id, owner, actor.countries));
			if (owner !== null && actor.role !== 'admin' && !actor.organisationIds.includes(owner)) {
				throw new DomainError('FORBIDDEN', 'Records can only be created for your own organisations.');
			}
			const parsed = initiativeInputSchema.safeParse(input);
			if (!parsed.success) throw validationError(issuesOf(parsed.error));
			const content = normalizeInitiativeInput(parsed.data);
			// Then the record as it would be created: a country-scoped grant (coordinators) needs the record
			// to concern one of the person's countries.
			if (!can(actor, 'initiative.create', createSubject(actor.id, owner, content.countries))) {
				throw new DomainError('FORBIDDEN', 'You may only create records that concern one of your countries.', [
					{ field: 'countries', message: 'must include one of the countries you are scoped to' }
				]);
			}
			return db.transaction(async (tx) => {
				const id = await insertDraft(tx, content, { ownerOrganisationId: owner, createdBy: actor.id });
				if (!id) throw validationError([{ field: 'key', message: 'is already used by another initiative' }]);
				return record(tx, ctx, viewer, 'initiative.created', null, id);
			});
		},

		/**
		 * Changes some fields of a draft or a record in review (PATCH: only the fields sent). Fields that
		 * are not content (status, version, owner, role …) are refused with VALIDATION_FAILED naming them.
		 */
		async update(
			ctx: RequestContext,
			viewer: Viewer,
			id: string,
			expectedVersion: unknown,
			patch: unknown
		): Promise<WorkflowInitiative> {
			const { current, version } = await loadForChange(viewer, id, expectedVersion, 'initiative.update');
			if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
				throw validationError([{ field: 'input', message: 'must be an object of changed fields' }]);
			}
			const unknown = Object.keys(patch).filter((k) => !(EDITABLE_FIELDS as string[]).includes(k));
			if (unknown.length > 0) {
				throw validationError(
					unknown.map((field) => ({ field, message: 'is not an editable field' })),
					`Not editable: ${unknown.join(', ')}`
				);
			}
			if (!EDITABLE_STATES.includes(current.status)) {
				throw conflict(`A record that is ${current.status} is not edited; unpublish it first.`, current);
			}
			const merged = initiativeInputSchema.safeParse({ ...contentOf(current), ...patch });
			if (!merged.success) throw validationError(issuesOf(merged.error));
			const next = normalizeInitiativeInput(merged.data);
			const changed = Object.keys(
				diffFields(asFields(contentOf(current)), asFields(next))
			) as (keyof InitiativeInput)[];
			if (changed.length === 0) return current;
			const changedLists = LIST_FIELDS.filter((f: ListField) => changed.includes(f));
			return db.transaction(async (tx) => {
				if (!(await updateContent(tx, id, version, EDITABLE_STATES, next, changedLists))) {
					throw conflict('The record was changed by someone else.', await findWorkflowInitiative(tx, id));
				}
				return record(tx, ctx, viewer, 'initiative.updated', current, id);
			});
		},

		/** Draft → in review. */
		submit(ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) {
			return step('submit', ctx, viewer, id, expectedVersion);
		},

		/** In review → published, with an optional comment (a review decision). */
		approve(ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown, comment?: unknown) {
			return step('approve', ctx, viewer, id, expectedVersion, { value: comment, required: false });
		},

		/** In review → draft, with the reviewer's comment (required). */
		requestChanges(ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown, comment: unknown) {
			return step('requestChanges', ctx, viewer, id, expectedVersion, { value: comment, required: true });
		},

		/** Draft, in review or archived → published. */
		publish(ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) {
			return step('publish', ctx, viewer, id, expectedVersion);
		},

		/** Published → draft: gone from every public surface when the transaction commits. */
		unpublish(ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) {
			return step('unpublish', ctx, viewer, id, expectedVersion);
		},

		/** Draft, in review or published → archived. */
		archive(ctx: RequestContext, viewer: Viewer, id: string, expectedVersion: unknown) {
			return step('archive', ctx, viewer, id, expectedVersion);
		},

		/**
		 * The revisions of a record, oldest first. Viewers allowed `initiative.read_history` on it see
		 * every revision with who changed it and review comments; everyone else who may read it sees
		 * only its published revisions (so the history starts at the first publication), anonymised.
		 */
		async history(viewer: Viewer, id: string): Promise<HistoryEntry[]> {
			const current = await loadReadable(viewer, id);
			const revisions = await listRevisions(db, id);
			if (canReadHistory(viewer, current)) return revisions;
			return revisions
				.filter((r) => r.status === 'published')
				.map((r) => ({ ...r, changedBy: null, comment: null, snapshot: { ...r.snapshot, createdBy: null } }));
		}
	};
}

export type InitiativeWorkflowService = ReturnType<typeof createInitiativeWorkflowService>;
