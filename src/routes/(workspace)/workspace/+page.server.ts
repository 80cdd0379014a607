import { requireWorkspace } from '$lib/server/http/workspace';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const [mine, review, suggestions, practices, actors] = await Promise.all([
		services.workspace.myRecords(viewer),
		services.workspace.reviewQueue(viewer),
		services.suggestions.canTriage(viewer) ? services.suggestions.list(viewer, 'new') : Promise.resolve(null),
		// Practices and actors (issue #3): the same two lists, one section each.
		Promise.all([services.practices.myRecords(viewer), services.practices.reviewQueue(viewer)]),
		Promise.all([services.actors.myRecords(viewer), services.actors.reviewQueue(viewer)])
	]);
	return {
		mine,
		review,
		newSuggestions: suggestions?.length ?? null,
		otherRecords: [
			{
				type: 'practice' as const,
				base: '/workspace/practices',
				canCreate: services.practices.mayCreate(viewer),
				mine: practices[0],
				review: practices[1]
			},
			{
				type: 'actor' as const,
				base: '/workspace/actors',
				canCreate: services.actors.mayCreate(viewer),
				mine: actors[0],
				review: actors[1]
			}
		]
	};
};
