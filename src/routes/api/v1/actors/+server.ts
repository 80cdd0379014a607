import { apiRoute, json } from '$lib/server/http/api';
import { createRecordRoute } from '$lib/server/http/record-routes';
import { validationError } from '$lib/core/shared/errors';

/** Published actors (the public rule of actor.repository.ts), by name, 100 a page (`?page=`). */
export const GET = apiRoute(async ({ url }, { services }) => {
	for (const key of url.searchParams.keys()) {
		if (key !== 'page') throw validationError([{ field: key, message: 'is not a parameter of this endpoint' }]);
	}
	const raw = url.searchParams.get('page') ?? '1';
	if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1) {
		throw validationError([{ field: 'page', message: 'must be a page number from 1' }]);
	}
	const page = await services.registry.listActors(Number(raw));
	return json({
		total: page.total,
		page: page.page,
		page_size: page.pageSize,
		items: page.items.map((a) => ({
			id: a.id,
			name: a.name,
			kind: a.kind,
			country: a.country,
			initiative_count: a.initiativeCount
		}))
	});
});

/** Creates a draft actor (bearer token with write access only). */
export const POST = createRecordRoute('actor');
