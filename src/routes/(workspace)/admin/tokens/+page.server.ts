import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { pageNumber } from '$lib/server/services/admin.service';
import { formFailure, requireAdmin } from '../admin.server';
import type { Actions, PageServerLoad } from './$types';

// Every account's API tokens (never the secret or its hash), filtered by account (?user=<id>) or
// text (?q=), and a POST form to revoke one (audited api_token.revoked with the admin as actor).
export const load: PageServerLoad = async (event) => {
	const { actor, services } = await requireAdmin(event);
	const p = event.url.searchParams;
	const q = (p.get('q') ?? '').slice(0, 254);
	const user = (p.get('user') ?? '').slice(0, 64);
	try {
		const result = await services.admin.listApiTokens(actor, { q, user, page: pageNumber(p.get('page')) });
		const owner = user ? await services.admin.getUser(actor, user).then((d) => d.user) : null;
		return { ...result, filter: { q, user }, owner: owner ? { id: owner.id, email: owner.email } : null };
	} catch (err) {
		if (err instanceof DomainError && (err.code === 'VALIDATION_FAILED' || err.code === 'USER_NOT_FOUND')) {
			error(404, 'Not found');
		}
		throw err;
	}
};

export const actions: Actions = {
	revoke: async (event) => {
		const { actor, ctx, services } = await requireAdmin(event);
		const token = field(await event.request.formData(), 'token', 64);
		try {
			const revoked = await services.admin.revokeApiToken(ctx, actor, token);
			return { form: 'revoke' as const, revoked: { name: revoked.name, email: revoked.ownerEmail } };
		} catch (err) {
			return formFailure(err, 'revoke', { token });
		}
	}
};
