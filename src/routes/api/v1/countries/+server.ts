import { COUNTRIES } from '$lib/core/reference';
import { toCountryResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { rejectParams } from '$lib/server/http/params';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ url }, { services }) => {
	rejectParams(url.searchParams);
	const stats = await services.registry.stats(PUBLIC_API);
	return json({ items: COUNTRIES.map((c) => toCountryResponse(c, stats.byCountry.get(c.iso3) ?? 0)) });
});
