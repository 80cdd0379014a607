/**
 * The public face of the benchmarking observatory (issue #5): country, objective, world and
 * comparison read models and the open-data exports. Runs on public pages, the API and `gcm export`.
 *
 * Only published assessments are ever read here (listPublishedAssessmentRows filters on status and
 * on stored scores), and only their stored `published_scores`: nothing is recomputed from drafts.
 * Expert identities appear only for experts who opted in; everyone else is counted, not named.
 */
import { DEMO_COUNTRY } from '../../core/benchmarking/demo';
import { parseMethodology } from '../../core/benchmarking/methodology-schema';
import { comparePerspectives, type PerspectiveComparison } from '../../core/benchmarking/perspectives';
import { compareEditions, type EditionTrendPoint } from '../../core/benchmarking/trends';
import {
	ASSESSMENT_PERSPECTIVES,
	type AssessmentPerspective,
	type AssessmentScores,
	type Evidence,
	type Methodology,
	type ObjectiveScore,
	type Translatable,
	type Variable
} from '../../core/benchmarking/types';
import { getCountry, isObjectiveNumber } from '../../core/reference';
import { DomainError, validationError } from '../../core/shared/errors';
import { deepFreeze } from '../../core/shared/freeze';
import type { Database } from '../db/client';
import {
	listDeskAnswers,
	listDeskAnswersByAssessment,
	listPublishedAssessmentRows,
	listPublishedExperts,
	readBenchmarkVersion,
	type PublishedFilter
} from '../db/assessment.repository';
import { findMethodologyById } from '../db/methodology.repository';

export interface PublishedAssessment {
	id: string;
	country: string;
	countryName: string;
	edition: number;
	perspective: AssessmentPerspective;
	title: string;
	summary: string;
	methodology: { key: string; version: string; title: Translatable };
	fictional: boolean;
	publishedAt: string;
	scores: AssessmentScores;
	/** How many experts rated, and the names of those who agreed to be named. */
	experts: { count: number; publicNames: string[] };
}

export interface EvidenceVariable {
	key: string;
	question: Translatable;
	answer: { key: string; label: Translatable } | null;
	evidence: Evidence[];
}

export interface CountryBenchmark {
	country: { iso3: string; name: string; fictional: boolean };
	assessments: PublishedAssessment[];
	latestEdition: number | null;
	/** The perspectives of the latest edition side by side (null without published assessments). */
	perspectives: PerspectiveComparison | null;
	/** Editions compared within each perspective. */
	trend: Partial<Record<AssessmentPerspective, EditionTrendPoint[]>>;
	/** The desk evidence of the latest independent assessment (else the latest of another perspective). */
	evidenceSource: { assessmentId: string; edition: number; perspective: AssessmentPerspective } | null;
	evidenceByObjective: { objective: number; variables: EvidenceVariable[] }[];
}

export interface ScoreExportRow {
	country: string;
	country_name: string;
	fictional: boolean;
	edition: number;
	perspective: AssessmentPerspective;
	methodology: string;
	item_type: 'objective' | 'principle';
	item_key: string;
	policy: number | null;
	coverage: number | null;
	implementation_mean: number | null;
	implementation_median: number | null;
	implementation_sd: number | null;
	implementation_n: number;
	gap: number | null;
	score: number | null;
}

export interface EvidenceExportRow {
	country: string;
	fictional: boolean;
	edition: number;
	perspective: AssessmentPerspective;
	methodology: string;
	objective: number;
	variable_key: string;
	question: string;
	answer: string;
	answer_label: string;
	evidence_position: number | null;
	evidence_title: string;
	evidence_type: string;
	issuing_body: string;
	date: string;
	url: string;
	excerpt: string;
}

export interface BenchmarkFilter {
	country?: string;
	edition?: number;
	perspective?: AssessmentPerspective;
}

/** The name of a country, including the fictional demo country that reference data does not have. */
function countryOf(iso3: string): { iso3: string; name: string; fictional: boolean } | null {
	if (iso3 === DEMO_COUNTRY.iso3) return { iso3, name: DEMO_COUNTRY.name.en, fictional: true };
	const c = getCountry(iso3);
	return c ? { iso3, name: c.name, fictional: false } : null;
}

