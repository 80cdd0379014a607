import { fail, redirect } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field, webContext } from '$lib/server/http/request-context';
import { getRuntime } from '$lib/server/runtime';
import { SUGGESTION_LIMITS } from '$lib/server/services/suggestion.service';
import type { Actions, PageServerLoad } from './$types';

interface SuggestValues {
	title: string;
	description: string;
	countries: string[];
	actionType: string;
	date: string;
	sourceUrl: string;
	sourceCitation: string;
	contact: string;
}

const EMPTY: SuggestValues = {
	title: '',
	description: '',
	countries: [],
	actionType: '',
	date: '',
	sourceUrl: '',
	sourceCitation: '',
	contact: ''
};

export const load: PageServerLoad = () => ({ values: EMPTY, limits: SUGGESTION_LIMITS });

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		// Read a little over each limit, so the service says "too long" instead of cutting text silently.
		const values: SuggestValues = {
			title: field(form, 'title', SUGGESTION_LIMITS.title + 1),
			description: field(form, 'description', SUGGESTION_LIMITS.description + 1),
			countries: form
				.getAll('countries')
				.filter((v): v is string => typeof v === 'string')
				.slice(0, SUGGESTION_LIMITS.countries + 1)
				.map((v) => v.slice(0, 3)),
			actionType: field(form, 'actionType', 40),
			date: field(form, 'date', 20),
			sourceUrl: field(form, 'sourceUrl', SUGGESTION_LIMITS.url + 1),
			sourceCitation: field(form, 'sourceCitation', SUGGESTION_LIMITS.citation + 1),
			contact: field(form, 'contact', SUGGESTION_LIMITS.contact + 1)
		};
		const { services } = await getRuntime();
		try {
			const r = await services.suggestions.submit(webContext(event), {
				payload: {
					title: values.title,
					description: values.description,
					countries: values.countries,
					actionType: values.actionType,
					date: values.date,
					sourceUrl: values.sourceUrl,
					sourceCitation: values.sourceCitation
				},
				contact: values.contact,
				honeypot: field(form, 'website', 200)
			});
			if (r.outcome === 'rate_limited') {
				event.setHeaders({ 'retry-after': String(r.retryAfterSeconds) });
				return fail(429, {
					values,
					issues: [],
					retryAfterMinutes: Math.max(1, Math.ceil(r.retryAfterSeconds / 60))
				});
			}
		} catch (err) {
			if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
				return fail(400, { values, issues: err.issues, retryAfterMinutes: 0 });
			}
			throw err;
		}
		// A filled honeypot lands here too: bots see the same thank-you page, and nothing was stored.
		redirect(303, '/initiatives/suggest/thanks');
	}
};
