/**
 * The JSON shapes of the practice and actor write API: request bodies in snake_case mapped to the
 * workflow input (unknown keys pass through unchanged, so the service refuses them by name), the
 * record response (with status and version), the public record (content, publication and last
 * change only: what an anonymous reader and the public history get), history entries, and problem
 * responses for 409/412 that carry the current record in the write shape with its ETag.
 */
import { DomainError } from '../../core/shared/errors';
import { etagOf } from '../http/bearer';
import { json } from '../http/api';
import { toProblem } from '../http/problem';
import type { RecordHistoryEntry, WorkflowRecord } from '../services/record-workflow';
import type { ApiRecordType, RecordHistoryView } from '../services/record-api.service';

const FIELDS: Record<ApiRecordType, Record<string, string>> = {
	practice: {
		key: 'key',
		name: 'name',
		implementing_partners: 'implementingPartners',
		period_start: 'periodStart',
		period_end: 'periodEnd',
		period_text: 'periodText',
		description: 'description',
		more_information: 'moreInformation',
		countries: 'countries',
		objectives: 'objectives',
		report_row: 'reportRow',
		original_text: 'originalText'
	},
	actor: { name: 'name', description: 'description', website: 'website', country: 'country', kind: 'kind' }
};

const toApiName = (type: ApiRecordType, field: string): string => {
	const [head, ...rest] = field.split('.');
	const api = Object.entries(FIELDS[type]).find(([, v]) => v === head)?.[0] ?? head;
	return [api, ...rest].join('.');
};

/** Body → workflow input; `extra` holds the non-content keys a route accepts (e.g. owner_organisation_id). */
export function fromRecordBody(
	type: ApiRecordType,
	body: unknown,
	extraKeys: readonly string[] = []
): { input: Record<string, unknown>; extra: Record<string, unknown> } {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new DomainError('VALIDATION_FAILED', 'The body must be a JSON object.', [
			{ field: 'body', message: 'must be a JSON object' }
		]);
	}
	const input: Record<string, unknown> = {};
	const extra: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(body)) {
		if (extraKeys.includes(k)) extra[k] = v;
		else input[FIELDS[type][k] ?? k] = v;
	}
	return { input, extra };
}

function contentOf(type: ApiRecordType, r: WorkflowRecord): Record<string, unknown> {
	const rec = r as unknown as Record<string, unknown>;
	const out: Record<string, unknown> = { id: r.id, type };
	for (const [api, field] of Object.entries(FIELDS[type])) out[api] = rec[field] ?? null;
	return out;
}

/** The record as the write API returns it (and token reads: the version is what If-Match needs). */
export function toRecordResponse(type: ApiRecordType, r: WorkflowRecord): Record<string, unknown> {
	const out = contentOf(type, r);
	out.status = r.status;
	out.version = r.version;
	out.owner_organisation_id = r.ownerOrganisationId;
	out.published_at = (r as unknown as Record<string, unknown>).publishedAt ?? null;
	out.created_at = r.createdAt;
	out.updated_at = r.updatedAt;
	return out;
}

/**
 * The record as the public sees it (no token; public history snapshots): the content, when it was
 * published and last changed; never workflow fields (status, version, owner, creation), as the
 * public initiative shape.
 */
export function toPublicRecordResponse(type: ApiRecordType, r: WorkflowRecord): Record<string, unknown> {
	const out = contentOf(type, r);
	out.published_at = (r as unknown as Record<string, unknown>).publishedAt ?? null;
	out.updated_at = r.updatedAt;
	return out;
}

/** One revision; its snapshot in the public shape when the history is the public view. */
export function toRecordHistoryResponse(
	type: ApiRecordType,
	h: RecordHistoryEntry<WorkflowRecord>,
	view: RecordHistoryView
) {
	return {
		version: h.version,
		status: h.status,
		at: h.at,
		changed_by: h.changedBy,
		comment: h.comment,
		snapshot: view === 'full' ? toRecordResponse(type, h.snapshot) : toPublicRecordResponse(type, h.snapshot)
	};
}

/** A record response with its ETag (and Location for a creation). */
export function recordWriteResponse(type: ApiRecordType, r: WorkflowRecord, status = 200): Response {
	const headers: Record<string, string> = { etag: etagOf(r.version), 'cache-control': 'no-store' };
	if (status === 201) headers.location = `/api/v1/${type === 'practice' ? 'practices' : 'actors'}/${r.id}`;
	return json(toRecordResponse(type, r), { status, headers });
}

/**
 * Runs a handler and answers 409/412 itself, with the current record in this API's shape and its
 * ETag; field names in validation issues are the API's (snake_case). Other errors go on to tokenRoute.
 */
export async function withRecordProblems(
	type: ApiRecordType,
	event: { locals: { requestId: string }; url: URL },
	fn: () => Promise<Response>
): Promise<Response> {
	try {
		return await fn();
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		const renamed = new DomainError(
			err.code,
			err.message,
			err.issues.map((i) => ({ ...i, field: toApiName(type, i.field) })),
			err.current
		);
		if ((err.code === 'CONFLICT' || err.code === 'PRECONDITION_FAILED') && err.current) {
			const current = err.current as WorkflowRecord;
			const problem = {
				...toProblem(renamed, event.locals.requestId, event.url.pathname),
				current: toRecordResponse(type, current)
			};
			return new Response(JSON.stringify(problem), {
				status: problem.status,
				headers: {
					'content-type': 'application/problem+json; charset=utf-8',
					'cache-control': 'no-store',
					etag: etagOf(current.version)
				}
			});
		}
		// Without `current`, the shared problem mapping applies (it adds no record).
		throw new DomainError(renamed.code, renamed.message, renamed.issues);
	}
}
