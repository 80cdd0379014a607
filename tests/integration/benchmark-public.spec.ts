/**
 * The public benchmark read models used by /benchmarks and /api/v1 (issue #5) on a real database:
 * getPublishedAssessment (published only, one 404 for unknown, malformed and unpublished ids) and
 * the public JSON/CSV mapping of the demo data (fictional on every row, no expert identities).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import { buildDemoAssessments } from '../../src/lib/core/benchmarking/demo';
import { DomainError } from '../../src/lib/core/shared/errors';
import {
	benchmarkCsv,
	SCORE_EXPORT_COLUMNS,
	toAssessmentResponse,
	toCountryBenchmarkResponse
} from '../../src/lib/server/api/benchmark-responses';
import { bumpBenchmarkVersion } from '../../src/lib/server/db/assessment.repository';
import type { Database } from '../../src/lib/server/db/client';
import { createServices } from '../../src/lib/server/runtime';
import { seedDemoBenchmark } from '../../src/lib/server/services/assessment.service';
import { openTestDatabase, testEngines } from './harness';

async function notFound(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (err) {
		if (err instanceof DomainError) return err.code;
		throw err;
	}
	return 'resolved';
}

describe.each(testEngines())('public benchmark read models (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
	});
	afterAll(() => database.close());

	it('nothing is published in an empty database', async () => {
		expect(await services.benchmark.listPublishedAssessments()).toEqual([]);
		expect(await services.benchmark.exportScores()).toEqual([]);
		const mex = toCountryBenchmarkResponse(await services.benchmark.getCountryBenchmark('mex'));
		expect(mex).toMatchObject({ assessed: false, headline: null, assessments: [], perspectives: null });
		// The demo country exists only once demo data is loaded.
		expect(await notFound(services.benchmark.getCountryBenchmark('XDM'))).toBe('COUNTRY_NOT_FOUND');
	});

	it('getPublishedAssessment returns a published demo assessment, whatever the id case', async () => {
		const report = await seedDemoBenchmark(database);
		expect(report.created).toBe(6);
		const list = await services.benchmark.listPublishedAssessments({ country: 'XDM', edition: 2026 });
		expect(list.map((a) => a.perspective).sort()).toEqual(['civil_society', 'government', 'independent']);
		const first = list[0]!;
		const got = await services.benchmark.getPublishedAssessment(first.id.toUpperCase());
		expect(got).toEqual(first);
		const body = toAssessmentResponse(got);
		expect(body.fictional).toBe(true);
		expect(body.objectives).toHaveLength(23);
		expect(body.experts.count).toBeGreaterThanOrEqual(3);
		// Only opted-in names, never emails or rater ids.
		const demo = buildDemoAssessments(DEFAULT_METHODOLOGY).find(
			(d) => d.edition === got.edition && d.perspective === got.perspective
		)!;
		expect(body.experts.public_names.sort()).toEqual(
			demo.experts
				.filter((e) => e.publicOptIn)
				.map((e) => e.displayName)
				.sort()
		);
		expect(JSON.stringify(body)).not.toMatch(/@example\.org|"E\d"/);
	});

	it('unknown, malformed and unpublished ids are all ASSESSMENT_NOT_FOUND', async () => {
		const [a] = await services.benchmark.listPublishedAssessments({ country: 'XDM', edition: 2022 });
		for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "' OR 1=1 --", '', '<script>']) {
			expect(await notFound(services.benchmark.getPublishedAssessment(id)), id).toBe('ASSESSMENT_NOT_FOUND');
		}
		// The unfiltered list is kept per benchmark data version: read it now, so the reads below
		// prove an unpublish (which bumps the version in its transaction) is seen at once.
		expect((await services.benchmark.listPublishedAssessments()).map((x) => x.id)).toContain(a!.id);
		expect((await services.benchmark.getWorldOverview()).map((x) => x.country)).toEqual(['XDM']);
		// Back in validation, with the version bumped (as the unpublish transition does): gone from every public read.
		await database.db.transaction(async (tx) => {
			await tx.execute(sql`UPDATE assessment SET status = 'validation' WHERE id = ${a!.id}`);
			await bumpBenchmarkVersion(tx);
		});
		expect(await notFound(services.benchmark.getPublishedAssessment(a!.id))).toBe('ASSESSMENT_NOT_FOUND');
		expect((await services.benchmark.listPublishedAssessments()).map((x) => x.id)).not.toContain(a!.id);
		const rows = await services.benchmark.exportScores({ country: 'XDM', edition: 2022 });
		expect(new Set(rows.map((r) => r.perspective)).has(a!.perspective)).toBe(false);
		await database.db.transaction(async (tx) => {
			await tx.execute(sql`UPDATE assessment SET status = 'published' WHERE id = ${a!.id}`);
			await bumpBenchmarkVersion(tx);
		});
		expect((await services.benchmark.getPublishedAssessment(a!.id)).id).toBe(a!.id);
		expect((await services.benchmark.listPublishedAssessments()).map((x) => x.id)).toContain(a!.id);
		// What callers share cannot be edited by one of them.
		const [shared] = await services.benchmark.listPublishedAssessments();
		expect(Object.isFrozen(shared!.scores)).toBe(true);
	});

	it('every exported score row is fictional and matches the stored scores', async () => {
		const rows = await services.benchmark.exportScores({ country: 'XDM' });
		expect(rows.length).toBe(6 * (23 + DEFAULT_METHODOLOGY.principles.length));
		expect(rows.every((r) => r.fictional === true)).toBe(true);
		let csv = '';
		for await (const chunk of benchmarkCsv(SCORE_EXPORT_COLUMNS, rows)) csv += chunk;
		expect(csv.trimEnd().split('\r\n')).toHaveLength(rows.length + 1);
		const [independent] = await services.benchmark.listPublishedAssessments({
			country: 'XDM',
			edition: 2026,
			perspective: 'independent'
		});
		const o7 = rows.find((r) => r.edition === 2026 && r.perspective === 'independent' && r.item_key === 'O7')!;
		expect(o7.score).toBe(independent!.scores.objectives.find((o) => o.number === 7)!.score);
	});
});
