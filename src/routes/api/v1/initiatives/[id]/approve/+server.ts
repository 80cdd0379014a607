import { stepRoute } from '$lib/server/http/bearer';

/** Workflow step `approve` (bearer token with write access; If-Match required). */
export const POST = stepRoute('approve');
