import { parseInitiativeQuery } from '$lib/core/registry/query';
import { apiRoute } from '$lib/server/http/api';
import { downloadResponse, exportParams } from '$lib/server/http/download';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ url }, { services }) => {
	const query = parseInitiativeQuery(exportParams(url.searchParams), { strict: true });
	return downloadResponse(
		services.transfer.exportInitiativesJson(PUBLIC_API, query, new Date().toISOString()),
		'application/json; charset=utf-8',
		'gcm-initiatives.json'
	);
});
