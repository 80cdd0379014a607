import { OBJECTIVES } from '$lib/core/reference';
import { toObjectiveResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { rejectParams } from '$lib/server/http/params';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ url }, { services }) => {
	rejectParams(url.searchParams);
	const stats = await services.registry.stats(PUBLIC_API);
	return json({ items: OBJECTIVES.map((o) => toObjectiveResponse(o, stats.byObjective.get(o.number) ?? 0)) });
});
