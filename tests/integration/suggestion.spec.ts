/**
 * Public suggestions on a real database: validation (nothing stored on bad input), storing with
 * hostile text, the honeypot, the per-address rate limit, who sees the queue (admins; coordinators
 * for their countries; nobody else), accept → a draft through the workflow service with its audit
 * rows, reject with a reason, and two reviewers deciding at once. Also the workspace lists and
 * buttons built on the access policy.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/core/shared/errors';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import {
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../src/lib/server/db/organisation.repository';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import {
	createSuggestionService,
	draftFromSuggestion,
	type SuggestionPayload
} from '../../src/lib/server/services/suggestion.service';
import { PUBLIC_API, PUBLIC_WEB, SYSTEM_CLI, type Viewer } from '../../src/lib/server/services/viewer';
import { HOSTILE, initiativeInput } from './builders';
import { openTestDatabase, tableCounts, testEngines } from './harness';

const WEB = (address = '203.0.113.7'): RequestContext => ({
	channel: 'web',
	requestId: 'req-sg',
	clientAddress: address
});

let seq = 0;
let addressSeq = 0;
/** A fresh client address per call, so tests do not share a rate-limit budget. */
const freshAddress = () => `198.51.100.${++addressSeq}`;

function payload(over: Partial<Record<keyof SuggestionPayload, unknown>> = {}): Record<string, unknown> {
	return {
		title: `  Suggested ${HOSTILE.script} ${HOSTILE.arabic} ${++seq}  `,
		description: `Who did what ${HOSTILE.cjk} ${HOSTILE.script}`,
		countries: ['UGA', 'KEN', 'KEN'],
		actionType: 'consultation',
		date: '2022-05',
		sourceUrl: 'https://example.org/report?x=<b>',
		sourceCitation: '',
		...over
	};
}

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

