/**
 * Synthetic benchmark assessments for scenario 9 (issue #4): every country × BENCH_EDITIONS × the
 * three perspectives, each with a full desk-research phase (every variable of the methodology
 * answered, evidence behind most answers, some second checks) and a closed panel of
 * EXPERTS_PER_PANEL experts who all submitted, published with the scores `computeScores` gives.
 *
 * Deterministic: assessment (country, edition, perspective) depends only on (seed, those three), so
 * a subset of countries yields the same assessments as the full set. The data is labelled
 * `fictional` (synthetic scores about real countries must never read as real ones), its experts
 * are `bench-expert-N@example.org` accounts without a password. Used by bench/run.ts and by
 * tests/integration/bench-assessments.spec.ts; never by the app.
 */
import { sql } from 'drizzle-orm';
import { COUNTRIES } from '../../src/lib/core/reference/countries.data';
import { hash } from '../../src/lib/core/benchmarking/demo';
import { computeScores } from '../../src/lib/core/benchmarking/scoring';
import {
	ASSESSMENT_PERSPECTIVES,
	EVIDENCE_TYPES,
	type AssessmentPerspective,
	type DeskAnswer,
	type Evidence,
	type ExpertRating,
	type ItemKey,
	type Methodology
} from '../../src/lib/core/benchmarking/types';
import type { Database } from '../../src/lib/server/db/client';
import { findMethodology } from '../../src/lib/server/db/methodology.repository';
import { ensureDefaultMethodology, toMethodologyVersion } from '../../src/lib/server/services/methodology.service';
import { rng, uuidFor } from './generate';

/** A baseline after adoption, then the first two IMRF years. */
export const BENCH_EDITIONS = [2019, 2022, 2026] as const;
export const EXPERTS_PER_PANEL = 5;
/** Each country has a pool of experts; a panel takes EXPERTS_PER_PANEL of them. */
const EXPERT_POOL_PER_COUNTRY = 8;

/** Every real country (the reference list), in reference order. */
export const BENCH_ASSESSMENT_COUNTRIES: readonly string[] = COUNTRIES.map((c) => c.iso3);

