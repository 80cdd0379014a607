import { encodeCursor, parseInitiativeQuery } from '$lib/core/registry/query';
import { toInitiativeResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ url }, { services }) => {
	const query = parseInitiativeQuery(url.searchParams, { strict: true });
	const result = await services.registry.search(PUBLIC_API, query);
	const next = query.offset + result.items.length;
	return json({
		total: result.total,
		limit: query.limit,
		offset: query.offset,
		next_cursor: next < result.total && result.items.length > 0 ? encodeCursor(next) : null,
		items: result.items.map(toInitiativeResponse),
		facets: result.facets
	});
});
