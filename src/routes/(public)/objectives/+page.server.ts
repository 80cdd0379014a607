import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { services } = await getRuntime();
	const stats = await services.registry.stats(PUBLIC_WEB);
	return { counts: Object.fromEntries(stats.byObjective) as Record<number, number> };
};
