/**
 * The practice and actor editing workflows on a real database (issue #3), both engines: draft →
 * edit (stale → CONFLICT) → submit → request changes → resubmit → approve → public → unpublish →
 * gone; revisions and a public history that starts at publication; the audit row of every change;
 * 404 for records one may not read (IDOR); refused mass assignment; the public actor rule; the write
 * API's two response shapes (the public one carries no workflow field, in reads and history).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import { insertOrganisation, upsertMembership } from '../../src/lib/server/db/organisation.repository';
import {
	toPublicRecordResponse,
	toRecordHistoryResponse,
	toRecordResponse
} from '../../src/lib/server/api/record-write';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import { PUBLIC_API, PUBLIC_WEB, SYSTEM_CLI, type Viewer } from '../../src/lib/server/services/viewer';
import { initiativeInput } from './builders';
import { openTestDatabase, tableCounts, testEngines } from './harness';
import { createWorkflowCast, expectCode } from './workflow-cast';

const WEB: RequestContext = { channel: 'web', requestId: 'req-ap' };
const HOSTILE = '<script>alert(1)</script> مبادرة الهجرة 移民 ' + 'x'.repeat(200);

let seq = 0;

const practiceInput = (over: Record<string, unknown> = {}) => ({
	key: `practice-${++seq}`,
	name: `${HOSTILE} practice ${seq}`,
	implementingPartners: 'IOM; UNHCR; Ministry of Labour',
	periodStart: 2019,
	periodEnd: 2022,
	periodText: null,
	description: 'Skills partnership between two countries. <img src=x onerror=alert(1)>',
	moreInformation: null,
	countries: ['KEN', 'DEU'],
	objectives: [18, 5],
	reportRow: null,
	originalText: null,
	...over
});

const actorInput = (over: Record<string, unknown> = {}) => ({
	name: `${HOSTILE} actor ${++seq}`,
	description: 'A network of migrant associations.',
	website: 'https://example.org/network',
	country: 'KEN',
	kind: 'civil_society',
	...over
});

describe.each(testEngines())('practice and actor workflows (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let editorA: Viewer;
	let editorA2: Viewer;
	let contributorA: Viewer;
	let editorB: Viewer;
	let reviewerKEN: Viewer;
	let reviewerUGA: Viewer;
	let coordinatorKEN: Viewer;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		({ editorA, editorA2, contributorA, editorB, reviewerKEN, reviewerUGA, coordinatorKEN } = await createWorkflowCast(
			database,
			services,
			WEB,
			'ap'
		));
	});
	afterAll(() => database.close());

	describe('practices', () => {
		it('draft → edit (stale → CONFLICT) → submit → changes requested → resubmit → approve → public → unpublish → gone', async () => {
			const p = services.practices;
			const draft = await p.create(WEB, editorA, practiceInput());
			expect(draft).toMatchObject({ status: 'draft', version: 1, countries: ['DEU', 'KEN'], objectives: [5, 18] });
			const publicIds = async () => (await services.registry.listPractices(PUBLIC_API)).map((x) => x.id);
			expect(await publicIds()).not.toContain(draft.id);
			await expectCode(p.get(PUBLIC_WEB, draft.id), 'PRACTICE_NOT_FOUND');

			// Two editors of organisation A start from version 1; the second save is stale.
			const edited = await p.update(WEB, editorA, draft.id, 1, { description: 'First editor’s text' });
			expect(edited).toMatchObject({ version: 2, description: 'First editor’s text' });
			const stale = await expectCode(p.update(WEB, editorA2, draft.id, 1, { name: 'Second editor' }), 'CONFLICT');
			expect((stale.current as { description: string }).description).toBe('First editor’s text');
			// Only the changed field was written: the name stays.
			expect((await p.get(editorA, draft.id)).name).toBe(draft.name);

			await p.submit(WEB, editorA, draft.id, 2);
			await expectCode(p.requestChanges(WEB, reviewerKEN, draft.id, 3, '   '), 'VALIDATION_FAILED');
			// A reviewer of another country does not even see it.
			await expectCode(p.requestChanges(WEB, reviewerUGA, draft.id, 3, 'No'), 'PRACTICE_NOT_FOUND');
			const back = await p.requestChanges(WEB, reviewerKEN, draft.id, 3, 'Please cite the MoU <b>here</b>.');
			expect(back).toMatchObject({ status: 'draft', version: 4 });
			const mine = await p.myRecords(editorA);
			expect(mine.find((r) => r.id === draft.id)?.lastComment).toBe('Please cite the MoU <b>here</b>.');

			await p.update(WEB, editorA, draft.id, 4, { moreInformation: 'https://example.org/mou' });
			await p.submit(WEB, editorA, draft.id, 5);
			expect((await p.reviewQueue(reviewerKEN)).map((r) => r.id)).toContain(draft.id);
			expect((await p.reviewQueue(reviewerUGA)).map((r) => r.id)).not.toContain(draft.id);
			// Editors never approve.
			await expectCode(p.approve(WEB, editorA, draft.id, 6), 'FORBIDDEN');
			const published = await p.approve(WEB, reviewerKEN, draft.id, 6, 'Checked.');
			expect(published).toMatchObject({ status: 'published', version: 7, publishedAt: expect.any(String) });
			expect(await publicIds()).toContain(draft.id);
			expect((await p.get(PUBLIC_WEB, draft.id)).id).toBe(draft.id);
			// Published content is not edited in place.
			await expectCode(p.update(WEB, editorA, draft.id, 7, { description: 'x' }), 'FORBIDDEN');

			// History: everything for the organisation; only the published revision for the public.
			const full = await p.history(editorA, draft.id);
			expect(full.map((h) => h.status)).toEqual([
				'draft',
				'draft',
				'in_review',
				'draft',
				'draft',
				'in_review',
				'published'
			]);
			expect(full[3]?.comment).toBe('Please cite the MoU <b>here</b>.');
			const pub = await p.history(PUBLIC_WEB, draft.id);
			expect(pub).toHaveLength(1);
			expect(pub[0]).toMatchObject({ version: 7, status: 'published', changedBy: null, comment: null });

			const events = await listAuditEvents(database.db, { objectType: 'practice', objectId: draft.id });
			expect(events.map((e) => e.action)).toEqual([
				'practice.created',
				'practice.updated',
				'practice.submitted',
				'practice.changes_requested',
				'practice.updated',
				'practice.submitted',
				'practice.approved'
			]);
			expect(events[1]?.changes).toMatchObject({ description: { after: 'First editor’s text' } });

			await p.unpublish(WEB, coordinatorKEN, draft.id, 7);
			expect(await publicIds()).not.toContain(draft.id);
			await expectCode(p.get(PUBLIC_API, draft.id), 'PRACTICE_NOT_FOUND');
			await expectCode(p.history(PUBLIC_API, draft.id), 'PRACTICE_NOT_FOUND');
		});

		it('refuses mass assignment and invalid content, writing nothing', async () => {
			const p = services.practices;
			const before = await tableCounts(database);
			await expectCode(p.create(WEB, editorA, { ...practiceInput(), status: 'published' }), 'VALIDATION_FAILED');
			const bad = await expectCode(
				p.create(WEB, editorA, practiceInput({ countries: ['XXX'], periodStart: 2020, periodEnd: 2010 })),
				'VALIDATION_FAILED'
			);
			expect(bad.issues.map((i) => i.field).sort()).toEqual(['countries.0', 'periodEnd']);
			expect(await tableCounts(database)).toEqual(before);

			const draft = await p.create(WEB, editorA, practiceInput());
			for (const field of ['status', 'version', 'ownerOrganisationId', 'createdBy', 'publishedAt']) {
				const err = await expectCode(p.update(WEB, editorA, draft.id, 1, { [field]: 'x' }), 'VALIDATION_FAILED');
				expect(err.issues).toEqual([{ field, message: 'is not an editable field' }]);
			}
			const dup = await expectCode(p.create(WEB, editorA, practiceInput({ key: draft.key })), 'VALIDATION_FAILED');
			expect(dup.issues[0]?.field).toBe('key');
			expect((await p.get(editorA, draft.id)).version).toBe(1);
		});

		it('IDOR: another organisation, the public and a contributor who did not create it get PRACTICE_NOT_FOUND', async () => {
			const p = services.practices;
			const draft = await p.create(WEB, editorA, practiceInput());
			for (const viewer of [editorB, PUBLIC_WEB, contributorA, reviewerUGA]) {
				await expectCode(p.get(viewer, draft.id), 'PRACTICE_NOT_FOUND');
				await expectCode(p.update(WEB, viewer, draft.id, 1, { name: 'Taken over' }), 'PRACTICE_NOT_FOUND');
				await expectCode(p.submit(WEB, viewer, draft.id, 1), 'PRACTICE_NOT_FOUND');
			}
			await expectCode(p.get(editorA, 'not-a-uuid'), 'PRACTICE_NOT_FOUND');
			await expectCode(p.get(editorA, '00000000-0000-4000-8000-000000000000'), 'PRACTICE_NOT_FOUND');
			// The public and reviewers create nothing.
			await expectCode(p.create(WEB, PUBLIC_WEB, practiceInput()), 'FORBIDDEN');
			await expectCode(p.create(WEB, reviewerKEN, practiceInput()), 'FORBIDDEN');
			// A coordinator creates only for their countries.
			await expectCode(p.create(WEB, coordinatorKEN, practiceInput({ countries: ['UGA'] })), 'FORBIDDEN');
			expect((await p.create(WEB, coordinatorKEN, practiceInput({ countries: ['KEN'] }))).status).toBe('draft');
		});

		it('a contributor edits and submits their own draft; archive is for coordinators', async () => {
			const p = services.practices;
			const draft = await p.create(WEB, contributorA, practiceInput({ countries: ['KEN'] }));
			expect(p.allowedSteps(contributorA, draft)).toEqual(['submit']);
			expect(p.canEdit(contributorA, draft)).toBe(true);
			const submitted = await p.submit(WEB, contributorA, draft.id, 1);
			expect(p.canEdit(contributorA, submitted)).toBe(false);
			expect(p.allowedSteps(coordinatorKEN, submitted)).toEqual(['approve', 'requestChanges', 'publish', 'archive']);
			await expectCode(p.archive(WEB, reviewerKEN, draft.id, 2), 'FORBIDDEN');
			expect((await p.archive(WEB, coordinatorKEN, draft.id, 2)).status).toBe('archived');
			await expectCode(p.submit(WEB, contributorA, draft.id, 3), 'FORBIDDEN');
		});

		it('a stale step is CONFLICT and writes nothing', async () => {
			const p = services.practices;
			const draft = await p.create(WEB, editorA, practiceInput({ countries: ['KEN'] }));
			await p.submit(WEB, editorA, draft.id, 1);
			const audit = (await listAuditEvents(database.db, { objectId: draft.id })).length;
			await expectCode(p.approve(WEB, reviewerKEN, draft.id, 1), 'CONFLICT');
			await expectCode(p.publish(WEB, reviewerKEN, draft.id, 'x'), 'VALIDATION_FAILED');
			expect((await listAuditEvents(database.db, { objectId: draft.id })).length).toBe(audit);
			// 10 parallel approvals of version 2: exactly one wins.
			const results = await Promise.allSettled(
				Array.from({ length: 10 }, () => p.approve(WEB, reviewerKEN, draft.id, 2))
			);
			expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect((await p.history(editorA, draft.id)).map((h) => h.version)).toEqual([1, 2, 3]);
		});
	});

	describe('write API service (token owner, If-Match)', () => {
		it('creates, edits with If-Match (stale → PRECONDITION_FAILED with the current record), steps and reads history', async () => {
			const { user } = await services.accounts.createUser(WEB, CLI_ACTOR, {
				email: `ap-api-${++seq}@example.org`,
				role: 'editor'
			});
			const org = await insertOrganisation(database.db, { name: `API org ${seq}`, country: 'KEN' });
			await database.db.transaction((tx) => upsertMembership(tx, user.id, org.id));
			const principal = {
				tokenId: 't',
				name: 'script',
				access: 'write' as const,
				organisationId: null,
				country: null,
				user: { id: user.id, email: user.email, displayName: 'API', role: 'editor' as const, totpEnabled: false }
			};
			const api = services.recordApi;
			const actor = await api.create('actor', WEB, principal, actorInput());
			expect(actor).toMatchObject({ status: 'draft', version: 1, ownerOrganisationId: org.id });
			const edited = await api.update('actor', WEB, principal, actor.id, 1, { description: 'Via the API' });
			expect(edited.version).toBe(2);
			const stale = await expectCode(
				api.update('actor', WEB, principal, actor.id, 1, { description: 'Stale' }),
				'PRECONDITION_FAILED'
			);
			expect((stale.current as { version: number }).version).toBe(2);
			await expectCode(api.update('actor', WEB, principal, actor.id, 2, { status: 'published' }), 'VALIDATION_FAILED');
			const submitted = await api.step('actor', WEB, principal, 'submit', actor.id, 2);
			expect(submitted.status).toBe('in_review');
			// Editors never approve, whatever the token.
			await expectCode(api.step('actor', WEB, principal, 'approve', actor.id, 3), 'FORBIDDEN');
			const history = await api.history('actor', principal, actor.id);
			expect(history.view).toBe('full');
			expect(history.entries.map((h) => h.version)).toEqual([1, 2, 3]);
			await expectCode(api.history('actor', null, actor.id), 'ACTOR_NOT_FOUND');

			// A read-only token never writes; a token narrowed to another country sees no draft.
			const readOnly = { ...principal, access: 'read' as const };
			await expectCode(api.create('practice', WEB, readOnly, practiceInput()), 'FORBIDDEN');
			const practice = await api.create('practice', WEB, principal, practiceInput({ countries: ['KEN'] }));
			await expectCode(api.get('practice', { ...principal, country: 'UGA' }, practice.id), 'PRACTICE_NOT_FOUND');
			await expectCode(
				api.update('practice', WEB, { ...principal, country: 'KEN' }, practice.id, 1, { countries: ['UGA'] }),
				'FORBIDDEN'
			);
			const audit = await listAuditEvents(database.db, { objectId: practice.id });
			expect(audit.map((e) => [e.action, e.channel])).toEqual([['practice.created', 'web']]);
		});
	});

	describe('write API response shapes', () => {
		/** The write-shape fields the public never gets. */
		const WORKFLOW_FIELDS = ['status', 'version', 'owner_organisation_id', 'created_at'];

		async function tokenOwner(role: 'editor', orgCountry: string) {
			const { user } = await services.accounts.createUser(WEB, CLI_ACTOR, {
				email: `ap-shape-${++seq}@example.org`,
				role
			});
			const org = await insertOrganisation(database.db, { name: `Shape org ${seq}`, country: orgCountry });
			await database.db.transaction((tx) => upsertMembership(tx, user.id, org.id));
			const principal = {
				tokenId: `t-${seq}`,
				name: 'script',
				access: 'write' as const,
				organisationId: null,
				country: null as string | null,
				user: { id: user.id, email: user.email, displayName: 'API', role, totpEnabled: false }
			};
			return { org, principal };
		}

		it('the public read and public history carry no workflow field; token reads and the full history do', async () => {
			const { org, principal } = await tokenOwner('editor', 'KEN');
			const outsider = (await tokenOwner('editor', 'UGA')).principal;
			const api = services.recordApi;
			const practice = await api.create('practice', WEB, principal, practiceInput({ countries: ['KEN'] }));
			await api.step('practice', WEB, principal, 'submit', practice.id, 1);
			await services.practices.approve(WEB, reviewerKEN, practice.id, 2, 'Checked.');
			const actor = await api.create('actor', WEB, principal, actorInput({ country: 'KEN' }));
			await api.step('actor', WEB, principal, 'submit', actor.id, 1);
			await services.actors.approve(WEB, reviewerKEN, actor.id, 2);

			for (const [type, id] of [
				['practice', practice.id],
				['actor', actor.id]
			] as const) {
				const anonymous = toPublicRecordResponse(type, await api.getPublished(type, id));
				expect(anonymous).toMatchObject({ id, type, published_at: expect.any(String), updated_at: expect.any(String) });
				for (const f of WORKFLOW_FIELDS) expect(anonymous, `${type} public read`).not.toHaveProperty(f);

				// With a token: the write shape, with the version If-Match needs; same content.
				const withToken = toRecordResponse(type, await api.get(type, principal, id));
				expect(withToken).toMatchObject({
					...anonymous,
					status: 'published',
					version: 3,
					owner_organisation_id: org.id,
					created_at: expect.any(String)
				});

				const full = await api.history(type, principal, id);
				expect(full.view).toBe('full');
				const fullItems = full.entries.map((e) => toRecordHistoryResponse(type, e, full.view));
				expect(fullItems.map((i) => [i.version, i.snapshot.version, i.snapshot.owner_organisation_id])).toEqual([
					[1, 1, org.id],
					[2, 2, org.id],
					[3, 3, org.id]
				]);

				// The public view: no token, a token narrowed to another country, an account that may not
				// read this history (another organisation's editor).
				for (const [who, p] of [
					['no token', null],
					['token narrowed to UGA', { ...principal, country: 'UGA' }],
					['another organisation', outsider]
				] as const) {
					const pub = await api.history(type, p, id);
					expect(pub.view, `${type} history, ${who}`).toBe('public');
					const items = pub.entries.map((e) => toRecordHistoryResponse(type, e, pub.view));
					expect(items.map((i) => [i.version, i.changed_by, i.comment])).toEqual([[3, null, null]]);
					for (const f of WORKFLOW_FIELDS) expect(items[0]?.snapshot, `${type} history, ${who}`).not.toHaveProperty(f);
					expect(items[0]?.snapshot).toMatchObject({ id, type, name: anonymous.name });
				}
			}
		});
	});

	describe('actors', () => {
		it('draft → edit (stale) → submit → changes → resubmit → approve → public list and page → unpublish → gone', async () => {
			const a = services.actors;
			const draft = await a.create(WEB, editorA, actorInput());
			expect(draft).toMatchObject({ status: 'draft', version: 1, countries: ['KEN'], kind: 'civil_society' });
			const publicIds = async () => (await services.registry.listActors()).items.map((x) => x.id);
			expect(await publicIds()).not.toContain(draft.id);
			await expectCode(services.registry.getActor(draft.id), 'ACTOR_NOT_FOUND');
			await expectCode(a.get(PUBLIC_API, draft.id), 'ACTOR_NOT_FOUND');

			await a.update(WEB, editorA, draft.id, 1, { website: 'https://example.org/new' });
			const stale = await expectCode(a.update(WEB, editorA2, draft.id, 1, { description: 'Mine' }), 'CONFLICT');
			expect((stale.current as { website: string }).website).toBe('https://example.org/new');
			await a.submit(WEB, editorA, draft.id, 2);
			await a.requestChanges(WEB, coordinatorKEN, draft.id, 3, 'Which country office?');
			await a.update(WEB, editorA, draft.id, 4, { description: 'Nairobi office.' });
			await a.submit(WEB, editorA, draft.id, 5);
			await a.approve(WEB, reviewerKEN, draft.id, 6);
			expect(await publicIds()).toContain(draft.id);
			const page = await services.registry.getActor(draft.id);
			expect(page.actor).toMatchObject({ description: 'Nairobi office.', status: 'published' });

			const events = await listAuditEvents(database.db, { objectType: 'actor', objectId: draft.id });
			expect(events.map((e) => e.action)).toEqual([
				'actor.created',
				'actor.updated',
				'actor.submitted',
				'actor.changes_requested',
				'actor.updated',
				'actor.submitted',
				'actor.approved'
			]);
			expect((await a.history(PUBLIC_WEB, draft.id)).map((h) => h.version)).toEqual([7]);

			await a.unpublish(WEB, reviewerKEN, draft.id, 7);
			expect(await publicIds()).not.toContain(draft.id);
			await expectCode(services.registry.getActor(draft.id), 'ACTOR_NOT_FOUND');
		});

		it('names are unique (normalised); invalid content and mass assignment are refused', async () => {
			const a = services.actors;
			const first = await a.create(WEB, editorA, actorInput({ name: 'Migrant  Rights Network' }));
			expect(first.name).toBe('Migrant Rights Network');
			const dup = await expectCode(
				a.create(WEB, editorA, actorInput({ name: 'migrant rights network' })),
				'VALIDATION_FAILED'
			);
			expect(dup.issues).toEqual([{ field: 'name', message: 'is already the name of another actor' }]);
			const bad = await expectCode(
				a.create(WEB, editorA, actorInput({ website: 'javascript:alert(1)', country: 'kenya', kind: 'cartel' })),
				'VALIDATION_FAILED'
			);
			expect(bad.issues.map((i) => i.field).sort()).toEqual(['country', 'kind', 'website']);
			await expectCode(a.update(WEB, editorA, first.id, 1, { status: 'published' }), 'VALIDATION_FAILED');
			await expectCode(a.update(WEB, editorB, first.id, 1, { name: 'Mine now' }), 'ACTOR_NOT_FOUND');
		});

		it('an actor named by a draft initiative stays hidden until an initiative naming it is published', async () => {
			const name = `Implicit actor ${++seq} <i>ا</i>`;
			const init = await services.workflow.create(
				WEB,
				editorA,
				initiativeInput({ initiators: [name], countries: ['KEN'] })
			);
			const [row] = (
				(await database.db.execute(sql`SELECT id, status FROM actor WHERE name = ${name}`)) as unknown as {
					rows: { id: string; status: string }[];
				}
			).rows;
			expect(row?.status).toBe('published');
			const id = row!.id;
			expect((await services.registry.listActors()).items.map((x) => x.id)).not.toContain(id);
			await expectCode(services.registry.getActor(id), 'ACTOR_NOT_FOUND');
			expect(await services.registry.findActorLinks([name])).toEqual(new Map());

			await services.workflow.publish(WEB, SYSTEM_CLI, init.id, init.version);
			const page = await services.registry.getActor(id);
			expect(page.initiatives.map((i) => i.id)).toEqual([init.id]);
			expect(await services.registry.findActorLinks([name])).toEqual(new Map([[name, id]]));
		});

		it('a published initiative naming an unpublished actor links no draft page', async () => {
			const a = services.actors;
			const actor = await a.create(WEB, editorA, actorInput());
			const init = await services.workflow.create(
				WEB,
				editorA,
				initiativeInput({ initiators: [actor.name], countries: ['KEN'] })
			);
			await services.workflow.publish(WEB, SYSTEM_CLI, init.id, init.version);
			// The initiative names it (its own published content) …
			expect((await services.registry.get(PUBLIC_API, init.id)).initiators).toContain(actor.name);
			// … but the draft actor has no public page and no link.
			expect(await services.registry.findActorLinks([actor.name])).toEqual(new Map());
			await expectCode(services.registry.getActor(actor.id), 'ACTOR_NOT_FOUND');
		});
	});
});
