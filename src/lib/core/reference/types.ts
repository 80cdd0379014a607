/**
 * Types for GCM reference data. Every fact carries the status given by the team's
 * reviewed reference file (data/reference/gcm-reference.json): only `confirmed`,
 * `seed_report` and `seed_report_and_confirmed` facts are presented as official.
 */
export type FactStatus =
	'confirmed' | 'seed_report' | 'seed_report_and_confirmed' | 'derived' | 'inferred' | 'uncertain' | 'not_found';

/** Statuses that may be shown to the public as established fact. */
export const OFFICIAL_STATUSES: readonly FactStatus[] = ['confirmed', 'seed_report', 'seed_report_and_confirmed'];

export interface Sourced {
	status: FactStatus;
	sources: readonly string[];
}

export type ObjectiveNumber =
	1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23;

export type RoundtableNumber = 1 | 2 | 3 | 4;

export interface Objective extends Sourced {
	number: ObjectiveNumber;
	/** Official title as in A/RES/73/195. */
	title: string;
	shortLabel: string;
	/** Paragraph of A/RES/73/195 that states the objective. */
	gcmParagraph: number;
	roundtable: RoundtableNumber;
}

export type PrincipleKey =
	| 'people_centred'
	| 'international_cooperation'
	| 'national_sovereignty'
	| 'rule_of_law_and_due_process'
	| 'sustainable_development'
	| 'human_rights'
	| 'gender_responsive'
	| 'child_sensitive'
	| 'whole_of_government'
	| 'whole_of_society';

export interface GuidingPrinciple extends Sourced {
	key: PrincipleKey;
	/** Letter in GCM paragraph 15. */
	letter: string;
	name: string;
}

export interface Roundtable extends Sourced {
	number: RoundtableNumber;
	objectives: readonly ObjectiveNumber[];
}

export interface NumberedItem extends Sourced {
	number: number;
	name: string;
}

export type CommissionKey = 'ECA' | 'ECE' | 'ECLAC' | 'ESCAP' | 'ESCWA';

export interface RegionalCommission {
	key: CommissionKey;
	name: string;
}

export interface Country {
	/** ISO 3166-1 alpha-3. */
	iso3: string;
	/** UN M49 numeric code, three digits, zero-padded. */
	m49: string;
	/** UNSD M49 English name. */
	name: string;
	/** Spanish short name (see data/reference/README.md for the source). */
	nameEs: string;
	region: { code: string; name: string } | null;
	subregion: { code: string; name: string } | null;
	intermediateRegion: { code: string; name: string } | null;
	/** UN regional economic commissions whose GCM regional review covers the country. */
	commissions: readonly CommissionKey[];
	unMember: boolean;
}
