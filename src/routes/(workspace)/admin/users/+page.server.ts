import { ROLES, USER_STATUSES } from '$lib/core/accounts/roles';
import { field } from '$lib/server/http/request-context';
import { pageNumber } from '$lib/server/services/admin.service';
import { formFailure, linkUrl, requireAdmin } from '../admin.server';
import type { Actions, PageServerLoad } from './$types';

const pick = <T extends string>(allowed: readonly T[], raw: string | null): T | '' =>
	(allowed as readonly string[]).includes(raw ?? '') ? (raw as T) : '';

export const load: PageServerLoad = async (event) => {
	const { actor, services } = await requireAdmin(event);
	const p = event.url.searchParams;
	const q = (p.get('q') ?? '').slice(0, 254);
	const role = pick(ROLES, p.get('role'));
	const status = pick(USER_STATUSES, p.get('status'));
	const result = await services.admin.listUsers(actor, { q, role, status, page: pageNumber(p.get('page')) });
	return { ...result, filter: { q, role, status }, roles: ROLES, statuses: USER_STATUSES };
};

export const actions: Actions = {
	invite: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const form = await event.request.formData();
		const values = {
			email: field(form, 'email', 300),
			displayName: field(form, 'display_name', 300),
			role: field(form, 'role', 40)
		};
		try {
			// With SMTP configured the invitation is also emailed, in the admin's interface language.
			const link = await services.admin.inviteUser(ctx, actor, { ...values, locale: event.locals.locale });
			// The link is in this one response only (no-store): the database keeps its hash.
			return {
				form: 'invite' as const,
				invited: {
					id: link.user.id,
					email: link.user.email,
					url: linkUrl(event.url.origin, link.token),
					expiresAt: link.expiresAt.toISOString(),
					delivery: link.delivery
				}
			};
		} catch (err) {
			return formFailure(err, 'invite', values);
		}
	}
};
