import { error, fail } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import { assessmentContext } from '../../assessment-route.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const req = await requireWorkspace(event);
	const c = await assessmentContext(req, event.params.id);
	// Expert identities are for the assessment's coordinators and administrators only.
	if (!c.nav.experts) error(403, 'Only the coordinators of this assessment manage its panel.');
	return {
		header: c.header,
		nav: c.nav,
		experts: c.view.members
			.filter((m) => m.role === 'expert')
			.map((m) => ({
				raterLabel: m.raterLabel,
				displayName: m.displayName,
				email: m.email,
				coiDeclared: m.coiDeclared,
				submitted: m.submitted,
				publicOptIn: m.publicOptIn,
				publicName: m.publicName
			})),
		canInvite: c.permissions['assessment.invite_expert']
	};
};

export const actions: Actions = {
	/**
	 * Invites an expert. A new account's invitation link is in this response only (it is stored
	 * hashed): the coordinator copies it to the expert now; reloading the page does not show it again.
	 */
	invite: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const form = await event.request.formData();
		const values = { email: field(form, 'email', 300).trim(), displayName: field(form, 'displayName', 300).trim() };
		try {
			const invited = await services.assessments.inviteExpert(ctx, viewer, event.params.id, values, {
				locale: event.locals.locale
			});
			return {
				invited: {
					email: invited.email,
					displayName: invited.displayName,
					raterLabel: invited.raterLabel,
					link: invited.invitation
						? `${event.url.origin}/account/set-password?token=${encodeURIComponent(invited.invitation.token)}`
						: null,
					expiresAt: invited.invitation?.expiresAt.toISOString() ?? null,
					delivery: invited.delivery ?? { status: 'off' as const }
				}
			};
		} catch (err) {
			if (err instanceof DomainError) {
				if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
				if (err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN') {
					return fail(err.code === 'FORBIDDEN' ? 403 : 400, {
						values,
						issues: err.code === 'FORBIDDEN' ? [{ field: 'form', message: err.message }] : err.issues
					});
				}
			}
			throw err;
		}
	}
};
