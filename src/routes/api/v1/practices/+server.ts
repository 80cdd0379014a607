import { toPracticeResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { createRecordRoute } from '$lib/server/http/record-routes';
import { rejectParams } from '$lib/server/http/params';
import { PUBLIC_API } from '$lib/server/services/viewer';

// The list shows published practices only, with or without a token (drafts are reached by id).
export const GET = apiRoute(async ({ url }, { services }) => {
	rejectParams(url.searchParams);
	const items = await services.registry.listPractices(PUBLIC_API);
	return json({ items: items.map(toPracticeResponse) });
});

/** Creates a draft practice (bearer token with write access only). */
export const POST = createRecordRoute('practice');