function checkFilter(filter: BenchmarkFilter): PublishedFilter {
	const out: PublishedFilter = {};
	if (filter.country !== undefined) {
		const c = filter.country.toUpperCase();
		if (!countryOf(c)) throw new DomainError('COUNTRY_NOT_FOUND', `No country ${filter.country}`);
		out.country = c;
	}
	if (filter.edition !== undefined) {
		if (!Number.isInteger(filter.edition)) throw validationError([{ field: 'edition', message: 'must be a year' }]);
		out.edition = filter.edition;
	}
	if (filter.perspective !== undefined) {
		if (!ASSESSMENT_PERSPECTIVES.includes(filter.perspective)) {
			throw validationError([
				{ field: 'perspective', message: `must be one of ${ASSESSMENT_PERSPECTIVES.join(', ')}` }
			]);
		}
		out.perspective = filter.perspective;
	}
	return out;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Independent first, then government, then civil society. */
const PERSPECTIVE_ORDER = new Map(ASSESSMENT_PERSPECTIVES.map((p, i) => [p, i]));

/**
 * Assessments per chunk of the evidence export: a chunk's answers and evidence come in two
 * statements, not two per assessment. Small enough that a server's other requests wait little
 * (PGlite runs one statement at a time): with the default methodology (~95 answers and ~110 pieces
 * of evidence per assessment), 50 read in ≤130 ms on PGlite, and 2,232 assessments took no longer
 * in total than in chunks of 200 or 500.
 */
const EVIDENCE_EXPORT_CHUNK = 50;

/** Assessments by country, in the order given. */
function byCountry(all: readonly PublishedAssessment[]): Map<string, PublishedAssessment[]> {
	const out = new Map<string, PublishedAssessment[]>();
	for (const a of all) {
		const list = out.get(a.country);
		if (list) list.push(a);
		else out.set(a.country, [a]);
	}
	return out;
}

/** The headline assessment of a country: the latest edition's independent one, else another perspective of it. */
function headline<T extends { edition: number; perspective: AssessmentPerspective }>(list: readonly T[]): T | null {
	let best: T | null = null;
	for (const a of list) {
		if (
			best === null ||
			a.edition > best.edition ||
			(a.edition === best.edition &&
				(PERSPECTIVE_ORDER.get(a.perspective) ?? 9) < (PERSPECTIVE_ORDER.get(best.perspective) ?? 9))
		) {
			best = a;
		}
	}
	return best;
}

export function createBenchmarkPublicService(database: Database) {
	const { db } = database;
	/**
	 * Published methodologies never change (a trigger refuses UPDATE and DELETE of a published row),
	 * so their parsed form is cached by id and a definition is read only the first time its version
	 * is met (e.g. a version published while the server runs).
	 */
	const methodologies = new Map<string, Methodology>();

	async function methodologyOf(id: string): Promise<Methodology> {
		const cached = methodologies.get(id);
		if (cached) return cached;
		const row = await findMethodologyById(db, id);
		if (!row) throw new Error(`methodology ${id} of a published assessment is missing`);
		const m = parseMethodology(row.definition);
		if (row.status === 'published') methodologies.set(id, m);
		return m;
	}

	async function rowsFor(filter: PublishedFilter = {}): Promise<{ a: PublishedAssessment; m: Methodology }[]> {
		const found = await listPublishedAssessmentRows(db, filter);
		const experts = await listPublishedExperts(
			db,
			found.map((r) => r.id)
		);
		const expertsOf = new Map<string, typeof experts>();
		for (const e of experts) {
			const list = expertsOf.get(e.assessmentId);
			if (list) list.push(e);
			else expertsOf.set(e.assessmentId, [e]);
		}
		const methodologyById = new Map<string, Methodology>();
		for (const r of found) {
			if (!methodologyById.has(r.methodologyId)) {
				methodologyById.set(r.methodologyId, await methodologyOf(r.methodologyId));
			}
		}
		return found.map((r) => {
			const mine = expertsOf.get(r.id) ?? [];
			const m = methodologyById.get(r.methodologyId) as Methodology;
			const a: PublishedAssessment = {
				id: r.id,
				country: r.country,
				countryName: countryOf(r.country)?.name ?? r.country,
				edition: r.edition,
				perspective: r.perspective,
				title: r.title,
				summary: r.summary,
				methodology: { key: r.methodologyKey, version: r.methodologyVersion, title: m.title },
				fictional: r.fictional,
				publishedAt: r.publishedAt.toISOString(),
				scores: r.publishedScores as AssessmentScores,
				experts: {
					count: mine.length,
					publicNames: mine.filter((e) => e.publicOptIn && e.publicName).map((e) => e.publicName as string)
				}
			};
			return { a, m };
		});
	}

	async function published(filter: PublishedFilter = {}): Promise<PublishedAssessment[]> {
		return (await rowsFor(filter)).map((x) => x.a);
	}

	/**
	 * Every published assessment, kept for one benchmark data version. The version is bumped in the
	 * same transaction as every publish and unpublish (by any process sharing the database), so the
	 * pages that show all assessments (/benchmarks, compare, objectives) read one number instead of
	 * every assessment's scores, and never show an unpublished one after its unpublishing committed.
	 * Nothing else it holds changes while an assessment stays published (scores are stored at
	 * publication; experts can change their public name only while the panel is open). The list is
	 * frozen: callers share it.
	 */
	let everything: { version: number; list: readonly PublishedAssessment[] } | null = null;

	async function allPublished(): Promise<readonly PublishedAssessment[]> {
		const version = await readBenchmarkVersion(db);
		if (everything !== null && everything.version === version) return everything.list;
		const list = deepFreeze(await published());
		// Kept only when no publish or unpublish committed while it was read.
		if ((await readBenchmarkVersion(db)) === version) everything = { version, list };
		return list;
	}

	async function evidenceOf(a: PublishedAssessment, m: Methodology) {
		const answers = new Map((await listDeskAnswers(db, a.id)).map((x) => [x.variableKey, x]));
		const labels = new Map(m.answerScale.map((o) => [o.key, o.label]));
		const objectives = [...new Set(m.variables.map((v) => v.objective))].sort((x, y) => x - y);
		return objectives.map((objective) => ({
			objective,
			variables: m.variables
				.filter((v) => v.objective === objective)
				.map((v): EvidenceVariable => {
					const x = answers.get(v.key);
					const answer = x?.answer ?? null;
					return {
						key: v.key,
						question: v.question,
						answer: answer === null ? null : { key: answer, label: labels.get(answer) ?? { en: answer } },
						evidence: x?.evidence ?? []
					};
				})
		}));
	}

	return {
		/** The benchmark data version (bumped on every publish and unpublish), for cache keys. */
		dataVersion(): Promise<number> {
			return readBenchmarkVersion(db);
		},

		/** Published assessments, oldest country/edition first. */
		async listPublishedAssessments(filter: BenchmarkFilter = {}): Promise<PublishedAssessment[]> {
			const checked = checkFilter(filter);
			if (Object.keys(checked).length === 0) return [...(await allPublished())];
			return published(checked);
		},

		/**
		 * One published assessment by id. Drafts, assessments in any other status, unknown ids and
		 * malformed ids are all ASSESSMENT_NOT_FOUND: the public cannot tell them apart.
		 */
		async getPublishedAssessment(id: string): Promise<PublishedAssessment> {
			const found = typeof id === 'string' && UUID_RE.test(id) ? await published({ id: id.toLowerCase() }) : [];
			const a = found[0];
			if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND', `No published assessment ${String(id)}`);
			return a;
		},

		async getCountryBenchmark(iso3: string): Promise<CountryBenchmark> {
			const code = typeof iso3 === 'string' ? iso3.toUpperCase() : '';
			const country = countryOf(code);
			if (!country) throw new DomainError('COUNTRY_NOT_FOUND', `No country ${iso3}`);
			const list = await rowsFor({ country: code });
			if (list.length === 0 && country.fictional) throw new DomainError('COUNTRY_NOT_FOUND', `No country ${iso3}`);
			const assessments = list.map((x) => x.a);
			const latestEdition = assessments.reduce<number | null>(
				(n, a) => (n === null || a.edition > n ? a.edition : n),
				null
			);
			let perspectives: PerspectiveComparison | null = null;
			if (latestEdition !== null) {
				const latest = list.filter((x) => x.a.edition === latestEdition);
				const scores: Partial<Record<AssessmentPerspective, AssessmentScores>> = {};
				for (const x of latest) scores[x.a.perspective] = x.a.scores;
				const lead = headline(latest.map((x) => ({ ...x, edition: x.a.edition, perspective: x.a.perspective })));
				perspectives = comparePerspectives(scores, lead?.m.divergenceThreshold ?? 0);
			}
			const trend: CountryBenchmark['trend'] = {};
			for (const p of ASSESSMENT_PERSPECTIVES) {
				const editions = assessments.filter((a) => a.perspective === p);
				if (editions.length > 0)
					trend[p] = compareEditions(editions.map((a) => ({ edition: a.edition, scores: a.scores })));
			}
			const source = headline(list.map((x) => ({ ...x, edition: x.a.edition, perspective: x.a.perspective })));
			return {
				country,
				assessments,
				latestEdition,
				perspectives,
				trend,
				evidenceSource: source
					? { assessmentId: source.a.id, edition: source.a.edition, perspective: source.a.perspective }
					: null,
				evidenceByObjective: source ? await evidenceOf(source.a, source.m) : []
			};
		},

		/** For one objective: each country's latest published scores, per perspective. */
		async getObjectiveBenchmark(n: number) {
			if (!Number.isInteger(n) || !isObjectiveNumber(n)) {
				throw new DomainError('OBJECTIVE_NOT_FOUND', `No objective ${String(n)}`);
			}
			const countries = byCountry(await allPublished());
			return {
				objective: n,
				countries: [...countries].map(([iso3, list]) => {
					const perspectives: Partial<
						Record<
							AssessmentPerspective,
							{ assessmentId: string; edition: number; methodology: { key: string; version: string } } & Pick<
								ObjectiveScore,
								'score' | 'policy' | 'coverage' | 'implementation' | 'gap' | 'scored'
							>
						>
					> = {};
					for (const p of ASSESSMENT_PERSPECTIVES) {
						const latest = list
							.filter((a) => a.perspective === p)
							.reduce<PublishedAssessment | null>((b, a) => (b === null || a.edition > b.edition ? a : b), null);
						const o = latest?.scores.objectives.find((x) => x.number === n);
						if (!latest || !o) continue;
						perspectives[p] = {
							assessmentId: latest.id,
							edition: latest.edition,
							methodology: { key: latest.methodology.key, version: latest.methodology.version },
							score: o.score,
							policy: o.policy,
							coverage: o.coverage,
							implementation: o.implementation,
							gap: o.gap,
							scored: o.scored
						};
					}
					const c = countryOf(iso3);
					return { country: iso3, name: c?.name ?? iso3, fictional: c?.fictional ?? false, perspectives };
				})
			};
		},

		/** One point per country: the latest edition's independent overall score, else another perspective's. */
		async getWorldOverview() {
			const countries = byCountry(await allPublished());
			return [...countries].map(([iso3, list]) => {
				const h = headline(list) as PublishedAssessment;
				return {
					country: iso3,
					name: h.countryName,
					fictional: h.fictional,
					assessmentId: h.id,
					edition: h.edition,
					perspective: h.perspective,
					overall: h.scores.overall,
					objectivesOverall: h.scores.objectivesOverall,
					principlesOverall: h.scores.principlesOverall
				};
			});
		},

		/** 2–4 countries side by side, each by its headline assessment (null when none is published). */
		async compareCountries(iso3s: readonly string[]) {
			const codes = [...new Set((Array.isArray(iso3s) ? iso3s : []).map((c) => String(c).toUpperCase()))];
			if (codes.length < 2 || codes.length > 4) {
				throw validationError([{ field: 'countries', message: 'choose between 2 and 4 different countries' }]);
			}
			const unknown = codes.filter((c) => !countryOf(c));
			if (unknown.length > 0) {
				throw validationError(unknown.map((c) => ({ field: 'countries', message: `${c} is not a country` })));
			}
			const all = await published({ countries: codes });
			return codes.map((iso3) => {
				const c = countryOf(iso3) as { iso3: string; name: string; fictional: boolean };
				const h = headline(all.filter((a) => a.country === iso3));
				return { country: c, assessment: h };
			});
		},

		/** Open data: one row per published assessment × rated item. The columns are a public contract. */
		async exportScores(filter: BenchmarkFilter = {}): Promise<ScoreExportRow[]> {
			const out: ScoreExportRow[] = [];
			for (const a of await published(checkFilter(filter))) {
				const base = {
					country: a.country,
					country_name: a.countryName,
					fictional: a.fictional,
					edition: a.edition,
					perspective: a.perspective,
					methodology: `${a.methodology.key} ${a.methodology.version}`
				};
				for (const o of a.scores.objectives) {
					out.push({
						...base,
						item_type: 'objective',
						item_key: `O${o.number}`,
						policy: o.policy,
						coverage: o.coverage,
						implementation_mean: o.implementation.mean,
						implementation_median: o.implementation.median,
						implementation_sd: o.implementation.sd,
						implementation_n: o.implementation.n,
						gap: o.gap,
						score: o.score
					});
				}
				for (const p of a.scores.principles) {
					out.push({
						...base,
						item_type: 'principle',
						item_key: p.key,
						policy: null,
						coverage: null,
						implementation_mean: p.expert.mean,
						implementation_median: p.expert.median,
						implementation_sd: p.expert.sd,
						implementation_n: p.expert.n,
						gap: null,
						score: p.score
					});
				}
			}
			return out;
		},

		/** Open data: the desk evidence of published assessments, one row per piece of evidence (or per bare answer). */
		async exportEvidence(filter: BenchmarkFilter = {}): Promise<EvidenceExportRow[]> {
			const out: EvidenceExportRow[] = [];
			const list = await rowsFor(checkFilter(filter));
			/** Per methodology version, not per assessment: its answer labels and variables by key. */
			const lookups = new Map<Methodology, { labels: Map<string, string>; byKey: Map<string, Variable> }>();
			for (let start = 0; start < list.length; start += EVIDENCE_EXPORT_CHUNK) {
				const chunk = list.slice(start, start + EVIDENCE_EXPORT_CHUNK);
				const answersOf = await listDeskAnswersByAssessment(
					db,
					chunk.map((x) => x.a.id)
				);
				for (const { a, m } of chunk) {
					let lookup = lookups.get(m);
					if (!lookup) {
						lookup = {
							labels: new Map(m.answerScale.map((o) => [o.key, o.label.en])),
							byKey: new Map(m.variables.map((v) => [v.key, v]))
						};
						lookups.set(m, lookup);
					}
					const { labels, byKey } = lookup;
					for (const x of answersOf.get(a.id) ?? []) {
						const v = byKey.get(x.variableKey);
						if (!v) continue;
						const base = {
							country: a.country,
							fictional: a.fictional,
							edition: a.edition,
							perspective: a.perspective,
							methodology: `${a.methodology.key} ${a.methodology.version}`,
							objective: v.objective,
							variable_key: v.key,
							question: v.question.en,
							answer: x.answer ?? '',
							answer_label: x.answer === null ? '' : (labels.get(x.answer) ?? x.answer)
						};
						const empty = { evidence_title: '', evidence_type: '', issuing_body: '', date: '', url: '', excerpt: '' };
						if (x.evidence.length === 0) out.push({ ...base, evidence_position: null, ...empty });
						x.evidence.forEach((e, i) =>
							out.push({
								...base,
								evidence_position: i + 1,
								evidence_title: e.title,
								evidence_type: e.type,
								issuing_body: e.issuingBody,
								date: e.date,
								url: e.url,
								excerpt: e.excerpt
							})
						);
					}
				}
			}
			return out;
		}
	};
}

export type BenchmarkPublicService = ReturnType<typeof createBenchmarkPublicService>;
