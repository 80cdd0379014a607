/**
 * What the assessment workspace routes share: unknown or unreadable assessments are one 404
 * (drafts never leak), a page the person's relation does not allow is a 403, and the status
 * steps (start desk research … publish) are one form action used by the dashboard and the
 * validation view alike.
 */
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace, type WorkspaceRequest } from '$lib/server/http/workspace';
import type { AssessmentView } from '$lib/server/services/assessment.service';
import { isAssessmentStep, navOf } from './assessment-forms';

/** Turns the service's "no such assessment / objective" and "not yours" into HTTP errors. */
export function pageError(err: unknown): never {
	if (err instanceof DomainError) {
		if (err.code === 'ASSESSMENT_NOT_FOUND' || err.code === 'OBJECTIVE_NOT_FOUND') error(404, 'Not found');
		if (err.code === 'FORBIDDEN') error(403, err.message);
	}
	throw err;
}

export type StepFailure = {
	stepError: 'invalid' | 'conflict' | 'forbidden';
	message: string;
};

/**
 * The `?/step` action: one status step at the version the page showed. Success returns to the
 * dashboard with `?done=<step>`; a stale version or a step not allowed from the current status
 * comes back as a message on the page.
 */
export async function stepAction(event: RequestEvent<{ id: string }>) {
	const { viewer, ctx, services } = await requireWorkspace(event);
	const form = await event.request.formData();
	const step = field(form, 'step', 40);
	const id = event.params.id;
	if (!isAssessmentStep(step)) {
		return fail(400, { stepError: 'invalid', message: 'Unknown step.' } satisfies StepFailure);
	}
	try {
		await services.assessments[step](ctx, viewer, id, Number(field(form, 'version', 12)));
	} catch (err) {
		if (err instanceof DomainError) {
			if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
			if (err.code === 'CONFLICT') {
				return fail(409, { stepError: 'conflict', message: err.message } satisfies StepFailure);
			}
			if (err.code === 'FORBIDDEN') {
				return fail(403, { stepError: 'forbidden', message: err.message } satisfies StepFailure);
			}
			if (err.code === 'VALIDATION_FAILED') {
				return fail(400, { stepError: 'invalid', message: err.message } satisfies StepFailure);
			}
		}
		throw err;
	}
	redirect(303, `/workspace/assessments/${id}?done=${step}`);
}

/** Whether a posted file is present (browsers send an empty, unnamed file for an empty input). */
export function postedFile(form: FormData, name: string): File | null {
	const v = form.get(name);
	return v instanceof File && (v.size > 0 || v.name !== '') ? v : null;
}

/** What the header of every assessment page shows (no member list, no expert identities). */
export function headerOf(a: AssessmentView) {
	return {
		id: a.id,
		title: a.title,
		country: a.country,
		edition: a.edition,
		perspective: a.perspective,
		status: a.status,
		fictional: a.fictional,
		version: a.version,
		methodology: { key: a.methodology.key, version: a.methodology.version }
	};
}

/** The assessment (404 when unreadable), this person's permissions on it and the page links. */
export async function assessmentContext(req: WorkspaceRequest, id: string) {
	const { viewer, services } = req;
	const view = await services.assessments.get(viewer, id).catch(pageError);
	const permissions = await services.assessments.permissions(viewer, id).catch(pageError);
	return {
		view,
		permissions,
		header: headerOf(view),
		nav: navOf(view.relations, permissions, viewer.user.role === 'admin')
	};
}
