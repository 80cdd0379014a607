/**
 * GET /api/v1/methodologies/{key}/{version} — one methodology's full definition (objectives,
 * principles, variable bank, answer and rating scales, weights, rules): the `Methodology` type of
 * src/lib/core/benchmarking/types.ts, identical to data/methodology/<key>-<version>.json.
 * A published version never changes, so the response may be cached for a day.
 */
import { DEFAULT_METHODOLOGY } from '$lib/core/benchmarking/default-methodology';
import { DomainError } from '$lib/core/shared/errors';
import { apiRoute, json } from '$lib/server/http/api';
import { rejectParams } from '$lib/server/http/params';

export const GET = apiRoute(async ({ params, url }) => {
	rejectParams(url.searchParams);
	const m = DEFAULT_METHODOLOGY;
	if (params.key !== m.key || params.version !== m.version) {
		throw new DomainError('METHODOLOGY_NOT_FOUND', `No published methodology ${params.key} ${params.version}.`);
	}
	return json(m, {
		headers: {
			'cache-control': 'public, max-age=86400',
			'content-disposition': `inline; filename="${m.key}-${m.version}.json"`
		}
	});
});
