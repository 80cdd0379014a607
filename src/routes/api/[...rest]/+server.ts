import { DomainError } from '$lib/core/shared/errors';
import { apiRoute } from '$lib/server/http/api';

/** Unknown API paths get a problem document, not an HTML page. */
const notFound = apiRoute(async () => {
	throw new DomainError('NOT_FOUND', 'No such API endpoint. See /api/v1/openapi.json');
});
export const GET = notFound;