describe.each(testEngines())('public suggestions (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let admin: Viewer;
	let admin2: Viewer;
	let coordinatorKEN: Viewer;
	let coordinatorBRA: Viewer;
	let reviewerKEN: Viewer;
	let editorA: Viewer;
	let contributor: Viewer;

	async function account(role: string, setup: { org?: string; countries?: string[] } = {}): Promise<Viewer> {
		const { user } = await services.accounts.createUser(WEB(), CLI_ACTOR, {
			email: `sg-${role}-${++seq}@example.org`,
			role
		});
		await database.db.transaction(async (tx) => {
			if (setup.org) await upsertMembership(tx, user.id, setup.org);
			if (setup.countries) await replaceUserScopes(tx, user.id, setup.countries);
		});
		return services.workflow.viewerFor(user, 'web');
	}

	async function suggestionCount(): Promise<number> {
		return (await tableCounts(database)).suggestion ?? -1;
	}

	async function stored(p = payload(), contact: unknown = null): Promise<string> {
		const r = await services.suggestions.submit(WEB(freshAddress()), { payload: p, contact });
		if (r.outcome !== 'stored') throw new Error(`expected stored, got ${r.outcome}`);
		return r.id;
	}

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		const orgA = await insertOrganisation(database.db, { name: `Org ${HOSTILE.arabic}`, country: 'KEN' });
		admin = await account('admin');
		admin2 = await account('admin');
		coordinatorKEN = await account('coordinator', { countries: ['KEN'] });
		coordinatorBRA = await account('coordinator', { countries: ['BRA'] });
		reviewerKEN = await account('reviewer', { countries: ['KEN'] });
		editorA = await account('editor', { org: orgA.id });
		contributor = await account('contributor');
	});
	afterAll(() => database.close());

	it('refuses invalid suggestions field by field and stores nothing', async () => {
		const before = await suggestionCount();
		const cases: [Record<string, unknown>, string][] = [
			[payload({ sourceUrl: '' }), 'sourceUrl'],
			[payload({ sourceUrl: 'javascript:alert(1)' }), 'sourceUrl'],
			[payload({ title: '   ' }), 'title'],
			[payload({ title: 'x'.repeat(301) }), 'title'],
			[payload({ description: 'a\u0000b' }), 'description'],
			[payload({ countries: ['XXX'] }), 'countries.0'],
			[payload({ countries: Array.from({ length: 21 }, () => 'KEN') }), 'countries'],
			[payload({ actionType: 'coup' }), 'actionType'],
			[payload({ date: '2022-13' }), 'date'],
			[{ ...payload(), status: 'published' }, 'status']
		];
		for (const [p, field] of cases) {
			const err = await expectCode(
				services.suggestions.submit(WEB(freshAddress()), { payload: p }),
				'VALIDATION_FAILED'
			);
			expect(
				err.issues.map((i) => i.field),
				JSON.stringify(err.issues)
			).toContain(field);
		}
		await expectCode(
			services.suggestions.submit(WEB(freshAddress()), { payload: payload(), contact: 'c'.repeat(321) }),
			'VALIDATION_FAILED'
		);
		expect(await suggestionCount()).toBe(before);
	});

	it('stores a valid suggestion with hostile text, normalised, and publishes nothing', async () => {
		const initiativesBefore = (await tableCounts(database)).initiative;
		const id = await stored(payload({ title: `  Kept ${HOSTILE.script} ${HOSTILE.longName}  ` }), ` me@example.org `);
		const s = await services.suggestions.get(admin, id);
		expect(s).toMatchObject({
			status: 'new',
			contact: 'me@example.org',
			initiativeId: null,
			payload: {
				title: `Kept ${HOSTILE.script} ${HOSTILE.longName}`,
				countries: ['KEN', 'UGA'],
				date: '2022-05',
				sourceCitation: null
			}
		});
		expect((await tableCounts(database)).initiative).toBe(initiativesBefore);
	});

	it('a filled honeypot "succeeds" without storing anything', async () => {
		const before = await suggestionCount();
		const r = await services.suggestions.submit(WEB(freshAddress()), {
			payload: payload(),
			honeypot: 'http://spam.example'
		});
		expect(r).toEqual({ outcome: 'discarded' });
		// Even an invalid payload with a filled honeypot is dropped silently.
		expect(await services.suggestions.submit(WEB(freshAddress()), { payload: { junk: 1 }, honeypot: 'x' })).toEqual({
			outcome: 'discarded'
		});
		expect(await suggestionCount()).toBe(before);
	});

	it('limits suggestions per client address (5 an hour), counting honeypot hits but not invalid forms', async () => {
		let clock = Date.parse('2026-03-01T10:00:00Z');
		const limited = createSuggestionService(database, services.workflow, { now: () => new Date(clock) });
		const a = WEB('192.0.2.10');
		for (let i = 0; i < 3; i++) {
			await expectCode(limited.submit(a, { payload: payload({ sourceUrl: 'nope' }) }), 'VALIDATION_FAILED');
		}
		expect(await limited.submit(a, { payload: payload(), honeypot: 'bot' })).toEqual({ outcome: 'discarded' });
		for (let i = 0; i < 4; i++) expect((await limited.submit(a, { payload: payload() })).outcome).toBe('stored');
		const before = await suggestionCount();
		expect(await limited.submit(a, { payload: payload() })).toEqual({
			outcome: 'rate_limited',
			retryAfterSeconds: 3600
		});
		// Another address is not affected; nothing was stored for the refused one.
		expect((await limited.submit(WEB('192.0.2.11'), { payload: payload() })).outcome).toBe('stored');
		expect(await suggestionCount()).toBe(before + 1);
		clock += 30 * 60_000;
		expect(await limited.submit(a, { payload: payload() })).toEqual({
			outcome: 'rate_limited',
			retryAfterSeconds: 1800
		});
		clock += 30 * 60_000 + 1;
		expect((await limited.submit(a, { payload: payload() })).outcome).toBe('stored');
	});

	it('shows the queue to admins (all) and coordinators (their countries) only', async () => {
		const ken = await stored(payload({ countries: ['KEN'] }), 'private@example.org');
		const global = await stored(payload({ countries: [] }));
		const adminIds = (await services.suggestions.list(admin)).map((s) => s.id);
		expect(adminIds).toEqual(expect.arrayContaining([ken, global]));
		const coordIds = (await services.suggestions.list(coordinatorKEN)).map((s) => s.id);
		expect(coordIds).toContain(ken);
		expect(coordIds).not.toContain(global);
		expect((await services.suggestions.list(coordinatorBRA)).map((s) => s.id)).not.toContain(ken);
		await expectCode(services.suggestions.get(coordinatorBRA, ken), 'NOT_FOUND');
		await expectCode(services.suggestions.get(coordinatorKEN, global), 'NOT_FOUND');
		for (const v of [reviewerKEN, editorA, contributor]) {
			expect(services.suggestions.canTriage(v)).toBe(false);
			await expectCode(services.suggestions.list(v), 'FORBIDDEN');
			await expectCode(services.suggestions.get(v, ken), 'FORBIDDEN');
		}
		await expectCode(services.suggestions.list(PUBLIC_WEB), 'AUTH_REQUIRED');
		await expectCode(services.suggestions.get(admin, 'not-a-uuid'), 'NOT_FOUND');
		expect(services.suggestions.canAccept(admin)).toBe(true);
		// Coordinators create drafts concerning their countries (policy row), so they may accept too.
		expect(services.suggestions.canAccept(coordinatorKEN)).toBe(true);
	});

	it('a coordinator accepts a suggestion naming their country: the draft is theirs and concerns it', async () => {
		const id = await stored(payload({ countries: ['KEN', 'UGA'], title: `Coordinated ${HOSTILE.script}` }));
		await expectCode(services.suggestions.accept(WEB(), coordinatorBRA, id), 'NOT_FOUND');
		const { initiativeId } = await services.suggestions.accept(WEB(), coordinatorKEN, id);
		const draft = await services.workflow.get(coordinatorKEN, initiativeId);
		expect(draft).toMatchObject({ status: 'draft', countries: ['KEN', 'UGA'], title: `Coordinated ${HOSTILE.script}` });
		expect((await services.suggestions.get(coordinatorKEN, id)).status).toBe('accepted');
		await expectCode(services.workflow.get(coordinatorBRA, initiativeId), 'INITIATIVE_NOT_FOUND');
		const events = await listAuditEvents(database.db, { objectId: initiativeId });
		expect(events.map((e) => [e.action, e.actorRole])).toEqual([['initiative.created', 'coordinator']]);
	});

	it('accept makes a draft through the workflow service, with audit rows; the public sees nothing', async () => {
		const id = await stored(payload({ sourceCitation: `Report ${HOSTILE.arabic}` }), 'someone@example.org');
		const { initiativeId } = await services.suggestions.accept(WEB(), admin, id);
		const draft = await services.workflow.get(admin, initiativeId);
		const s = await services.suggestions.get(admin, id);
		expect(draft).toMatchObject({
			key: `suggestion-${id}`,
			status: 'draft',
			version: 1,
			title: s.payload.title,
			countries: ['KEN', 'UGA'],
			scope: 'regional',
			dateStart: '2022-05',
			datePrecision: 'month',
			actionType: 'consultation',
			sources: [{ citation: `Report ${HOSTILE.arabic}`, url: 'https://example.org/report?x=<b>' }],
			verificationStatus: 'reported',
			createdBy: (admin as Extract<Viewer, { kind: 'user' }>).user.id
		});
		expect(s).toMatchObject({ status: 'accepted', initiativeId });
		await expectCode(services.registry.get(PUBLIC_API, initiativeId), 'INITIATIVE_NOT_FOUND');
		const events = await listAuditEvents(database.db, { objectType: 'suggestion', objectId: id });
		expect(events.map((e) => e.action)).toEqual(['suggestion.accepted']);
		expect(events[0]).toMatchObject({ channel: 'web', requestId: 'req-sg', actorRole: 'admin' });
		expect(events[0]?.changes).toMatchObject({ initiativeId: { before: null, after: initiativeId } });
		expect((await listAuditEvents(database.db, { objectId: initiativeId })).map((e) => e.action)).toEqual([
			'initiative.created'
		]);
		// Decided once: a second accept or a reject is a conflict.
		await expectCode(services.suggestions.accept(WEB(), admin, id), 'CONFLICT');
		await expectCode(services.suggestions.reject(WEB(), admin, id, 'Too late'), 'CONFLICT');
		expect((await services.suggestions.list(admin, 'accepted')).map((x) => x.id)).toContain(id);
	});

	it('maps a suggestion without countries or date to a global record of unknown date, citing the host', () => {
		const d = draftFromSuggestion('6f1c2e0a-0000-4000-8000-000000000001', {
			title: 'T',
			description: 'D',
			countries: [],
			actionType: 'other',
			date: null,
			sourceUrl: 'https://www.example.org/a',
			sourceCitation: null
		});
		expect(d).toMatchObject({
			scope: 'global',
			dateStart: null,
			datePrecision: 'unknown',
			sources: [{ citation: 'www.example.org', url: 'https://www.example.org/a' }]
		});
	});

	it('reject needs a reason, which is kept in the audit trail and shown in the queue', async () => {
		const id = await stored(payload({ countries: ['KEN'] }));
		const before = await listAuditEvents(database.db, { objectType: 'suggestion', objectId: id });
		await expectCode(services.suggestions.reject(WEB(), coordinatorKEN, id, '   '), 'VALIDATION_FAILED');
		await expectCode(services.suggestions.reject(WEB(), coordinatorBRA, id, 'Not mine'), 'NOT_FOUND');
		expect((await services.suggestions.get(admin, id)).status).toBe('new');
		expect(before).toEqual([]);

		const reason = `Not about the GCM ${HOSTILE.script} ${HOSTILE.arabic}`;
		await services.suggestions.reject(WEB(), coordinatorKEN, id, `  ${reason}  `);
		const rejected = (await services.suggestions.list(coordinatorKEN, 'rejected')).find((s) => s.id === id);
		expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: reason, initiativeId: null });
		const events = await listAuditEvents(database.db, { objectType: 'suggestion', objectId: id });
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ action: 'suggestion.rejected', actorRole: 'coordinator' });
		expect(events[0]?.changes).toMatchObject({ reason: { before: null, after: reason } });
		await expectCode(services.suggestions.accept(WEB(), admin, id), 'CONFLICT');
	});

	it('two admins accepting at once: one draft, one conflict', async () => {
		const id = await stored();
		const results = await Promise.allSettled([
			services.suggestions.accept(WEB(), admin, id),
			services.suggestions.accept(WEB(), admin2, id)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(failed).toHaveLength(1);
		expect((failed[0]?.reason as DomainError).code).toBe('CONFLICT');
		const drafts = await database.db.execute(
			sql`SELECT count(*)::int AS n FROM initiative WHERE key = ${`suggestion-${id}`}`
		);
		expect(Number((drafts as unknown as { rows: { n: number }[] }).rows[0]?.n)).toBe(1);
	});

	it('when the draft cannot be made, the suggestion goes back to the queue and no acceptance is recorded', async () => {
		const id = await stored();
		// Another record already holds the key the draft would get.
		await services.workflow.create(WEB(), SYSTEM_CLI, initiativeInput({ key: `suggestion-${id}` }));
		await expectCode(services.suggestions.accept(WEB(), admin, id), 'VALIDATION_FAILED');
		expect(await services.suggestions.get(admin, id)).toMatchObject({ status: 'new', initiativeId: null });
		expect(await listAuditEvents(database.db, { objectType: 'suggestion', objectId: id })).toEqual([]);
	});
});

