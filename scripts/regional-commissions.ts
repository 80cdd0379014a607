/**
 * Reviewed membership lists of the five UN regional economic commissions, as ISO 3166-1
 * alpha-3 codes, and the rules that turn them into the `commissions` field of
 * src/lib/core/reference/countries.data.ts (see scripts/generate-countries.ts and
 * data/reference/README.md).
 *
 * What `commissions` means: the UN regional commission(s) whose GCM regional review covers the
 * country. That is NOT the same as "commissions the country is a member of":
 *   - several states are non-regional members of ECLAC or ESCAP (e.g. France in both); for the
 *     regional-review mapping they only get the commission(s) of the region they are in;
 *   - some states are genuinely covered by two regional reviews (Arab states in Africa: ECA +
 *     ESCWA; Central Asia, the Caucasus, the Russian Federation and Türkiye: ECE + ESCAP);
 *   - territories that are not UN members get the commission of which they are an associate
 *     member (ECLAC/ESCAP), otherwise a commission DERIVED from their M49 region (marked below).
 *
 * Sources (read through the project's page search; several are mirrors of the official pages,
 * which should be preferred when these lists are re-checked):
 *   ECA   - "54 member States, corresponding to the 54 member states of the United Nations that
 *           lie within the continent of Africa or in oceans nearby":
 *           https://worddisk.com/wiki/Economic_Commission_for_Africa (mirror of the Wikipedia
 *           article, which cites the ECA "Overview" page). The list below is the 54 UN members of
 *           the M49 region Africa (002); the generator checks that this is exactly 54.
 *   ECE   - "Today, UNECE has 56 member States ... Europe, ... North America (Canada and United
 *           States), Central Asia (...) and Western Asia (Israel)": https://unece.org/geographical-scope
 *           Member list with dates of membership: https://wikimili.com/en/United_Nations_Economic_Commission_for_Europe
 *           and http://www.hawaiilibrary.net/article/WHEBN0000037960/United%20Nations%20Economic%20Commission%20for%20Europe
 *   ECLAC - 46 member States (33 in Latin America and the Caribbean, 13 from outside the region):
 *           https://www.wikiwand.com/en/articles/ECLAC (mirror of the Wikipedia article, citing
 *           the ECLAC member-states page). Caribbean member countries and the 13 Caribbean
 *           associate members: https://caribbean.eclac.org/about (official ECLAC page).
 *   ESCAP - 53 members and 9 associate members: http://katinka.org/member-states.html (copy of
 *           the ESCAP "Members and Associate Members" page), http://cryer.org.uk/ESCAP; the nine
 *           associate members with dates of admission:
 *           https://overseasreview.blogspot.com/2008/06/several-british-territories-expand.html
 *   ESCWA - 20 Arab States listed on https://archive.unescwa.org/search-results?f%5B0%5D=type%3Apage
 *           ("ESCWA comprises 20 Arab States: Algeria, Bahrain, Egypt, Iraq, Jordan, Kuwait,
 *           Lebanon, Libya, Morocco, Mauritania, Oman, State of Palestine, Qatar, Saudi Arabia,
 *           Somalia, Sudan, Syrian Arab Republic, Tunisia, United Arab Emirates and Yemen");
 *           https://cepei.org/en/documents/infographic-escwa-basic-information/ (2021: Algeria and
 *           Somalia joined in 2020; "Comoros and Djibouti are the two Arab States that have not
 *           been part of ESCWA"); later mirrors of the Wikipedia article
 *           (https://en-m-wikipedia-org.zproxy.org/wiki/ESCWA) give 21 member states.
 *           UNCERTAIN: the 21st member is taken to be Djibouti (the only candidates left after
 *           2021 were Comoros and Djibouti); no stored page names it. Re-check against
 *           https://www.unescwa.org before relying on Djibouti's ESCWA entry.
 *
 * Every list is checked by scripts/generate-countries.ts: each code must be an M49 "country or
 * area", and the list sizes must equal EXPECTED_COUNTS.
 */
import type { CommissionKey } from '../src/lib/core/reference/types';

