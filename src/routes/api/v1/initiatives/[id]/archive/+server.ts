import { stepRoute } from '$lib/server/http/record-routes';

/** Workflow step `archive` (bearer token with write access; If-Match required). */
export const POST = stepRoute('initiative', 'archive');
