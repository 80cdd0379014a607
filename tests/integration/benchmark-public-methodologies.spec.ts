/**
 * The public benchmark read models over several methodology versions, on a real database: every
 * assessment carries its own version's key, version, title and questions; a definition is read
 * once per version (not per assessment row), then served from the service's cache, and a version
 * published while the service runs is read when first met. Also the bulk desk-answer read the
 * evidence export uses, and that export across its chunk boundary.
 */
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import { parseMethodology } from '../../src/lib/core/benchmarking/methodology-schema';
import type { AssessmentPerspective } from '../../src/lib/core/benchmarking/types';
import { insertUser } from '../../src/lib/server/db/account.repository';
import {
	bumpBenchmarkVersion,
	insertAssessment,
	insertMember,
	listDeskAnswers,
	listDeskAnswersByAssessment,
	replaceEvidence,
	updateAssessment,
	writeDeskAnswer
} from '../../src/lib/server/db/assessment.repository';
import type { Database, Db } from '../../src/lib/server/db/client';
import { insertMethodology } from '../../src/lib/server/db/methodology.repository';
import * as schema from '../../src/lib/server/db/schema';
import { seedDemoBenchmark } from '../../src/lib/server/services/assessment.service';
import {
	createBenchmarkPublicService,
	type BenchmarkPublicService
} from '../../src/lib/server/services/benchmark-public.service';
import { evidenceInput, HOSTILE } from './builders';
import { openTestDatabase, testEngines } from './harness';

const AT = new Date('2026-03-01T00:00:00Z');

/** A second version of the default methodology, told apart by its title and first question. */
const SECOND = parseMethodology({
	...DEFAULT_METHODOLOGY,
	version: '2.0',
	status: 'published',
	title: { en: `Second version ${HOSTILE.script} ${HOSTILE.arabic}` },
	variables: DEFAULT_METHODOLOGY.variables.map((v, i) =>
		i === 0 ? { ...v, question: { en: `Second-version question ${HOSTILE.cjk}` } } : v
	)
});
const FIRST_VARIABLE = SECOND.variables[0]!;

/** The SQL statements a service sends, through its own drizzle instance over the same connection. */
function recording(database: Database): { database: Database; statements: string[] } {
	const statements: string[] = [];
	const logger = { logQuery: (query: string) => void statements.push(query) };
	const db = (database.pglite
		? drizzlePglite(database.pglite, { schema, logger })
		: drizzlePg((database.db as unknown as { $client: pg.Pool }).$client, { schema, logger })) as unknown as Db;
	return { database: { ...database, db }, statements };
}

/** Statements that read a methodology definition. */
const definitionReads = (statements: readonly string[]) => statements.filter((q) => /\bdefinition\b/i.test(q));

