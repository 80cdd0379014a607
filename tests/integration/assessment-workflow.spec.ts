/**
 * The benchmarking workflow on a real database (issue #5): create → desk research → expert panel
 * (blind ratings) → validation → publication, with the public read models showing exactly the
 * numbers a hand computation gives; drafts never public; 404 for other countries' coordinators
 * (IDOR); expert identities private unless opted in; stale versions → CONFLICT; audit rows written
 * in the change's transaction (and rolled back with it).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/core/shared/errors';
import { findUserByEmail } from '../../src/lib/server/db/account.repository';
import { readBenchmarkVersion } from '../../src/lib/server/db/assessment.repository';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../src/lib/server/db/organisation.repository';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import { SYSTEM_CLI, type Channel, type Viewer } from '../../src/lib/server/services/viewer';
import { evidenceInput, HOSTILE, miniMethodology } from './builders';
import { openTestDatabase, tableCounts, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-bench' };
const CLI: RequestContext = { channel: 'cli', requestId: null };

async function errorOf(p: Promise<unknown>): Promise<unknown> {
	return p.then(
		() => null,
		(e: unknown) => e
	);
}

async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
	const err = await errorOf(p);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
	return err as DomainError;
}

// The hand formula, independent of the scoring code: rating value v on the 1–5 scale → 25 × (v − 1).
const toScore = (v: number) => 25 * (v - 1);
const meanOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sdOf = (xs: number[]) => {
	const m = meanOf(xs);
	return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
/** The message of an error and of its cause (drizzle wraps the driver's error). */
const messageOf = (e: unknown) => `${String(e)} ${String((e as { cause?: unknown } | null)?.cause ?? '')}`;
const round1 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;

let seq = 0;
/** Editions for assessments that need no particular year (each create takes the next). */
let nextEdition = 2040;

