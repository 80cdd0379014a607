/**
 * The /api/v1 handlers that initiatives, practices and actors share, built per record kind so each
 * route file is one line: a workflow step (POST …/{id}/{step}), and for practices and actors one
 * record (GET/PATCH …/{id}), a new draft (POST …) and the revision history (GET …/{id}/history).
 *
 * Every write handler here is a `tokenRoute` with its default (required) options: a bearer token is
 * needed and a session cookie is never accepted (tests/integration/route-inventory.spec.ts reads
 * this file to prove it).
 */
import { DomainError, validationError } from '../../core/shared/errors';
import {
	fromRecordBody,
	recordWriteResponse,
	toPublicRecordResponse,
	toRecordHistoryResponse,
	withRecordProblems
} from '../api/record-write';
import type { RecordStep } from '../services/record-workflow';
import type { ApiRecordType } from '../services/record-api.service';
import { json } from './api';
import { apiContext, parseIfMatch, readJsonBody, recordResponse, tokenRoute } from './bearer';

/** The record kinds of the write API. */
export type ApiRecordKind = 'initiative' | ApiRecordType;

/** The URL segment of each workflow step. */
export const STEP_SEGMENTS: Readonly<Record<string, RecordStep>> = {
	submit: 'submit',
	approve: 'approve',
	'request-changes': 'requestChanges',
	publish: 'publish',
	unpublish: 'unpublish',
	archive: 'archive'
};

/** The steps that take a review comment; every other step takes an empty body or `{}`. */
const TAKES_COMMENT: readonly RecordStep[] = ['approve', 'requestChanges'];

const unknownPath = () => new DomainError('NOT_FOUND', 'No such endpoint');

/** The step a request names: the route's own, or the `[step]` segment of the path. */
function stepOf(fixed: RecordStep | undefined, segment: string | undefined): RecordStep {
	if (fixed) return fixed;
	const step = segment !== undefined && Object.hasOwn(STEP_SEGMENTS, segment) ? STEP_SEGMENTS[segment] : undefined;
	if (!step) throw unknownPath();
	return step;
}

/** The body of a step: empty, or an object with at most a `comment` (approve, request changes). */
function stepComment(step: RecordStep, body: unknown): unknown {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw validationError([{ field: 'body', message: 'must be a JSON object' }]);
	}
	const extra = Object.keys(body).filter((k) => !(TAKES_COMMENT.includes(step) && k === 'comment'));
	if (extra.length > 0) {
		throw validationError(extra.map((field) => ({ field, message: 'is not accepted by this step' })));
	}
	return (body as { comment?: unknown }).comment;
}

/**
 * The POST handler of a workflow step on one record kind: If-Match required; body empty or
 * `{ "comment": "…" }`. With `step`, the route is that step's own path (initiatives:
 * `…/{id}/publish`); without, the step comes from the `[step]` segment (unknown: 404).
 */
export function stepRoute(kind: ApiRecordKind, step?: RecordStep) {
	return tokenRoute(async (event, { services }, principal) => {
		if (kind === 'initiative') {
			const name = stepOf(step, event.params.step);
			const version = parseIfMatch(event.request.headers.get('if-match'));
			const comment = stepComment(name, await readJsonBody(event.request, true));
			const id = event.params.id ?? '';
			return recordResponse(
				await services.apiTokens.stepInitiative(apiContext(event), principal, name, id, version, comment)
			);
		}
		return withRecordProblems(kind, event, async () => {
			const name = stepOf(step, event.params.step);
			const version = parseIfMatch(event.request.headers.get('if-match'));
			const comment = stepComment(name, await readJsonBody(event.request, true));
			const id = event.params.id ?? '';
			const record = await services.recordApi.step(kind, apiContext(event), principal, name, id, version, comment);
			return recordWriteResponse(kind, record);
		});
	});
}

/** Creates a draft practice or actor (POST /api/v1/{kind}s; bearer token with write access only). */
export function createRecordRoute(kind: ApiRecordType) {
	return tokenRoute(async (event, { services }, principal) =>
		withRecordProblems(kind, event, async () => {
			const { input, extra } = fromRecordBody(kind, await readJsonBody(event.request), ['owner_organisation_id']);
			const record = await services.recordApi.create(
				kind,
				apiContext(event),
				principal,
				input,
				extra.owner_organisation_id
			);
			return recordWriteResponse(kind, record, 201);
		})
	);
}

/** Changes the fields sent (PATCH /api/v1/{kind}s/{id}; bearer token with write access; If-Match required). */
export function updateRecordRoute(kind: ApiRecordType) {
	return tokenRoute(async (event, { services }, principal) =>
		withRecordProblems(kind, event, async () => {
			const version = parseIfMatch(event.request.headers.get('if-match'));
			const { input } = fromRecordBody(kind, await readJsonBody(event.request));
			const id = event.params.id ?? '';
			const record = await services.recordApi.update(kind, apiContext(event), principal, id, version, input);
			return recordWriteResponse(kind, record);
		})
	);
}

/**
 * GET /api/v1/{kind}s/{id}. Without a token: the published record in the public shape (no workflow
 * fields). With a token: the record in any status the token and its account may read, in the write
 * shape (status, version, owner) with its ETag (for If-Match).
 */
export function getRecordRoute(kind: ApiRecordType) {
	return tokenRoute(
		async ({ params }, { services }, principal) => {
			const id = params.id ?? '';
			if (principal) return recordWriteResponse(kind, await services.recordApi.get(kind, principal, id));
			return json(toPublicRecordResponse(kind, await services.recordApi.getPublished(kind, id)));
		},
		{ required: false }
	);
}

/**
 * GET /api/v1/{kind}s/{id}/history (the `[step]` segment; any other is 404): the revisions, oldest
 * first. Without a token (or outside the token's narrowing) only the published ones, anonymised,
 * with snapshots in the public shape; with a token whose account may read the history, all of them
 * in the write shape. The service says which view it answered.
 */
export function recordHistoryRoute(kind: ApiRecordType) {
	return tokenRoute(
		async ({ params }, { services }, principal) => {
			if (params.step !== 'history') throw unknownPath();
			const { view, entries } = await services.recordApi.history(kind, principal, params.id ?? '');
			return json(
				{ items: entries.map((e) => toRecordHistoryResponse(kind, e, view)) },
				{ headers: principal ? { 'cache-control': 'no-store' } : {} }
			);
		},
		{ required: false }
	);
}
