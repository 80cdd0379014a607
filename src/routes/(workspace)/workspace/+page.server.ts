import { requireWorkspace } from '$lib/server/http/workspace';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const [mine, review, suggestions] = await Promise.all([
		services.workspace.myRecords(viewer),
		services.workspace.reviewQueue(viewer),
		services.suggestions.canTriage(viewer) ? services.suggestions.list(viewer, 'new') : Promise.resolve(null)
	]);
	return { mine, review, newSuggestions: suggestions?.length ?? null };
};
