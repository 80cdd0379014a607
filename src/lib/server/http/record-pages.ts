/**
 * The workspace pages of practices and actors (new, record with workflow buttons and history,
 * edit), written once for both record types: thin adapters that read the form, call one workflow
 * service method and map its typed errors to the form (400 field errors, 403, 404, 409 with the
 * other person's change). The route files pick the record type and call the guard
 * (requireWorkspace) themselves, passing its result in.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import {
	ACTOR_FORM,
	changedRecordFields,
	displayRecordValue,
	emptyRecordValues,
	keyFromName,
	PRACTICE_FORM,
	recordInputFromValues,
	recordValuesFromForm,
	recordValuesOf,
	type RecordFieldSpec,
	type RecordFormValues
} from '../../components/forms/record-form';
import { DomainError } from '../../core/shared/errors';
import { RECORD_STEP_NAMES, type RecordStep, type WorkflowRecord } from '../services/record-workflow';
import { field } from './request-context';
import type { WorkspaceRequest } from './workspace';

export type WorkspaceRecordType = 'practice' | 'actor';

interface TypeInfo {
	spec: readonly RecordFieldSpec[];
	base: string;
	notFound: string;
	service: (
		s: WorkspaceRequest['services']
	) => WorkspaceRequest['services']['practices'] | WorkspaceRequest['services']['actors'];
	titleOf: (r: WorkflowRecord) => string;
	publicHref: (r: WorkflowRecord) => string;
}

const TYPES: Record<WorkspaceRecordType, TypeInfo> = {
	practice: {
		spec: PRACTICE_FORM,
		base: '/workspace/practices',
		notFound: 'PRACTICE_NOT_FOUND',
		service: (s) => s.practices,
		titleOf: (r) => (r as unknown as { name: string }).name,
		publicHref: (r) => `/practices#p-${(r as unknown as { key: string }).key}`
	},
	actor: {
		spec: ACTOR_FORM,
		base: '/workspace/actors',
		notFound: 'ACTOR_NOT_FOUND',
		service: (s) => s.actors,
		titleOf: (r) => (r as unknown as { name: string }).name,
		publicHref: (r) => `/actors/${r.id}`
	}
};

const DONE = ['created', 'saved', ...RECORD_STEP_NAMES] as const;
type Done = (typeof DONE)[number];

/** The service of a type, typed loosely enough to call the shared methods. */
function serviceOf(type: WorkspaceRecordType, services: WorkspaceRequest['services']) {
	// Both services are createRecordWorkflow(...) instances; the record type differs only.
	return TYPES[type].service(services) as unknown as WorkspaceRequest['services']['practices'];
}

function notFoundGuard(type: WorkspaceRecordType) {
	return (err: unknown): never => {
		if (err instanceof DomainError && (err.code === TYPES[type].notFound || err.code === 'NOT_FOUND')) {
			error(404, 'Not found');
		}
		throw err;
	};
}

/** /workspace/<type>s/new */
export function newRecordPage(type: WorkspaceRecordType) {
	const info = TYPES[type];
	return {
		async load(_event: RequestEvent, { viewer, services }: WorkspaceRequest) {
			return { canCreate: serviceOf(type, services).mayCreate(viewer), values: emptyRecordValues(info.spec) };
		},
		actions: {
			save: async (event: RequestEvent, { viewer, ctx, services }: WorkspaceRequest) => {
				const form = await event.request.formData();
				const values = recordValuesFromForm(info.spec, form);
				const input = recordInputFromValues(info.spec, values);
				if (type === 'practice' && input.key === '') {
					input.key = keyFromName(String(values.name ?? ''), crypto.randomUUID());
				}
				let id: string;
				try {
					id = (await serviceOf(type, services).create(ctx, viewer, input)).id;
				} catch (err) {
					if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
						return fail(400, { values, issues: err.issues });
					}
					if (err instanceof DomainError && err.code === 'FORBIDDEN') {
						return fail(403, { values, issues: [...err.issues, { field: 'form', message: err.message }] });
					}
					throw err;
				}
				redirect(303, `${info.base}/${id}?done=created`);
			}
		}
	};
}

