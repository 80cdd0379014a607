/**
 * GET /api/v1/benchmarks/scores.csv — open data: the scores of published assessments as CSV, with a
 * `fictional` column on every row. Filters: `country`, `perspective`, `edition`.
 */
import {
	benchmarkCsv,
	SCORE_EXPORT_COLUMNS,
	filterSuffix,
	parseBenchmarkQuery
} from '$lib/server/api/benchmark-responses';
import { apiRoute } from '$lib/server/http/api';
import { publicDownload } from '$lib/server/http/conditional';

export const GET = apiRoute(async ({ request, url }, { services }) => {
	const filter = parseBenchmarkQuery(url.searchParams);
	// Read before the response starts, so a bad filter is a problem response, not a broken download.
	const rows = await services.benchmark.exportScores(filter);
	return publicDownload(
		request,
		benchmarkCsv(SCORE_EXPORT_COLUMNS, rows),
		'text/csv; charset=utf-8; header=present',
		`gcm-benchmark-scores${filterSuffix(filter)}.csv`
	);
});
