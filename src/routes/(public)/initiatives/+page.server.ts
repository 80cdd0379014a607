import { emptyQuery, parseInitiativeQuery, queryToParams, type InitiativeQuery } from '$lib/core/registry/query';
import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

const EXCERPT_CHARS = 260;

// SvelteKit serializes what a load function returns on every request (even without client-side
// rendering), so only what the page shows leaves here: the reference lists (countries, regions,
// objectives) are imported by the page itself, and each result carries an excerpt, not the record.
export const load: PageServerLoad = async ({ url }) => {
	const { services } = await getRuntime();
	let query: InitiativeQuery;
	let issues: FieldIssue[] = [];
	try {
		query = parseInitiativeQuery(url.searchParams, { strict: false });
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		issues = err.issues;
		query = emptyQuery();
	}
	const result = issues.length > 0 ? null : await services.registry.search(PUBLIC_WEB, query);
	const downloadParams = queryToParams(query, { offset: null, limit: null });
	return {
		query,
		issues,
		total: result?.total ?? 0,
		items: (result?.items ?? []).map((i) => ({
			id: i.id,
			title: i.title,
			actionType: i.actionType,
			initiatorKinds: i.initiatorKinds,
			scope: i.scope,
			dateStart: i.dateStart,
			dateEnd: i.dateEnd,
			datePrecision: i.datePrecision,
			countries: i.countries,
			region: i.region,
			initiators: i.initiators,
			excerpt:
				i.description && i.description !== i.title
					? i.description.length > EXCERPT_CHARS
						? `${i.description.slice(0, EXCERPT_CHARS).trimEnd()}…`
						: i.description
					: null
		})),
		// Every facet the filters show (the year facet is for the API).
		facets: result
			? {
					action_type: result.facets.action_type,
					initiator_kind: result.facets.initiator_kind,
					scope: result.facets.scope,
					country: result.facets.country,
					objective: result.facets.objective,
					regional_scope: result.facets.regional_scope,
					predates_gcm: result.facets.predates_gcm
				}
			: null,
		downloadQuery: downloadParams.toString(),
		prevHref:
			query.offset > 0
				? `?${queryToParams(query, { offset: query.offset - query.limit > 0 ? String(query.offset - query.limit) : null })}`
				: null,
		nextHref:
			result && query.offset + query.limit < result.total
				? `?${queryToParams(query, { offset: String(query.offset + query.limit) })}`
				: null
	};
};
