/**
 * JSON shapes of the write API (issue #3): the request body of POST/PATCH in the API's snake_case
 * field names (the same names GET returns), mapped to the workflow service's input, and the
 * record as writers see it (the public shape plus status, version, owner and publication time).
 */
import type { InitiativeInput } from '../../core/registry/initiative';
import { DomainError, validationError, type FieldIssue } from '../../core/shared/errors';
import type { HistoryEntry, WorkflowInitiative } from '../services/initiative-workflow.service';
import { toInitiativeResponse } from './responses';

/** API field name → workflow input field, for every editable field (the same names GET returns). */
export const WRITABLE_FIELDS = {
	key: 'key',
	title: 'title',
	description: 'description',
	action_type: 'actionType',
	initiator_kinds: 'initiatorKinds',
	initiators: 'initiators',
	scope: 'scope',
	regional_scope: 'regionalScope',
	region: 'region',
	countries: 'countries',
	date_start: 'dateStart',
	date_end: 'dateEnd',
	date_precision: 'datePrecision',
	date_text: 'dateText',
	predates_gcm: 'predatesGcm',
	objectives: 'objectives',
	principles: 'principles',
	sources: 'sources',
	verification_status: 'verificationStatus',
	report_table: 'reportTable',
	report_row: 'reportRow',
	original_text: 'originalText'
} as const satisfies Record<string, keyof InitiativeInput>;
export type WritableField = keyof typeof WRITABLE_FIELDS;

const API_NAME_OF = new Map<string, string>(Object.entries(WRITABLE_FIELDS).map(([api, input]) => [input, api]));

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A request body as workflow input: API names become input names. A field that is not editable
 * content (`status`, `version`, `id`, a camelCase spelling …) is refused by name, never ignored
 * (mass assignment). `extra` names top-level fields the caller handles itself (e.g. the owner).
 */
export function fromInitiativeBody(
	body: unknown,
	extra: readonly string[] = []
): { input: Record<string, unknown>; extra: Record<string, unknown> } {
	if (!isObject(body)) throw validationError([{ field: 'body', message: 'must be a JSON object' }]);
	const input: Record<string, unknown> = {};
	const taken: Record<string, unknown> = {};
	const refused: FieldIssue[] = [];
	for (const [k, v] of Object.entries(body)) {
		if (Object.hasOwn(WRITABLE_FIELDS, k)) input[WRITABLE_FIELDS[k as WritableField]] = v;
		else if (extra.includes(k)) taken[k] = v;
		else refused.push({ field: k, message: 'is not an editable field' });
	}
	if (refused.length > 0) {
		throw validationError(refused, `Not editable: ${refused.map((r) => r.field).join(', ')}`);
	}
	return { input, extra: taken };
}

/** Renames the fields of a validation error from input names back to the API's names. */
export function toApiFieldNames(err: unknown): unknown {
	if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED' || err.issues.length === 0) return err;
	const rename = (field: string) => {
		const [head, ...rest] = field.split('.');
		const api = API_NAME_OF.get(head ?? '');
		return api ? [api, ...rest].join('.') : field;
	};
	const issues = err.issues.map((i) => ({ ...i, field: rename(i.field) }));
	return issues.some((i, n) => i.field !== err.issues[n]?.field) ? validationError(issues) : err;
}

/** A record as its writers see it: the public fields plus workflow state. */
export function toWorkflowInitiativeResponse(r: WorkflowInitiative) {
	return {
		...toInitiativeResponse(r),
		status: r.status,
		version: r.version,
		owner_organisation_id: r.ownerOrganisationId,
		published_at: r.publishedAt
	};
}
export type WorkflowInitiativeResponse = ReturnType<typeof toWorkflowInitiativeResponse>;

/**
 * One history entry: who changed it and the review comment are null for viewers without history
 * rights. The record is in the write shape in a full history and in the public shape (no version,
 * status, owner) in the public one, as `GET /api/v1/initiatives/{id}` answers the public.
 */
export function toHistoryEntryResponse(e: HistoryEntry, view: 'full' | 'public') {
	return {
		version: e.version,
		status: e.status,
		at: e.at,
		changed_by: e.changedBy,
		comment: e.comment,
		record: view === 'full' ? toWorkflowInitiativeResponse(e.snapshot) : toInitiativeResponse(e.snapshot)
	};
}
