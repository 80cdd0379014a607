import { error, fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['new', 'accepted', 'rejected'] as const;
type Status = (typeof STATUSES)[number];

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	// The queue is for admins and coordinators (see suggestion.service.ts); others get a plain 404.
	if (!services.suggestions.canTriage(viewer)) error(404, 'Not found');
	const asked = event.url.searchParams.get('status');
	const status: Status = (STATUSES as readonly string[]).includes(asked ?? '') ? (asked as Status) : 'new';
	const done = event.url.searchParams.get('done');
	return {
		status,
		suggestions: await services.suggestions.list(viewer, status),
		canAccept: services.suggestions.canAccept(viewer),
		scopedToCountries: viewer.user.role !== 'admin',
		done: done === 'accepted' || done === 'rejected' ? (done as 'accepted' | 'rejected') : null,
		draftId: event.url.searchParams.get('draft')?.match(/^[0-9a-f-]{36}$/i)?.[0] ?? null
	};
};

function decisionError(err: unknown, id: string, reason: string) {
	if (err instanceof DomainError) {
		if (err.code === 'NOT_FOUND') error(404, 'Not found');
		if (err.code === 'CONFLICT') return fail(409, { id, error: 'conflict' as const, reason });
		if (err.code === 'VALIDATION_FAILED') return fail(400, { id, error: 'reason' as const, reason });
		if (err.code === 'FORBIDDEN') return fail(403, { id, error: 'forbidden' as const, reason });
	}
	throw err;
}

export const actions: Actions = {
	accept: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const id = field(await event.request.formData(), 'id', 64);
		let initiativeId: string;
		try {
			({ initiativeId } = await services.suggestions.accept(ctx, viewer, id));
		} catch (err) {
			return decisionError(err, id, '');
		}
		redirect(303, `/workspace/suggestions?done=accepted&draft=${initiativeId}`);
	},
	reject: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const form = await event.request.formData();
		const id = field(form, 'id', 64);
		const reason = field(form, 'reason', 4_000);
		try {
			await services.suggestions.reject(ctx, viewer, id, reason);
		} catch (err) {
			return decisionError(err, id, reason);
		}
		redirect(303, '/workspace/suggestions?done=rejected');
	}
};
