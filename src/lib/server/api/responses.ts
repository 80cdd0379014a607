/**
 * Public JSON shapes (API and JSON export): explicit mapping from domain objects, so internal
 * fields never leak by accident. These shapes are described in the OpenAPI document.
 */
import type { Initiative } from '../../core/registry/initiative';
import type { Practice } from '../../core/registry/practice';
import { getCountry, getObjective, type Country, type Objective } from '../../core/reference';

export function toInitiativeResponse(i: Initiative) {
	return {
		id: i.id,
		key: i.key,
		title: i.title,
		description: i.description,
		action_type: i.actionType,
		initiator_kinds: i.initiatorKinds,
		initiators: i.initiators,
		scope: i.scope,
		regional_scope: i.regionalScope,
		region: i.region,
		countries: i.countries,
		date_start: i.dateStart,
		date_end: i.dateEnd,
		date_precision: i.datePrecision,
		date_text: i.dateText,
		predates_gcm: i.predatesGcm,
		objectives: i.objectives,
		principles: i.principles,
		sources: i.sources.map((s) => ({ citation: s.citation, url: s.url })),
		verification_status: i.verificationStatus,
		report_table: i.reportTable,
		report_row: i.reportRow,
		original_text: i.originalText,
		created_at: i.createdAt,
		updated_at: i.updatedAt
	};
}
export type InitiativeResponse = ReturnType<typeof toInitiativeResponse>;

export function toPracticeResponse(p: Practice) {
	return {
		id: p.id,
		key: p.key,
		name: p.name,
		implementing_partners: p.implementingPartners,
		period_start: p.periodStart,
		period_end: p.periodEnd,
		period_text: p.periodText,
		description: p.description,
		more_information: p.moreInformation,
		countries: p.countries,
		objectives: p.objectives,
		updated_at: p.updatedAt
	};
}

export function toObjectiveResponse(o: Objective, initiatives: number) {
	return {
		number: o.number,
		title: o.title,
		short_label: o.shortLabel,
		gcm_paragraph: o.gcmParagraph,
		roundtable: o.roundtable,
		status: o.status,
		sources: o.sources,
		initiatives
	};
}

export function toCountryResponse(c: Country, initiatives: number) {
	return {
		iso3: c.iso3,
		m49: c.m49,
		name: c.name,
		name_es: c.nameEs,
		region: c.region,
		subregion: c.subregion,
		intermediate_region: c.intermediateRegion,
		commissions: c.commissions,
		un_member: c.unMember,
		initiatives
	};
}

export { getCountry, getObjective };
