import { DomainError, validationError } from '$lib/core/shared/errors';
import { recordWriteResponse, toRecordHistoryResponse, withRecordProblems } from '$lib/server/api/record-write';
import { json } from '$lib/server/http/api';
import { apiContext, parseIfMatch, readJsonBody, tokenRoute } from '$lib/server/http/bearer';
import type { RecordStep } from '$lib/server/services/record-workflow';

/** The sub-resources of a record: `history` (GET) and the workflow steps (POST). */
const STEPS: Record<string, RecordStep> = {
	submit: 'submit',
	approve: 'approve',
	'request-changes': 'requestChanges',
	publish: 'publish',
	unpublish: 'unpublish',
	archive: 'archive'
};

const unknownPath = () => new DomainError('NOT_FOUND', 'No such endpoint');

/**
 * The revisions, oldest first: without a token (or outside the token's narrowing) only the
 * published ones, anonymised; with a token whose account may read the history, all of them.
 */
export const GET = tokenRoute(
	async ({ params }, { services }, principal) => {
		if (params.step !== 'history') throw unknownPath();
		const entries = await services.recordApi.history('actor', principal, params.id ?? '');
		return json(
			{ items: entries.map((e) => toRecordHistoryResponse('actor', e)) },
			{ headers: principal ? { 'cache-control': 'no-store' } : {} }
		);
	},
	{ required: false }
);

/** A workflow step (bearer token with write access; If-Match required); body empty or `{ "comment": "…" }`. */
export const POST = tokenRoute(async (event, { services }, principal) =>
	withRecordProblems('actor', event, async () => {
		const step = STEPS[event.params.step ?? ''];
		if (!step) throw unknownPath();
		const version = parseIfMatch(event.request.headers.get('if-match'));
		const body = await readJsonBody(event.request, true);
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			throw validationError([{ field: 'body', message: 'must be a JSON object' }]);
		}
		const takesComment = step === 'approve' || step === 'requestChanges';
		const extra = Object.keys(body).filter((k) => !(takesComment && k === 'comment'));
		if (extra.length > 0) {
			throw validationError(extra.map((field) => ({ field, message: 'is not accepted by this step' })));
		}
		const record = await services.recordApi.step(
			'actor',
			apiContext(event),
			principal,
			step,
			event.params.id ?? '',
			version,
			(body as { comment?: unknown }).comment
		);
		return recordWriteResponse('actor', record);
	})
);
