import { fail, redirect } from '@sveltejs/kit';
import { ASSESSMENT_PERSPECTIVES } from '$lib/core/benchmarking/types';
import { COUNTRIES } from '$lib/core/reference';
import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { Actions, PageServerLoad } from './$types';

interface NewValues {
	country: string;
	edition: string;
	perspective: string;
	title: string;
	summary: string;
}

export const load: PageServerLoad = async (event) => {
	const { viewer } = await requireWorkspace(event);
	const { role, countries } = viewer.user;
	// Country coordinators start assessments of their countries; administrators of any country.
	const allowed = role === 'admin' ? COUNTRIES.map((c) => c.iso3) : role === 'coordinator' ? [...countries] : [];
	return {
		countries: allowed,
		perspectives: ASSESSMENT_PERSPECTIVES,
		values: {
			country: allowed.length === 1 ? (allowed[0] ?? '') : '',
			edition: String(new Date().getUTCFullYear()),
			perspective: 'independent',
			title: '',
			summary: ''
		} satisfies NewValues
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const form = await event.request.formData();
		const values: NewValues = {
			country: field(form, 'country', 10),
			edition: field(form, 'edition', 10),
			perspective: field(form, 'perspective', 40),
			title: field(form, 'title', 1_000),
			summary: field(form, 'summary', 10_000)
		};
		const edition = /^\s*\d{1,6}\s*$/.test(values.edition) ? Number(values.edition) : NaN;
		let id: string;
		try {
			const created = await services.assessments.create(ctx, viewer, {
				country: values.country,
				edition: Number.isNaN(edition) ? values.edition : edition,
				perspective: values.perspective,
				title: values.title,
				summary: values.summary.replace(/\r\n?/g, '\n')
			});
			id = created.id;
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			const issues: FieldIssue[] =
				err.code === 'VALIDATION_FAILED' || err.code === 'METHODOLOGY_NOT_FOUND'
					? err.issues
					: err.code === 'FORBIDDEN'
						? [{ field: 'country', message: 'is not a country you may start an assessment for' }]
						: err.code === 'CONFLICT'
							? [{ field: 'edition', message: err.message }]
							: [];
			if (issues.length === 0) throw err;
			return fail(err.code === 'CONFLICT' ? 409 : err.code === 'FORBIDDEN' ? 403 : 400, { values, issues });
		}
		redirect(303, `/workspace/assessments/${id}?done=created`);
	}
};
