/**
 * A coordinator uploads one expert's ratings file on the expert's behalf (issue #5, offline
 * templates): allowed to the assessment's coordinators (and admins) while the panel is open, for a
 * panel expert named by rater label; the file is validated in full and written all or nothing in
 * one transaction with an `assessment.ratings_imported_for` audit row (rater and items, never
 * values). The expert's conflict-of-interest declaration and submission stay theirs, and the
 * coordinator still reads no expert's ratings before the panel closes — neither through the
 * service nor through the per-expert template download.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpertRating } from '../../src/lib/core/benchmarking/types';
import { DomainError } from '../../src/lib/core/shared/errors';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import { replaceUserScopes } from '../../src/lib/server/db/organisation.repository';
import type { WorkspaceRequest } from '../../src/lib/server/http/workspace';
import { parseRatingsCsv, ratingsCsv } from '../../src/lib/server/io/assessment-csv';
import { buildRatingsWorkbook, parseRatingsWorkbook, ratedItems } from '../../src/lib/server/io/assessment-workbook';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import type { AssessmentView } from '../../src/lib/server/services/assessment.service';
import { SYSTEM_CLI, type Viewer } from '../../src/lib/server/services/viewer';
import {
	buildTemplate,
	identityOf,
	isXlsx
} from '../../src/routes/(workspace)/workspace/assessments/[id]/templates/template-files.server';
import { HOSTILE, miniMethodology } from './builders';
import { openTestDatabase, tableCounts, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-on-behalf' };
const CLI: RequestContext = { channel: 'cli', requestId: null };

async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(DomainError);
	expect((err as DomainError).code).toBe(code);
	return err as DomainError;
}

/** A comment no audit row, notice or coordinator download may ever contain. */
const SECRET_COMMENT = `Private view ${HOSTILE.script} ${HOSTILE.arabic} ${'y'.repeat(300)}`;

let seq = 0;
let nextEdition = 2060;