/** Economic Commission for Africa: the 54 African UN Member States. */
export const ECA_MEMBERS: readonly string[] = [
	// Northern Africa
	'DZA', // Algeria (also ESCWA)
	'EGY', // Egypt (also ESCWA)
	'LBY', // Libya (also ESCWA)
	'MAR', // Morocco (also ESCWA)
	'SDN', // Sudan (also ESCWA)
	'TUN', // Tunisia (also ESCWA)
	// Eastern Africa
	'BDI', // Burundi
	'COM', // Comoros (NOT an ESCWA member: ECA only)
	'DJI', // Djibouti (also ESCWA, see the uncertainty note above)
	'ERI', // Eritrea
	'ETH', // Ethiopia
	'KEN', // Kenya
	'MDG', // Madagascar
	'MWI', // Malawi
	'MUS', // Mauritius
	'MOZ', // Mozambique
	'RWA', // Rwanda
	'SYC', // Seychelles
	'SOM', // Somalia (also ESCWA)
	'SSD', // South Sudan
	'UGA', // Uganda
	'TZA', // United Republic of Tanzania
	'ZMB', // Zambia
	'ZWE', // Zimbabwe
	// Middle Africa
	'AGO', // Angola
	'CMR', // Cameroon
	'CAF', // Central African Republic
	'TCD', // Chad
	'COG', // Congo
	'COD', // Democratic Republic of the Congo
	'GNQ', // Equatorial Guinea
	'GAB', // Gabon
	'STP', // Sao Tome and Principe
	// Southern Africa
	'BWA', // Botswana
	'SWZ', // Eswatini
	'LSO', // Lesotho
	'NAM', // Namibia
	'ZAF', // South Africa
	// Western Africa
	'BEN', // Benin
	'BFA', // Burkina Faso
	'CPV', // Cabo Verde
	'CIV', // Côte d'Ivoire
	'GMB', // Gambia
	'GHA', // Ghana
	'GIN', // Guinea
	'GNB', // Guinea-Bissau
	'LBR', // Liberia
	'MLI', // Mali
	'MRT', // Mauritania (also ESCWA)
	'NER', // Niger
	'NGA', // Nigeria
	'SEN', // Senegal
	'SLE', // Sierra Leone
	'TGO' // Togo
];

/** Economic Commission for Europe: 56 member States (all regional for the GCM review). */
export const ECE_MEMBERS: readonly string[] = [
	'ALB', // Albania
	'AND', // Andorra
	'ARM', // Armenia (also ESCAP)
	'AUT', // Austria
	'AZE', // Azerbaijan (also ESCAP)
	'BLR', // Belarus
	'BEL', // Belgium
	'BIH', // Bosnia and Herzegovina
	'BGR', // Bulgaria
	'CAN', // Canada (North America is in the ECE region)
	'HRV', // Croatia
	'CYP', // Cyprus
	'CZE', // Czechia
	'DNK', // Denmark
	'EST', // Estonia
	'FIN', // Finland
	'FRA', // France
	'GEO', // Georgia (also ESCAP)
	'DEU', // Germany
	'GRC', // Greece
	'HUN', // Hungary
	'ISL', // Iceland
	'IRL', // Ireland
	'ISR', // Israel (member since 1991; ECE only, not ESCAP or ESCWA)
	'ITA', // Italy
	'KAZ', // Kazakhstan (also ESCAP)
	'KGZ', // Kyrgyzstan (also ESCAP)
	'LVA', // Latvia
	'LIE', // Liechtenstein
	'LTU', // Lithuania
	'LUX', // Luxembourg
	'MLT', // Malta
	'MCO', // Monaco
	'MNE', // Montenegro
	'NLD', // Netherlands (Kingdom of the)
	'MKD', // North Macedonia
	'NOR', // Norway
	'POL', // Poland
	'PRT', // Portugal
	'MDA', // Republic of Moldova
	'ROU', // Romania
	'RUS', // Russian Federation (also ESCAP)
	'SMR', // San Marino
	'SRB', // Serbia
	'SVK', // Slovakia
	'SVN', // Slovenia
	'ESP', // Spain
	'SWE', // Sweden
	'CHE', // Switzerland
	'TJK', // Tajikistan (also ESCAP)
	'TUR', // Türkiye (also ESCAP)
	'TKM', // Turkmenistan (also ESCAP)
	'UKR', // Ukraine
	'GBR', // United Kingdom
	'USA', // United States of America
	'UZB' // Uzbekistan (also ESCAP)
];

