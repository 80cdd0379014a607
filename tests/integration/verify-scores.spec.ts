/**
 * Recomputing the stored scores of every published assessment (verifyPublishedScores, and the
 * `gcm benchmark verify-scores` command over it): the demo and a freshly published assessment
 * match; a tampered stored score is reported at its path, for that assessment only; drafts are not
 * checked; an expert who did not submit does not count, exactly as at publication.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { replaceUserScopes } from '../../src/lib/server/db/organisation.repository';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import {
	seedDemoBenchmark,
	verifyPublishedScores,
	type ScoreCheckReport
} from '../../src/lib/server/services/assessment.service';
import { SYSTEM_CLI, type Viewer } from '../../src/lib/server/services/viewer';
import { evidenceInput, HOSTILE, miniMethodology } from './builders';
import { MIGRATIONS_DIR, openTestDatabase, runGcm, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-verify' };
const CLI: RequestContext = { channel: 'cli', requestId: null };

async function rowsOf<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
	return ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Adds 1 to one stored number (inside published_scores) of one assessment; returns the restore. */
async function tamper(database: Database, id: string, path: string[]): Promise<() => Promise<void>> {
	const [before] = await rowsOf<{ s: string }>(
		database,
		sql`SELECT published_scores::text AS s FROM assessment WHERE id = ${id}::uuid`
	);
	const p = `{${path.join(',')}}`;
	await database.db.execute(
		sql`UPDATE assessment
		    SET published_scores = jsonb_set(published_scores, ${p}::text[],
		        to_jsonb(coalesce((published_scores #>> ${p}::text[])::numeric, 0) + 1))
		    WHERE id = ${id}::uuid`
	);
	return async () => {
		await database.db.execute(sql`UPDATE assessment SET published_scores = ${before!.s}::jsonb WHERE id = ${id}::uuid`);
	};
}

