import { fail, redirect } from '@sveltejs/kit';
import { countryName, getCountry } from '$lib/core/reference';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { getRuntime } from '$lib/server/runtime';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '$lib/server/services/api-token.service';
import type { Actions, PageServerLoad } from './$types';

/** Which form field a service issue is about, as the page names it. */
type CreateError = 'name' | 'access' | 'organisation' | 'country' | 'expiry' | 'limit';

function createErrorOf(field: string, message: string): CreateError {
	if (field === 'name') return message.includes('active tokens') ? 'limit' : 'name';
	if (field === 'organisationId') return 'organisation';
	if (field === 'country') return 'country';
	if (field === 'expiresInDays') return 'expiry';
	return 'access';
}

// Signed-in accounts only; admins and coordinators only once their second factor was checked
// (locals.user stays null until then). The secret of a new token is in the action's response only.
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.session) redirect(303, '/account/sign-in');
	if (!locals.user) redirect(303, '/account/two-factor');
	const { services } = await getRuntime();
	const [tokens, choices] = [await services.apiTokens.list(locals.user), await services.apiTokens.choices(locals.user)];
	const named = (iso3: string) => {
		const ref = getCountry(iso3);
		return { iso3, name: ref ? countryName(ref, locals.locale) : iso3 };
	};
	return {
		tokens: tokens.map((t) => ({
			id: t.id,
			name: t.name,
			access: t.access,
			organisation: t.organisationName,
			country: t.country ? named(t.country) : null,
			hint: t.hint,
			state: t.state,
			createdAt: t.createdAt,
			expiresAt: t.expiresAt,
			lastUsedAt: t.lastUsedAt,
			revokedAt: t.revokedAt
		})),
		organisations: choices.organisations,
		countries: choices.countries.map(named),
		defaultDays: DEFAULT_TOKEN_DAYS,
		maxDays: MAX_TOKEN_DAYS
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { locals } = event;
		if (!locals.session || !locals.user) redirect(303, '/account/sign-in');
		const form = await event.request.formData();
		const values = {
			name: field(form, 'name', 200),
			access: field(form, 'access', 10),
			organisationId: field(form, 'organisation', 64),
			country: field(form, 'country', 8),
			expiresInDays: field(form, 'expires_days', 10)
		};
		const { services } = await getRuntime();
		try {
			const { token, summary } = await services.apiTokens.create(webContext(event), locals.session, values);
			return {
				created: { token, name: summary.name, access: summary.access, expiresAt: summary.expiresAt },
				errors: null,
				values: null,
				revoked: false
			};
		} catch (err) {
			if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
				const errors = [...new Set(err.issues.map((i) => createErrorOf(i.field, i.message)))];
				return fail(400, { created: null, errors, values, revoked: false });
			}
			if (err instanceof DomainError && (err.code === 'AUTH_REQUIRED' || err.code === 'FORBIDDEN')) {
				redirect(303, '/account/two-factor');
			}
			throw err;
		}
	},
	revoke: async (event) => {
		const { locals } = event;
		if (!locals.user) redirect(303, '/account/sign-in');
		const form = await event.request.formData();
		// The confirmation box is required in the form; checked here too (no JavaScript involved).
		if (field(form, 'confirm', 8) !== 'yes') {
			return fail(400, { created: null, errors: ['confirm' as const], values: null, revoked: false });
		}
		const { services } = await getRuntime();
		try {
			await services.apiTokens.revoke(webContext(event), locals.user, field(form, 'id', 64));
		} catch (err) {
			if (err instanceof DomainError && err.code === 'NOT_FOUND') {
				return fail(404, { created: null, errors: ['not_found' as const], values: null, revoked: false });
			}
			throw err;
		}
		return { created: null, errors: null, values: null, revoked: true };
	}
};
