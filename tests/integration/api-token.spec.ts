/**
 * API tokens on a real database (issue #3): a token is shown once and only its SHA-256 is stored;
 * revocation and expiry take effect at the next request; `read` tokens never write; tokens
 * narrowed to an organisation or a country act only there (404 for unpublished records outside,
 * 403 for writes to published ones); the account's own permissions still apply; stale If-Match
 * versions are PRECONDITION_FAILED with the current record; audit rows for token changes (never
 * the secret) and for API writes (channel `api`).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/lib/core/shared/errors';
import { updateUser } from '../../src/lib/server/db/account.repository';
import { findApiTokenHash } from '../../src/lib/server/db/api-token.repository';
import { listAuditEvents } from '../../src/lib/server/db/audit.repository';
import type { Database } from '../../src/lib/server/db/client';
import {
	deleteMembership,
	insertOrganisation,
	replaceUserScopes,
	upsertMembership
} from '../../src/lib/server/db/organisation.repository';
import { rows } from '../../src/lib/server/db/sql';
import { createRateLimiter } from '../../src/lib/server/http/rate-limit';
import { createServices } from '../../src/lib/server/runtime';
import {
	CLI_ACTOR,
	sha256Hex,
	type AccountUser,
	type RequestContext
} from '../../src/lib/server/services/account.service';
import {
	createApiTokenService,
	DEFAULT_TOKEN_DAYS,
	type ApiTokenService,
	type CreateTokenInput
} from '../../src/lib/server/services/api-token.service';
import { createInitiativeWorkflowService } from '../../src/lib/server/services/initiative-workflow.service';
import { SYSTEM_CLI } from '../../src/lib/server/services/viewer';
import { HOSTILE, initiativeInput } from './builders';
import { openTestDatabase, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-tok-web', clientAddress: '198.51.100.7' };
const API: RequestContext = { channel: 'api', requestId: 'req-tok-api', clientAddress: '198.51.100.7' };
const CLI: RequestContext = { channel: 'cli', requestId: null };
const DAY = 24 * 60 * 60_000;

async function errorOf(p: Promise<unknown>): Promise<unknown> {
	return p.then(
		() => null,
		(e: unknown) => e
	);
}

async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
	const err = await errorOf(p);
	expect(err, String(err)).toBeInstanceOf(DomainError);
	expect((err as DomainError).code, (err as DomainError).message).toBe(code);
	return err as DomainError;
}

/** The workflow input of initiativeInput, as the API route passes it (a plain record). */
const body = (over: Parameters<typeof initiativeInput>[0] = {}) =>
	initiativeInput(over) as unknown as Record<string, unknown>;

let seq = 0;

