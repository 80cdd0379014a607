import { error, fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import { WORKFLOW_STEPS } from '$lib/server/services/workspace.service';
import type { WorkflowStep } from '$lib/server/services/initiative-workflow.service';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['created', 'saved', ...WORKFLOW_STEPS] as const;
type Done = (typeof DONE)[number];

/** Unknown and unreadable records are the same 404 (drafts never leak). */
function notFound(err: unknown): never {
	if (err instanceof DomainError && (err.code === 'INITIATIVE_NOT_FOUND' || err.code === 'NOT_FOUND')) {
		error(404, 'Not found');
	}
	throw err;
}

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const record = await services.workflow.get(viewer, event.params.id).catch(notFound);
	const canReadHistory = services.workspace.canReadHistory(viewer, record);
	const history = await services.workspace.history(viewer, record.id);
	// A draft whose latest revision carries a comment was sent back by a reviewer: show it to the author.
	const latest = history[0];
	const reviewerComment =
		canReadHistory && record.status === 'draft' && latest?.comment ? { text: latest.comment, at: latest.at } : null;
	const done = event.url.searchParams.get('done');
	return {
		record,
		steps: services.workspace.allowedSteps(viewer, record),
		canEdit: services.workspace.canEdit(viewer, record),
		canReadHistory,
		history: history.map((h) => ({
			version: h.version,
			status: h.status,
			at: h.at,
			who: h.changedByName,
			system: h.changedBy === null,
			comment: h.comment
		})),
		reviewerComment,
		done: (DONE as readonly string[]).includes(done ?? '') ? (done as Done) : null
	};
};

export const actions: Actions = {
	step: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const form = await event.request.formData();
		const step = field(form, 'step', 40) as WorkflowStep;
		if (!WORKFLOW_STEPS.includes(step)) return fail(400, { stepError: 'invalid' as const, step: null, comment: '' });
		const version = Number(field(form, 'version', 12));
		const comment = field(form, 'comment', 6_000);
		const id = event.params.id;
		try {
			const w = services.workflow;
			switch (step) {
				case 'approve':
					await w.approve(ctx, viewer, id, version, comment);
					break;
				case 'requestChanges':
					await w.requestChanges(ctx, viewer, id, version, comment);
					break;
				default:
					await w[step](ctx, viewer, id, version);
			}
		} catch (err) {
			if (err instanceof DomainError) {
				if (err.code === 'INITIATIVE_NOT_FOUND') error(404, 'Not found');
				if (err.code === 'CONFLICT') return fail(409, { stepError: 'conflict' as const, step, comment });
				if (err.code === 'VALIDATION_FAILED') {
					const onComment = err.issues.some((i) => i.field === 'comment');
					return fail(400, { stepError: onComment ? ('comment' as const) : ('invalid' as const), step, comment });
				}
				if (err.code === 'FORBIDDEN') return fail(403, { stepError: 'forbidden' as const, step, comment });
			}
			throw err;
		}
		redirect(303, `/workspace/initiatives/${id}?done=${step}`);
	}
};
