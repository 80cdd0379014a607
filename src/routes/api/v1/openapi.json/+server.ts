import { openApiDocument } from '$lib/server/api/openapi';
import { apiRoute, json } from '$lib/server/http/api';

export const GET = apiRoute(async ({ url }) => json(openApiDocument(`${url.origin}/api/v1`)));