/** Economic Commission for Latin America and the Caribbean: 46 member States. */
export const ECLAC_MEMBERS: readonly string[] = [
	// 33 member States of the region
	'ATG', // Antigua and Barbuda
	'ARG', // Argentina
	'BHS', // Bahamas
	'BRB', // Barbados
	'BLZ', // Belize
	'BOL', // Bolivia (Plurinational State of)
	'BRA', // Brazil
	'CHL', // Chile
	'COL', // Colombia
	'CRI', // Costa Rica
	'CUB', // Cuba
	'DMA', // Dominica
	'DOM', // Dominican Republic
	'ECU', // Ecuador
	'SLV', // El Salvador
	'GRD', // Grenada
	'GTM', // Guatemala
	'GUY', // Guyana
	'HTI', // Haiti
	'HND', // Honduras
	'JAM', // Jamaica
	'MEX', // Mexico
	'NIC', // Nicaragua
	'PAN', // Panama
	'PRY', // Paraguay
	'PER', // Peru
	'KNA', // Saint Kitts and Nevis
	'LCA', // Saint Lucia
	'VCT', // Saint Vincent and the Grenadines
	'SUR', // Suriname
	'TTO', // Trinidad and Tobago
	'URY', // Uruguay
	'VEN', // Venezuela (Bolivarian Republic of)
	// 13 member States from outside the region (see ECLAC_NON_REGIONAL_MEMBERS)
	'CAN', // Canada
	'FRA', // France
	'DEU', // Germany
	'ITA', // Italy
	'JPN', // Japan
	'NLD', // Netherlands (Kingdom of the)
	'NOR', // Norway
	'PRT', // Portugal
	'KOR', // Republic of Korea
	'ESP', // Spain
	'TUR', // Türkiye
	'GBR', // United Kingdom
	'USA' // United States of America
];

/**
 * ECLAC members outside Latin America and the Caribbean. For the GCM regional-review mapping
 * they do NOT get ECLAC (their own region's commission applies).
 */
export const ECLAC_NON_REGIONAL_MEMBERS: readonly string[] = [
	'CAN',
	'FRA',
	'DEU',
	'ITA',
	'JPN',
	'NLD',
	'NOR',
	'PRT',
	'KOR',
	'ESP',
	'TUR',
	'GBR',
	'USA'
];

/**
 * ECLAC associate members (non-independent territories in the Caribbean), as listed on
 * https://caribbean.eclac.org/about. They get ECLAC.
 * Not listed here: French Guiana, which some secondary sources count as a 14th associate member
 * (https://www.wikiwand.com/en/articles/ECLAC says 14) - not confirmed; it gets ECLAC anyway as a
 * DERIVED assignment (see DERIVED_COMMISSIONS).
 */
export const ECLAC_ASSOCIATE_MEMBERS: readonly string[] = [
	'AIA', // Anguilla
	'ABW', // Aruba
	'BMU', // Bermuda (M49 Northern America, but an ECLAC associate member: ECLAC, not ECE)
	'VGB', // British Virgin Islands
	'CYM', // Cayman Islands
	'CUW', // Curaçao
	'GLP', // Guadeloupe
	'MTQ', // Martinique
	'MSR', // Montserrat
	'PRI', // Puerto Rico
	'SXM', // Sint Maarten (Dutch part)
	'TCA', // Turks and Caicos Islands
	'VIR' // United States Virgin Islands
];

