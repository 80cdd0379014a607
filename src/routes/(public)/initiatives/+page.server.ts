import { COUNTRIES, listRegionOptions, OBJECTIVES } from '$lib/core/reference';
import { emptyQuery, parseInitiativeQuery, queryToParams, type InitiativeQuery } from '$lib/core/registry/query';
import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { getRuntime } from '$lib/server/runtime';
import { PUBLIC_WEB } from '$lib/server/services/viewer';
import type { PageServerLoad } from './$types';

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
		items: result?.items ?? [],
		facets: result?.facets ?? null,
		downloadQuery: downloadParams.toString(),
		prevHref:
			query.offset > 0
				? `?${queryToParams(query, { offset: query.offset - query.limit > 0 ? String(query.offset - query.limit) : null })}`
				: null,
		nextHref:
			result && query.offset + query.limit < result.total
				? `?${queryToParams(query, { offset: String(query.offset + query.limit) })}`
				: null,
		countries: COUNTRIES.map((c) => ({ iso3: c.iso3, name: c.name, nameEs: c.nameEs })),
		regions: listRegionOptions(),
		objectives: OBJECTIVES.map((o) => ({ number: o.number, shortLabel: o.shortLabel }))
	};
};
