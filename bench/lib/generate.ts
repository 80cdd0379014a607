/**
 * Deterministic synthetic initiatives for the benchmarks. Row i depends only on (seed, i), so a
 * dataset can be generated in chunks of any size without holding it in memory, and two runs with
 * the same seed produce the same rows.
 */
import { COUNTRIES, OBJECTIVES, GUIDING_PRINCIPLES } from '../../src/lib/core/reference';
import type { InitiativeInput } from '../../src/lib/core/registry/initiative';
import { normalizeInitiativeInput } from '../../src/lib/core/registry/initiative';
import {
	ACTION_TYPES,
	INITIATOR_KINDS,
	type ActionType,
	type InitiatorKind,
	type Scope
} from '../../src/lib/core/registry/vocabulary';

export const DEFAULT_SEED = 20_190_101;

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function mix(seed: number, i: number): number {
	let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
function weighted<T>(r: Rand, items: readonly (readonly [T, number])[]): T {
	const total = items.reduce((s, [, w]) => s + w, 0);
	let x = r() * total;
	for (const [v, w] of items) {
		x -= w;
		if (x < 0) return v;
	}
	return items[items.length - 1]![0];
}

// Migration-policy vocabulary (GCM objectives, Annex 2 wording, common programme language).
const TOPICS = [
	'labour migration',
	'regular pathways',
	'family reunification',
	'return and reintegration',
	'border governance',
	'human trafficking',
	'migrant smuggling',
	'consular protection',
	'remittances',
	'diaspora engagement',
	'climate-induced displacement',
	'disaster displacement',
	'alternatives to detention',
	'child migrants',
	'unaccompanied minors',
	'migrant workers',
	'fair recruitment',
	'skills recognition',
	'social protection portability',
	'access to basic services',
	'migration data',
	'missing migrants',
	'legal identity',
	'xenophobia and discrimination',
	'gender-responsive migration policy',
	'circular migration',
	'seasonal agricultural work',
	'domestic workers',
	'irregular migration',
	'mixed migration flows',
	'asylum procedures',
	'statelessness',
	'integration and social cohesion',
	'readmission agreements',
	'visa facilitation',
	'migrant health',
	'financial inclusion',
	'pre-departure orientation',
	'search and rescue',
	'labour mobility partnerships'
] as const;

const ACTIONS = [
	'National Action Plan on',
	'Regional Consultation on',
	'Workshop on',
	'Technical Assistance for',
	'Pilot Programme on',
	'Policy Dialogue on',
	'Capacity Building on',
	'Strategy for',
	'Assessment of',
	'Bilateral Agreement on',
	'Legislative Reform on',
	'Awareness Campaign on',
	'Joint Initiative on',
	'Multi-stakeholder Forum on',
	'Survey on',
	'Working Group on'
] as const;

const SENTENCES = [
	'The initiative supports the implementation of the Global Compact for Safe, Orderly and Regular Migration at the national level.',
	'It brings together government ministries, local authorities, civil society organisations and UN agencies.',
	'Activities include training of officials, data collection and the review of existing legislation.',
	'The project aims to strengthen the protection of migrants in vulnerable situations.',
	'A whole-of-government approach guides the coordination between line ministries.',
	'Particular attention is paid to the rights of women and children on the move.',
	'The outcome document was presented at the International Migration Review Forum.',
	'Funding was provided through the Migration Multi-Partner Trust Fund.',
	'Participants agreed on a roadmap with measurable indicators and a review in two years.',
	'The consultation gathered the views of migrant associations and trade unions.',
	'It builds on the recommendations of the regional review of the compact.',
	'The programme improves the collection and sharing of disaggregated migration data.',
	'A helpline and case management system assist returning migrants and their families.',
	'Local governments piloted one-stop centres offering information on rights and services.',
	'The agreement sets out standards for ethical recruitment and decent work.',
	'The evaluation found improved referral mechanisms for victims of trafficking.',
	'Training modules were developed with national human rights institutions.',
	'The campaign counters misinformation and promotes evidence-based public discourse on migration.',
	'Employers and private recruitment agencies committed to zero recruitment fees for workers.',
	'The law introduces safeguards against arbitrary detention and guarantees access to legal aid.'
] as const;

const ORG_TEMPLATES = [
	(c: string) => `Ministry of Interior of ${c}`,
	(c: string) => `Ministry of Labour of ${c}`,
	(c: string) => `Ministry of Foreign Affairs of ${c}`,
	(c: string) => `IOM ${c}`,
	(c: string) => `UNHCR ${c}`,
	(c: string) => `UNICEF ${c}`,
	(c: string) => `${c} Red Cross Society`,
	(c: string) => `National Human Rights Commission of ${c}`,
	(c: string) => `Migrant Workers Association of ${c}`,
	(c: string) => `University of ${c} Migration Centre`,
	(c: string) => `${c} Chamber of Commerce`,
	(c: string) => `Municipality of the capital of ${c}`
] as const;
const GLOBAL_ORGS = [
	'UN Network on Migration',
	'International Labour Organization',
	'OHCHR',
	'World Bank',
	'European Union',
	'African Union',
	'IGAD',
	'ECOWAS Commission',
	'Migrant Forum in Asia',
	'PICUM',
	'Global Forum on Migration and Development',
	'Mixed Migration Centre',
	'Save the Children',
	'Terre des Hommes',
	'Caritas Internationalis',
	'International Catholic Migration Commission'
] as const;
const KIND_FOR_ORG: InitiatorKind[] = [
	'government',
	'government',
	'government',
	'un',
	'un',
	'un',
	'civil_society',
	'nhri',
	'civil_society',
	'academia',
	'private_sector',
	'local_authority'
];

// Zipf-like country weights, so some countries have many initiatives and many have few.
const COUNTRY_ORDER = (() => {
	const r = rng(7);
	const xs = [...COUNTRIES];
	for (let i = xs.length - 1; i > 0; i--) {
		const j = Math.floor(r() * (i + 1));
		[xs[i], xs[j]] = [xs[j]!, xs[i]!];
	}
	return xs;
})();
const COUNTRY_CUM = (() => {
	let s = 0;
	return COUNTRY_ORDER.map((_, k) => (s += 1 / Math.pow(k + 1, 0.8)));
})();
function pickCountry(r: Rand) {
	const total = COUNTRY_CUM[COUNTRY_CUM.length - 1]!;
	const x = r() * total;
	let lo = 0;
	let hi = COUNTRY_CUM.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (COUNTRY_CUM[mid]! < x) lo = mid + 1;
		else hi = mid;
	}
	return COUNTRY_ORDER[lo]!;
}