describe.each(testEngines())('ratings uploaded on an expert’s behalf (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let coordinator: Viewer;
	let countryCoordinator: Viewer;
	let coordinatorUGA: Viewer;
	let researcher: Viewer;
	let researcherEmail: string;
	let admin: Viewer;

	async function account(role: string, countries: string[] = []): Promise<{ viewer: Viewer; email: string }> {
		const email = `onbehalf-${role}-${++seq}@example.org`;
		const { user } = await services.accounts.createUser(CLI, CLI_ACTOR, {
			email,
			role,
			displayName: `${role} ${HOSTILE.arabic} ${HOSTILE.script}`
		});
		if (countries.length > 0) await database.db.transaction((tx) => replaceUserScopes(tx, user.id, countries));
		return { viewer: await services.workflow.viewerFor(user, 'web'), email };
	}

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		await services.methodologies.createDraft(CLI, SYSTEM_CLI, miniMethodology());
		await services.methodologies.publish(CLI, SYSTEM_CLI, 'it-mini', '1.0');
		coordinator = (await account('coordinator', ['KEN'])).viewer;
		countryCoordinator = (await account('coordinator', ['KEN'])).viewer;
		coordinatorUGA = (await account('coordinator', ['UGA'])).viewer;
		const r = await account('contributor');
		researcher = r.viewer;
		researcherEmail = r.email;
		admin = (await account('admin')).viewer;
	});
	afterAll(() => database.close());

	/** A KEN assessment with a researcher and two experts (E1, E2), in the expert panel. */
	async function panel() {
		let a = await services.assessments.create(WEB, coordinator, {
			country: 'KEN',
			edition: nextEdition++,
			perspective: 'independent',
			title: `Kenya ${HOSTILE.script}`,
			methodology: { key: 'it-mini', version: '1.0' }
		});
		const id = a.id;
		a = await services.assessments.startDeskResearch(WEB, coordinator, id, a.version);
		await services.assessments.addResearcher(WEB, coordinator, id, researcherEmail);
		const invite = (n: number) =>
			services.assessments.inviteExpert(WEB, coordinator, id, {
				email: `onbehalf-expert-${++seq}-${n}@example.org`,
				displayName: `Expert ${n} ${HOSTILE.cjk}`
			});
		const e1 = await invite(1);
		const e2 = await invite(2);
		a = await services.assessments.openPanel(
			WEB,
			coordinator,
			id,
			(await services.assessments.get(coordinator, id)).version
		);
		const x1 = await services.workflow.viewerFor({ id: e1.userId, email: e1.email, role: 'expert' }, 'web');
		const x2 = await services.workflow.viewerFor({ id: e2.userId, email: e2.email, role: 'expert' }, 'web');
		const form = await services.assessments.getRatingForm(x1, id);
		/** Every item rated (O1 gets `o1`), each with the secret comment, as the expert fills the file. */
		const filled = (rater: string, o1 = 4): ExpertRating[] =>
			form.items.map((i) => ({
				rater,
				itemType: i.itemType,
				itemKey: i.itemKey as ExpertRating['itemKey'],
				value: i.itemKey === 'O1' ? o1 : 3,
				comment: SECRET_COMMENT
			}));
		return { id, a, e1, e2, x1, x2, items: form.items, filled };
	}

	const requestOf = (viewer: Viewer): WorkspaceRequest => ({
		viewer: viewer as WorkspaceRequest['viewer'],
		ctx: WEB,
		services
	});

	/** The per-expert ratings template as this person downloads it (null: not offered to them). */
	async function download(viewer: Viewer, view: AssessmentView, file: 'ratings.xlsx' | 'ratings.csv', rater: string) {
		const v = await services.assessments.get(viewer, view.id);
		return buildTemplate(requestOf(viewer), v, file, 'en', rater, true);
	}

	it('a coordinator uploads an expert’s filled workbook; the expert sees it as entered on their behalf', async () => {
		const p = await panel();
		const view = await services.assessments.get(coordinator, p.id);
		const methodology = (await services.methodologies.get(coordinator, 'it-mini', '1.0')).definition;
		// The expert filled the template offline and sent it; the coordinator uploads it.
		const file = await buildRatingsWorkbook({
			methodology,
			assessment: identityOf(view),
			expert: { rater: 'E1' },
			ratings: p.filled('E1', 5)
		});
		expect(isXlsx(new Uint8Array(file))).toBe(true);
		const { ratings } = await parseRatingsWorkbook(file, { methodology, assessmentId: p.id, rater: 'E1' });
		// The template lists the items the workbook module rates (the scored ones).
		const inFile = ratedItems(methodology).length;
		expect(ratings).toHaveLength(inFile);
		expect(ratings.every((r) => r.comment === SECRET_COMMENT)).toBe(true);
		const result = await services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', ratings);
		// Counts only: the answer carries no values or comments.
		expect(result).toEqual({ saved: inFile, raterLabel: 'E1' });

		// The expert reads exactly what was uploaded, and is told it was entered for them.
		const own = await services.assessments.getRatings(p.x1, p.id);
		expect(own).toHaveLength(inFile);
		expect(own.find((r) => r.itemKey === 'O1')).toMatchObject({ value: 5, comment: SECRET_COMMENT });
		const form = await services.assessments.getRatingForm(p.x1, p.id);
		expect(form.items.filter((i) => i.rated)).toHaveLength(inFile);
		expect(form.enteredOnBehalf).toHaveLength(1);
		expect(form.enteredOnBehalf[0]).toMatchObject({ by: expect.stringContaining('coordinator') });
		expect(form.enteredOnBehalf[0]?.items).toEqual(ratings.map((r) => `${r.itemType}:${r.itemKey}`));
		expect(JSON.stringify(form.enteredOnBehalf)).not.toContain('Private view');
		// The other expert is told nothing, and has no ratings.
		expect((await services.assessments.getRatingForm(p.x2, p.id)).enteredOnBehalf).toEqual([]);
		expect(await services.assessments.getRatings(p.x2, p.id)).toEqual([]);

		// Declaration and submission stay the expert's: neither was set by the upload.
		const e1Member = (await services.assessments.get(coordinator, p.id)).members.find((m) => m.raterLabel === 'E1');
		expect(e1Member).toMatchObject({ coiDeclared: false, submitted: false });
		expect(form).toMatchObject({ coiDeclaredAt: null, submittedAt: null });
		expect((await services.assessments.getDashboard(coordinator, p.id)).panel).toMatchObject({
			coiDeclared: 0,
			submitted: 0
		});
		// The expert confirms in the app: the file covered every item they rate (the template lists
		// every objective and every scored principle, like the form), so they declare and submit; a
		// further upload for them is then refused.
		const done = new Set(own.map((r) => r.itemKey));
		expect(p.filled('E1').every((r) => done.has(r.itemKey))).toBe(true);
		await services.assessments.declareConflicts(WEB, p.x1, p.id, { declaration: 'None' });
		await services.assessments.submitRatings(WEB, p.x1, p.id);
		const before = await tableCounts(database);
		const submitted = await expectCode(
			services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', p.filled('E1', 1)),
			'CONFLICT'
		);
		expect(submitted.message).toMatch(/E1 has already submitted/);
		expect(await tableCounts(database)).toEqual(before);
		expect((await services.assessments.getRatings(p.x1, p.id)).find((r) => r.itemKey === 'O1')?.value).toBe(5);
	});

	it('a CSV file works the same way; an admin may upload too', async () => {
		const p = await panel();
		const view = await services.assessments.get(coordinator, p.id);
		const methodology = (await services.methodologies.get(coordinator, 'it-mini', '1.0')).definition;
		const blank = await download(coordinator, view, 'ratings.csv', 'E2');
		expect(blank?.filename).toMatch(/-ratings-E2\.csv$/);
		// The blank template lists every item, with no rating and no comment.
		const parsedBlank = parseRatingsCsv(blank?.body ?? new Uint8Array(), {
			methodology,
			assessmentId: p.id,
			rater: 'E2'
		});
		expect(parsedBlank.ratings).toHaveLength(ratedItems(methodology).length);
		expect(parsedBlank.ratings.every((r) => r.value === null && r.comment === '')).toBe(true);
		// The expert's filled CSV (three of the template's items), read back as the page does.
		const inTemplate = new Set<string>(ratedItems(methodology).map((i) => i.itemKey));
		const filled = new TextEncoder().encode(
			ratingsCsv({
				methodology,
				assessment: identityOf(view),
				expert: { rater: 'E2' },
				ratings: p
					.filled('E2')
					.filter((r) => inTemplate.has(r.itemKey))
					.slice(0, 3)
			})
		);
		expect(isXlsx(filled)).toBe(false);
		const { ratings } = parseRatingsCsv(filled, { methodology, assessmentId: p.id, rater: 'E2' });
		const rated = ratings.filter((r) => r.value !== null);
		expect(rated).toHaveLength(3);
		const saved = await services.assessments.importRatingsFor(WEB, admin, p.id, 'E2', ratings);
		expect(saved.saved).toBe(ratings.length);
		expect(
			(await services.assessments.getRatings(p.x2, p.id)).filter((r) => r.value !== null).map((r) => r.itemKey)
		).toEqual(rated.map((r) => r.itemKey));
		const events = await listAuditEvents(database.db, {
			objectId: p.id,
			action: 'assessment.ratings_imported_for'
		});
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ actorRole: 'admin', channel: 'web' });
		// An admin is not on the team: the expert is told "a coordinator" (no name).
		expect((await services.assessments.getRatingForm(p.x2, p.id)).enteredOnBehalf[0]?.by).toBeNull();
	});

	it('writes one audit row naming the rater and the items, never the values or comments', async () => {
		const p = await panel();
		const ratings = p.filled('E2', 2);
		await services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E2', ratings);
		const events = await listAuditEvents(database.db, {
			objectType: 'assessment',
			objectId: p.id,
			action: 'assessment.ratings_imported_for'
		});
		expect(events).toHaveLength(1);
		const e = events[0];
		expect(e).toMatchObject({
			actorId: coordinator.kind === 'user' ? coordinator.user.id : null,
			requestId: WEB.requestId
		});
		expect(e?.changes).toEqual({
			rater: { before: null, after: 'E2' },
			items: { before: null, after: ratings.map((r) => `${r.itemType}:${r.itemKey}`) },
			entered_on_behalf: { before: null, after: true }
		});
		const json = JSON.stringify(e?.changes);
		expect(json).not.toContain('Private view');
		expect(json).not.toMatch(/"value"|"comment"/);
		// The expert's own import event is not written for an on-behalf upload.
		expect(await listAuditEvents(database.db, { objectId: p.id, action: 'assessment.ratings_imported' })).toEqual([]);
	});

	it('is all or nothing: a file with one bad row (or for another expert) saves nothing', async () => {
		const p = await panel();
		const before = await tableCounts(database);
		const bad = p
			.filled('E1')
			.map((r, i) => (i === 2 ? { ...r, value: 9 } : i === 4 ? { ...r, itemKey: 'O99' as 'O1' } : r));
		const invalid = await expectCode(
			services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', bad),
			'VALIDATION_FAILED'
		);
		expect(invalid.issues.map((i) => i.field).sort()).toEqual(['ratings.2.value', 'ratings.4.itemKey']);
		expect(invalid.message).toMatch(/nothing was saved/);
		// A row naming another rater than the expert the upload is for.
		const mixed = p.filled('E1').map((r, i) => (i === 0 ? { ...r, rater: 'E2' } : r));
		const wrongRater = await expectCode(
			services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', mixed),
			'VALIDATION_FAILED'
		);
		expect(wrongRater.issues).toEqual([
			{ field: 'ratings.0.rater', message: 'must be E1, the expert this upload is for (or empty)' }
		]);
		// Twice the same item.
		const twice = [...p.filled('E1').slice(0, 2), p.filled('E1')[0] as ExpertRating];
		await expectCode(services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', twice), 'VALIDATION_FAILED');
		// No such expert (hostile labels included), and an empty file.
		for (const label of ['E9', HOSTILE.script, HOSTILE.arabic, HOSTILE.longName, '']) {
			const err = await expectCode(
				services.assessments.importRatingsFor(WEB, coordinator, p.id, label, p.filled('E1')),
				'VALIDATION_FAILED'
			);
			expect(err.issues).toEqual([{ field: 'rater', message: 'is not an expert of this panel' }]);
		}
		await expectCode(services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', []), 'VALIDATION_FAILED');
		// E2's workbook uploaded as E1's: the reader refuses it before the service is called.
		const view = await services.assessments.get(coordinator, p.id);
		const methodology = (await services.methodologies.get(coordinator, 'it-mini', '1.0')).definition;
		const e2File = await buildRatingsWorkbook({
			methodology,
			assessment: identityOf(view),
			expert: { rater: 'E2' },
			ratings: p.filled('E2')
		});
		await expectCode(parseRatingsWorkbook(e2File, { methodology, assessmentId: p.id, rater: 'E1' }), 'IMPORT_INVALID');
		expect(await tableCounts(database)).toEqual(before);
		expect(await services.assessments.getRatings(p.x1, p.id)).toEqual([]);
	});

	it('is refused to everyone but the assessment’s coordinators and admins, and outside the open panel', async () => {
		const p = await panel();
		const ratings = p.filled('E1');
		// Another assessment's coordinator (another country): the assessment does not exist for them.
		const uga = await services.assessments.create(WEB, coordinatorUGA, {
			country: 'UGA',
			edition: nextEdition++,
			perspective: 'independent',
			title: 'Uganda',
			methodology: { key: 'it-mini', version: '1.0' }
		});
		expect(uga.status).toBe('draft');
		const before = await tableCounts(database);
		await expectCode(
			services.assessments.importRatingsFor(WEB, coordinatorUGA, p.id, 'E1', ratings),
			'ASSESSMENT_NOT_FOUND'
		);
		// Strangers and malformed ids: 404 too.
		await expectCode(
			services.assessments.importRatingsFor(WEB, coordinator, uga.id, 'E1', ratings),
			'ASSESSMENT_NOT_FOUND'
		);
		await expectCode(
			services.assessments.importRatingsFor(WEB, coordinator, 'not-a-uuid', 'E1', ratings),
			'ASSESSMENT_NOT_FOUND'
		);
		// People who may read it but are not its coordinators: the country's other coordinator, the
		// desk researcher, and the experts themselves (they upload their own file, not for others).
		for (const who of [countryCoordinator, researcher, p.x1, p.x2]) {
			await expectCode(services.assessments.importRatingsFor(WEB, who, p.id, 'E1', ratings), 'FORBIDDEN');
		}
		expect(await tableCounts(database)).toEqual(before);

		// After the panel closes: read-only, even for the coordinator.
		const v = (await services.assessments.get(coordinator, p.id)).version;
		await services.assessments.closePanel(WEB, coordinator, p.id, v);
		const closed = await tableCounts(database);
		await expectCode(services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', ratings), 'FORBIDDEN');
		expect(await tableCounts(database)).toEqual(closed);
	});

	it('before the panel opens there is nothing to upload for', async () => {
		const a = await services.assessments.create(WEB, coordinator, {
			country: 'KEN',
			edition: nextEdition++,
			perspective: 'government',
			title: 'Kenya desk',
			methodology: { key: 'it-mini', version: '1.0' }
		});
		await services.assessments.startDeskResearch(WEB, coordinator, a.id, a.version);
		await expectCode(services.assessments.importRatingsFor(WEB, coordinator, a.id, 'E1', []), 'FORBIDDEN');
	});

	it('the coordinator still reads no expert’s ratings before the panel closes (service and downloads)', async () => {
		const p = await panel();
		await services.assessments.saveRatings(
			WEB,
			p.x2,
			p.id,
			p.filled('E2', 2).map(({ rater: _r, ...x }) => x)
		);
		await services.assessments.importRatingsFor(WEB, coordinator, p.id, 'E1', p.filled('E1', 5));
		await expectCode(services.assessments.getRatings(coordinator, p.id), 'FORBIDDEN');
		await expectCode(services.assessments.getValidation(coordinator, p.id), 'FORBIDDEN');
		await expectCode(services.assessments.getRatingForm(coordinator, p.id), 'FORBIDDEN');
		expect((await services.assessments.permissions(coordinator, p.id))['assessment.read_ratings']).toBe(false);

		// Downloads for each expert: blank for the coordinator and the admin, own values for the expert.
		const view = await services.assessments.get(coordinator, p.id);
		for (const viewer of [coordinator, admin]) {
			for (const rater of ['E1', 'E2']) {
				const csv = await download(viewer, view, 'ratings.csv', rater);
				expect(csv).not.toBeNull();
				const text = new TextDecoder().decode(csv?.body);
				expect(text).toContain(rater);
				expect(text).not.toContain('Private view');
				const xlsx = await download(viewer, view, 'ratings.xlsx', rater);
				const methodology = (await services.methodologies.get(coordinator, 'it-mini', '1.0')).definition;
				const parsed = await parseRatingsWorkbook(xlsx?.body ?? new Uint8Array(), {
					methodology,
					assessmentId: p.id,
					rater
				});
				expect(parsed.ratings.filter((r) => r.value !== null || r.comment !== '')).toEqual([]);
			}
		}
		const own = await download(p.x1, view, 'ratings.csv', 'E1');
		expect(new TextDecoder().decode(own?.body)).toContain('Private view');
		// An expert never gets another expert's template.
		expect(await download(p.x1, view, 'ratings.csv', 'E2')).toBeNull();

		// Once the panel is closed, the coordinator's download for an expert is pre-filled.
		for (const x of [p.x1, p.x2]) {
			await services.assessments.declareConflicts(WEB, x, p.id, { declaration: 'None' });
			await services.assessments.submitRatings(WEB, x, p.id);
		}
		await services.assessments.closePanel(
			WEB,
			coordinator,
			p.id,
			(await services.assessments.get(coordinator, p.id)).version
		);
		const closedView = await services.assessments.get(coordinator, p.id);
		const after = await download(coordinator, closedView, 'ratings.csv', 'E1');
		expect(new TextDecoder().decode(after?.body)).toContain('Private view');
		expect(await services.assessments.getRatings(coordinator, p.id)).toHaveLength(2 * p.items.length);
	});
});
