import { error, fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import { ASSESSMENT_STEPS, navOf, stepsFor } from '../assessment-forms';
import { headerOf, pageError, stepAction } from '../assessment-route.server';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['created', 'researcher_added', ...ASSESSMENT_STEPS] as const;

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const d = await services.assessments.getDashboard(viewer, event.params.id).catch(pageError);
	const a = d.assessment;
	const done = event.url.searchParams.get('done') ?? '';
	return {
		header: headerOf(a),
		nav: navOf(a.relations, d.permissions, viewer.user.role === 'admin'),
		summary: a.summary,
		relations: a.relations,
		members: a.members,
		expertCount: a.expertCount,
		panelClosedAt: a.panelClosedAt,
		publishedAt: a.publishedAt,
		steps: stepsFor(a.status, d.permissions),
		canAddResearcher: d.permissions['assessment.update'],
		desk: d.desk,
		panel: d.panel,
		flags: d.flags,
		done: (DONE as readonly string[]).includes(done) ? done : null
	};
};

export const actions: Actions = {
	step: stepAction,
	addResearcher: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const form = await event.request.formData();
		const email = field(form, 'email', 300);
		try {
			await services.assessments.addResearcher(ctx, viewer, event.params.id, email);
		} catch (err) {
			if (err instanceof DomainError) {
				if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
				if (err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN') {
					return fail(err.code === 'FORBIDDEN' ? 403 : 400, {
						researcherEmail: email,
						researcherError: err.issues[0]?.message ?? err.message
					});
				}
			}
			throw err;
		}
		redirect(303, `/workspace/assessments/${event.params.id}?done=researcher_added#team`);
	}
};