describe.each(testEngines())('public benchmark over several methodology versions (%s)', (engine) => {
	let database: Database;
	let secondId: string;

	/** Publishes an assessment under `methodologyId` with the stored scores of a demo assessment. */
	async function publish(
		methodologyId: string,
		key: { country: string; edition: number; perspective: AssessmentPerspective },
		experts: { name: string; publicOptIn: boolean }[] = []
	): Promise<string> {
		return database.db.transaction(async (tx) => {
			const id = await insertAssessment(tx, {
				...key,
				methodologyId,
				leadOrganisationId: null,
				title: `${key.country} ${key.edition} ${key.perspective}`,
				summary: HOSTILE.longName,
				fictional: false,
				createdBy: null,
				status: 'published',
				at: AT
			});
			if (!id) throw new Error('assessment exists');
			const [scores] = (
				(await tx.execute(sql`SELECT published_scores FROM assessment WHERE country = 'XDM' LIMIT 1`)) as unknown as {
					rows: { published_scores: unknown }[];
				}
			).rows;
			const stored =
				typeof scores!.published_scores === 'string' ? JSON.parse(scores!.published_scores) : scores!.published_scores;
			expect(await updateAssessment(tx, id, 1, ['published'], { publishedAt: AT, publishedScores: stored }, AT)).toBe(
				true
			);
			// As the publish transition does: pages kept per benchmark data version see it at once.
			await bumpBenchmarkVersion(tx);
			for (const [i, e] of experts.entries()) {
				const user = await insertUser(tx, {
					email: `it-${key.country}-${key.edition}-${key.perspective}-${i}@example.org`.toLowerCase(),
					displayName: e.name,
					role: 'expert',
					now: AT
				});
				await insertMember(tx, {
					assessmentId: id,
					userId: user.id,
					role: 'expert',
					raterLabel: `E${i + 1}`,
					invitedBy: null,
					publicOptIn: e.publicOptIn,
					publicName: e.publicOptIn ? e.name : null,
					coiDeclaration: 'None',
					coiDeclaredAt: AT,
					submittedAt: AT,
					at: AT
				});
			}
			return id;
		});
	}

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		await seedDemoBenchmark(database, { now: () => AT });
	});
	afterAll(() => database.close());

	it('reads each definition once, from the cache afterwards, and a version published meanwhile when first met', async () => {
		const { database: counted, statements } = recording(database);
		const service = createBenchmarkPublicService(counted);

		const before = await service.listPublishedAssessments();
		expect(before).toHaveLength(6);
		expect(definitionReads(statements)).toHaveLength(1);
		for (const a of before) {
			expect(a.methodology).toEqual({
				key: DEFAULT_METHODOLOGY.key,
				version: DEFAULT_METHODOLOGY.version,
				title: DEFAULT_METHODOLOGY.title
			});
		}
		statements.length = 0;
		await service.getWorldOverview();
		await service.getObjectiveBenchmark(1);
		await service.exportScores();
		await service.getCountryBenchmark('XDM');
		expect(statements.length).toBeGreaterThan(0);
		expect(definitionReads(statements)).toEqual([]);

		// A new version is published, and assessments under it, while the service (and its cache) lives.
		const row = await insertMethodology(database.db, {
			key: SECOND.key,
			version: SECOND.version,
			status: 'published',
			definition: SECOND,
			at: AT
		});
		secondId = row!.id;
		const ken = await publish(secondId, { country: 'KEN', edition: 2026, perspective: 'independent' }, [
			{ name: `Named expert ${HOSTILE.arabic}`, publicOptIn: true },
			{ name: 'Unnamed expert', publicOptIn: false }
		]);
		await publish(secondId, { country: 'KEN', edition: 2022, perspective: 'government' });
		await writeDeskAnswer(database.db, {
			assessmentId: ken,
			variableKey: FIRST_VARIABLE.key,
			answer: 'full',
			note: '',
			answeredBy: null,
			expectedVersion: 0,
			at: AT
		});
		await replaceEvidence(database.db, ken, FIRST_VARIABLE.key, [evidenceInput({ title: 'Second-version law' })]);

		statements.length = 0;
		const after = await service.listPublishedAssessments();
		expect(definitionReads(statements)).toHaveLength(1);
		expect(after.map((a) => [a.country, a.methodology.version, a.methodology.title.en])).toEqual([
			['KEN', '2.0', SECOND.title.en],
			['KEN', '2.0', SECOND.title.en],
			...before.map((a) => [a.country, DEFAULT_METHODOLOGY.version, DEFAULT_METHODOLOGY.title.en])
		]);
		expect(after.slice(2)).toEqual(before);
		// Experts stay with their own assessment.
		expect(after.map((a) => a.experts)).toEqual([
			{ count: 0, publicNames: [] },
			{ count: 2, publicNames: [`Named expert ${HOSTILE.arabic}`] },
			...before.map((a) => a.experts)
		]);

		statements.length = 0;
		const evidence = await service.exportEvidence({ country: 'KEN' });
		expect(evidence.map((r) => [r.methodology, r.variable_key, r.question, r.evidence_title])).toEqual([
			[`${SECOND.key} 2.0`, FIRST_VARIABLE.key, FIRST_VARIABLE.question.en, 'Second-version law']
		]);
		const world = await service.getWorldOverview();
		expect(world.map((w) => [w.country, w.assessmentId])).toEqual([
			['KEN', ken],
			['XDM', before.find((a) => a.edition === 2026 && a.perspective === 'independent')!.id]
		]);
		expect(definitionReads(statements)).toEqual([]);

		// A fresh service (an empty cache) reads the two versions once each and answers the same.
		const cold = recording(database);
		const fresh = createBenchmarkPublicService(cold.database);
		expect(await fresh.listPublishedAssessments()).toEqual(after);
		expect(definitionReads(cold.statements)).toHaveLength(2);
	});

	it('listDeskAnswersByAssessment gives each assessment the answers and evidence listDeskAnswers gives', async () => {
		const ids = (
			(await database.db.execute(sql`SELECT id FROM assessment ORDER BY id DESC`)) as unknown as {
				rows: { id: string }[];
			}
		).rows.map((r) => r.id);
		expect(ids.length).toBe(8);
		const byId = await listDeskAnswersByAssessment(database.db, ids);
		let answered = 0;
		for (const id of ids) {
			const one = (await listDeskAnswers(database.db, id)).map((x) => ({
				variableKey: x.variableKey,
				answer: x.answer,
				evidence: x.evidence
			}));
			if (one.length === 0) {
				expect(byId.has(id)).toBe(false);
			} else {
				answered += 1;
				expect(byId.get(id)).toEqual(one);
			}
		}
		expect(answered).toBe(7);
		expect([...byId.values()].some((list) => list.some((x) => x.evidence.length > 1))).toBe(true);
		// Only the assessments asked for.
		const some = [ids[1]!, ids[4]!];
		expect(await listDeskAnswersByAssessment(database.db, some)).toEqual(
			new Map([...byId].filter(([id]) => some.includes(id)))
		);
		expect(await listDeskAnswersByAssessment(database.db, [])).toEqual(new Map());
	});

	it('the whole evidence export is each assessment’s export in turn, across its chunks', async () => {
		// 60 more published assessments (more than one chunk), each with a demo assessment's answers.
		const [source] = (
			(await database.db.execute(
				sql`SELECT id FROM assessment WHERE country = 'XDM' ORDER BY edition DESC, perspective LIMIT 1`
			)) as unknown as { rows: { id: string }[] }
		).rows;
		const perspectives: AssessmentPerspective[] = ['independent', 'government', 'civil_society'];
		for (let edition = 2030; edition < 2050; edition++) {
			for (const perspective of perspectives) {
				const id = await publish(secondId, { country: 'UGA', edition, perspective });
				await database.db.execute(
					sql`INSERT INTO desk_answer (assessment_id, variable_key, answer, note)
					    SELECT ${id}::uuid, variable_key, answer, note FROM desk_answer WHERE assessment_id = ${source!.id}::uuid`
				);
				await database.db.execute(
					sql`INSERT INTO evidence (assessment_id, variable_key, position, title, type, issuing_body, date, url, excerpt)
					    SELECT ${id}::uuid, variable_key, position, title || ' ' || ${`${edition}/${perspective}`}, type, issuing_body, date, url, excerpt
					    FROM evidence WHERE assessment_id = ${source!.id}::uuid`
				);
			}
		}
		const service: BenchmarkPublicService = createBenchmarkPublicService(database);
		const all = await service.listPublishedAssessments();
		expect(all.length).toBe(68);
		const whole = await service.exportEvidence();
		const oneByOne = [];
		for (const a of all) {
			oneByOne.push(
				...(await service.exportEvidence({ country: a.country, edition: a.edition, perspective: a.perspective }))
			);
		}
		expect(whole.length).toBeGreaterThan(60 * 50);
		expect(whole).toEqual(oneByOne);
		// The copied answers are read under the second version's questions.
		const uga = whole.filter((r) => r.country === 'UGA' && r.variable_key === FIRST_VARIABLE.key);
		expect(uga.length).toBeGreaterThanOrEqual(60);
		expect(uga.every((r) => r.question === FIRST_VARIABLE.question.en && r.methodology === `${SECOND.key} 2.0`)).toBe(
			true
		);
	});
});
