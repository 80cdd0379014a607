import {
	GCR_OBJECTIVES,
	GUIDING_PRINCIPLES,
	IMRF_YEARS,
	IMRF_YEARS_NOTE,
	REGIONAL_COMMISSIONS,
	REGIONAL_REVIEW_YEARS,
	ROUNDTABLES,
	UN_NETWORK_THEMATIC_AREAS,
	UN_NETWORK_WORKSTREAMS_2019
} from '$lib/core/reference';
import { apiRoute, json } from '$lib/server/http/api';
import { rejectParams } from '$lib/server/http/params';

const item = (x: { number: number; name: string; status: string; sources: readonly string[] }) => ({
	number: x.number,
	name: x.name,
	status: x.status,
	sources: x.sources
});

export const GET = apiRoute(async ({ url }) => {
	rejectParams(url.searchParams);
	return json({
		principles: GUIDING_PRINCIPLES.map((p) => ({
			key: p.key,
			letter: p.letter,
			name: p.name,
			status: p.status,
			sources: p.sources
		})),
		roundtables: ROUNDTABLES.map((r) => ({
			number: r.number,
			objectives: r.objectives,
			status: r.status,
			sources: r.sources
		})),
		un_network_thematic_areas: UN_NETWORK_THEMATIC_AREAS.map(item),
		un_network_workstreams_2019: UN_NETWORK_WORKSTREAMS_2019.map(item),
		gcr_objectives: GCR_OBJECTIVES.map(item),
		review_calendar: {
			imrf_years: IMRF_YEARS,
			imrf_years_note: IMRF_YEARS_NOTE,
			regional_review_years: REGIONAL_REVIEW_YEARS
		},
		regional_commissions: REGIONAL_COMMISSIONS.map((c) => ({ key: c.key, name: c.name }))
	});
});
