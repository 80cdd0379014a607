import { toHistoryEntryResponse } from '$lib/server/api/initiative-write';
import { json } from '$lib/server/http/api';
import { tokenRoute } from '$lib/server/http/bearer';
import { PUBLIC_API } from '$lib/server/services/viewer';

/**
 * The revisions of a record, oldest first. Without a token (or for a published record outside the
 * token's narrowing) only the published revisions, anonymised; with a token whose account may read
 * the history, every revision with who changed it and the review comments.
 */
export const GET = tokenRoute(
	async ({ params }, { services }, principal) => {
		const id = params.id ?? '';
		const { view, entries } = principal
			? await services.apiTokens.initiativeHistory(principal, id)
			: { view: 'public' as const, entries: await services.workflow.history(PUBLIC_API, id) };
		return json(
			{ items: entries.map((e) => toHistoryEntryResponse(e, view)) },
			{ headers: principal ? { 'cache-control': 'no-store' } : {} }
		);
	},
	{ required: false }
);
