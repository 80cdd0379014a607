/**
 * GET /api/v1/assessments/{id} — one published assessment with all its stored scores and flags.
 * Unknown, malformed and unpublished ids are the same 404 (ASSESSMENT_NOT_FOUND).
 */
import { toAssessmentResponse } from '$lib/server/api/benchmark-responses';
import { apiRoute } from '$lib/server/http/api';
import { publicJson } from '$lib/server/http/conditional';
import { rejectParams } from '$lib/server/http/params';

export const GET = apiRoute(async ({ params, request, url }, { services }) => {
	rejectParams(url.searchParams);
	const a = await services.benchmark.getPublishedAssessment(params.id ?? '');
	return publicJson(request, toAssessmentResponse(a));
});