export interface GeneratedAssessment {
	country: string;
	edition: number;
	perspective: AssessmentPerspective;
	title: string;
	summary: string;
	answers: DeskAnswer[];
	ratings: ExpertRating[];
	/** Rater label → index of the expert in the country's pool. */
	panel: { rater: string; poolIndex: number; publicOptIn: boolean }[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const BIAS: Record<AssessmentPerspective, number> = { independent: 0, government: 0.15, civil_society: -0.1 };
const LABEL: Record<AssessmentPerspective, string> = {
	independent: 'independent assessment',
	government: 'government self-assessment',
	civil_society: 'civil-society shadow review'
};

/** The country's latent level of an item (0–1) in an edition: a base, improving over the editions. */
function latent(seed: number, country: string, item: string, edition: number): number {
	const r = rng(hash(`${seed}|${country}|${item}`));
	const base = 0.1 + 0.7 * r();
	const gainPerYear = 0.005 + 0.02 * r();
	return clamp01(base + gainPerYear * (edition - BENCH_EDITIONS[0]));
}

function evidenceFor(r: () => number, country: string, variableKey: string, edition: number, n: number): Evidence[] {
	const out: Evidence[] = [];
	for (let i = 0; i < n; i++) {
		const type = EVIDENCE_TYPES[Math.floor(r() * EVIDENCE_TYPES.length)]!;
		const year = edition - 1 - Math.floor(r() * 5);
		out.push({
			title: `Synthetic ${type} ${variableKey.toLowerCase()} ${year}/${1 + Math.floor(r() * 90)} (benchmark data)`,
			type,
			issuingBody: `Synthetic issuing body ${1 + Math.floor(r() * 12)} of ${country}`,
			date: i === 0 ? `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}` : String(year),
			url: `https://example.org/bench/${country.toLowerCase()}/${edition}/${variableKey.toLowerCase()}/${i + 1}`,
			excerpt: 'Synthetic excerpt generated for the performance benchmark; not a real document.'
		});
	}
	return out;
}

/** One assessment, against the given methodology. Pure and deterministic. */
export function generateAssessment(
	m: Methodology,
	seed: number,
	country: string,
	edition: number,
	perspective: AssessmentPerspective
): GeneratedAssessment {
	const scored = m.answerScale
		.filter((o) => o.kind === 'scored' && o.value !== null)
		.sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
	const unknown = m.answerScale.find((o) => o.kind === 'unknown');
	const notApplicable = m.answerScale.find((o) => o.kind === 'not_applicable');
	const rating = [...m.ratingScale].sort((a, b) => a.value - b.value);
	if (scored.length === 0 || rating.length === 0) throw new Error('the methodology needs scored answers and ratings');
	const r = rng(hash(`${seed}|${country}|${edition}|${perspective}`));
	const bias = BIAS[perspective];

	const answers: DeskAnswer[] = m.variables.map((v) => {
		const x = r();
		// The same ~3 % of variables are not applicable in a country, whatever the edition.
		if (notApplicable && rng(hash(`${seed}|${country}|na|${v.key}`))() < 0.03) {
			return { variableKey: v.key, answer: notApplicable.key, note: 'Not applicable (synthetic).', evidence: [] };
		}
		if (unknown && x < 0.03) {
			return { variableKey: v.key, answer: unknown.key, note: 'No source found (synthetic).', evidence: [] };
		}
		const level = latent(seed, country, `O${v.objective}`, edition) + bias + (r() - 0.5) * 0.5;
		const option = scored[Math.round(clamp01(level) * (scored.length - 1))]!;
		const lowest = option === scored[0];
		const c = r();
		return {
			variableKey: v.key,
			answer: option.key,
			note: lowest
				? 'No law, policy or programme found (synthetic).'
				: `Answered from the cited documents (synthetic).`,
			evidence: lowest ? [] : evidenceFor(r, country, v.key, edition, 1 + Math.floor(r() * 2)),
			check:
				c < 0.02
					? { status: 'disputed', note: 'A second researcher reads it differently (synthetic).' }
					: c < 0.27
						? { status: 'agreed', note: '' }
						: null
		};
	});

	const offset = Math.floor(r() * EXPERT_POOL_PER_COUNTRY);
	const panel = Array.from({ length: EXPERTS_PER_PANEL }, (_, i) => ({
		rater: `E${i + 1}`,
		poolIndex: (offset + i) % EXPERT_POOL_PER_COUNTRY,
		publicOptIn: r() < 0.4
	}));
	const leniency = panel.map(() => (r() - 0.5) * 0.2);
	const items = [
		...m.objectives.filter((o) => o.scored).map((o) => ({ itemType: 'objective' as const, itemKey: `O${o.number}` })),
		...m.principles.filter((p) => p.scored).map((p) => ({ itemType: 'principle' as const, itemKey: p.key }))
	];
	const ratings: ExpertRating[] = [];
	for (const item of items) {
		const truth = latent(seed, country, item.itemKey, edition) - (item.itemType === 'objective' ? 0.1 : 0);
		panel.forEach((expert, i) => {
			const cannotRate = r() < 0.03;
			const level = truth + bias + leniency[i]! + (r() - 0.5) * 0.3;
			ratings.push({
				rater: expert.rater,
				itemType: item.itemType,
				itemKey: item.itemKey as ItemKey,
				value: cannotRate ? null : rating[Math.round(clamp01(level) * (rating.length - 1))]!.value,
				comment: r() < 0.08 ? 'Practice lags the law in some regions (synthetic).' : ''
			});
		});
	}
	return {
		country,
		edition,
		perspective,
		title: `${country}: ${LABEL[perspective]} ${edition} (synthetic benchmark data)`,
		summary: `Synthetic data for the performance benchmark, generated for methodology ${m.key} ${m.version}. Not a real assessment.`,
		answers,
		ratings,
		panel
	};
}

export interface AssessmentLoadReport {
	assessments: number;
	experts: number;
	answers: number;
	evidence: number;
	ratings: number;
	generateMs: number;
	loadMs: number;
}

type Executor = Pick<Database['db'], 'execute'>;

async function insertRecords(tx: Executor, table: string, types: string, records: unknown[]): Promise<void> {
	if (records.length === 0) return;
	const columns = types
		.split(',')
		.map((c) => c.trim().split(/\s+/)[0])
		.join(', ');
	await tx.execute(
		sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns)}) SELECT ${sql.raw(columns)} FROM json_to_recordset(${JSON.stringify(records)}::json) AS r(${sql.raw(types)})`
	);
}

/**
 * Loads published assessments for `countries` × BENCH_EDITIONS × every perspective in one
 * transaction (the default methodology is inserted first if missing), then VACUUM ANALYZE of the
 * assessment tables. Expects none of these assessments to exist yet.
 */
export async function loadAssessments(
	database: Database,
	opts: { seed: number; countries?: readonly string[]; chunk?: number; log?: (m: string) => void }
): Promise<AssessmentLoadReport> {
	const countries = opts.countries ?? BENCH_ASSESSMENT_COUNTRIES;
	const chunk = opts.chunk ?? 40;
	const ensured = await ensureDefaultMethodology(database);
	const row = await findMethodology(database.db, ensured.key, ensured.version);
	if (!row) throw new Error('the default methodology is missing after ensureDefaultMethodology');
	const m = toMethodologyVersion(row).definition;
	const report: AssessmentLoadReport = {
		assessments: 0,
		experts: 0,
		answers: 0,
		evidence: 0,
		ratings: 0,
		generateMs: 0,
		loadMs: 0
	};
	const keys = countries.flatMap((country) =>
		BENCH_EDITIONS.flatMap((edition) =>
			ASSESSMENT_PERSPECTIVES.map((perspective) => ({ country, edition, perspective }))
		)
	);
	const started = performance.now();
	await database.db.transaction(async (tx) => {
		const users: unknown[] = [];
		countries.forEach((country, c) => {
			for (let k = 0; k < EXPERT_POOL_PER_COUNTRY; k++) {
				const n = c * EXPERT_POOL_PER_COUNTRY + k;
				users.push({
					id: uuidFor(opts.seed, n, 90),
					email: `bench-expert-${country.toLowerCase()}-${k + 1}@example.org`,
					display_name: `Synthetic expert ${k + 1} for ${country}`,
					role: 'expert'
				});
			}
		});
		for (let i = 0; i < users.length; i += 1000) {
			await insertRecords(
				tx,
				'app_user',
				'id uuid, email text, display_name text, role text',
				users.slice(i, i + 1000)
			);
		}
		report.experts = users.length;
		const countryIndex = new Map(countries.map((c, i) => [c, i]));
		for (let start = 0; start < keys.length; start += chunk) {
			const g0 = performance.now();
			const assessments: unknown[] = [];
			const members: unknown[] = [];
			const answers: unknown[] = [];
			const evidence: unknown[] = [];
			const ratings: unknown[] = [];
			for (const [k, key] of keys.slice(start, start + chunk).entries()) {
				const a = generateAssessment(m, opts.seed, key.country, key.edition, key.perspective);
				const id = uuidFor(opts.seed, start + k, 91);
				const scores = computeScores(m, { answers: a.answers, ratings: a.ratings });
				assessments.push({
					id,
					country: a.country,
					edition: a.edition,
					perspective: a.perspective,
					methodology_id: row.id,
					status: 'published',
					title: a.title,
					summary: a.summary,
					fictional: true,
					panel_closed_at: '2026-01-01T00:00:00Z',
					published_at: '2026-01-01T00:00:00Z',
					published_scores: scores
				});
				const userOf = new Map<string, string>();
				for (const p of a.panel) {
					const userId = uuidFor(opts.seed, countryIndex.get(a.country)! * EXPERT_POOL_PER_COUNTRY + p.poolIndex, 90);
					userOf.set(p.rater, userId);
					members.push({
						assessment_id: id,
						user_id: userId,
						role: 'expert',
						rater_label: p.rater,
						coi_declaration: 'None declared (synthetic).',
						coi_declared_at: '2025-12-01T00:00:00Z',
						public_opt_in: p.publicOptIn,
						public_name: p.publicOptIn ? `Synthetic expert ${p.poolIndex + 1} for ${a.country}` : null,
						submitted_at: '2025-12-15T00:00:00Z'
					});
				}
				for (const x of a.answers) {
					answers.push({
						assessment_id: id,
						variable_key: x.variableKey,
						answer: x.answer,
						note: x.note,
						check_status: x.check?.status ?? null,
						check_note: x.check ? x.check.note : null
					});
					x.evidence.forEach((e, position) =>
						evidence.push({
							id: uuidFor(opts.seed, report.evidence + evidence.length, 92),
							assessment_id: id,
							variable_key: x.variableKey,
							position,
							title: e.title,
							type: e.type,
							issuing_body: e.issuingBody,
							date: e.date,
							url: e.url,
							excerpt: e.excerpt
						})
					);
				}
				for (const x of a.ratings) {
					ratings.push({
						assessment_id: id,
						user_id: userOf.get(x.rater),
						item_type: x.itemType,
						item_key: x.itemKey,
						value: x.value,
						comment: x.comment
					});
				}
			}
			report.generateMs += performance.now() - g0;
			await insertRecords(
				tx,
				'assessment',
				`id uuid, country text, edition smallint, perspective text, methodology_id uuid, status text, title text,
				 summary text, fictional boolean, panel_closed_at timestamptz, published_at timestamptz, published_scores jsonb`,
				assessments
			);
			await insertRecords(
				tx,
				'assessment_member',
				`assessment_id uuid, user_id uuid, role text, rater_label text, coi_declaration text,
				 coi_declared_at timestamptz, public_opt_in boolean, public_name text, submitted_at timestamptz`,
				members
			);
			await insertRecords(
				tx,
				'desk_answer',
				'assessment_id uuid, variable_key text, answer text, note text, check_status text, check_note text',
				answers
			);
			await insertRecords(
				tx,
				'evidence',
				`id uuid, assessment_id uuid, variable_key text, position smallint, title text, type text,
				 issuing_body text, date text, url text, excerpt text`,
				evidence
			);
			await insertRecords(
				tx,
				'expert_rating',
				'assessment_id uuid, user_id uuid, item_type text, item_key text, value smallint, comment text',
				ratings
			);
			report.assessments += assessments.length;
			report.answers += answers.length;
			report.evidence += evidence.length;
			report.ratings += ratings.length;
			if (opts.log && (start / chunk) % 20 === 19)
				opts.log(`  assessments loaded ${report.assessments} / ${keys.length}`);
		}
		// As every publication does: public benchmark pages keyed by this version go stale.
		await tx.execute(
			sql`INSERT INTO data_version (scope, version) VALUES ('benchmark', 1)
			    ON CONFLICT (scope) DO UPDATE SET version = data_version.version + 1`
		);
	});
	for (const t of ['app_user', 'assessment', 'assessment_member', 'desk_answer', 'evidence', 'expert_rating']) {
		await database.db.execute(sql.raw(`VACUUM ANALYZE ${t}`));
	}
	report.loadMs = performance.now() - started - report.generateMs;
	return report;
}
