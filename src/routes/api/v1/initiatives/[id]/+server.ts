import { fromInitiativeBody } from '$lib/server/api/initiative-write';
import { toInitiativeResponse } from '$lib/server/api/responses';
import { json } from '$lib/server/http/api';
import { apiContext, parseIfMatch, readJsonBody, recordResponse, tokenRoute } from '$lib/server/http/bearer';
import { PUBLIC_API } from '$lib/server/services/viewer';

/**
 * Without a token: the published record (public shape). With a token: the record in any status
 * the token and its account may read, with status, version and its ETag (for If-Match).
 */
export const GET = tokenRoute(
	async ({ params }, { services }, principal) => {
		if (principal) return recordResponse(await services.apiTokens.getInitiative(principal, params.id ?? ''));
		const initiative = await services.registry.get(PUBLIC_API, params.id ?? '');
		return json(toInitiativeResponse(initiative));
	},
	{ required: false }
);

/** Changes the fields sent (bearer token with write access; If-Match required). */
export const PATCH = tokenRoute(async (event, { services }, principal) => {
	const version = parseIfMatch(event.request.headers.get('if-match'));
	const { input } = fromInitiativeBody(await readJsonBody(event.request));
	const record = await services.apiTokens.updateInitiative(
		apiContext(event),
		principal,
		event.params.id ?? '',
		version,
		input
	);
	return recordResponse(record);
});
