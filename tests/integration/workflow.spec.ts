/**
 * The initiative editing workflow on a real database (research b1, b2, b3, b9): the path from draft
 * to the public registry and back out of it, 404 for records one may not read (IDOR), refused mass
 * assignment, optimistic concurrency (two editors, and 50 parallel publishes), the audit row in the
 * change's transaction, and a public history that starts at publication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativeQuery } from '../../src/lib/core/registry/query';
import { parseInitiativeQuery } from '../../src/lib/core/registry/query';
import { DomainError } from '../../src/lib/core/shared/errors';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import { readRegistryVersion } from '../../src/lib/server/db/data-version.repository';
import { createServices } from '../../src/lib/server/runtime';
import type { RequestContext } from '../../src/lib/server/services/account.service';
import type { WorkflowInitiative } from '../../src/lib/server/services/initiative-workflow.service';
import { PUBLIC_API, SYSTEM_CLI, type Channel, type Viewer } from '../../src/lib/server/services/viewer';
import { initiativeInput } from './builders';
import { openTestDatabase, tableCounts, testEngines } from './harness';
import { createWorkflowCast, errorOf, expectCode } from './workflow-cast';

const WEB: RequestContext = { channel: 'web', requestId: 'req-wf' };
const CLI: RequestContext = { channel: 'cli', requestId: null };

const query = (params: Record<string, string> = {}): InitiativeQuery => ({
	...parseInitiativeQuery(new URLSearchParams(params), { strict: true }),
	limit: 100
});

async function collect(gen: AsyncGenerator<string>): Promise<string> {
	let s = '';
	for await (const chunk of gen) s += chunk;
	return s;
}

let seq = 0;

describe.each(testEngines())('initiative workflow (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	/** Two editors and a contributor of organisation A, an editor of B; reviewers of Kenya and Uganda. */
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
			CLI,
			'wf'
		));
	});
	afterAll(() => database.close());

	/** A record of organisation A in review (version 2). */
	async function inReview(over = {}): Promise<WorkflowInitiative> {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput(over));
		return services.workflow.submit(WEB, editorA, draft.id, draft.version);
	}

	it('create → submit → approve makes the record public; unpublish takes it off every public surface', async () => {
		const marker = `Canary${++seq}zebra`;
		const draft = await services.workflow.create(WEB, editorA, initiativeInput({ title: `${marker} record` }));
		expect(draft).toMatchObject({ status: 'draft', version: 1, createdBy: expect.any(String) });
		const kenBefore = (await services.registry.facets(PUBLIC_API, query())).facets.country.find(
			(f) => f.value === 'KEN'
		);

		const publicSees = async () => ({
			get: await errorOf(services.registry.get(PUBLIC_API, draft.id)),
			search: (await services.registry.search(PUBLIC_API, query({ q: marker }))).items.map((i) => i.id),
			total: (await services.registry.facets(PUBLIC_API, query({ q: marker }))).total,
			csv: await collect(services.transfer.exportInitiativesCsv(PUBLIC_API, query())),
			json: await collect(services.transfer.exportInitiativesJson(PUBLIC_API, query(), '2026-01-01T00:00:00Z'))
		});
		const hidden = async () => {
			const seen = await publicSees();
			expect((seen.get as DomainError).code).toBe('INITIATIVE_NOT_FOUND');
			expect(seen.search).toEqual([]);
			expect(seen.total).toBe(0);
			expect(seen.csv).not.toContain(marker);
			expect(seen.json).not.toContain(marker);
		};

		await hidden();
		const submitted = await services.workflow.submit(WEB, editorA, draft.id, 1);
		expect(submitted).toMatchObject({ status: 'in_review', version: 2 });
		await hidden();

		const published = await services.workflow.approve(WEB, reviewerKEN, draft.id, 2, 'Checked against the source.');
		expect(published).toMatchObject({ status: 'published', version: 3, publishedAt: expect.any(String) });
		expect((await services.registry.get(PUBLIC_API, draft.id)).title).toBe(`${marker} record`);
		expect((await services.registry.search(PUBLIC_API, query({ q: marker }))).items.map((i) => i.id)).toEqual([
			draft.id
		]);
		const kenAfter = (await services.registry.facets(PUBLIC_API, query())).facets.country.find(
			(f) => f.value === 'KEN'
		);
		expect(kenAfter?.count).toBe((kenBefore?.count ?? 0) + 1);
		expect(await collect(services.transfer.exportInitiativesCsv(PUBLIC_API, query()))).toContain(marker);

		const unpublished = await services.workflow.unpublish(WEB, reviewerKEN, draft.id, 3);
		expect(unpublished).toMatchObject({ status: 'draft', version: 4, publishedAt: null });
		await hidden();
		const kenFinal = (await services.registry.facets(PUBLIC_API, query())).facets.country.find(
			(f) => f.value === 'KEN'
		);
		expect(kenFinal?.count ?? 0).toBe(kenBefore?.count ?? 0);

		const events = await listAuditEvents(database.db, { objectType: 'initiative', objectId: draft.id });
		expect(events.map((e) => e.action)).toEqual([
			'initiative.created',
			'initiative.submitted',
			'initiative.approved',
			'initiative.unpublished'
		]);
		expect(events[2]).toMatchObject({ actorRole: 'reviewer', requestId: 'req-wf', channel: 'web' });
		expect(events[2]?.changes).toMatchObject({
			status: { before: 'in_review', after: 'published' },
			comment: { before: null, after: 'Checked against the source.' }
		});
	});

	it('IDOR: a reviewer of another country, or another organisation, gets INITIATIVE_NOT_FOUND for a draft', async () => {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput({ countries: ['KEN'] }));
		await expectCode(services.workflow.get(reviewerUGA, draft.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(services.workflow.history(reviewerUGA, draft.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(services.workflow.publish(WEB, reviewerUGA, draft.id, 1), 'INITIATIVE_NOT_FOUND');
		await expectCode(
			services.workflow.update(WEB, editorB, draft.id, 1, { title: 'Hijacked' }),
			'INITIATIVE_NOT_FOUND'
		);
		await expectCode(services.workflow.get(PUBLIC_API, draft.id), 'INITIATIVE_NOT_FOUND');
		// Unknown and malformed ids look the same.
		await expectCode(
			services.workflow.get(reviewerUGA, '00000000-0000-4000-8000-000000000000'),
			'INITIATIVE_NOT_FOUND'
		);
		await expectCode(services.workflow.get(reviewerUGA, '1 OR 1=1'), 'INITIATIVE_NOT_FOUND');
		// Someone who may read it but not do this gets FORBIDDEN; nothing changed.
		expect((await services.workflow.get(reviewerKEN, draft.id)).id).toBe(draft.id);
		await expectCode(services.workflow.update(WEB, reviewerKEN, draft.id, 1, { title: 'Reviewer edit' }), 'FORBIDDEN');
		const after = await services.workflow.get(SYSTEM_CLI, draft.id);
		expect(after).toMatchObject({ version: 1, status: 'draft', title: draft.title });
		expect(await listAuditEvents(database.db, { objectId: draft.id })).toHaveLength(1);
	});

	it('contributors change only their own drafts; the public and reviewers create nothing', async () => {
		const own = await services.workflow.create(WEB, contributorA, initiativeInput());
		const edited = await services.workflow.update(WEB, contributorA, own.id, 1, { description: 'Better text' });
		expect(edited).toMatchObject({ version: 2, description: 'Better text' });
		const colleagues = await services.workflow.create(WEB, editorA, initiativeInput());
		await expectCode(services.workflow.get(contributorA, colleagues.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(services.workflow.create(WEB, PUBLIC_API, initiativeInput()), 'FORBIDDEN');
		await expectCode(services.workflow.create(WEB, reviewerKEN, initiativeInput()), 'FORBIDDEN');
		const submitted = await services.workflow.submit(WEB, contributorA, own.id, 2);
		await expectCode(services.workflow.approve(WEB, contributorA, own.id, submitted.version), 'FORBIDDEN');
	});

	it('coordinators create drafts for their countries only (checked on the record as it would be created)', async () => {
		const before = await tableCounts(database);
		const err = await expectCode(
			services.workflow.create(WEB, coordinatorKEN, initiativeInput({ countries: ['UGA'] })),
			'FORBIDDEN'
		);
		expect(err.issues.map((i) => i.field)).toEqual(['countries']);
		await expectCode(
			services.workflow.create(WEB, coordinatorKEN, initiativeInput({ countries: [], scope: 'global' })),
			'FORBIDDEN'
		);
		expect(await tableCounts(database)).toEqual(before);
		// Bad input from someone who may create is a validation error, not FORBIDDEN.
		await expectCode(
			services.workflow.create(WEB, coordinatorKEN, initiativeInput({ dateStart: '2021-13' })),
			'VALIDATION_FAILED'
		);

		const own = await services.workflow.create(WEB, coordinatorKEN, initiativeInput({ countries: ['KEN', 'UGA'] }));
		expect(own).toMatchObject({ status: 'draft', version: 1, countries: ['KEN', 'UGA'], ownerOrganisationId: null });
		await expectCode(services.workflow.get(editorB, own.id), 'INITIATIVE_NOT_FOUND');
		expect(services.workflow.mayCreate(coordinatorKEN)).toBe(true);
		expect(services.workflow.mayCreate(coordinatorKEN, ['UGA'])).toBe(false);
		expect(services.workflow.mayCreate(reviewerKEN)).toBe(false);
		// They edit and submit the drafts they created (e.g. a tidied suggestion), not other people's content.
		const tidied = await services.workflow.update(WEB, coordinatorKEN, own.id, 1, { description: 'Tidied' });
		expect(tidied).toMatchObject({ version: 2, description: 'Tidied', status: 'draft' });
		expect(await services.workflow.submit(WEB, coordinatorKEN, own.id, 2)).toMatchObject({ status: 'in_review' });
		const others = await services.workflow.create(WEB, editorA, initiativeInput({ countries: ['KEN'] }));
		await services.workflow.get(coordinatorKEN, others.id); // readable: it concerns their country
		await expectCode(services.workflow.update(WEB, coordinatorKEN, others.id, 1, { description: 'x' }), 'FORBIDDEN');
		await expectCode(services.workflow.submit(WEB, coordinatorKEN, others.id, 1), 'FORBIDDEN');
		const events = await listAuditEvents(database.db, { objectId: own.id });
		expect(events.map((e) => [e.action, e.actorRole])).toEqual([
			['initiative.created', 'coordinator'],
			['initiative.updated', 'coordinator'],
			['initiative.submitted', 'coordinator']
		]);
	});

	it('mass assignment: a patch with status, version or role is refused, naming the fields, and the row is unchanged', async () => {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput());
		const err = await expectCode(
			services.workflow.update(WEB, editorA, draft.id, 1, { status: 'published' }),
			'VALIDATION_FAILED'
		);
		expect(err.issues.map((i) => i.field)).toEqual(['status']);
		const err2 = await expectCode(
			services.workflow.update(WEB, editorA, draft.id, 1, {
				title: 'Fine',
				version: 99,
				role: 'admin',
				ownerOrganisationId: null,
				createdBy: null
			}),
			'VALIDATION_FAILED'
		);
		expect(err2.issues.map((i) => i.field).sort()).toEqual(['createdBy', 'ownerOrganisationId', 'role', 'version']);
		await expectCode(
			services.workflow.create(WEB, editorA, { ...initiativeInput(), status: 'published' }),
			'VALIDATION_FAILED'
		);
		const after = await services.workflow.get(SYSTEM_CLI, draft.id);
		expect(after).toEqual(draft);
		expect((await listAuditEvents(database.db, { objectId: draft.id })).map((e) => e.action)).toEqual([
			'initiative.created'
		]);
	});

	it('PATCH writes only the fields sent, and the audit row names exactly those', async () => {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput({ countries: ['KEN'] }));
		const updated = await services.workflow.update(WEB, editorA, draft.id, 1, {
			countries: ['UGA', 'KEN'],
			region: null
		});
		expect(updated).toMatchObject({
			version: 2,
			countries: ['KEN', 'UGA'],
			title: draft.title,
			sources: draft.sources
		});
		const [, event] = await listAuditEvents(database.db, { objectId: draft.id });
		expect(Object.keys(event?.changes ?? {}).sort()).toEqual(['countries', 'version']);
		// A patch that changes nothing writes nothing.
		expect(await services.workflow.update(WEB, editorA, draft.id, 2, { region: null })).toEqual(updated);
		expect(await listAuditEvents(database.db, { objectId: draft.id })).toHaveLength(2);
	});

	it('two updates based on the same version: the second gets CONFLICT with the current record; the first survives', async () => {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput());
		await services.workflow.update(WEB, editorA, draft.id, 1, { title: 'First editor' });
		const err = await expectCode(
			services.workflow.update(WEB, editorA2, draft.id, 1, {
				description: 'Second editor'
			}),
			'CONFLICT'
		);
		expect(err.current).toMatchObject({ id: draft.id, version: 2, title: 'First editor' });
		const after = await services.workflow.get(SYSTEM_CLI, draft.id);
		expect(after).toMatchObject({ version: 2, title: 'First editor', description: draft.description });
	});

	it('50 parallel identical publishes: exactly one succeeds, the others get CONFLICT, one audit row', async () => {
		const record = await inReview();
		const results = await Promise.allSettled(
			Array.from({ length: 50 }, () => services.workflow.publish(WEB, reviewerKEN, record.id, record.version))
		);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(ok).toHaveLength(1);
		expect(failed).toHaveLength(49);
		for (const f of failed) {
			expect(f.reason).toBeInstanceOf(DomainError);
			expect((f.reason as DomainError).code).toBe('CONFLICT');
		}
		const published = await listAuditEvents(database.db, { objectId: record.id, action: 'initiative.published' });
		expect(published).toHaveLength(1);
		const history = await services.workflow.history(SYSTEM_CLI, record.id);
		expect(history.map((h) => [h.version, h.status])).toEqual([
			[1, 'draft'],
			[2, 'in_review'],
			[3, 'published']
		]);
	});

	it('a failed audit insert rolls the change back (fail closed)', async () => {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput());
		const dataVersion = await readRegistryVersion(database.db);
		const broken: RequestContext = { channel: 'carrier-pigeon' as Channel, requestId: null };
		const err = await errorOf(services.workflow.update(broken, editorA, draft.id, 1, { title: 'Never saved' }));
		expect(err).toBeInstanceOf(Error);
		expect(err).not.toBeInstanceOf(DomainError);
		expect(await services.workflow.get(SYSTEM_CLI, draft.id)).toEqual(draft);
		expect(await services.workflow.history(SYSTEM_CLI, draft.id)).toHaveLength(1);
		expect(await readRegistryVersion(database.db)).toBe(dataVersion);
		expect(await errorOf(services.workflow.submit(broken, editorA, draft.id, 1))).not.toBeNull();
		expect((await services.workflow.get(SYSTEM_CLI, draft.id)).status).toBe('draft');
	});

	it('the public history starts at publication; the editors see every revision with review comments', async () => {
		let r = await services.workflow.create(WEB, editorA, initiativeInput({ title: 'Draft-era title' }));
		r = await services.workflow.submit(WEB, editorA, r.id, r.version);
		r = await services.workflow.requestChanges(WEB, reviewerKEN, r.id, r.version, 'Private: the source is weak.');
		expect(r.status).toBe('draft');
		r = await services.workflow.update(WEB, editorA, r.id, r.version, { title: 'Published title' });
		r = await services.workflow.submit(WEB, editorA, r.id, r.version);
		await expectCode(services.workflow.history(PUBLIC_API, r.id), 'INITIATIVE_NOT_FOUND');
		r = await services.workflow.approve(WEB, reviewerKEN, r.id, r.version);

		const publicHistory = await services.workflow.history(PUBLIC_API, r.id);
		expect(publicHistory.map((h) => [h.version, h.status])).toEqual([[6, 'published']]);
		expect(JSON.stringify(publicHistory)).not.toContain('Draft-era title');
		expect(JSON.stringify(publicHistory)).not.toContain('Private:');
		expect(publicHistory[0]).toMatchObject({ changedBy: null, comment: null });

		const full = await services.workflow.history(editorA, r.id);
		expect(full.map((h) => h.status)).toEqual(['draft', 'in_review', 'draft', 'draft', 'in_review', 'published']);
		expect(full[2]?.comment).toBe('Private: the source is weak.');
		expect(full[0]?.snapshot.title).toBe('Draft-era title');
		// Reviewers of the record's country see it too; a coordinator archives it, and the public loses it.
		expect(await services.workflow.history(reviewerKEN, r.id)).toHaveLength(6);
		const archived = await services.workflow.archive(WEB, coordinatorKEN, r.id, r.version);
		expect(archived.status).toBe('archived');
		await expectCode(services.workflow.history(PUBLIC_API, r.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(services.workflow.archive(WEB, reviewerKEN, r.id, archived.version), 'FORBIDDEN');
	});

	it('steps that do not fit the state are CONFLICT; a request for changes needs a comment', async () => {
		const draft = await services.workflow.create(WEB, editorA, initiativeInput());
		await expectCode(services.workflow.approve(CLI, SYSTEM_CLI, draft.id, 1), 'CONFLICT');
		const inRev = await services.workflow.submit(WEB, editorA, draft.id, 1);
		await expectCode(
			services.workflow.requestChanges(WEB, reviewerKEN, draft.id, inRev.version, '  '),
			'VALIDATION_FAILED'
		);
		await expectCode(services.workflow.submit(WEB, editorA, draft.id, 'two'), 'VALIDATION_FAILED');
		const published = await services.workflow.publish(CLI, SYSTEM_CLI, draft.id, inRev.version);
		await expectCode(
			services.workflow.update(CLI, SYSTEM_CLI, draft.id, published.version, { title: 'Edit in place' }),
			'CONFLICT'
		);
	});
});
