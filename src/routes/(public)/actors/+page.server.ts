import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** Published actors only (the rule is in actor.repository.ts), by name, 100 a page. */
export const load: PageServerLoad = async ({ url }) => {
	const { services } = await getRuntime();
	const raw = url.searchParams.get('page') ?? '1';
	const page = /^\d{1,5}$/.test(raw) ? Number(raw) : 1;
	return services.registry.listActors(page);
};
