import { recordHistoryRoute, stepRoute } from '$lib/server/http/record-routes';

/** `history` (GET; published revisions only without a token) and the workflow steps (POST, token and If-Match). */
export const GET = recordHistoryRoute('practice');
export const POST = stepRoute('practice');
