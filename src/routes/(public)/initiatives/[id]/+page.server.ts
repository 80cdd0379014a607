import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { services } = await getRuntime();
	try {
		const initiative = await services.registry.get(PUBLIC_WEB, params.id);
		// Initiator names link to their actor page only when that actor is public; a name whose actor is
		// unpublished stays plain text (it is part of this initiative's own published content).
		const links = await services.registry.findActorLinks(initiative.initiators);
		return { initiative, actorLinks: Object.fromEntries(links) };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'INITIATIVE_NOT_FOUND') error(404, 'Not found');
		throw err;
	}
};