/** Economic and Social Commission for Asia and the Pacific: 53 members. */
export const ESCAP_MEMBERS: readonly string[] = [
	'AFG', // Afghanistan
	'ARM', // Armenia (also ECE)
	'AUS', // Australia
	'AZE', // Azerbaijan (also ECE)
	'BGD', // Bangladesh
	'BTN', // Bhutan
	'BRN', // Brunei Darussalam
	'KHM', // Cambodia
	'CHN', // China
	'PRK', // Democratic People's Republic of Korea
	'FJI', // Fiji
	'FRA', // France (non-regional)
	'GEO', // Georgia (also ECE)
	'IND', // India
	'IDN', // Indonesia
	'IRN', // Iran (Islamic Republic of)
	'JPN', // Japan
	'KAZ', // Kazakhstan (also ECE)
	'KIR', // Kiribati
	'KGZ', // Kyrgyzstan (also ECE)
	'LAO', // Lao People's Democratic Republic
	'MYS', // Malaysia
	'MDV', // Maldives
	'MHL', // Marshall Islands
	'FSM', // Micronesia (Federated States of)
	'MNG', // Mongolia
	'MMR', // Myanmar
	'NRU', // Nauru
	'NPL', // Nepal
	'NLD', // Netherlands (non-regional)
	'NZL', // New Zealand
	'PAK', // Pakistan
	'PLW', // Palau
	'PNG', // Papua New Guinea
	'PHL', // Philippines
	'KOR', // Republic of Korea
	'RUS', // Russian Federation (regional: also ECE)
	'WSM', // Samoa
	'SGP', // Singapore
	'SLB', // Solomon Islands
	'LKA', // Sri Lanka
	'TJK', // Tajikistan (also ECE)
	'THA', // Thailand
	'TLS', // Timor-Leste
	'TON', // Tonga
	'TUR', // Türkiye (regional: also ECE)
	'TKM', // Turkmenistan (also ECE)
	'TUV', // Tuvalu
	'GBR', // United Kingdom (non-regional)
	'USA', // United States of America (non-regional)
	'UZB', // Uzbekistan (also ECE)
	'VUT', // Vanuatu
	'VNM' // Viet Nam
];

/**
 * ESCAP members outside Asia and the Pacific. For the GCM regional-review mapping they do NOT get
 * ESCAP. The Russian Federation and Türkiye are treated as regional (ECE + ESCAP).
 */
export const ESCAP_NON_REGIONAL_MEMBERS: readonly string[] = ['FRA', 'NLD', 'GBR', 'USA'];

/** ESCAP associate members (nine). They get ESCAP. */
export const ESCAP_ASSOCIATE_MEMBERS: readonly string[] = [
	'ASM', // American Samoa
	'COK', // Cook Islands
	'PYF', // French Polynesia
	'GUM', // Guam
	'HKG', // Hong Kong, China
	'MAC', // Macao, China
	'NCL', // New Caledonia
	'NIU', // Niue
	'MNP' // Northern Mariana Islands
];

/** Economic and Social Commission for Western Asia: 21 member States. */
export const ESCWA_MEMBERS: readonly string[] = [
	'DZA', // Algeria (joined 2020; also ECA)
	'BHR', // Bahrain
	'DJI', // Djibouti (UNCERTAIN, taken as the 21st member; also ECA)
	'EGY', // Egypt (also ECA)
	'IRQ', // Iraq
	'JOR', // Jordan
	'KWT', // Kuwait
	'LBN', // Lebanon
	'LBY', // Libya (joined 2012; also ECA)
	'MRT', // Mauritania (joined 2015; also ECA)
	'MAR', // Morocco (joined 2012; also ECA)
	'OMN', // Oman
	'PSE', // State of Palestine (full ESCWA member; not a UN Member State)
	'QAT', // Qatar
	'SAU', // Saudi Arabia
	'SOM', // Somalia (joined 2020; also ECA)
	'SDN', // Sudan (also ECA)
	'SYR', // Syrian Arab Republic
	'TUN', // Tunisia (joined 2012; also ECA)
	'ARE', // United Arab Emirates
	'YEM' // Yemen
];

/**
 * DERIVED assignments for countries or areas that are neither members nor associate members of
 * any commission (mostly non-self-governing or overseas territories). Rule: the commission of the
 * M49 region the area is in (Africa -> ECA; Latin America and the Caribbean -> ECLAC; Northern
 * America and Europe -> ECE, as their administering states' region; Asia/Oceania -> ESCAP).
 * Areas without a permanent population get no commission ([]): no GCM regional review reports on
 * them. These are judgement calls, not facts from the commissions.
 */
