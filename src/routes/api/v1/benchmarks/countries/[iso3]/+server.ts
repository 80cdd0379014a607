/**
 * GET /api/v1/benchmarks/countries/{iso3} — a country's benchmark: headline, every published
 * assessment, the latest edition's perspectives side by side, and trends across editions. A real
 * country without published assessments is 200 with `assessed: false` (never an invented score);
 * an unknown code is 404 (COUNTRY_NOT_FOUND).
 */
import { toCountryBenchmarkResponse } from '$lib/server/api/benchmark-responses';
import { validationError } from '$lib/core/shared/errors';
import { apiRoute } from '$lib/server/http/api';
import { publicJson } from '$lib/server/http/conditional';
import { rejectParams } from '$lib/server/http/params';

export const GET = apiRoute(async ({ params, request, url }, { services }) => {
	rejectParams(url.searchParams);
	const iso3 = params.iso3 ?? '';
	if (!/^[A-Za-z]{3}$/.test(iso3)) {
		throw validationError([{ field: 'iso3', message: 'must be an ISO 3166-1 alpha-3 code, e.g. MEX' }]);
	}
	return publicJson(request, toCountryBenchmarkResponse(await services.benchmark.getCountryBenchmark(iso3)));
});
