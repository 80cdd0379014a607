import { getCountry } from '$lib/core/reference';
import { DomainError } from '$lib/core/shared/errors';
import { toCountryResponse } from '$lib/server/api/responses';
import { apiRoute, json } from '$lib/server/http/api';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ params }, { services }) => {
	const country = getCountry((params.iso3 ?? '').toUpperCase());
	if (!country) throw new DomainError('COUNTRY_NOT_FOUND', 'No country or area has this ISO 3166-1 alpha-3 code');
	const stats = await services.registry.stats(PUBLIC_API);
	return json(toCountryResponse(country, stats.byCountry.get(country.iso3) ?? 0));
});
