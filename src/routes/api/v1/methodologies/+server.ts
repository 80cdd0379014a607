/**
 * GET /api/v1/methodologies — the benchmarking methodologies this observatory publishes, newest
 * last, with the URL of each full definition. Today that is the default methodology compiled into
 * the app (DEFAULT_METHODOLOGY, also shipped as data/methodology/gcm-benchmark-1.0.json).
 */
import { DEFAULT_METHODOLOGY } from '$lib/core/benchmarking/default-methodology';
import { apiRoute, json } from '$lib/server/http/api';
import { rejectParams } from '$lib/server/http/params';

export const GET = apiRoute(async ({ url }) => {
	rejectParams(url.searchParams);
	const m = DEFAULT_METHODOLOGY;
	return json({
		items: [
			{
				key: m.key,
				version: m.version,
				status: m.status,
				title: m.title,
				summary: m.summary,
				variables: m.variables.length,
				url: `/api/v1/methodologies/${encodeURIComponent(m.key)}/${encodeURIComponent(m.version)}`
			}
		]
	});
});
