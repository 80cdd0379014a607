/**
 * The public benchmark read models and `gcm seed --demo` on a real database (issue #5): the demo
 * loads only the fictional country XDM, published and labelled fictional, idempotently; public
 * read models show published assessments only, never a draft; expert names only with opt-in.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoAssessments, DEMO_COUNTRY } from '../../src/lib/core/benchmarking/demo';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import { DomainError } from '../../src/lib/core/shared/errors';
import { readBenchmarkVersion } from '../../src/lib/server/db/assessment.repository';
import type { Database } from '../../src/lib/server/db/client';
import { createServices } from '../../src/lib/server/runtime';
import type { RequestContext } from '../../src/lib/server/services/account.service';
import { seedDemoBenchmark } from '../../src/lib/server/services/assessment.service';
import { SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { evidenceInput, HOSTILE } from './builders';
import { openTestDatabase, tableCounts, testEngines } from './harness';

const CLI: RequestContext = { channel: 'cli', requestId: null };

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
}

const demos = buildDemoAssessments(DEFAULT_METHODOLOGY);

describe.each(testEngines())('public benchmark and demo seed (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
	});
	afterAll(() => database.close());

	it('loads the demo for XDM only, published and fictional, and a second run changes nothing', async () => {
		const first = await seedDemoBenchmark(database);
		expect(first.created).toBe(demos.length);
		expect(first.skipped).toBe(0);
		const counts = await tableCounts(database);
		const version = await readBenchmarkVersion(database.db);

		const second = await seedDemoBenchmark(database);
		expect(second).toEqual({ created: 0, skipped: demos.length, experts: 0 });
		expect(await tableCounts(database)).toEqual(counts);
		expect(await readBenchmarkVersion(database.db)).toBe(version);

		const rows = (await database.db.execute(
			sql`SELECT DISTINCT country, status, fictional FROM assessment`
		)) as unknown as { rows: { country: string; status: string; fictional: boolean }[] };
		expect(rows.rows).toEqual([{ country: DEMO_COUNTRY.iso3, status: 'published', fictional: true }]);
		const experts = (await database.db.execute(
			sql`SELECT DISTINCT u.email, u.role, u.password_hash FROM app_user u JOIN assessment_member m ON m.user_id = u.id`
		)) as unknown as { rows: { email: string; role: string; password_hash: string | null }[] };
		expect(experts.rows.length).toBeGreaterThan(0);
		for (const e of experts.rows) {
			expect(e.email).toMatch(/@example\.org$/);
			expect(e.role).toBe('expert');
			expect(e.password_hash).toBeNull();
		}
	});

	it('shows the demo country with its stored scores, trend, perspectives, evidence and only opted-in names', async () => {
		const country = await services.benchmark.getCountryBenchmark('xdm');
		expect(country.country).toEqual({ iso3: 'XDM', name: DEMO_COUNTRY.name.en, fictional: true });
		expect(country.assessments).toHaveLength(demos.length);
		expect(country.assessments.every((a) => a.fictional)).toBe(true);
		const latest = Math.max(...demos.map((d) => d.edition));
		expect(country.latestEdition).toBe(latest);
		expect(country.perspectives?.perspectives.length).toBe(demos.filter((d) => d.edition === latest).length);
		for (const d of demos) {
			const a = country.assessments.find((x) => x.edition === d.edition && x.perspective === d.perspective);
			expect(a, `${d.edition} ${d.perspective}`).toBeDefined();
			expect(a!.experts.count).toBe(d.experts.length);
			expect(a!.experts.publicNames.sort()).toEqual(
				d.experts
					.filter((e) => e.publicOptIn)
					.map((e) => e.displayName)
					.sort()
			);
		}
		const json = JSON.stringify(country);
		for (const d of demos) {
			for (const e of d.experts.filter((x) => !x.publicOptIn)) {
				if (!demos.some((o) => o.experts.some((x) => x.displayName === e.displayName && x.publicOptIn))) {
					expect(json).not.toContain(e.displayName);
				}
			}
		}
		for (const p of Object.keys(country.trend)) {
			expect(country.trend[p as keyof typeof country.trend]!.length).toBe(
				demos.filter((d) => d.perspective === p).length
			);
		}
		expect(country.evidenceSource?.edition).toBe(latest);
		expect(country.evidenceByObjective.length).toBeGreaterThan(0);

		const world = await services.benchmark.getWorldOverview();
		expect(world.map((w) => w.country)).toEqual(['XDM']);
		const head = country.assessments.find((a) => a.id === world[0]!.assessmentId)!;
		expect(world[0]!.overall).toBe(head.scores.overall);

		const scores = await services.benchmark.exportScores({ country: 'XDM' });
		expect(scores).toHaveLength(demos.length * (23 + 10));
		expect(scores.every((r) => r.fictional && r.country === 'XDM')).toBe(true);
		const evidence = await services.benchmark.exportEvidence({ country: 'XDM', edition: latest });
		expect(evidence.length).toBeGreaterThan(0);
	});

	it('never shows a draft: an unpublished assessment with answers is invisible everywhere', async () => {
		const draft = await services.assessments.create(CLI, SYSTEM_CLI, {
			country: 'CHL',
			edition: 2026,
			perspective: 'civil_society',
			title: `Draft ${HOSTILE.script}`
		});
		await services.assessments.startDeskResearch(CLI, SYSTEM_CLI, draft.id, 1);
		await services.assessments.saveDeskAnswer(CLI, SYSTEM_CLI, draft.id, {
			variableKey: DEFAULT_METHODOLOGY.variables[0]!.key,
			answer: 'full',
			note: 'draft note',
			evidence: [evidenceInput({ title: 'Draft-only evidence' })],
			expectedVersion: 0
		});
		const chile = await services.benchmark.getCountryBenchmark('CHL');
		expect(chile.assessments).toEqual([]);
		expect(chile.latestEdition).toBeNull();
		expect(chile.evidenceByObjective).toEqual([]);
		expect((await services.benchmark.listPublishedAssessments()).map((a) => a.id)).not.toContain(draft.id);
		expect(await services.benchmark.exportScores({ country: 'CHL' })).toEqual([]);
		expect(JSON.stringify(await services.benchmark.exportEvidence())).not.toContain('Draft-only evidence');
		expect((await services.benchmark.getObjectiveBenchmark(1)).countries.map((c) => c.country)).toEqual(['XDM']);
	});

	it('compares 2–4 countries and refuses anything else', async () => {
		const cmp = await services.benchmark.compareCountries(['XDM', 'chl']);
		expect(cmp.map((c) => [c.country.iso3, c.assessment === null])).toEqual([
			['XDM', false],
			['CHL', true]
		]);
		await expectCode(services.benchmark.compareCountries(['XDM']), 'VALIDATION_FAILED');
		await expectCode(services.benchmark.compareCountries(['XDM', 'CHL', 'KEN', 'UGA', 'PER']), 'VALIDATION_FAILED');
		await expectCode(services.benchmark.compareCountries(['XDM', 'ZZZ']), 'VALIDATION_FAILED');
		await expectCode(services.benchmark.getCountryBenchmark('ZZZ'), 'COUNTRY_NOT_FOUND');
		await expectCode(services.benchmark.getCountryBenchmark('<script>'), 'COUNTRY_NOT_FOUND');
		await expectCode(services.benchmark.getObjectiveBenchmark(24), 'OBJECTIVE_NOT_FOUND');
		await expectCode(services.benchmark.listPublishedAssessments({ country: 'ZZZ' }), 'COUNTRY_NOT_FOUND');
	});
});