describe.each(testEngines())('assessment workflow (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let coordinatorKEN: Viewer;
	let coordinatorUGA: Viewer;
	let researcher: Viewer;
	let researcherEmail: string;
	let editorExpertEmail: string;
	let leadOrgId: string;

	async function account(
		role: string,
		setup: { org?: string; countries?: string[] } = {}
	): Promise<{ viewer: Viewer; email: string }> {
		const email = `bench-${role}-${++seq}@example.org`;
		const { user } = await services.accounts.createUser(CLI, CLI_ACTOR, {
			email,
			role,
			displayName: `${role} ${HOSTILE.arabic}`
		});
		await database.db.transaction(async (tx) => {
			if (setup.org) await upsertMembership(tx, user.id, setup.org);
			if (setup.countries) await replaceUserScopes(tx, user.id, setup.countries);
		});
		return { viewer: await services.workflow.viewerFor(user, 'web' satisfies Channel), email };
	}

	const viewerOf = (id: string, email: string, role: 'expert' | 'editor' = 'expert') =>
		services.workflow.viewerFor({ id, email, role }, 'web');

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		await services.methodologies.createDraft(CLI, SYSTEM_CLI, miniMethodology());
		await services.methodologies.publish(CLI, SYSTEM_CLI, 'it-mini', '1.0');
		const org = await insertOrganisation(database.db, { name: `Lead <i>org</i> ${HOSTILE.cjk}`, country: 'KEN' });
		leadOrgId = org.id;
		coordinatorKEN = (await account('coordinator', { countries: ['KEN'] })).viewer;
		coordinatorUGA = (await account('coordinator', { countries: ['UGA'] })).viewer;
		const r = await account('contributor');
		researcher = r.viewer;
		researcherEmail = r.email;
		editorExpertEmail = (await account('editor')).email;
	});
	afterAll(() => database.close());

	const createKEN = (over: Record<string, unknown> = {}) =>
		services.assessments.create(WEB, coordinatorKEN, {
			country: 'KEN',
			edition: nextEdition++,
			perspective: 'independent',
			title: `Kenya ${HOSTILE.script} ${HOSTILE.arabic}`,
			summary: HOSTILE.longName,
			leadOrganisationId: leadOrgId,
			methodology: { key: 'it-mini', version: '1.0' },
			...over
		});

	it('runs from draft to published; the public sees exactly the hand-computed scores and nothing before', async () => {
		const versionBefore = await readBenchmarkVersion(database.db);
		let a = await createKEN({ edition: 2024 });
		expect(a).toMatchObject({ status: 'draft', version: 1, country: 'KEN', methodology: { key: 'it-mini' } });
		expect(a.members).toEqual([expect.objectContaining({ role: 'coordinator' })]);
		const id = a.id;

		const publicSees = async () => ({
			list: (await services.benchmark.listPublishedAssessments()).map((x) => x.id),
			country: (await services.benchmark.getCountryBenchmark('KEN')).assessments.map((x) => x.id),
			world: (await services.benchmark.getWorldOverview()).map((x) => x.assessmentId),
			objective: (await services.benchmark.getObjectiveBenchmark(1)).countries.map((c) => c.country),
			scores: (await services.benchmark.exportScores({ country: 'KEN' })).length,
			evidence: (await services.benchmark.exportEvidence({ country: 'KEN' })).length
		});
		const hidden = async () => {
			const seen = await publicSees();
			expect(seen.list).not.toContain(id);
			expect(seen.country).not.toContain(id);
			expect(seen.world).not.toContain(id);
			expect(seen.objective).not.toContain('KEN');
			expect(seen.scores).toBe(0);
			expect(seen.evidence).toBe(0);
		};
		await hidden();

		// Desk research: a researcher of the team answers; a second person checks.
		a = await services.assessments.startDeskResearch(WEB, coordinatorKEN, id, a.version);
		expect(a).toMatchObject({ status: 'desk_research', version: 2 });
		await services.assessments.addResearcher(WEB, coordinatorKEN, id, researcherEmail.toUpperCase());
		const save = (variableKey: string, answer: string, evidence = [evidenceInput()], expectedVersion = 0) =>
			services.assessments.saveDeskAnswer(WEB, researcher, id, {
				variableKey,
				answer,
				note: `Note ${HOSTILE.script}`,
				evidence,
				expectedVersion
			});
		const o11 = await save('O1.1', 'full', [evidenceInput(), evidenceInput({ type: 'data', date: '2020', url: '' })]);
		expect(o11).toMatchObject({ version: 1, answer: 'full' });
		expect(o11.evidence).toHaveLength(2);
		await save('O1.2', 'partial');
		await save('O2.1', 'absent', []);
		await save('O2.2', 'not_applicable', []);
		// A second first answer (stale form) is a conflict carrying the current answer.
		const stale = await expectCode(save('O1.1', 'absent'), 'CONFLICT');
		expect(stale.current).toMatchObject({ variableKey: 'O1.1', answer: 'full', version: 1 });
		// Bad input is refused as a whole, naming the fields, and writes nothing.
		const bad = await expectCode(
			save(
				'O1.2',
				'sometimes',
				[evidenceInput({ url: 'javascript:alert(1)', date: '2021-13', type: 'rumour' as 'law' })],
				1
			),
			'VALIDATION_FAILED'
		);
		expect(bad.issues.map((i) => i.field).sort()).toEqual([
			'answer',
			'evidence.0.date',
			'evidence.0.type',
			'evidence.0.url'
		]);
		expect(
			(await services.assessments.getDeskAnswers(coordinatorKEN, id)).find((x) => x.variableKey === 'O1.2')
		).toMatchObject({
			answer: 'partial',
			version: 1
		});
		// Second check: never by the person who answered.
		await expectCode(
			services.assessments.checkDeskAnswer(WEB, researcher, id, {
				variableKey: 'O1.1',
				status: 'agreed',
				expectedVersion: 1
			}),
			'FORBIDDEN'
		);
		const checked = await services.assessments.checkDeskAnswer(WEB, coordinatorKEN, id, {
			variableKey: 'O1.1',
			status: 'agreed',
			expectedVersion: 1
		});
		expect(checked).toMatchObject({ checkStatus: 'agreed', version: 2 });
		const dash = await services.assessments.getDashboard(coordinatorKEN, id);
		expect(dash.desk.byObjective.find((p) => p.objective === 1)).toMatchObject({
			variables: 2,
			answered: 2,
			checked: 1,
			coverage: 1
		});
		expect(dash.desk.byObjective.find((p) => p.objective === 2)).toMatchObject({
			answered: 2,
			notApplicable: 1,
			coverage: 1
		});
		await hidden();

		// The panel: two new accounts and one existing editor.
		const e1 = await services.assessments.inviteExpert(WEB, coordinatorKEN, id, {
			email: `Expert1-${seq}@Example.org`,
			displayName: `Dr ${HOSTILE.script}`
		});
		const e2 = await services.assessments.inviteExpert(WEB, coordinatorKEN, id, {
			email: `expert2-${seq}@example.org`,
			displayName: `${HOSTILE.arabic} expert`
		});
		const e3 = await services.assessments.inviteExpert(WEB, coordinatorKEN, id, {
			email: editorExpertEmail,
			displayName: 'ignored'
		});
		expect([e1.raterLabel, e2.raterLabel, e3.raterLabel]).toEqual(['E1', 'E2', 'E3']);
		expect(e1.invitation?.token).toMatch(/^inv_/);
		expect(e3.invitation).toBeNull();
		expect((await findUserByEmail(database.db, e1.email))?.role).toBe('expert');
		expect((await findUserByEmail(database.db, e3.email))?.role).toBe('editor');
		await expectCode(
			services.assessments.inviteExpert(WEB, coordinatorKEN, id, { email: researcherEmail, displayName: 'x' }),
			'VALIDATION_FAILED'
		);
		const x1 = await viewerOf(e1.userId, e1.email);
		const x2 = await viewerOf(e2.userId, e2.email);
		const x3 = await viewerOf(e3.userId, e3.email, 'editor');
		// Experts do not see the assessment before the panel opens.
		await expectCode(services.assessments.get(x1, id), 'ASSESSMENT_NOT_FOUND');

		a = await services.assessments.openPanel(WEB, coordinatorKEN, id, 2);
		expect(a.status).toBe('expert_panel');
		const form = await services.assessments.getRatingForm(x1, id);
		expect(form.items).toHaveLength(23 + 2);
		expect(form.editable).toBe(true);

		// Ratings: O1 2/4/5, people_centred 4/5/3, human_rights 2/2/"cannot rate"; every other objective 3.
		const values: Record<string, [number, number, number | null]> = {
			'objective:O1': [2, 4, 5],
			'principle:people_centred': [4, 5, 3],
			'principle:human_rights': [2, 2, null]
		};
		const ratingsOf = (i: 0 | 1 | 2) =>
			form.items.map((item) => ({
				itemType: item.itemType,
				itemKey: item.itemKey,
				value: (values[`${item.itemType}:${item.itemKey}`] ?? [3, 3, 3])[i] ?? null,
				comment: `${HOSTILE.cjk} ${i}`
			}));
		// Partial save first, then the rest.
		await services.assessments.saveRatings(WEB, x1, id, ratingsOf(0).slice(0, 5));
		expect((await services.assessments.getRatingForm(x1, id)).items.filter((i) => i.rated)).toHaveLength(5);
		await services.assessments.saveRatings(WEB, x1, id, ratingsOf(0));
		await services.assessments.saveRatings(WEB, x2, id, ratingsOf(1));
		await services.assessments.importRatings(WEB, x3, id, ratingsOf(2).map((r) => ({ ...r, rater: 'E3' })) as never);
		await expectCode(
			services.assessments.saveRatings(WEB, x1, id, [{ itemType: 'objective', itemKey: 'O1', value: 9, comment: '' }]),
			'VALIDATION_FAILED'
		);
		// Blind panel: each expert reads only their own ratings; the coordinator none before closing.
		const own = await services.assessments.getRatings(x1, id);
		expect(own).toHaveLength(25);
		expect(new Set(own.map((r) => r.userId))).toEqual(new Set([e1.userId]));
		await expectCode(services.assessments.getRatings(coordinatorKEN, id), 'FORBIDDEN');
		await expectCode(services.assessments.getRatings(researcher, id), 'FORBIDDEN');
		await expectCode(services.assessments.getValidation(coordinatorKEN, id), 'FORBIDDEN');
		// Expert identities: the coordinator sees them, the researcher and other experts do not.
		const forResearcher = await services.assessments.get(researcher, id);
		expect(forResearcher.members.filter((m) => m.role === 'expert')).toEqual([]);
		expect(forResearcher.expertCount).toBe(3);
		expect(
			(await services.assessments.get(x2, id)).members.filter((m) => m.role === 'expert').map((m) => m.userId)
		).toEqual([e2.userId]);
		expect(
			(await services.assessments.get(coordinatorKEN, id)).members.filter((m) => m.role === 'expert')
		).toHaveLength(3);

		// Submission needs the conflict-of-interest declaration first.
		await expectCode(services.assessments.submitRatings(WEB, x1, id), 'VALIDATION_FAILED');
		await services.assessments.declareConflicts(WEB, x1, id, {
			declaration: 'None',
			publicOptIn: true,
			publicName: `Dr ${HOSTILE.script}`
		});
		await services.assessments.declareConflicts(WEB, x2, id, {
			declaration: `Adviser ${HOSTILE.arabic}`,
			publicOptIn: false
		});
		await services.assessments.declareConflicts(WEB, x3, id, { declaration: 'None' });
		for (const x of [x1, x2, x3]) await services.assessments.submitRatings(WEB, x, id);
		await hidden();

		a = await services.assessments.closePanel(WEB, coordinatorKEN, id, 3);
		expect(a.status).toBe('validation');
		expect(a.panelClosedAt).not.toBeNull();
		// After closing: read-only for experts; everything visible to the coordinator.
		await expectCode(services.assessments.saveRatings(WEB, x1, id, ratingsOf(0).slice(0, 1)), 'FORBIDDEN');
		expect((await services.assessments.getRatingForm(x1, id)).editable).toBe(false);
		expect(await services.assessments.getRatings(x1, id)).toHaveLength(25);
		const all = await services.assessments.getRatings(coordinatorKEN, id);
		expect(all).toHaveLength(75);
		expect(new Set(all.map((r) => r.raterLabel))).toEqual(new Set(['E1', 'E2', 'E3']));
		const validation = await services.assessments.getValidation(coordinatorKEN, id);
		expect(validation.missing).toEqual({ variables: [], expertsNotSubmitted: [], itemsWithoutRatings: [] });
		await hidden();

		a = await services.assessments.publish(WEB, coordinatorKEN, id, 4);
		expect(a).toMatchObject({ status: 'published', version: 5 });
		expect(await readBenchmarkVersion(database.db)).toBe(versionBefore + 1);

		// The hand computation.
		const o1Policy = (100 * 1 + 50 * 1) / 2; // full, partial
		const o2Policy = 0; // absent (weight 2); N/A left out
		const o1Impl = [2, 4, 5].map(toScore);
		const pc = [4, 5, 3].map(toScore);
		const hr = [2, 2].map(toScore);
		const objectivesOverall = (o1Policy + o2Policy) / 2;
		const principlesOverall = (meanOf(pc) + meanOf(hr)) / 2;
		const overall = 0.5 * objectivesOverall + 0.5 * principlesOverall;

		const country = await services.benchmark.getCountryBenchmark('KEN');
		const pub = country.assessments.find((x) => x.id === id);
		expect(pub).toBeDefined();
		const s = pub!.scores;
		expect(s.overall).toBe(round1(overall));
		expect(s.overall).toBe(43.8);
		expect(s.objectivesOverall).toBe(round1(objectivesOverall));
		expect(s.principlesOverall).toBe(round1(principlesOverall));
		const o1 = s.objectives.find((o) => o.number === 1)!;
		expect(o1).toMatchObject({
			policy: o1Policy,
			coverage: 1,
			score: o1Policy,
			gap: round1(meanOf(o1Impl) - o1Policy),
			implementation: { n: 3, mean: round1(meanOf(o1Impl)), median: 75, sd: round1(sdOf(o1Impl)) }
		});
		expect(s.objectives.find((o) => o.number === 2)).toMatchObject({ policy: 0, coverage: 1, applicable: 1 });
		expect(s.principles.find((p) => p.key === 'human_rights')).toMatchObject({
			score: round1(meanOf(hr)),
			expert: { n: 2 }
		});
		expect(pub!.experts).toEqual({ count: 3, publicNames: [`Dr ${HOSTILE.script}`] });
		expect(pub!.fictional).toBe(false);
		expect(country.latestEdition).toBe(2024);
		expect(country.evidenceSource?.assessmentId).toBe(id);
		const o1Evidence = country.evidenceByObjective.find((g) => g.objective === 1)!;
		expect(o1Evidence.variables[0]).toMatchObject({ key: 'O1.1', answer: { key: 'full' } });
		expect(o1Evidence.variables[0]!.evidence).toHaveLength(2);
		// No private names or emails anywhere in the public read model.
		const json = JSON.stringify(country);
		for (const hiddenText of [e2.email, e3.email, `${HOSTILE.arabic} expert`, 'Adviser'])
			expect(json).not.toContain(hiddenText);

		const rows = await services.benchmark.exportScores({ country: 'KEN', edition: 2024 });
		expect(rows).toHaveLength(23 + 10);
		expect(rows.find((r) => r.item_key === 'O1')).toMatchObject({
			country: 'KEN',
			perspective: 'independent',
			methodology: 'it-mini 1.0',
			item_type: 'objective',
			policy: 75,
			implementation_n: 3,
			score: 75
		});
		const ev = await services.benchmark.exportEvidence({ country: 'KEN' });
		expect(ev.filter((r) => r.variable_key === 'O1.1').map((r) => r.evidence_position)).toEqual([1, 2]);
		expect(ev.find((r) => r.variable_key === 'O2.1')).toMatchObject({ answer: 'absent', evidence_position: null });
		expect(
			(await services.benchmark.getObjectiveBenchmark(1)).countries.find((c) => c.country === 'KEN')?.perspectives
				.independent
		).toMatchObject({
			assessmentId: id,
			policy: 75
		});
		expect((await services.benchmark.getWorldOverview()).find((w) => w.country === 'KEN')).toMatchObject({
			overall: 43.8
		});

		// Published is read-only; unpublishing takes it off every public surface.
		await expectCode(services.assessments.update(WEB, coordinatorKEN, id, 5, { title: 'Changed' }), 'FORBIDDEN');
		a = await services.assessments.unpublish(WEB, coordinatorKEN, id, 5);
		expect(a).toMatchObject({ status: 'validation', publishedAt: null });
		await hidden();

		// The audit trail: every step, in order, without any rating value.
		const events = await listAuditEvents(database.db, { objectType: 'assessment', objectId: id });
		const actions = events.map((e) => e.action);
		for (const action of [
			'assessment.created',
			'assessment.status_changed',
			'assessment.member_added',
			'assessment.desk_answer_saved',
			'assessment.desk_answer_checked',
			'assessment.expert_invited',
			'assessment.rating_saved',
			'assessment.ratings_imported',
			'assessment.conflicts_declared',
			'assessment.ratings_submitted',
			'assessment.panel_closed',
			'assessment.published',
			'assessment.unpublished'
		]) {
			expect(actions).toContain(action);
		}
		expect(actions[0]).toBe('assessment.created');
		expect(actions.at(-1)).toBe('assessment.unpublished');
		const ratingEvents = events.filter((x) =>
			['assessment.rating_saved', 'assessment.ratings_imported'].includes(x.action)
		);
		expect(ratingEvents).toHaveLength(4);
		for (const e of ratingEvents) {
			expect(JSON.stringify(e.changes)).not.toMatch(/"value"/);
			expect(e.changes).toMatchObject({ items: { after: expect.arrayContaining(['objective:O1']) } });
		}
		expect(events.find((e) => e.action === 'assessment.published')).toMatchObject({
			requestId: 'req-bench',
			channel: 'web'
		});
	});

	it("another country's coordinator gets 404 for everything; creating for it is forbidden", async () => {
		const a = await createKEN();
		const id = a.id;
		await expectCode(services.assessments.get(coordinatorUGA, id), 'ASSESSMENT_NOT_FOUND');
		await expectCode(services.assessments.update(WEB, coordinatorUGA, id, 1, { title: 'x' }), 'ASSESSMENT_NOT_FOUND');
		await expectCode(services.assessments.startDeskResearch(WEB, coordinatorUGA, id, 1), 'ASSESSMENT_NOT_FOUND');
		await expectCode(
			services.assessments.inviteExpert(WEB, coordinatorUGA, id, { email: 'x@example.org', displayName: 'x' }),
			'ASSESSMENT_NOT_FOUND'
		);
		await expectCode(services.assessments.getDashboard(coordinatorUGA, id), 'ASSESSMENT_NOT_FOUND');
		await expectCode(
			services.assessments.get(coordinatorUGA, '00000000-0000-4000-8000-000000000000'),
			'ASSESSMENT_NOT_FOUND'
		);
		await expectCode(services.assessments.get(coordinatorUGA, "1' OR '1'='1"), 'ASSESSMENT_NOT_FOUND');
		await expectCode(
			services.assessments.create(WEB, coordinatorUGA, {
				country: 'KEN',
				edition: 2030,
				perspective: 'government',
				title: 'x'
			}),
			'FORBIDDEN'
		);
		await expectCode(
			services.assessments.create(WEB, researcher, {
				country: 'KEN',
				edition: 2030,
				perspective: 'government',
				title: 'x'
			}),
			'FORBIDDEN'
		);
		expect((await services.assessments.listMyAssessments(coordinatorUGA)).map((x) => x.id)).not.toContain(id);
		expect((await services.assessments.listMyAssessments(coordinatorKEN)).map((x) => x.id)).toContain(id);
	});

	it('refuses invalid creation input, duplicates, unknown methodologies and fictional countries', async () => {
		const err = await expectCode(
			services.assessments.create(WEB, coordinatorKEN, {
				country: 'KEN',
				edition: 1999,
				perspective: 'shadow',
				title: '',
				status: 'published'
			}),
			'VALIDATION_FAILED'
		);
		expect(err.issues.map((i) => i.field).sort()).toEqual(['edition', 'perspective', 'status', 'title']);
		await expectCode(
			services.assessments.create(WEB, SYSTEM_CLI, {
				country: 'XDM',
				edition: 2030,
				perspective: 'government',
				title: 'x'
			}),
			'VALIDATION_FAILED'
		);
		await expectCode(createKEN({ methodology: { key: 'it-mini', version: '9.9' } }), 'METHODOLOGY_NOT_FOUND');
		const a = await createKEN({ edition: 2077 });
		await expectCode(createKEN({ edition: 2077 }), 'CONFLICT');
		expect(a.status).toBe('draft');
	});

	it('a stale version is a CONFLICT carrying the current record; nothing is written', async () => {
		const a = await createKEN();
		const updated = await services.assessments.update(WEB, coordinatorKEN, a.id, 1, { title: `New ${HOSTILE.cjk}` });
		expect(updated.version).toBe(2);
		const err = await expectCode(
			services.assessments.update(WEB, coordinatorKEN, a.id, 1, { summary: 'lost update' }),
			'CONFLICT'
		);
		expect(err.current).toMatchObject({ id: a.id, version: 2, title: `New ${HOSTILE.cjk}` });
		await expectCode(services.assessments.startDeskResearch(WEB, coordinatorKEN, a.id, 1), 'CONFLICT');
		await expectCode(services.assessments.publish(WEB, coordinatorKEN, a.id, 2), 'FORBIDDEN');
		await expectCode(
			services.assessments.update(WEB, coordinatorKEN, a.id, 2, { status: 'published' }),
			'VALIDATION_FAILED'
		);
		expect((await services.assessments.get(coordinatorKEN, a.id)).summary).toBe(HOSTILE.longName);
	});

	it('a failing audit insert rolls the change back (fail closed)', async () => {
		const a = await createKEN();
		const broken = { channel: 'carrier-pigeon' as Channel, requestId: null };
		const before = await tableCounts(database);
		expect(
			await errorOf(services.assessments.update(broken, coordinatorKEN, a.id, 1, { title: 'rolled back' }))
		).toBeTruthy();
		expect(await errorOf(services.assessments.startDeskResearch(broken, coordinatorKEN, a.id, 1))).toBeTruthy();
		expect(
			await errorOf(
				services.assessments.create(broken, coordinatorKEN, {
					country: 'KEN',
					edition: 2099,
					perspective: 'civil_society',
					title: 'rolled back'
				})
			)
		).toBeTruthy();
		expect(await tableCounts(database)).toEqual(before);
		expect(await services.assessments.get(coordinatorKEN, a.id)).toMatchObject({ version: 1, status: 'draft' });
	});

	it('offline uploads are validated in full and written all or nothing', async () => {
		let a = await createKEN();
		a = await services.assessments.startDeskResearch(WEB, coordinatorKEN, a.id, 1);
		const answers = [
			{ variableKey: 'O1.1', answer: 'full', note: HOSTILE.script, evidence: [evidenceInput()] },
			{ variableKey: 'O9.9', answer: 'full', note: '', evidence: [] },
			{ variableKey: 'O2.1', answer: 'partial', note: '', evidence: [evidenceInput({ url: 'ftp://example.org' })] }
		];
		const err = await expectCode(
			services.assessments.importDeskAnswers(WEB, coordinatorKEN, a.id, answers),
			'VALIDATION_FAILED'
		);
		expect(err.issues.map((i) => i.field)).toEqual(['answers.1.variableKey', 'answers.2.evidence.0.url']);
		expect(await services.assessments.getDeskAnswers(coordinatorKEN, a.id)).toEqual([]);
		const ok = await services.assessments.importDeskAnswers(WEB, coordinatorKEN, a.id, [
			answers[0]!,
			{ ...answers[2]!, evidence: [] }
		]);
		expect(ok).toEqual({ saved: 2 });
		expect(
			(await services.assessments.getDeskAnswers(coordinatorKEN, a.id)).map((x) => [x.variableKey, x.answer])
		).toEqual([
			['O1.1', 'full'],
			['O2.1', 'partial']
		]);
		const events = await listAuditEvents(database.db, { objectId: a.id, action: 'assessment.desk_answers_imported' });
		expect(events).toHaveLength(1);
	});

	it('the published methodology cannot be changed or deleted (database trigger)', async () => {
		const update = errorOf(
			database.db.execute(sql`UPDATE methodology SET definition = '{}'::jsonb WHERE key = 'it-mini'`)
		);
		expect(messageOf(await update)).toMatch(/published and cannot be changed/);
		const del = errorOf(database.db.execute(sql`DELETE FROM methodology WHERE key = 'it-mini'`));
		expect(messageOf(await del)).toMatch(/published and cannot be changed/);
		expect((await services.methodologies.get(SYSTEM_CLI, 'it-mini', '1.0')).status).toBe('published');
	});
});
