/**
 * GET /api/v1/benchmarks/evidence.json — open data: the evidence of published assessments as JSON (the
 * same fields as the CSV, `fictional` on every item). Filters: `country`, `perspective`, `edition`.
 */
import {
	benchmarkJson,
	EVIDENCE_EXPORT_COLUMNS,
	filterSuffix,
	parseBenchmarkQuery
} from '$lib/server/api/benchmark-responses';
import { apiRoute } from '$lib/server/http/api';
import { publicDownload } from '$lib/server/http/conditional';

export const GET = apiRoute(async ({ request, url }, { services }) => {
	const filter = parseBenchmarkQuery(url.searchParams);
	const rows = await services.benchmark.exportEvidence(filter);
	// The body carries its generation time: the ETag is a weak one of the columns and rows.
	return publicDownload(
		request,
		benchmarkJson(EVIDENCE_EXPORT_COLUMNS, rows, new Date().toISOString()),
		'application/json; charset=utf-8',
		`gcm-benchmark-evidence${filterSuffix(filter)}.json`,
		JSON.stringify([EVIDENCE_EXPORT_COLUMNS, rows])
	);
});
