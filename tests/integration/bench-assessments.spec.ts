/**
 * The benchmark's synthetic assessments (bench/lib/assessments.ts, scenario 9 of issue #4) must be
 * what the app itself would have published: readable through the public benchmark service, with
 * stored scores equal to a recomputation from the stored answers and submitted ratings, and the
 * shape the issue asks for (every given country × editions × three perspectives × 5 experts).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSESSMENT_PERSPECTIVES } from '../../src/lib/core/benchmarking/types';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import type { Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import { createServices } from '../../src/lib/server/runtime';
import { verifyPublishedScores } from '../../src/lib/server/services/assessment.service';
import { BENCH_EDITIONS, EXPERTS_PER_PANEL, generateAssessment, loadAssessments } from '../../bench/lib/assessments';
import { DEFAULT_SEED } from '../../bench/lib/generate';
import { openTestDatabase, testEngines } from './harness';

const COUNTRIES = ['KEN', 'CHL', 'PHL'];

describe('generateAssessment', () => {
	it('is deterministic and independent of which other countries are generated', () => {
		const a = generateAssessment(DEFAULT_METHODOLOGY, DEFAULT_SEED, 'CHL', 2022, 'government');
		const b = generateAssessment(DEFAULT_METHODOLOGY, DEFAULT_SEED, 'CHL', 2022, 'government');
		expect(b).toEqual(a);
		const other = generateAssessment(DEFAULT_METHODOLOGY, DEFAULT_SEED + 1, 'CHL', 2022, 'government');
		expect(other.answers.map((x) => x.answer)).not.toEqual(a.answers.map((x) => x.answer));
	});

	it('answers every variable and has every expert rate every scored item', () => {
		const m = DEFAULT_METHODOLOGY;
		const a = generateAssessment(m, DEFAULT_SEED, 'KEN', 2026, 'civil_society');
		expect(a.answers.map((x) => x.variableKey).sort()).toEqual(m.variables.map((v) => v.key).sort());
		const options = new Set(m.answerScale.map((o) => o.key));
		expect(a.answers.every((x) => x.answer !== null && options.has(x.answer))).toBe(true);
		const items = m.objectives.filter((o) => o.scored).length + m.principles.filter((p) => p.scored).length;
		expect(a.panel).toHaveLength(EXPERTS_PER_PANEL);
		expect(new Set(a.panel.map((p) => p.poolIndex)).size).toBe(EXPERTS_PER_PANEL);
		expect(a.ratings).toHaveLength(items * EXPERTS_PER_PANEL);
		const values = new Set(m.ratingScale.map((o) => o.value));
		expect(a.ratings.every((x) => x.value === null || values.has(x.value))).toBe(true);
	});
});

describe.each(testEngines())('loadAssessments (%s)', (engine) => {
	let database: Database;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		await loadAssessments(database, { seed: DEFAULT_SEED, countries: COUNTRIES, chunk: 7 });
	});
	afterAll(() => database.close());

	it('loads every country × edition × perspective, published, with 5 submitted experts each', async () => {
		const [counts] = await rows<{ assessments: number; experts: number; unsubmitted: number; fictional: number }>(
			database.db,
			sql`SELECT
			  (SELECT count(*) FROM assessment WHERE status = 'published' AND published_scores IS NOT NULL)::int AS assessments,
			  (SELECT count(*) FROM assessment_member WHERE role = 'expert')::int AS experts,
			  (SELECT count(*) FROM assessment_member WHERE submitted_at IS NULL)::int AS unsubmitted,
			  (SELECT count(*) FROM assessment WHERE fictional)::int AS fictional`
		);
		const expected = COUNTRIES.length * BENCH_EDITIONS.length * ASSESSMENT_PERSPECTIVES.length;
		expect(counts).toEqual({
			assessments: expected,
			experts: expected * EXPERTS_PER_PANEL,
			unsubmitted: 0,
			fictional: expected
		});
	});

	it('stores the scores a recomputation from the stored answers and ratings gives', async () => {
		const report = await verifyPublishedScores(database);
		expect(report.checked).toBe(COUNTRIES.length * BENCH_EDITIONS.length * ASSESSMENT_PERSPECTIVES.length);
		expect(report.mismatches).toEqual([]);
		expect(report.matching).toBe(report.checked);
	});

	it('is read by the public benchmark service like published assessments', async () => {
		const services = createServices(database);
		const chile = await services.benchmark.getCountryBenchmark('CHL');
		expect(chile.assessments).toHaveLength(BENCH_EDITIONS.length * ASSESSMENT_PERSPECTIVES.length);
		expect(new Set(chile.assessments.map((a) => a.edition))).toEqual(new Set(BENCH_EDITIONS));
		expect(chile.assessments.every((a) => a.fictional && a.experts.count === EXPERTS_PER_PANEL)).toBe(true);
		const world = await services.benchmark.getWorldOverview();
		expect(world.map((w) => w.country).sort()).toEqual([...COUNTRIES].sort());
		// The headline is the latest edition's independent assessment.
		expect(world.every((w) => w.edition === BENCH_EDITIONS.at(-1) && w.perspective === 'independent')).toBe(true);
	});
});
