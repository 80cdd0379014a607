import { getRecordRoute, updateRecordRoute } from '$lib/server/http/record-routes';

/** The published practice without a token; with one, any status it may read, with its ETag (for If-Match). */
export const GET = getRecordRoute('practice');
/** Changes the fields sent (bearer token with write access; If-Match required). */
export const PATCH = updateRecordRoute('practice');