export const DERIVED_COMMISSIONS: Readonly<Record<string, readonly CommissionKey[]>> = {
	// Africa -> ECA (derived)
	ESH: ['ECA'], // Western Sahara (Northern Africa; not given ESCWA)
	MYT: ['ECA'], // Mayotte (France)
	REU: ['ECA'], // Réunion (France)
	SHN: ['ECA'], // Saint Helena (United Kingdom)
	// Americas: Latin America and the Caribbean -> ECLAC (derived)
	BES: ['ECLAC'], // Bonaire, Sint Eustatius and Saba (Netherlands)
	BLM: ['ECLAC'], // Saint Barthélemy (France)
	FLK: ['ECLAC'], // Falkland Islands (Malvinas)
	GUF: ['ECLAC'], // French Guiana (possibly an ECLAC associate member, see above)
	MAF: ['ECLAC'], // Saint Martin (French Part)
	// Americas: Northern America -> ECE (derived; administering state and region are ECE)
	GRL: ['ECE'], // Greenland (Denmark)
	SPM: ['ECE'], // Saint Pierre and Miquelon (France)
	// Europe -> ECE (derived)
	ALA: ['ECE'], // Åland Islands (Finland)
	FRO: ['ECE'], // Faroe Islands (Denmark)
	GGY: ['ECE'], // Guernsey
	GIB: ['ECE'], // Gibraltar
	IMN: ['ECE'], // Isle of Man
	JEY: ['ECE'], // Jersey
	SJM: ['ECE'], // Svalbard and Jan Mayen Islands (Norway)
	VAT: ['ECE'], // Holy See (non-member observer State; not an ECE member)
	// Oceania -> ESCAP (derived)
	CCK: ['ESCAP'], // Cocos (Keeling) Islands (Australia)
	CXR: ['ESCAP'], // Christmas Island (Australia)
	NFK: ['ESCAP'], // Norfolk Island (Australia)
	PCN: ['ESCAP'], // Pitcairn (United Kingdom)
	TKL: ['ESCAP'], // Tokelau (New Zealand)
	WLF: ['ESCAP'], // Wallis and Futuna Islands (France)
	// No permanent population -> no commission (derived)
	ATA: [], // Antarctica
	ATF: [], // French Southern Territories
	BVT: [], // Bouvet Island
	HMD: [], // Heard Island and McDonald Islands
	IOT: [], // British Indian Ocean Territory
	SGS: [], // South Georgia and the South Sandwich Islands
	UMI: [] // United States Minor Outlying Islands
};

/** Sizes the lists must have; checked by the generator. */
export const EXPECTED_COUNTS = {
	ECA: 54,
	ECE: 56,
	ECLAC: 46,
	ECLAC_ASSOCIATE: 13,
	ESCAP: 53,
	ESCAP_ASSOCIATE: 9,
	ESCWA: 21
} as const;

export type CommissionBasis = 'member' | 'associate' | 'derived';

export interface CommissionAssignment {
	commissions: CommissionKey[];
	basis: CommissionBasis;
}

const ORDER: readonly CommissionKey[] = ['ECA', 'ECE', 'ECLAC', 'ESCAP', 'ESCWA'];

/**
 * Commissions whose GCM regional review covers `iso3`, or undefined if the code is in no list
 * (the generator treats that as an error, so every area is reviewed by hand).
 */
export function commissionsFor(iso3: string): CommissionAssignment | undefined {
	const set = new Set<CommissionKey>();
	if (ECA_MEMBERS.includes(iso3)) set.add('ECA');
	if (ECE_MEMBERS.includes(iso3)) set.add('ECE');
	if (ECLAC_MEMBERS.includes(iso3) && !ECLAC_NON_REGIONAL_MEMBERS.includes(iso3)) set.add('ECLAC');
	if (ESCAP_MEMBERS.includes(iso3) && !ESCAP_NON_REGIONAL_MEMBERS.includes(iso3)) set.add('ESCAP');
	if (ESCWA_MEMBERS.includes(iso3)) set.add('ESCWA');
	if (set.size > 0) return { commissions: ORDER.filter((k) => set.has(k)), basis: 'member' };

	if (ECLAC_ASSOCIATE_MEMBERS.includes(iso3)) return { commissions: ['ECLAC'], basis: 'associate' };
	if (ESCAP_ASSOCIATE_MEMBERS.includes(iso3)) return { commissions: ['ESCAP'], basis: 'associate' };

	const derived = DERIVED_COMMISSIONS[iso3];
	if (derived) return { commissions: ORDER.filter((k) => derived.includes(k)), basis: 'derived' };
	return undefined;
}
