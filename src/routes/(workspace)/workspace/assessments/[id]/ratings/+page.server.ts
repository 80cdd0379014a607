import { error, fail, redirect } from '@sveltejs/kit';
import { getObjective, getPrinciple } from '$lib/core/reference';
import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import {
	ratingFieldOf,
	ratingsToSave,
	ratingValuesFromForm,
	ratingValuesOf,
	type RatingItemValues
} from '../../assessment-forms';
import { assessmentContext, pageError } from '../../assessment-route.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const anchorOf = (itemKey: string) => `item-${itemKey}`;

async function ratingForm(event: RequestEvent) {
	const req = await requireWorkspace(event);
	const form = await req.services.assessments.getRatingForm(req.viewer, event.params.id).catch(pageError);
	return { req, form };
}

export const load: PageServerLoad = async (event) => {
	const { req, form } = await ratingForm(event);
	const c = await assessmentContext(req, event.params.id);
	const saved = event.url.searchParams.get('saved');
	const done = event.url.searchParams.get('done');
	return {
		header: c.header,
		nav: c.nav,
		items: form.items.map((i) => ({
			itemType: i.itemType,
			itemKey: i.itemKey,
			anchor: anchorOf(i.itemKey),
			title:
				i.itemType === 'objective'
					? `${i.itemKey}: ${getObjective(Number(i.itemKey.slice(1)))?.title ?? ''}`
					: (getPrinciple(i.itemKey)?.name ?? i.itemKey)
		})),
		values: ratingValuesOf(form.items),
		ratedCount: form.items.filter((i) => i.rated).length,
		ratingScale: form.ratingScale,
		raterLabel: form.raterLabel,
		coi: {
			declaration: form.coiDeclaration ?? '',
			declaredAt: form.coiDeclaredAt,
			publicOptIn: form.publicOptIn,
			publicName: form.publicName ?? ''
		},
		submittedAt: form.submittedAt,
		editable: form.editable,
		// Uploads a coordinator made for this expert (recorded as entered on their behalf).
		enteredOnBehalf: form.enteredOnBehalf,
		saved: saved !== null && /^\d{1,4}$/.test(saved) ? Number(saved) : null,
		done: done === 'declared' || done === 'submitted' ? done : null
	};
};

export const actions: Actions = {
	/** Saves the ratings that changed (partial saves are fine) and returns to the item's anchor. */
	save: async (event) => {
		const { req, form: current } = await ratingForm(event);
		const { viewer, ctx, services } = req;
		const id = event.params.id;
		const posted = await event.request.formData();
		const values: RatingItemValues[] = ratingValuesFromForm(posted, current.items);
		const { ratings, issues } = ratingsToSave(values, ratingValuesOf(current.items));
		if (issues.length > 0) return fail(400, { kind: 'save' as const, values, issues, message: null });
		const intent = /^save-(\w{1,64})$/.exec(field(posted, 'intent', 80));
		const anchor = intent && current.items.some((i) => i.itemKey === intent[1]) ? `#${anchorOf(intent[1] ?? '')}` : '';
		if (ratings.length > 0) {
			try {
				await services.assessments.saveRatings(ctx, viewer, id, ratings);
			} catch (err) {
				if (!(err instanceof DomainError)) throw err;
				if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
				if (err.code === 'VALIDATION_FAILED') {
					const mapped: FieldIssue[] = err.issues.map((i) => ({
						field: ratingFieldOf(i.field, ratings) ?? 'form',
						message: i.message
					}));
					return fail(400, { kind: 'save' as const, values, issues: mapped, message: null });
				}
				if (err.code === 'CONFLICT' || err.code === 'FORBIDDEN') {
					return fail(err.code === 'CONFLICT' ? 409 : 403, {
						kind: 'save' as const,
						values,
						issues: [] as FieldIssue[],
						message: err.message
					});
				}
				throw err;
			}
		}
		redirect(303, `/workspace/assessments/${id}/ratings?saved=${ratings.length}${anchor}`);
	},

	/** The conflict-of-interest declaration ("none" is a declaration) and the public-name choice. */
	declare: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const posted = await event.request.formData();
		const values = {
			declaration: field(posted, 'declaration', 12_000).replace(/\r\n?/g, '\n').trim(),
			publicOptIn: posted.get('publicOptIn') !== null,
			publicName: field(posted, 'publicName', 1_000).trim()
		};
		try {
			await services.assessments.declareConflicts(ctx, viewer, event.params.id, {
				declaration: values.declaration,
				publicOptIn: values.publicOptIn,
				publicName: values.publicName === '' ? null : values.publicName
			});
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
			if (err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN') {
				return fail(err.code === 'FORBIDDEN' ? 403 : 400, {
					kind: 'declare' as const,
					coi: values,
					issues: err.code === 'FORBIDDEN' ? [{ field: 'form', message: err.message }] : err.issues
				});
			}
			throw err;
		}
		redirect(303, `/workspace/assessments/${event.params.id}/ratings?done=declared#coi`);
	},

	/** Declares the ratings complete (every item rated or "cannot rate", declaration made). */
	submit: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		try {
			await services.assessments.submitRatings(ctx, viewer, event.params.id);
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
			if (err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN') {
				return fail(err.code === 'FORBIDDEN' ? 403 : 400, {
					kind: 'submit' as const,
					message: err.message,
					issues: err.issues
				});
			}
			throw err;
		}
		redirect(303, `/workspace/assessments/${event.params.id}/ratings?done=submitted#submit`);
	}
};
