import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { getRuntime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/** A published actor and its published initiatives; drafts and unknown ids are the same 404. */
export const load: PageServerLoad = async ({ params }) => {
	const { services } = await getRuntime();
	try {
		const { actor, initiatives } = await services.registry.getActor(params.id);
		return {
			actor: {
				id: actor.id,
				name: actor.name,
				description: actor.description,
				website: actor.website,
				country: actor.country,
				kind: actor.kind
			},
			initiatives
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'ACTOR_NOT_FOUND') error(404, 'Not found');
		throw err;
	}
};
