/**
 * GET /api/v1/assessments — published benchmarking assessments (issue #5), optionally filtered by
 * `country`, `perspective` and `edition`. Drafts and assessments in review never appear.
 */
import { parseBenchmarkQuery, toAssessmentSummaryResponse } from '$lib/server/api/benchmark-responses';
import { apiRoute } from '$lib/server/http/api';
import { publicJson } from '$lib/server/http/conditional';

export const GET = apiRoute(async ({ request, url }, { services }) => {
	const filter = parseBenchmarkQuery(url.searchParams);
	const items = await services.benchmark.listPublishedAssessments(filter);
	return publicJson(request, { total: items.length, items: items.map(toAssessmentSummaryResponse) });
});
