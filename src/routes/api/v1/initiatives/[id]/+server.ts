import { toInitiativeResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ params }, { services }) => {
	const initiative = await services.registry.get(PUBLIC_API, params.id ?? '');
	return json(toInitiativeResponse(initiative));
});
