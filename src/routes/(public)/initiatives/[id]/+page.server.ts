import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { services } = await getRuntime();
	try {
		return { initiative: await services.registry.get(PUBLIC_WEB, params.id) };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'INITIATIVE_NOT_FOUND') error(404, 'Not found');
		throw err;
	}
};
