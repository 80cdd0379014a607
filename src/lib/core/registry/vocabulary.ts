/**
 * Controlled vocabularies of the initiative registry. Keys are stable (they appear in URLs,
 * the API and CSV files); labels live in the i18n layer. Built from the seed report's Annex 2
 * ("Type of action/initiator") with room for what came after it.
 */
export const ACTION_TYPES = [
	'coordination',
	'meeting',
	'measurement',
	'implementation_plan',
	'project',
	'funding',
	'policy_law',
	'consultation',
	'other'
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const INITIATOR_KINDS = [
	'un',
	'government',
	'civil_society',
	'academia',
	'local_authority',
	'donor',
	'private_sector',
	'regional_organisation',
	'nhri',
	'to_be_defined'
] as const;
export type InitiatorKind = (typeof INITIATOR_KINDS)[number];

export const SCOPES = ['global', 'regional', 'national', 'local'] as const;
export type Scope = (typeof SCOPES)[number];

/** How precisely the start date is known (Annex 2 has days, months, years, "predates GCM" and "TBC"). */
export const DATE_PRECISIONS = ['day', 'month', 'year', 'predates_gcm', 'tbc', 'unknown'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

/**
 * The report says its mapping is a quick scan, not verified: `reported` = taken from a published
 * report or source; `unverifiable` = only an interview backs it; `verified` = checked by an editor.
 */
export const VERIFICATION_STATUSES = ['verified', 'reported', 'unverifiable'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** Workflow status of an editable record; the public sees only `published`. */
export const RECORD_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const SORTS = ['relevance', 'date_desc', 'date_asc', 'title_asc', 'updated_desc'] as const;
export type Sort = (typeof SORTS)[number];