describe.each(testEngines())('verifyPublishedScores (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let demoIds: string[];

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
	});
	afterAll(() => database.close());

	it('checks nothing in an empty database', async () => {
		expect(await verifyPublishedScores(database)).toEqual({ checked: 0, matching: 0, mismatches: [] });
	});

	it('the demo benchmark matches its stored scores, and the check writes nothing', async () => {
		expect((await seedDemoBenchmark(database)).created).toBe(6);
		demoIds = (
			await rowsOf<{ id: string }>(
				database,
				sql`SELECT id FROM assessment WHERE country = 'XDM' AND status = 'published' ORDER BY edition, perspective`
			)
		).map((r) => r.id);
		expect(demoIds).toHaveLength(6);
		const snapshot = sql`SELECT id, version, updated_at, published_scores::text AS s FROM assessment ORDER BY id`;
		const before = await rowsOf(database, snapshot);
		const report = await verifyPublishedScores(database);
		expect(report).toEqual({ checked: 6, matching: 6, mismatches: [] });
		expect(await rowsOf(database, snapshot)).toEqual(before);
	});

	it('reads page after page without skipping or repeating an assessment', async () => {
		const restore = await tamper(database, demoIds[4]!, ['overall']);
		const whole = await verifyPublishedScores(database);
		expect(whole.mismatches.map((m) => m.id)).toEqual([demoIds[4]]);
		// Pages of 1, 2 (the last one full, then an empty one), 4 (a short last page) and 5.
		for (const pageSize of [1, 2, 4, 5]) {
			const paged = await verifyPublishedScores(database, { pageSize });
			expect(paged, `pages of ${pageSize}`).toEqual(whole);
		}
		await restore();
	});

	it('the stored second checks are part of the input: the demo’s disputed answer is flagged from the data', async () => {
		const [disputed] = await rowsOf<{ id: string; variable_key: string }>(
			database,
			sql`SELECT assessment_id AS id, variable_key FROM desk_answer
			    WHERE assessment_id = ${demoIds[0]}::uuid AND check_status = 'disputed'`
		);
		expect(disputed).toBeDefined();
		await database.db.execute(
			sql`UPDATE desk_answer SET check_status = 'agreed' WHERE assessment_id = ${disputed!.id}::uuid AND variable_key = ${disputed!.variable_key}`
		);
		const report = await verifyPublishedScores(database);
		expect(report.mismatches.map((m) => m.id)).toEqual([disputed!.id]);
		expect(report.mismatches[0]!.differences.every((d) => d.startsWith('flags'))).toBe(true);
		await database.db.execute(
			sql`UPDATE desk_answer SET check_status = 'disputed' WHERE assessment_id = ${disputed!.id}::uuid AND variable_key = ${disputed!.variable_key}`
		);
		expect((await verifyPublishedScores(database)).matching).toBe(6);
	});

	it('a tampered stored score is reported for that assessment only, at its path', async () => {
		const id = demoIds[3]!;
		const [key] = await rowsOf<{ country: string; edition: number; perspective: string; m: string }>(
			database,
			sql`SELECT a.country, a.edition, a.perspective, m.key || '@' || m.version AS m
			    FROM assessment a JOIN methodology m ON m.id = a.methodology_id WHERE a.id = ${id}::uuid`
		);
		const restore = await tamper(database, id, ['objectives', '3', 'score']);
		const report = await verifyPublishedScores(database);
		expect(report).toEqual<ScoreCheckReport>({
			checked: 6,
			matching: 5,
			mismatches: [
				{
					id,
					country: key!.country,
					edition: Number(key!.edition),
					perspective: key!.perspective as 'independent',
					methodology: key!.m,
					differences: ['objectives[3].score'],
					differenceCount: 1
				}
			]
		});
		// Several differences: the first few paths, and how many in all.
		const restoreMore = await tamper(database, id, ['overall']);
		await tamper(database, id, ['principles', '0', 'expert', 'mean']);
		const [more] = (await verifyPublishedScores(database)).mismatches;
		expect(more!.differences.sort()).toEqual(['objectives[3].score', 'overall', 'principles[0].expert.mean'].sort());
		expect(more!.differenceCount).toBe(3);
		await restoreMore();
		await restore();
		// A missing field and an extra one are differences too; key order is not (jsonb does not keep it).
		await database.db.execute(
			sql`UPDATE assessment SET published_scores = (published_scores - 'alpha') || '{"extra": 1}'::jsonb WHERE id = ${id}::uuid`
		);
		expect((await verifyPublishedScores(database)).mismatches[0]!.differences.sort()).toEqual(['alpha', 'extra']);
		await restore();
		expect(await verifyPublishedScores(database)).toEqual({ checked: 6, matching: 6, mismatches: [] });
	});

	describe('an assessment published through the workflow', () => {
		let id: string;
		let lateExpert: string;
		let coordinator: Viewer;

		beforeAll(async () => {
			await services.methodologies.createDraft(CLI, SYSTEM_CLI, miniMethodology());
			await services.methodologies.publish(CLI, SYSTEM_CLI, 'it-mini', '1.0');
			const account = async (role: string, email: string, countries: string[] = []): Promise<Viewer> => {
				const { user } = await services.accounts.createUser(CLI, CLI_ACTOR, {
					email,
					role,
					displayName: `${role} ${HOSTILE.arabic}`
				});
				await replaceUserScopes(database.db, user.id, countries);
				return services.workflow.viewerFor(user, 'web');
			};
			coordinator = await account('coordinator', 'verify-coordinator@example.org', ['KEN']);
			const researcher = await account('contributor', 'verify-researcher@example.org');
			let a = await services.assessments.create(WEB, coordinator, {
				country: 'KEN',
				edition: 2030,
				perspective: 'government',
				title: `Kenya ${HOSTILE.script}`,
				summary: HOSTILE.cjk,
				methodology: { key: 'it-mini', version: '1.0' }
			});
			id = a.id;
			a = await services.assessments.startDeskResearch(WEB, coordinator, id, a.version);
			await services.assessments.addResearcher(WEB, coordinator, id, 'verify-researcher@example.org');
			for (const [variableKey, answer] of [
				['O1.1', 'full'],
				['O1.2', 'partial'],
				['O2.1', 'absent']
			] as const) {
				await services.assessments.saveDeskAnswer(WEB, researcher, id, {
					variableKey,
					answer,
					note: HOSTILE.script,
					evidence: [evidenceInput()],
					expectedVersion: 0
				});
			}
			const experts: Viewer[] = [];
			for (const n of [1, 2, 3]) {
				const e = await services.assessments.inviteExpert(WEB, coordinator, id, {
					email: `verify-expert${n}@example.org`,
					displayName: `Expert ${n}`
				});
				experts.push(await services.workflow.viewerFor({ id: e.userId, email: e.email, role: 'expert' }, 'web'));
				if (n === 3) lateExpert = e.userId;
			}
			a = await services.assessments.openPanel(WEB, coordinator, id, a.version);
			const form = await services.assessments.getRatingForm(experts[0]!, id);
			// The third expert rates very differently and never submits: their ratings must not count.
			for (const [i, x] of experts.entries()) {
				await services.assessments.saveRatings(
					WEB,
					x,
					id,
					form.items.map((item) => ({
						itemType: item.itemType,
						itemKey: item.itemKey,
						value: i === 2 ? 5 : 2 + i,
						comment: ''
					}))
				);
				await services.assessments.declareConflicts(WEB, x, id, { declaration: 'None' });
				if (i < 2) await services.assessments.submitRatings(WEB, x, id);
			}
			a = await services.assessments.closePanel(WEB, coordinator, id, a.version);
			a = await services.assessments.publish(WEB, coordinator, id, a.version);
			expect(a.status).toBe('published');
			// A draft next to it, even with junk where scores would be, is not checked.
			const draft = await services.assessments.create(WEB, coordinator, {
				country: 'KEN',
				edition: 2031,
				perspective: 'government',
				title: 'Draft',
				methodology: { key: 'it-mini', version: '1.0' }
			});
			await database.db.execute(
				sql`UPDATE assessment SET published_scores = '{"overall": -1}'::jsonb WHERE id = ${draft.id}::uuid`
			);
		});

		it('matches right after publication; the draft is not checked', async () => {
			const report = await verifyPublishedScores(database);
			expect(report).toEqual({ checked: 7, matching: 7, mismatches: [] });
		});

		it('is scored without the ratings of an expert who did not submit, as at publication', async () => {
			const [n] = await rowsOf<{ n: number }>(
				database,
				sql`SELECT count(*)::int AS n FROM expert_rating WHERE assessment_id = ${id}::uuid AND user_id = ${lateExpert}::uuid`
			);
			expect(Number(n!.n)).toBe(25);
			// Counting them (as if they had submitted) changes the scores: the check notices.
			const submit = (at: string | null) =>
				database.db.execute(
					sql`UPDATE assessment_member SET submitted_at = ${at}::timestamptz
					    WHERE assessment_id = ${id}::uuid AND user_id = ${lateExpert}::uuid AND role = 'expert'`
				);
			await submit('2030-01-01T00:00:00Z');
			const report = await verifyPublishedScores(database);
			expect(report.checked).toBe(7);
			expect(report.mismatches).toHaveLength(1);
			expect(report.mismatches[0]).toMatchObject({
				id,
				country: 'KEN',
				edition: 2030,
				perspective: 'government',
				methodology: 'it-mini@1.0'
			});
			expect(report.mismatches[0]!.differences).toContain('objectives[0].implementation.n');
			await submit(null);
			expect(await verifyPublishedScores(database)).toEqual({ checked: 7, matching: 7, mismatches: [] });
		});

		it('an unpublished assessment is no longer checked', async () => {
			const { version } = await services.assessments.get(coordinator, id);
			await services.assessments.unpublish(WEB, coordinator, id, version);
			expect(await verifyPublishedScores(database)).toEqual({ checked: 6, matching: 6, mismatches: [] });
		});
	});
});