/** Every country, most frequent first. */
export const COUNTRIES_BY_WEIGHT = COUNTRY_ORDER.map((c) => c.iso3);
/** The most frequent countries (useful for realistic filters). */
export const TOP_COUNTRIES = COUNTRY_ORDER.slice(0, 30).map((c) => c.iso3);
export const MID_COUNTRIES = COUNTRY_ORDER.slice(60, 90).map((c) => c.iso3);
export const QUERY_WORDS = [
	'trafficking',
	'labour migration',
	'remittances',
	'return reintegration',
	'detention',
	'children',
	'recruitment',
	'climate displacement',
	'diaspora',
	'border',
	'"migration data"',
	'consular'
] as const;

const pad = (n: number) => String(n).padStart(2, '0');

export function generateInitiative(seed: number, i: number): InitiativeInput {
	const r = rng(mix(seed, i));
	const topic = pick(r, TOPICS);
	const scope: Scope = weighted<Scope>(r, [
		['national', 60],
		['local', 15],
		['regional', 18],
		['global', 7]
	]);
	const nCountries = scope === 'national' || scope === 'local' ? 1 : scope === 'regional' ? int(r, 2, 6) : int(r, 1, 3);
	const countries = new Set<string>();
	while (countries.size < nCountries) countries.add(pickCountry(r).iso3);
	const first = COUNTRIES.find((c) => c.iso3 === [...countries][0])!;
	const title = `${pick(r, ACTIONS)} ${topic}${r() < 0.6 ? ` in ${first.name}` : ''}${r() < 0.15 ? ` (phase ${int(r, 2, 4)})` : ''}`;
	const nSent = weighted(r, [
		[0, 5],
		[1, 20],
		[2, 25],
		[3, 20],
		[5, 15],
		[8, 10],
		[14, 5]
	]);
	const sentences: string[] = [];
	for (let k = 0; k < nSent; k++) sentences.push(pick(r, SENTENCES));
	if (nSent > 0 && r() < 0.5) sentences.push(`It focuses on ${pick(r, TOPICS)} and ${pick(r, TOPICS)}.`);
	const description = sentences.join(' ');
	const actionType: ActionType = weighted<ActionType>(
		r,
		ACTION_TYPES.map((a, k) => [a, [14, 14, 6, 8, 22, 6, 12, 12, 6][k] ?? 5] as const)
	);
	const nActors = weighted(r, [
		[0, 5],
		[1, 55],
		[2, 28],
		[3, 12]
	]);
	const initiators: string[] = [];
	const kinds = new Set<InitiatorKind>();
	for (let k = 0; k < nActors; k++) {
		if (r() < 0.25) {
			initiators.push(pick(r, GLOBAL_ORGS));
			kinds.add(pick(r, ['un', 'regional_organisation', 'civil_society', 'donor'] as const));
		} else {
			const t = int(r, 0, ORG_TEMPLATES.length - 1);
			initiators.push(
				ORG_TEMPLATES[t]!(
					pick(
						r,
						[...countries].map((c) => COUNTRIES.find((x) => x.iso3 === c)!.name)
					)
				)
			);
			kinds.add(KIND_FOR_ORG[t]!);
		}
	}
	if (kinds.size === 0) kinds.add(r() < 0.5 ? 'to_be_defined' : pick(r, INITIATOR_KINDS));

	// Dates over 2015-2030 with the precisions found in the 2019 mapping.
	const precision = weighted(r, [
		['day', 35],
		['month', 25],
		['year', 25],
		['unknown', 10],
		['tbc', 5]
	] as const);
	const year = int(r, 2015, 2030);
	const month = int(r, 1, 12);
	const day = int(r, 1, 28);
	let dateStart: string | null = null;
	let dateEnd: string | null = null;
	let dateText: string | null = null;
	if (precision === 'day') {
		dateStart = `${year}-${pad(month)}-${pad(day)}`;
		if (r() < 0.4) dateEnd = `${year}-${pad(month)}-${pad(Math.min(28, day + int(r, 1, 5)))}`;
	} else if (precision === 'month') {
		dateStart = `${year}-${pad(month)}`;
		if (r() < 0.3) dateEnd = `${Math.min(2030, year + int(r, 0, 3))}-12`;
	} else if (precision === 'year') {
		dateStart = String(year);
		if (r() < 0.3) dateEnd = String(Math.min(2030, year + int(r, 1, 4)));
	} else if (precision === 'tbc') dateText = 'TBC';
	const predatesGcm = dateStart !== null && dateStart < '2018-12';
	const nObj = int(r, 1, 4);
	const objectives = new Set<number>();
	while (objectives.size < nObj) objectives.add(pick(r, OBJECTIVES).number);
	const principles = r() < 0.3 ? [pick(r, GUIDING_PRINCIPLES).key] : [];
	const nSources = weighted(r, [
		[0, 30],
		[1, 55],
		[2, 15]
	]);
	const sources = Array.from({ length: nSources }, (_, k) => ({
		citation: `${pick(r, GLOBAL_ORGS)} (${year}). Report on ${topic}, part ${k + 1}`,
		url: r() < 0.6 ? `https://example.org/reports/${i}/${k + 1}` : null
	}));
	return normalizeInitiativeInput({
		key: `bench-${String(i).padStart(7, '0')}`,
		title,
		description,
		actionType,
		initiatorKinds: [...kinds],
		initiators,
		scope,
		regionalScope: scope === 'regional' && r() < 0.5,
		region: scope === 'regional' ? (first.subregion?.name ?? first.region?.name ?? null) : null,
		countries: [...countries],
		dateStart,
		dateEnd,
		datePrecision: precision,
		dateText,
		predatesGcm,
		objectives: [...objectives],
		principles,
		sources,
		verificationStatus: r() < 0.9 ? 'reported' : 'verified',
		reportTable: null,
		reportRow: null,
		originalText: null
	});
}

/** A deterministic pseudo-random UUID (v4 layout) for row i. */
export function uuidFor(seed: number, i: number, salt = 0): string {
	const r = rng(mix(seed ^ (0x5bd1e995 + salt), i));
	const hex = (n: number) =>
		Array.from({ length: n }, () =>
			Math.floor(r() * 16)
				.toString(16)
				.toLowerCase()
		).join('');
	return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(r() * 4)]}${hex(3)}-${hex(12)}`;
}