describe.each(testEngines())('API tokens (%s)', (engine) => {
	let database: Database;
	let services: ReturnType<typeof createServices>;
	let tokens: ApiTokenService;
	let clock = new Date('2026-03-01T10:00:00Z');
	const now = () => clock;
	let orgA: string;
	let orgB: string;

	async function account(role: string, setup: { orgs?: string[]; countries?: string[]; totp?: boolean } = {}) {
		const { user } = await services.accounts.createUser(CLI, CLI_ACTOR, {
			email: `tok-${role}-${++seq}@example.org`,
			displayName: `${role} ${HOSTILE.arabic}`,
			role
		});
		await database.db.transaction(async (tx) => {
			for (const org of setup.orgs ?? []) await upsertMembership(tx, user.id, org);
			if (setup.countries) await replaceUserScopes(tx, user.id, setup.countries);
			// Admins and coordinators can only use tokens once two-step sign-in is on.
			if (setup.totp) await updateUser(tx, user.id, { totpEnabled: true }, new Date());
		});
		return { ...user, totpEnabled: setup.totp ?? false };
	}

	async function issue(user: AccountUser, input: CreateTokenInput = {}) {
		const created = await tokens.create(
			WEB,
			{ user, mfa: 'ok' },
			{ name: `Script ${++seq}`, access: 'write', ...input }
		);
		const principal = await tokens.authenticate(API, `Bearer ${created.token}`);
		return { ...created, principal };
	}

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		services = createServices(database);
		tokens = createApiTokenService(database, {
			now,
			workflow: createInitiativeWorkflowService(database, { now }),
			bearerLimiter: createRateLimiter({ now: () => clock.getTime(), maxFailures: 1000 })
		});
		orgA = (await insertOrganisation(database.db, { name: `Organisation A ${HOSTILE.script}`, country: 'KEN' })).id;
		orgB = (await insertOrganisation(database.db, { name: `Organisation B ${HOSTILE.cjk}`, country: 'UGA' })).id;
	});
	afterAll(() => database.close());

	it('shows the secret once, stores only its SHA-256 and a 6-character hint, and audits without the secret', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const name = `Nightly import ${HOSTILE.script} ${HOSTILE.arabic}`;
		const created = await tokens.create(WEB, { user: editor, mfa: 'ok' }, { name, access: 'read' });
		expect(created.token).toMatch(/^gcm_[A-Za-z0-9_-]{43}$/);
		expect(created.summary).toMatchObject({
			name,
			access: 'read',
			hint: created.token.slice(4, 10),
			organisationId: null,
			country: null,
			state: 'active',
			lastUsedAt: null,
			revokedAt: null
		});
		expect(created.summary.expiresAt.getTime() - clock.getTime()).toBe(DEFAULT_TOKEN_DAYS * DAY);

		expect(await findApiTokenHash(database.db, created.summary.id)).toBe(sha256Hex(created.token));
		const [row] = await rows<{ json: string }>(
			database.db,
			sql`SELECT row_to_json(t)::text AS json FROM api_token t WHERE id = ${created.summary.id}::uuid`
		);
		expect(row?.json).not.toContain(created.token);
		expect(row?.json).not.toContain(created.token.slice(4));

		const listed = await tokens.list(editor);
		expect(listed.map((t) => t.id)).toEqual([created.summary.id]);
		expect(JSON.stringify(listed)).not.toContain(created.token.slice(4));

		const events = await listAuditEvents(database.db, { objectType: 'api_token', objectId: created.summary.id });
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({
			action: 'api_token.created',
			actorId: editor.id,
			channel: 'web',
			requestId: 'req-tok-web'
		});
		expect(events[0]?.changes).toMatchObject({ name: { after: name }, access: { after: 'read' } });
		const audited = JSON.stringify(events[0]);
		expect(audited).not.toContain(created.token.slice(4));
		expect(audited).not.toContain(sha256Hex(created.token));
	});

	it('refuses bad input with VALIDATION_FAILED and writes nothing; narrowing only to your own organisations and countries', async () => {
		const editor = await account('editor', { orgs: [orgA], countries: ['KEN'] });
		const session = { user: editor, mfa: 'ok' as const };
		const cases: [CreateTokenInput, string][] = [
			[{ name: '', access: 'read' }, 'name'],
			[{ name: '   ', access: 'read' }, 'name'],
			[{ name: 'x'.repeat(101), access: 'read' }, 'name'],
			[{ name: 'nul\u0000byte', access: 'read' }, 'name'],
			[{ name: 'ok', access: 'admin' }, 'access'],
			[{ name: 'ok', access: 'read', expiresInDays: '0' }, 'expiresInDays'],
			[{ name: 'ok', access: 'read', expiresInDays: '366' }, 'expiresInDays'],
			[{ name: 'ok', access: 'read', expiresInDays: '1.5' }, 'expiresInDays'],
			[{ name: 'ok', access: 'read', expiresInDays: 'soon' }, 'expiresInDays'],
			[{ name: 'ok', access: 'read', organisationId: orgB }, 'organisationId'],
			[{ name: 'ok', access: 'read', organisationId: 'not-a-uuid' }, 'organisationId'],
			[{ name: 'ok', access: 'read', country: 'UGA' }, 'country'],
			[{ name: 'ok', access: 'read', country: 'XXX' }, 'country']
		];
		for (const [input, field] of cases) {
			const err = await expectCode(tokens.create(WEB, session, input), 'VALIDATION_FAILED');
			expect(
				err.issues.map((i) => i.field),
				JSON.stringify(input)
			).toContain(field);
		}
		expect(await tokens.list(editor)).toEqual([]);

		const narrowed = await tokens.create(WEB, session, {
			name: 'Kenya only',
			access: 'write',
			organisationId: orgA,
			country: 'ken',
			expiresInDays: '365'
		});
		expect(narrowed.summary).toMatchObject({ organisationId: orgA, country: 'KEN' });
		expect(narrowed.summary.organisationName).toContain(HOSTILE.script);
		expect(narrowed.summary.expiresAt.getTime() - clock.getTime()).toBe(365 * DAY);
		expect(await tokens.choices(editor)).toEqual({
			organisations: [{ id: orgA, name: expect.stringContaining('Organisation A') }],
			countries: ['KEN']
		});
	});

	it('needs a fully signed-in session (second factor checked where the role requires it)', async () => {
		const coordinator = await account('coordinator', { countries: ['KEN'], totp: true });
		await expectCode(tokens.create(WEB, null, { name: 'x', access: 'read' }), 'AUTH_REQUIRED');
		await expectCode(
			tokens.create(WEB, { user: coordinator, mfa: 'verify' }, { name: 'x', access: 'read' }),
			'FORBIDDEN'
		);
		await expectCode(
			tokens.create(WEB, { user: coordinator, mfa: 'enrol' }, { name: 'x', access: 'read' }),
			'FORBIDDEN'
		);
		expect(await tokens.list(coordinator)).toEqual([]);
	});

	it('authenticates only live tokens of active accounts; revoked, expired, disabled and malformed are API_TOKEN_INVALID', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const { token, summary, principal } = await issue(editor, { expiresInDays: '1' });
		expect(principal).toMatchObject({ tokenId: summary.id, access: 'write', user: { id: editor.id, role: 'editor' } });
		for (const header of [
			'',
			'Bearer',
			`Basic ${Buffer.from('a:b').toString('base64')}`,
			`Bearer ${token}x`,
			`Bearer ${token.slice(0, -1)}`,
			`Bearer gcm_${'A'.repeat(43)}`,
			`Bearer ${token} ${token}`,
			`Bearer ${HOSTILE.script}`
		]) {
			await expectCode(tokens.authenticate(API, header), 'API_TOKEN_INVALID');
		}
		// The scheme is case-insensitive (RFC 6750).
		expect((await tokens.authenticate(API, `bearer ${token}`)).tokenId).toBe(summary.id);

		// Expiry: valid one millisecond before, refused at the expiry instant.
		const saved = clock;
		clock = new Date(summary.expiresAt.getTime() - 1);
		expect((await tokens.authenticate(API, `Bearer ${token}`)).tokenId).toBe(summary.id);
		clock = summary.expiresAt;
		await expectCode(tokens.authenticate(API, `Bearer ${token}`), 'API_TOKEN_INVALID');
		expect((await tokens.list(editor))[0]?.state).toBe('expired');
		clock = saved;

		// A disabled account's tokens stop working.
		const other = await issue(editor);
		await updateUser(database.db, editor.id, { status: 'disabled' }, new Date());
		await expectCode(tokens.authenticate(API, `Bearer ${other.token}`), 'API_TOKEN_INVALID');
		await updateUser(database.db, editor.id, { status: 'active' }, new Date());
		expect((await tokens.authenticate(API, `Bearer ${other.token}`)).tokenId).toBe(other.summary.id);

		// An admin whose two-step sign-in is not set up cannot use a token.
		const admin = await account('admin', { totp: true });
		const adminToken = await issue(admin);
		await updateUser(database.db, admin.id, { totpEnabled: false }, new Date());
		await expectCode(tokens.authenticate(API, `Bearer ${adminToken.token}`), 'API_TOKEN_INVALID');
	});

	it('records the last use at most once a minute', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const { token, summary } = await issue(editor);
		const lastUsed = async () => (await tokens.list(editor)).find((t) => t.id === summary.id)?.lastUsedAt;
		const first = await lastUsed();
		expect(first?.getTime()).toBe(clock.getTime());
		const saved = clock;
		clock = new Date(saved.getTime() + 30_000);
		await tokens.authenticate(API, `Bearer ${token}`);
		expect((await lastUsed())?.getTime()).toBe(saved.getTime());
		clock = new Date(saved.getTime() + 61_000);
		await tokens.authenticate(API, `Bearer ${token}`);
		expect((await lastUsed())?.getTime()).toBe(saved.getTime() + 61_000);
		clock = saved;
	});

	it('revokes at once; only the owner can, once; audited', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const stranger = await account('editor', { orgs: [orgA] });
		const { token, summary } = await issue(editor);
		await expectCode(tokens.revoke(WEB, stranger, summary.id), 'NOT_FOUND');
		await expectCode(tokens.revoke(WEB, editor, 'not-a-uuid'), 'NOT_FOUND');
		expect((await tokens.authenticate(API, `Bearer ${token}`)).tokenId).toBe(summary.id);

		await tokens.revoke(WEB, editor, summary.id);
		await expectCode(tokens.authenticate(API, `Bearer ${token}`), 'API_TOKEN_INVALID');
		await expectCode(tokens.revoke(WEB, editor, summary.id), 'NOT_FOUND');
		expect((await tokens.list(editor))[0]).toMatchObject({ id: summary.id, state: 'revoked' });

		const events = await listAuditEvents(database.db, { objectType: 'api_token', objectId: summary.id });
		expect(events.map((e) => e.action)).toEqual(['api_token.created', 'api_token.revoked']);
		expect(events[1]).toMatchObject({ actorId: editor.id, channel: 'web' });
		expect(JSON.stringify(events)).not.toContain(token.slice(4));
	});

	it('locks out a client address after repeated failures (Retry-After), even for a valid token, with backoff', async () => {
		const limited = createApiTokenService(database, {
			now,
			bearerLimiter: createRateLimiter({ now: () => clock.getTime(), maxFailures: 3, baseLockoutMs: 60_000 })
		});
		const editor = await account('editor', { orgs: [orgA] });
		const { token } = await issue(editor);
		const attacker: RequestContext = { ...API, clientAddress: '203.0.113.9' };
		await expectCode(limited.authenticate(attacker, 'Bearer gcm_wrong'), 'API_TOKEN_INVALID');
		// A success from the same address does not clear the count (one valid token must not reset guessing).
		expect((await limited.authenticate(attacker, `Bearer ${token}`)).user.id).toBe(editor.id);
		await expectCode(limited.authenticate(attacker, 'Bearer gcm_wrong'), 'API_TOKEN_INVALID');
		const locked = await expectCode(limited.authenticate(attacker, 'Bearer gcm_wrong'), 'RATE_LIMITED');
		expect(Number(locked.issues[0]?.message)).toBe(60);
		await expectCode(limited.authenticate(attacker, `Bearer ${token}`), 'RATE_LIMITED');
		// Other addresses are not affected.
		expect((await limited.authenticate({ ...API, clientAddress: '203.0.113.10' }, `Bearer ${token}`)).user.id).toBe(
			editor.id
		);
		const saved = clock;
		clock = new Date(saved.getTime() + 61_000);
		expect((await limited.authenticate(attacker, `Bearer ${token}`)).user.id).toBe(editor.id);
		clock = saved;
	});

	it('write flow through the workflow: create, PATCH from the right version, stale version → PRECONDITION_FAILED, submit; audited as api', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const { principal } = await issue(editor);
		const draft = await tokens.createInitiative(API, principal, body({ title: `API draft ${HOSTILE.script}` }));
		expect(draft).toMatchObject({ status: 'draft', version: 1, ownerOrganisationId: orgA, createdBy: editor.id });

		const edited = await tokens.updateInitiative(API, principal, draft.id, 1, { description: 'Edited by a script' });
		expect(edited).toMatchObject({ version: 2, description: 'Edited by a script' });

		const stale = await expectCode(
			tokens.updateInitiative(API, principal, draft.id, 1, { description: 'Lost update' }),
			'PRECONDITION_FAILED'
		);
		expect(stale.current).toMatchObject({ id: draft.id, version: 2, description: 'Edited by a script' });
		await expectCode(tokens.stepInitiative(API, principal, 'submit', draft.id, 1), 'PRECONDITION_FAILED');

		const submitted = await tokens.stepInitiative(API, principal, 'submit', draft.id, 2);
		expect(submitted).toMatchObject({ status: 'in_review', version: 3 });
		// The policy lets editors submit drafts only; a step that does not fit the state is a CONFLICT
		// (409, with the current record), not a failed precondition.
		await expectCode(tokens.stepInitiative(API, principal, 'submit', draft.id, 3), 'FORBIDDEN');
		const admin = (await issue(await account('admin', { totp: true }))).principal;
		const wrongState = await expectCode(tokens.stepInitiative(API, admin, 'unpublish', draft.id, 3), 'CONFLICT');
		expect(wrongState.current).toMatchObject({ id: draft.id, version: 3, status: 'in_review' });

		const events = await listAuditEvents(database.db, { objectType: 'initiative', objectId: draft.id });
		expect(events.map((e) => e.action)).toEqual(['initiative.created', 'initiative.updated', 'initiative.submitted']);
		for (const e of events) expect(e).toMatchObject({ channel: 'api', actorId: editor.id, requestId: 'req-tok-api' });
	});

	it('parallel PATCHes from one version: exactly one wins, the rest are PRECONDITION_FAILED', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const { principal } = await issue(editor);
		const draft = await tokens.createInitiative(API, principal, body());
		const results = await Promise.all(
			Array.from({ length: 5 }, (_, n) =>
				errorOf(tokens.updateInitiative(API, principal, draft.id, 1, { description: `Writer ${n}` }))
			)
		);
		const failures = results.filter((r) => r !== null) as DomainError[];
		expect(failures).toHaveLength(4);
		for (const f of failures) expect(f.code).toBe('PRECONDITION_FAILED');
		expect((await services.workflow.get(SYSTEM_CLI, draft.id)).version).toBe(2);
		expect(await listAuditEvents(database.db, { objectId: draft.id, action: 'initiative.updated' })).toHaveLength(1);
	});

	it('read tokens read (drafts included) but never write', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const writer = (await issue(editor)).principal;
		const reader = (await issue(editor, { access: 'read' })).principal;
		const draft = await tokens.createInitiative(API, writer, body());
		expect((await tokens.getInitiative(reader, draft.id)).id).toBe(draft.id);
		expect((await tokens.initiativeHistory(reader, draft.id)).entries.map((h) => h.version)).toEqual([1]);
		const refused = await expectCode(tokens.createInitiative(API, reader, body()), 'FORBIDDEN');
		expect(refused.message).toMatch(/read-only/);
		await expectCode(tokens.updateInitiative(API, reader, draft.id, 1, { title: 'No' }), 'FORBIDDEN');
		await expectCode(tokens.stepInitiative(API, reader, 'submit', draft.id, 1), 'FORBIDDEN');
		expect((await services.workflow.get(SYSTEM_CLI, draft.id)).version).toBe(1);
	});

	it("a token never does more than its account: the policy and the account's current memberships still decide", async () => {
		const editorA = await account('editor', { orgs: [orgA] });
		const editorB = await account('editor', { orgs: [orgB] });
		const a = (await issue(editorA)).principal;
		const b = (await issue(editorB)).principal;
		const draft = await tokens.createInitiative(API, a, body());
		// Another organisation's draft does not exist for B's token.
		await expectCode(tokens.getInitiative(b, draft.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(tokens.updateInitiative(API, b, draft.id, 1, { title: 'Hijack' }), 'INITIATIVE_NOT_FOUND');
		// An editor may not review, whatever the token says.
		const submitted = await tokens.stepInitiative(API, a, 'submit', draft.id, 1);
		await expectCode(tokens.stepInitiative(API, a, 'approve', draft.id, submitted.version), 'FORBIDDEN');
		// Records can only be created for the account's own organisations.
		await expectCode(tokens.createInitiative(API, a, body(), orgB), 'FORBIDDEN');
		// Leaving the organisation takes effect on the next request, for the existing token too.
		await deleteMembership(database.db, editorA.id, orgA);
		await expectCode(tokens.getInitiative(a, draft.id), 'INITIATIVE_NOT_FOUND');
		await upsertMembership(database.db, editorA.id, orgA);
		expect((await tokens.getInitiative(a, draft.id)).id).toBe(draft.id);
	});

	it('organisation narrowing: records of other organisations are out of reach (404 unpublished, 403 published)', async () => {
		const editor = await account('editor', { orgs: [orgA, orgB] });
		const coordinator = await account('coordinator', { countries: ['KEN'], totp: true });
		const full = (await issue(editor)).principal;
		const onlyA = (await issue(editor, { organisationId: orgA })).principal;
		const coord = (await issue(coordinator)).principal;

		// The narrowed token's records belong to its organisation; another owner is refused.
		const mine = await tokens.createInitiative(API, onlyA, body());
		expect(mine.ownerOrganisationId).toBe(orgA);
		await expectCode(tokens.createInitiative(API, onlyA, body(), orgB), 'FORBIDDEN');
		await expectCode(tokens.createInitiative(API, onlyA, body(), null), 'FORBIDDEN');

		const ofB = await tokens.createInitiative(API, full, body(), orgB);
		expect(ofB.ownerOrganisationId).toBe(orgB);
		await expectCode(tokens.getInitiative(onlyA, ofB.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(tokens.initiativeHistory(onlyA, ofB.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(tokens.updateInitiative(API, onlyA, ofB.id, 1, { title: 'x' }), 'INITIATIVE_NOT_FOUND');
		await expectCode(tokens.stepInitiative(API, onlyA, 'submit', ofB.id, 1), 'INITIATIVE_NOT_FOUND');

		// Once published, B's record is readable like for the public, still not writable.
		const inReview = await tokens.stepInitiative(API, full, 'submit', ofB.id, 1);
		const published = await tokens.stepInitiative(API, coord, 'approve', ofB.id, inReview.version, 'Fine.');
		expect(published.status).toBe('published');
		expect((await tokens.getInitiative(onlyA, ofB.id)).id).toBe(ofB.id);
		const refused = await expectCode(
			tokens.stepInitiative(API, onlyA, 'archive', ofB.id, published.version),
			'FORBIDDEN'
		);
		expect(refused.message).toContain(orgA);
		// Its history is the public one there (no reviewers, no comments, no draft-era versions).
		// The view says so, and the route then maps the snapshots in the public shape.
		const history = await tokens.initiativeHistory(onlyA, ofB.id);
		expect(history.view).toBe('public');
		expect(history.entries.map((h) => h.status)).toEqual(['published']);
		expect(history.entries[0]).toMatchObject({ changedBy: null, comment: null });
		// The same account with an unnarrowed token sees the whole history.
		const whole = await tokens.initiativeHistory(full, ofB.id);
		expect(whole.view).toBe('full');
		expect(whole.entries.length).toBe(3);
	});

	it('country narrowing: a coordinator of Kenya and Uganda with a Kenya token approves only Kenyan records', async () => {
		const editor = await account('editor', { orgs: [orgA] });
		const coordinator = await account('coordinator', { countries: ['KEN', 'UGA'], totp: true });
		const author = (await issue(editor)).principal;
		const kenOnly = (await issue(coordinator, { country: 'KEN' })).principal;
		const both = (await issue(coordinator)).principal;

		const ken = await tokens.createInitiative(API, author, body({ countries: ['KEN'] }));
		const uga = await tokens.createInitiative(API, author, body({ countries: ['UGA'] }));
		const kenReview = await tokens.stepInitiative(API, author, 'submit', ken.id, 1);
		const ugaReview = await tokens.stepInitiative(API, author, 'submit', uga.id, 1);

		await expectCode(tokens.getInitiative(kenOnly, uga.id), 'INITIATIVE_NOT_FOUND');
		await expectCode(tokens.stepInitiative(API, kenOnly, 'approve', uga.id, ugaReview.version), 'INITIATIVE_NOT_FOUND');
		const approved = await tokens.stepInitiative(API, kenOnly, 'approve', ken.id, kenReview.version, 'Checked.');
		expect(approved.status).toBe('published');

		const ugaPublished = await tokens.stepInitiative(API, both, 'approve', uga.id, ugaReview.version);
		await expectCode(tokens.stepInitiative(API, kenOnly, 'unpublish', uga.id, ugaPublished.version), 'FORBIDDEN');
		expect((await services.workflow.get(SYSTEM_CLI, uga.id)).status).toBe('published');

		// A Kenya-narrowed writer creates only records that concern Kenya, and cannot move one out of Kenya.
		const kenEditor = await account('editor', { orgs: [orgA], countries: ['KEN'] });
		const kenWriter = (await issue(kenEditor, { country: 'KEN' })).principal;
		await expectCode(tokens.createInitiative(API, kenWriter, body({ countries: ['UGA'] })), 'FORBIDDEN');
		const kenDraft = await tokens.createInitiative(API, kenWriter, body({ countries: ['KEN', 'UGA'] }));
		await expectCode(tokens.updateInitiative(API, kenWriter, kenDraft.id, 1, { countries: ['UGA'] }), 'FORBIDDEN');
		expect((await tokens.updateInitiative(API, kenWriter, kenDraft.id, 1, { countries: ['KEN'] })).countries).toEqual([
			'KEN'
		]);
	});
});