describe.each(testEngines())('workspace lists and buttons (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
	});
	afterAll(() => database.close());

	async function viewer(role: string, countries: string[] = []): Promise<Viewer> {
		const { user } = await services.accounts.createUser(WEB(), CLI_ACTOR, {
			email: `ws-${role}-${++seq}@example.org`,
			role
		});
		if (countries.length > 0) await database.db.transaction((tx) => replaceUserScopes(tx, user.id, countries));
		return services.workflow.viewerFor(user, 'web');
	}

	it('my drafts, the review queue of my countries, and the buttons the policy allows', async () => {
		const author = await viewer('contributor');
		const other = await viewer('contributor');
		const reviewerKEN = await viewer('reviewer', ['KEN']);
		const reviewerBRA = await viewer('reviewer', ['BRA']);
		const coordinatorKEN = await viewer('coordinator', ['KEN']);

		const mine = await services.workflow.create(WEB(), author, initiativeInput({ countries: ['KEN'] }));
		const theirs = await services.workflow.create(WEB(), other, initiativeInput({ countries: ['KEN'] }));
		expect((await services.workspace.myRecords(author)).map((r) => r.id)).toEqual([mine.id]);
		expect(services.workspace.allowedSteps(author, mine)).toEqual(['submit']);
		expect(services.workspace.canEdit(author, mine)).toBe(true);
		expect(services.workspace.canCreate(author)).toBe(true);
		expect(services.workspace.canCreate(reviewerKEN)).toBe(false);
		// A draft is not in anyone's review queue.
		expect((await services.workspace.reviewQueue(reviewerKEN)).map((r) => r.id)).not.toContain(mine.id);

		const inReview = await services.workflow.submit(WEB(), author, mine.id, 1);
		expect(services.workspace.allowedSteps(author, inReview)).toEqual([]);
		expect(services.workspace.canEdit(author, inReview)).toBe(false);
		expect((await services.workspace.reviewQueue(reviewerKEN)).map((r) => r.id)).toEqual([mine.id]);
		expect(await services.workspace.reviewQueue(reviewerBRA)).toEqual([]);
		expect(await services.workspace.reviewQueue(author)).toEqual([]);
		expect(services.workspace.allowedSteps(reviewerKEN, inReview)).toEqual(['approve', 'requestChanges', 'publish']);
		expect(services.workspace.allowedSteps(coordinatorKEN, inReview)).toEqual([
			'approve',
			'requestChanges',
			'publish',
			'archive'
		]);

		// Changes requested: the comment reaches the author's list and history, with the reviewer's name.
		await services.workflow.requestChanges(WEB(), reviewerKEN, mine.id, 2, `Add the source ${HOSTILE.script}`);
		const listed = (await services.workspace.myRecords(author)).find((r) => r.id === mine.id);
		expect(listed).toMatchObject({ status: 'draft', lastComment: `Add the source ${HOSTILE.script}` });
		const history = await services.workspace.history(author, mine.id);
		expect(history.map((h) => h.version)).toEqual([3, 2, 1]);
		expect(history[0]).toMatchObject({ status: 'draft', comment: `Add the source ${HOSTILE.script}` });
		expect(history[0]?.changedByName).toMatch(/^ws-reviewer-/);
		expect((await services.workspace.snapshotAt(author, mine.id, 1))?.title).toBe(mine.title);

		// Another contributor's draft is neither listed nor readable.
		expect((await services.workspace.myRecords(author)).map((r) => r.id)).not.toContain(theirs.id);
		await expectCode(services.workspace.history(author, theirs.id), 'INITIATIVE_NOT_FOUND');
	});
});
