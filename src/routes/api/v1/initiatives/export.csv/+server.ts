import { parseInitiativeQuery } from '$lib/core/registry/query';
import { apiRoute } from '$lib/server/http/api';
import { downloadResponse, exportParams } from '$lib/server/http/download';
import { PUBLIC_API } from '$lib/server/services/viewer';

export const GET = apiRoute(async ({ url }, { services }) => {
	const query = parseInitiativeQuery(exportParams(url.searchParams), { strict: true });
	return downloadResponse(
		services.transfer.exportInitiativesCsv(PUBLIC_API, query),
		'text/csv; charset=utf-8; header=present',
		'gcm-initiatives.csv'
	);
});