/** /workspace/<type>s/[id]: the record, its workflow buttons and its history. */
export function recordPage(type: WorkspaceRecordType) {
	const info = TYPES[type];
	return {
		async load(event: RequestEvent & { params: { id: string } }, { viewer, services }: WorkspaceRequest) {
			const svc = serviceOf(type, services);
			const record = await svc.get(viewer, event.params.id).catch(notFoundGuard(type));
			const canReadHistory = svc.canReadHistory(viewer, record);
			const history = await svc.namedHistory(viewer, record.id);
			const latest = history[0];
			const reviewerComment =
				canReadHistory && record.status === 'draft' && latest?.comment ? { text: latest.comment, at: latest.at } : null;
			const done = event.url.searchParams.get('done');
			return {
				type,
				record,
				title: info.titleOf(record),
				values: recordValuesOf(info.spec, record),
				publicHref: info.publicHref(record),
				steps: svc.allowedSteps(viewer, record),
				canEdit: svc.canEdit(viewer, record),
				canReadHistory,
				history: history.map((h) => ({
					version: h.version,
					status: h.status,
					at: h.at,
					who: h.changedByName,
					system: h.changedBy === null,
					comment: h.comment
				})),
				reviewerComment,
				done: (DONE as readonly string[]).includes(done ?? '') ? (done as Done) : null
			};
		},
		actions: {
			step: async (event: RequestEvent & { params: { id: string } }, { viewer, ctx, services }: WorkspaceRequest) => {
				const form = await event.request.formData();
				const step = field(form, 'step', 40) as RecordStep;
				if (!RECORD_STEP_NAMES.includes(step)) {
					return fail(400, { stepError: 'invalid' as const, step: null, comment: '' });
				}
				const version = Number(field(form, 'version', 12));
				const comment = field(form, 'comment', 6_000);
				const id = event.params.id;
				try {
					await serviceOf(type, services).runStep(step, ctx, viewer, id, version, comment);
				} catch (err) {
					if (err instanceof DomainError) {
						if (err.code === info.notFound) error(404, 'Not found');
						if (err.code === 'CONFLICT') return fail(409, { stepError: 'conflict' as const, step, comment });
						if (err.code === 'VALIDATION_FAILED') {
							const onComment = err.issues.some((i) => i.field === 'comment');
							return fail(400, { stepError: onComment ? ('comment' as const) : ('invalid' as const), step, comment });
						}
						if (err.code === 'FORBIDDEN') return fail(403, { stepError: 'forbidden' as const, step, comment });
					}
					throw err;
				}
				redirect(303, `${info.base}/${id}?done=${step}`);
			}
		}
	};
}

/** What the edit form gets back when a save fails. */
export interface EditFailure {
	values: RecordFormValues;
	issues: { field: string; message: string }[];
	conflicts: Record<string, string> | null;
	conflictVersion: number | null;
	version: number;
}

/** /workspace/<type>s/[id]/edit: a PATCH of the changed fields; a stale version comes back as a conflict. */
export function editRecordPage(type: WorkspaceRecordType) {
	const info = TYPES[type];
	return {
		async load(event: RequestEvent & { params: { id: string } }, { viewer, services }: WorkspaceRequest) {
			const svc = serviceOf(type, services);
			const record = await svc.get(viewer, event.params.id).catch(notFoundGuard(type));
			return {
				type,
				record: { id: record.id, title: info.titleOf(record), version: record.version, status: record.status },
				canEdit: svc.canEdit(viewer, record),
				values: recordValuesOf(info.spec, record)
			};
		},
		actions: {
			/**
			 * Saves the fields this person changed against the version the form was based on, so untouched
			 * fields never overwrite someone else's newer text. A stale version: the form comes back with
			 * the person's changes on top of the current record and the other person's value beside every
			 * field they changed; saving again applies them deliberately.
			 */
			save: async (event: RequestEvent & { params: { id: string } }, { viewer, ctx, services }: WorkspaceRequest) => {
				const svc = serviceOf(type, services);
				const id = event.params.id;
				const form = await event.request.formData();
				const values = recordValuesFromForm(info.spec, form);
				const version = Number(field(form, 'version', 12));
				const base = Number.isInteger(version)
					? await svc.snapshotAt(viewer, id, version).catch(notFoundGuard(type))
					: null;
				const baseValues = base ? recordValuesOf(info.spec, base) : null;
				const mine = baseValues ? changedRecordFields(info.spec, baseValues, values) : info.spec.map((f) => f.name);
				const patch = recordInputFromValues(info.spec, values, mine);
				const failure = (status: number, extra: Partial<EditFailure> = {}) =>
					fail(status, {
						values,
						issues: [],
						conflicts: null,
						conflictVersion: null,
						version,
						...extra
					} as EditFailure);
				try {
					await svc.update(ctx, viewer, id, version, patch);
				} catch (err) {
					if (!(err instanceof DomainError)) throw err;
					if (err.code === info.notFound) error(404, 'Not found');
					if (err.code === 'VALIDATION_FAILED') return failure(400, { issues: err.issues });
					if (err.code === 'FORBIDDEN') return failure(403, { issues: [{ field: 'form', message: err.message }] });
					if (err.code === 'CONFLICT' && err.current) {
						const current = err.current as WorkflowRecord;
						const now = recordValuesOf(info.spec, current);
						const theirs = changedRecordFields(info.spec, baseValues ?? values, now);
						const merged: RecordFormValues = Object.fromEntries(
							info.spec.map((f) => [f.name, mine.includes(f.name) ? values[f.name]! : now[f.name]!])
						);
						return failure(409, {
							values: merged,
							conflicts: Object.fromEntries(theirs.map((f) => [f, displayRecordValue(now, f)])),
							conflictVersion: current.version,
							version: current.version
						});
					}
					throw err;
				}
				redirect(303, `${info.base}/${id}?done=saved`);
			}
		}
	};
}