describe('gcm benchmark verify-scores', () => {
	let dataDir: string;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'gcm-verify-cli-'));
		const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
		try {
			await database.migrate(MIGRATIONS_DIR);
			await seedDemoBenchmark(database);
		} finally {
			await database.close();
		}
	}, 120_000);
	afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

	const gcm = (args: string[]) => runGcm(args, { GCM_DATA_DIR: dataDir });

	it('exit 0 when every assessment matches, 1 naming the one that differs; --json prints the report', async () => {
		const ok = await gcm(['benchmark', 'verify-scores']);
		expect(ok.stderr).toBe('');
		expect(ok.code).toBe(0);
		expect(ok.stdout).toBe('Checked 6 published assessment(s): 6 match their stored scores.\n');

		const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
		let id: string;
		try {
			const [row] = await rowsOf<{ id: string }>(
				database,
				sql`SELECT id FROM assessment WHERE country = 'XDM' AND edition = 2026 AND perspective = 'government'`
			);
			id = row!.id;
			await tamper(database, id, ['objectives', '3', 'score']);
		} finally {
			await database.close();
		}

		const bad = await gcm(['benchmark', 'verify-scores']);
		expect(bad.stderr).toBe('');
		expect(bad.code).toBe(1);
		const lines = bad.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe('Checked 6 published assessment(s): 5 match their stored scores.');
		expect(lines.slice(1).filter((l) => l.includes('XDM'))).toEqual([
			expect.stringMatching(/XDM 2026 government .*@.*objectives\[3\]\.score/)
		]);
		expect(bad.stdout).toContain(id);

		const json = await gcm(['benchmark', 'verify-scores', '--json']);
		expect(json.code).toBe(1);
		const report = JSON.parse(json.stdout) as ScoreCheckReport;
		expect(report).toMatchObject({ checked: 6, matching: 5 });
		expect(report.mismatches).toEqual([
			expect.objectContaining({ id, country: 'XDM', edition: 2026, differences: ['objectives[3].score'] })
		]);
	}, 120_000);
});
