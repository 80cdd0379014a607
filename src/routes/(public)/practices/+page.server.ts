import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { services } = await getRuntime();
	return { practices: await services.registry.listPractices(PUBLIC_WEB) };
};
