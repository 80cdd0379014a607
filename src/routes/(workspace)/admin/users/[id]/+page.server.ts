import { error, redirect } from '@sveltejs/kit';
import { ROLES } from '$lib/core/accounts/roles';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { formFailure, linkUrl, requireAdmin } from '../../admin.server';
import type { Actions, PageServerLoad } from './$types';

const DONE = ['role', 'status', 'sessions', 'two_factor', 'countries', 'membership', 'membership_removed'] as const;

export const load: PageServerLoad = async (event) => {
	const { actor, services } = await requireAdmin(event);
	try {
		const detail = await services.admin.getUser(actor, event.params.id);
		const done = event.url.searchParams.get('done');
		return {
			...detail,
			roles: ROLES,
			self: actor.id === detail.user.id,
			done: (DONE as readonly string[]).includes(done ?? '') ? (done as (typeof DONE)[number]) : null
		};
	} catch (err) {
		if (err instanceof DomainError && err.code === 'USER_NOT_FOUND') error(404, 'Not found');
		throw err;
	}
};

/** After a change: back to the page (GET), with a notice; the one-time link is the exception. */
const back = (id: string, done: (typeof DONE)[number]) => redirect(303, `/admin/users/${id}?done=${done}`);

export const actions: Actions = {
	role: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const role = field(await event.request.formData(), 'role', 40);
		try {
			await services.admin.changeRole(ctx, actor, event.params.id, role);
		} catch (err) {
			return formFailure(err, 'role', { role });
		}
		back(event.params.id, 'role');
	},
	status: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const status = field(await event.request.formData(), 'status', 20);
		try {
			await services.admin.setStatus(ctx, actor, event.params.id, status);
		} catch (err) {
			return formFailure(err, 'status', { status });
		}
		back(event.params.id, 'status');
	},
	// Ends every session of the person (ASVS 7.4.5) without changing the role or the status.
	end_sessions: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		try {
			await services.admin.endSessions(ctx, actor, event.params.id);
		} catch (err) {
			return formFailure(err, 'end_sessions');
		}
		back(event.params.id, 'sessions');
	},
	// A lost second factor: TOTP and recovery codes deleted, sessions ended; set up again at next sign-in.
	reset_two_factor: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		try {
			await services.admin.resetTwoFactor(ctx, actor, event.params.id);
		} catch (err) {
			return formFailure(err, 'reset_two_factor');
		}
		back(event.params.id, 'two_factor');
	},
	reset: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		try {
			const link = await services.admin.passwordResetLink(ctx, actor, event.params.id, {
				locale: event.locals.locale
			});
			return {
				form: 'reset' as const,
				link: {
					url: linkUrl(event.url.origin, link.token),
					expiresAt: link.expiresAt.toISOString(),
					delivery: link.delivery
				}
			};
		} catch (err) {
			return formFailure(err, 'reset');
		}
	},
	countries: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const raw = field(await event.request.formData(), 'countries', 2_000);
		const codes = raw
			.split(/[\s,;]+/)
			.map((c) => c.trim())
			.filter((c) => c !== '');
		try {
			await services.admin.setCountries(ctx, actor, event.params.id, codes);
		} catch (err) {
			return formFailure(err, 'countries', { countries: raw });
		}
		back(event.params.id, 'countries');
	},
	membership: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const form = await event.request.formData();
		const values = { organisation: field(form, 'organisation', 64), role: field(form, 'membership_role', 20) };
		try {
			await services.admin.addMembership(ctx, actor, {
				userId: event.params.id,
				organisationId: values.organisation,
				role: values.role
			});
		} catch (err) {
			return formFailure(err, 'membership', values);
		}
		back(event.params.id, 'membership');
	},
	remove_membership: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const organisation = field(await event.request.formData(), 'organisation', 64);
		try {
			await services.admin.removeMembership(ctx, actor, event.params.id, organisation);
		} catch (err) {
			return formFailure(err, 'remove_membership', { organisation });
		}
		back(event.params.id, 'membership_removed');
	}
};
