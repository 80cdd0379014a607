import { fail, redirect } from '@sveltejs/kit';
import {
	emptyFormValues,
	formValuesFromForm,
	inputFromFormValues,
	postedSourceRows,
	sourceRowsFor,
	SOURCE_ROWS_STEP
} from '$lib/components/forms/initiative-form';
import { DomainError } from '$lib/core/shared/errors';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { Actions, PageServerLoad } from './$types';

/** A readable, unique key when the person leaves it empty: ascii words of the title and a random tail. */
function keyFor(title: string): string {
	const slug = title
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/, '');
	const tail = crypto.randomUUID().slice(0, 8);
	return slug ? `${slug}-${tail}` : `draft-${tail}`;
}

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const values = emptyFormValues();
	return { canCreate: services.workspace.canCreate(viewer), values, sourceRows: sourceRowsFor(values) };
};

export const actions: Actions = {
	save: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const form = await event.request.formData();
		const values = formValuesFromForm(form);
		if (form.get('intent') === 'more_sources') {
			return { values, issues: [], sourceRows: sourceRowsFor(values, postedSourceRows(form) + SOURCE_ROWS_STEP) };
		}
		const input = inputFromFormValues(values);
		if (input.key === '') input.key = keyFor(values.title);
		let id: string;
		try {
			id = (await services.workflow.create(ctx, viewer, input)).id;
		} catch (err) {
			if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
				return fail(400, { values, issues: err.issues, sourceRows: sourceRowsFor(values, postedSourceRows(form)) });
			}
			if (err instanceof DomainError && err.code === 'FORBIDDEN') {
				return fail(403, {
					values,
					issues: [{ field: 'form', message: err.message }],
					sourceRows: sourceRowsFor(values, postedSourceRows(form))
				});
			}
			throw err;
		}
		redirect(303, `/workspace/initiatives/${id}?done=created`);
	}
};
