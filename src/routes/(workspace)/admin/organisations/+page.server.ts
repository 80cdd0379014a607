import { redirect } from '@sveltejs/kit';
import { field } from '$lib/server/http/request-context';
import { formFailure, requireAdmin } from '../admin.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { actor, services } = await requireAdmin(event);
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 300);
	return { q, organisations: await services.admin.listOrganisations(actor, q) };
};

export const actions: Actions = {
	create: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const form = await event.request.formData();
		const values = { name: field(form, 'name', 400), country: field(form, 'country', 10) };
		let id: string;
		try {
			({ id } = await services.admin.createOrganisation(ctx, actor, values));
		} catch (err) {
			return formFailure(err, 'create', values);
		}
		redirect(303, `/admin/organisations/${id}?done=created`);
	}
};
