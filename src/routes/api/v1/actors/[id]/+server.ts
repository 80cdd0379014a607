import {
	fromRecordBody,
	recordWriteResponse,
	toRecordResponse,
	withRecordProblems
} from '$lib/server/api/record-write';
import { json } from '$lib/server/http/api';
import { apiContext, parseIfMatch, readJsonBody, tokenRoute } from '$lib/server/http/bearer';

/**
 * Without a token: the published record. With a token: the record in any status the token and its
 * account may read, with status, version and its ETag (for If-Match).
 */
export const GET = tokenRoute(
	async ({ params }, { services }, principal) => {
		if (principal)
			return recordWriteResponse('actor', await services.recordApi.get('actor', principal, params.id ?? ''));
		const record = await services.recordApi.getPublished('actor', params.id ?? '');
		return json(toRecordResponse('actor', record));
	},
	{ required: false }
);

/** Changes the fields sent (bearer token with write access; If-Match required). */
export const PATCH = tokenRoute(async (event, { services }, principal) =>
	withRecordProblems('actor', event, async () => {
		const version = parseIfMatch(event.request.headers.get('if-match'));
		const { input } = fromRecordBody('actor', await readJsonBody(event.request));
		const record = await services.recordApi.update(
			'actor',
			apiContext(event),
			principal,
			event.params.id ?? '',
			version,
			input
		);
		return recordWriteResponse('actor', record);
	})
);
