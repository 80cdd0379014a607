import { fromRecordBody, recordWriteResponse, withRecordProblems } from '$lib/server/api/record-write';
import { toPracticeResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { apiContext, readJsonBody, tokenRoute } from '$lib/server/http/bearer';
import { rejectParams } from '$lib/server/http/params';
import { PUBLIC_API } from '$lib/server/services/viewer';

// The list shows published practices only, with or without a token (drafts are reached by id).
export const GET = apiRoute(async ({ url }, { services }) => {
	rejectParams(url.searchParams);
	const items = await services.registry.listPractices(PUBLIC_API);
	return json({ items: items.map(toPracticeResponse) });
});

/** Creates a draft practice (bearer token with write access only). */
export const POST = tokenRoute(async (event, { services }, principal) =>
	withRecordProblems('practice', event, async () => {
		const { input, extra } = fromRecordBody('practice', await readJsonBody(event.request), ['owner_organisation_id']);
		const record = await services.recordApi.create(
			'practice',
			apiContext(event),
			principal,
			input,
			extra.owner_organisation_id
		);
		return recordWriteResponse('practice', record, 201);
	})
);
