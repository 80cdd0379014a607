import { error, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { formFailure, requireAdmin } from '../../admin.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { actor, services } = await requireAdmin(event);
	try {
		const found = await services.admin.getOrganisation(actor, event.params.id);
		const done = event.url.searchParams.get('done');
		return { ...found, done: done === 'created' || done === 'updated' ? (done as 'created' | 'updated') : null };
	} catch (err) {
		if (err instanceof DomainError && err.code === 'ORGANISATION_NOT_FOUND') error(404, 'Not found');
		throw err;
	}
};

export const actions: Actions = {
	update: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const form = await event.request.formData();
		const values = { name: field(form, 'name', 400), country: field(form, 'country', 10) };
		try {
			await services.admin.updateOrganisation(ctx, actor, event.params.id, values);
		} catch (err) {
			return formFailure(err, 'update', values);
		}
		redirect(303, `/admin/organisations/${event.params.id}?done=updated`);
	}
};
