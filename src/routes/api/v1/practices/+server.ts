import { toPracticeResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { rejectParams } from '$lib/server/http/params';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ url }, { services }) => {
	rejectParams(url.searchParams);
	const items = await services.registry.listPractices(PUBLIC_API);
	return json({ items: items.map(toPracticeResponse) });
});
