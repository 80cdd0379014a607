import { encodeCursor, parseInitiativeQuery } from '$lib/core/registry/query';
import { fromInitiativeBody } from '$lib/server/api/initiative-write';
import { toInitiativeResponse } from '$lib/server/api/responses';
import { apiRoute } from '$lib/server/http/api';
import { apiContext, readJsonBody, recordResponse, tokenRoute } from '$lib/server/http/bearer';
import { publicJson } from '$lib/server/http/conditional';
import { PUBLIC_API } from '$lib/server/services/viewer';

// The list shows published records only, with or without a token (drafts are reached by id), with
// an ETag of its bytes (304 when If-None-Match names it; a token's answer is no-store all the same).
export const GET = apiRoute(async ({ url, request }, { services }) => {
	const query = parseInitiativeQuery(url.searchParams, { strict: true });
	const result = await services.registry.search(PUBLIC_API, query);
	const next = query.offset + result.items.length;
	return publicJson(request, {
		total: result.total,
		limit: query.limit,
		offset: query.offset,
		next_cursor: next < result.total && result.items.length > 0 ? encodeCursor(next) : null,
		items: result.items.map(toInitiativeResponse),
		facets: result.facets
	});
});

/** Creates a draft (bearer token with write access only). */
export const POST = tokenRoute(async (event, { services }, principal) => {
	const { input, extra } = fromInitiativeBody(await readJsonBody(event.request), ['owner_organisation_id']);
	const record = await services.apiTokens.createInitiative(
		apiContext(event),
		principal,
		input,
		extra.owner_organisation_id
	);
	return recordResponse(record, 201);
});
