import { getObjective } from '$lib/core/reference';
import { DomainError } from '$lib/core/shared/errors';
import { toObjectiveResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ params }, { services }) => {
	const objective = /^\d{1,2}$/.test(params.number ?? '') ? getObjective(Number(params.number)) : undefined;
	if (!objective) throw new DomainError('OBJECTIVE_NOT_FOUND', 'GCM objectives are numbered 1 to 23');
	const stats = await services.registry.stats(PUBLIC_API);
	return json(toObjectiveResponse(objective, stats.byObjective.get(objective.number) ?? 0));
});
