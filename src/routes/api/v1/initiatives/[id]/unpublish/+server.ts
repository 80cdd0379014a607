import { stepRoute } from '$lib/server/http/record-routes';

/** Workflow step `unpublish` (bearer token with write access; If-Match required). */
export const POST = stepRoute('initiative', 'unpublish');
