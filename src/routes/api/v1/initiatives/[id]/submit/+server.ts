import { stepRoute } from '$lib/server/http/record-routes';

/** Workflow step `submit` (bearer token with write access; If-Match required). */
export const POST = stepRoute('initiative', 'submit');
