/**
 * GET /api/v1/benchmarks/objectives/{n} — one GCM objective's published scores across countries
 * (each country's latest edition per perspective). Not a number → 400; not 1–23 → 404.
 */
import { toObjectiveBenchmarkResponse } from '$lib/server/api/benchmark-responses';
import { validationError } from '$lib/core/shared/errors';
import { apiRoute } from '$lib/server/http/api';
import { publicJson } from '$lib/server/http/conditional';
import { rejectParams } from '$lib/server/http/params';

export const GET = apiRoute(async ({ params, request, url }, { services }) => {
	rejectParams(url.searchParams);
	const n = params.n ?? '';
	if (!/^\d{1,3}$/.test(n)) throw validationError([{ field: 'n', message: 'must be an objective number, 1 to 23' }]);
	return publicJson(request, toObjectiveBenchmarkResponse(await services.benchmark.getObjectiveBenchmark(Number(n))));
});
