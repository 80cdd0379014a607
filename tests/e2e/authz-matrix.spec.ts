/**
 * The authorization matrix replayed on the live app (issue #3): every role × action × state × own /
 * other scope, generated from the policy rows and the workflow's state machine
 * (tests/e2e/helpers/authz-matrix.ts; nothing here states an expectation by hand), on every surface:
 * - API: `/api/v1/{initiatives,practices,actors}` with each account's write token (the public without
 *   one): create, read, history, PATCH and the six steps;
 * - pages: the workspace form actions posted as a browser without JavaScript does (session cookie,
 *   same-origin Origin), and the workspace record page (with its history, full or published-only);
 * - exports: the public CSV/JSON downloads, and the links the registry page offers, fetched as every
 *   role (cookie and token) contain published records only;
 * - CLI: `gcm export` (the operator's surface: no account, run with the data directory's lock)
 *   without `--include-unpublished` never includes drafts; with it, it does and is audited.
 * An allowed action must answer 2xx (303 for a form) and change the record as the state machine says
 * (checked with an admin read); a denied one 403, or 404 for records the person may not read, and
 * change nothing (the record's version and status, read as an admin, are the same; no refused
 * creation exists in the database at the end).
 */
import { rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordType } from '../../src/lib/core/access/policy';
import type { RecordStatus } from '../../src/lib/core/registry/vocabulary';
import { en } from '../../src/lib/i18n/messages/en';
import { openDatabase } from '../../src/lib/server/db/client';
import {
	ACCOUNT_OF,
	createCases,
	FIXTURE_KINDS,
	MATRIX_ROLES,
	recordCases,
	type AccountName,
	type CreateCase,
	type FixtureKindName,
	type RecordCase,
	type Surface
} from './helpers/authz-matrix';
import {
	apiBody,
	apiRequest,
	contentFor,
	formFields,
	getPage,
	PLURAL,
	postForm,
	seedAuthzAccounts,
	signInOverHttp,
	STEP_SLUG,
	type AuthzSetup
} from './helpers/authz-fixtures';
import { gcmEnv, makeDataDir, runGcm, startServer, type RunningServer } from './server';

/** Fixture groups replayed at once (the server is one process; a little overlap hides latency). */
const CONCURRENCY = 3;
const PUBLIC_ONLY_HISTORY = en['workspace.history_public_only'];
/** The write-shape fields a public API answer must not carry. */
const WORKFLOW_FIELDS = ['status', 'version', 'owner_organisation_id'] as const;

let dataDir: string;
let server: RunningServer;
let setup: AuthzSetup;
const cookies = {} as Record<AccountName, string>;

/** A record made by this run, as it stands now (kept current after every allowed change). */
interface Rec {
	type: RecordType;
	id: string;
	label: string;
	version: number;
	status: RecordStatus;
	content: Record<string, unknown>;
}
/** Every record the run made, by id (exports and the CLI are checked against it). */
const ledger = new Map<string, Rec>();
/** Everything that did not answer as the policy says, by surface, collected so one run reports all of it. */
const failures: Record<Surface, string[]> = { api: [], pages: [] };
let seq = 0;
const counters = { requests: 0, cases: 0 };

const tokenOf = (name: AccountName) => setup.accounts[name].token;
const adminToken = () => tokenOf('admin');
const recordPath = (type: RecordType, id: string) => `/api/v1/${PLURAL[type]}/${id}`;

function api(path: string, init: Parameters<typeof apiRequest>[2] = {}) {
	counters.requests++;
	return apiRequest(server.url, path, init);
}

async function jsonOf(res: Response): Promise<Record<string, unknown>> {
	const text = await res.text();
	try {
		return JSON.parse(text) as Record<string, unknown>;
	} catch {
		return { raw: text.slice(0, 300) };
	}
}

/** The record as an admin reads it through the API (any status). */
async function adminRead(type: RecordType, id: string) {
	const res = await api(recordPath(type, id), { token: adminToken() });
	const body = await jsonOf(res);
	if (res.status !== 200)
		throw new Error(`admin read of ${type} ${id} answered ${res.status}: ${JSON.stringify(body)}`);
	return body as { status: RecordStatus; version: number; description: string };
}

async function createThroughApi(
	type: RecordType,
	author: AccountName,
	content: Record<string, unknown>,
	label: string,
	owner?: string
): Promise<Rec> {
	const res = await api(`/api/v1/${PLURAL[type]}`, {
		method: 'POST',
		token: tokenOf(author),
		body: apiBody(content, owner ? { owner_organisation_id: owner } : {})
	});
	const body = await jsonOf(res);
	if (res.status !== 201) throw new Error(`fixture ${label}: create answered ${res.status} ${JSON.stringify(body)}`);
	const rec: Rec = { type, id: String(body.id), label, version: Number(body.version), status: 'draft', content };
	ledger.set(rec.id, rec);
	return rec;
}

/** Moves a record one step as the admin (fixtures only). */
async function adminStep(rec: Rec, step: keyof typeof STEP_SLUG): Promise<void> {
	const res = await api(`${recordPath(rec.type, rec.id)}/${STEP_SLUG[step]}`, {
		method: 'POST',
		token: adminToken(),
		ifMatch: rec.version
	});
	const body = await jsonOf(res);
	if (res.status !== 200)
		throw new Error(`fixture ${rec.label}: ${step} answered ${res.status} ${JSON.stringify(body)}`);
	rec.version = Number(body.version);
	rec.status = body.status as RecordStatus;
}

/** A fresh record of a fixture kind in a state (drafts written by an admin go through publish → unpublish). */
async function makeFixture(type: RecordType, kindName: FixtureKindName, state: RecordStatus): Promise<Rec> {
	const kind = FIXTURE_KINDS[kindName];
	const label = `${type.slice(0, 3)}-${kindName}-${state}-${++seq}`;
	const content = contentFor(setup.run, type, label, kind.country);
	const owner = kind.author === 'admin' && kind.owner ? setup.organisations[kind.owner] : undefined;
	const rec = await createThroughApi(type, kind.author, content, label, owner);
	if (state === 'draft' && kind.author === 'admin') {
		await adminStep(rec, 'publish');
		await adminStep(rec, 'unpublish');
	}
	if (state === 'in_review') await adminStep(rec, 'submit');
	if (state === 'published') await adminStep(rec, 'publish');
	if (state === 'archived') await adminStep(rec, 'archive');
	if (rec.status !== state) throw new Error(`fixture ${label} is ${rec.status}, not ${state}`);
	return rec;
}

const describeCase = (c: RecordCase | CreateCase, extra = '') =>
	`[${c.surface}] ${c.role} ${'op' in c ? `${c.op} ${c.type} ${c.state} (${c.fixture}: ${c.relations.join('+')})` : `create ${c.type} ${JSON.stringify(c.target)} (${c.relations.join('+')})`}${extra}`;

// ---------------------------------------------------------------------------------------------
// One case on one record

/** Sends the case's request; returns the response. */
function send(c: RecordCase, rec: Rec, nonce: string): Promise<Response> {
	const account = ACCOUNT_OF[c.role];
	if (c.surface === 'api') {
		const token = account ? tokenOf(account) : null;
		const path = recordPath(c.type, rec.id);
		switch (c.op) {
			case 'read':
				return api(path, { token });
			case 'history':
				return api(`${path}/history`, { token });
			case 'update':
				return api(path, { method: 'PATCH', token, ifMatch: rec.version, body: { description: nonce } });
			default: {
				const comment =
					c.op === 'approve'
						? { comment: `Approved ${nonce}` }
						: c.op === 'requestChanges'
							? { comment: `Please add a source ${nonce}` }
							: undefined;
				return api(`${path}/${STEP_SLUG[c.op]}`, { method: 'POST', token, ifMatch: rec.version, body: comment });
			}
		}
	}
	const cookie = account ? cookies[account] : null;
	const path = `/workspace/${PLURAL[c.type]}/${rec.id}`;
	counters.requests++;
	switch (c.op) {
		case 'read':
			// The public reads the public pages; practices have none of their own (the list shows the published ones).
			if (c.role === 'public') return getPage(server.url, PUBLIC_PAGE[c.type](rec), null);
			return getPage(server.url, path, cookie);
		case 'update':
			return postForm(server.url, `${path}/edit?/save`, cookie, [
				...formFields(c.type, { ...rec.content, description: nonce }),
				['version', String(rec.version)]
			]);
		case 'history':
			throw new Error('the pages replay has no separate history request');
		default:
			return postForm(server.url, `${path}?/step`, cookie, [
				['step', c.op],
				['version', String(rec.version)],
				['comment', c.op === 'requestChanges' || c.op === 'approve' ? `Comment ${nonce}` : '']
			]);
	}
}

/** The public page of a record. */
const PUBLIC_PAGE: Record<RecordType, (r: Rec) => string> = {
	initiative: (r) => `/initiatives/${r.id}`,
	practice: () => '/practices',
	actor: (r) => `/actors/${r.id}`
};

/** Checks the answer of one case (and, for an allowed change, the record afterwards). */
async function check(c: RecordCase, rec: Rec): Promise<void> {
	counters.cases++;
	const nonce = `${setup.run} edit ${++seq}`;
	const res = await send(c, rec, nonce);
	const e = c.expect;
	const fail = (what: string) => failures[c.surface].push(describeCase(c, `: ${what}`));
	if (c.surface === 'pages' && c.role === 'public' && c.op === 'read' && c.type === 'practice') {
		// The practices list: 200 always; the practice is on it exactly when the public may read it.
		const html = await res.text();
		const listed = html.includes(String(rec.content.key)) || html.includes(String(rec.content.name));
		if (res.status !== 200) fail(`the practices list answered ${res.status}`);
		if (listed !== (e.kind === 'ok')) fail(`listed=${listed}, policy says ${e.kind}`);
		return;
	}
	if (res.status !== e.status) {
		const text = (await res.text()).slice(0, 200).replace(/\s+/g, ' ');
		return void fail(
			`expected ${e.status} (${e.kind}), got ${res.status} ${res.headers.get('location') ?? ''} ${text}`
		);
	}
	if (e.kind === 'unauthenticated') {
		if (c.surface === 'pages' && !(res.headers.get('location') ?? '').startsWith('/account/sign-in')) {
			fail(`expected a redirect to sign-in, got ${res.headers.get('location')}`);
		}
		await res.body?.cancel();
		return;
	}
	if (e.kind !== 'ok') return void (await res.body?.cancel());

	if (c.op === 'read' || c.op === 'history') {
		if (c.surface === 'pages' && c.role === 'public') {
			const html = await res.text();
			if (!html.includes(String(rec.content.title ?? rec.content.name)))
				fail('the public page does not show the record');
			return;
		}
		if (c.surface === 'pages') {
			const html = await res.text();
			const full = !html.includes(PUBLIC_ONLY_HISTORY);
			if (full !== e.fullHistory) fail(`page history full=${full}, policy says ${e.fullHistory}`);
			return;
		}
		const body = await jsonOf(res);
		if (c.op === 'read') {
			if (body.id !== rec.id) fail(`read returned ${String(body.id)}`);
			if (c.role !== 'public') {
				// With a token: the record in its current status and version.
				if (body.status !== rec.status || body.version !== rec.version) {
					fail(`read shows ${String(body.status)} v${String(body.version)}, expected ${rec.status} v${rec.version}`);
				}
			} else {
				// Without a token: the public shape, with no workflow field at all (every record kind).
				const shown = WORKFLOW_FIELDS.filter((f) => f in body);
				if (shown.length > 0) fail(`the public read shows ${shown.join(', ')}`);
			}
			return;
		}
		const items = (body.items ?? []) as {
			changed_by: string | null;
			snapshot?: Record<string, unknown>;
			record?: Record<string, unknown>;
		}[];
		const full = items.some((i) => i.changed_by !== null);
		if (items.length === 0) fail('history is empty');
		if (full !== e.fullHistory) fail(`history full=${full}, policy says ${e.fullHistory}`);
		{
			// Public-history snapshots in the public shape, full-history ones with the version (initiatives
			// call the snapshot `record`).
			for (const i of items) {
				const snapshot = c.type === 'initiative' ? i.record : i.snapshot;
				const shown = WORKFLOW_FIELDS.filter((f) => snapshot && f in snapshot);
				if (e.fullHistory ? shown.length !== WORKFLOW_FIELDS.length : shown.length > 0) {
					fail(`history snapshot shows [${shown.join(', ')}] (full=${e.fullHistory})`);
				}
			}
		}
		return;
	}

	// An allowed change: the answer, then the record as the admin reads it.
	if (c.surface === 'api') {
		const body = await jsonOf(res);
		if (body.status !== e.to || body.version !== rec.version + 1) {
			fail(`answered status ${String(body.status)} v${String(body.version)}, expected ${e.to} v${rec.version + 1}`);
		}
	} else {
		const done = c.op === 'update' ? 'saved' : c.op;
		const location = res.headers.get('location');
		if (location !== `/workspace/${PLURAL[c.type]}/${rec.id}?done=${done}`) fail(`redirected to ${location}`);
		await res.body?.cancel();
	}
	const after = await adminRead(c.type, rec.id);
	if (after.status !== e.to || after.version !== rec.version + 1) {
		fail(`record is ${after.status} v${after.version}, expected ${e.to} v${rec.version + 1}`);
	}
	if (c.op === 'update' && after.description !== nonce) fail(`description not saved (${after.description})`);
	rec.status = after.status;
	rec.version = after.version;
	rec.content = { ...rec.content, description: after.description };
}

/**
 * One fixture group (a type, a state, a fixture kind): the cases that change nothing run against one
 * record, which must then be unchanged; each allowed change gets a fresh record of the same kind.
 */
async function replayGroup(cases: RecordCase[]): Promise<void> {
	const { type, fixture, state } = cases[0]!;
	const changes = cases.filter((c) => c.expect.kind === 'ok' && c.op !== 'read' && c.op !== 'history');
	const still = cases.filter((c) => !changes.includes(c));
	const rec = await makeFixture(type, fixture, state);
	for (const c of still) await check(c, rec);
	const after = await adminRead(type, rec.id);
	if (after.version !== rec.version || after.status !== rec.status) {
		failures[cases[0]!.surface].push(
			`[${cases[0]!.surface}] ${type} ${fixture} ${state}: refused or read-only requests changed it to ${after.status} v${after.version}`
		);
	}
	for (const [i, c] of changes.entries()) {
		await check(c, i === 0 ? rec : await makeFixture(type, fixture, state));
	}
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: n }, async () => {
			while (next < items.length) await fn(items[next++]!);
		})
	);
}

async function replaySurface(surface: Surface): Promise<{ cases: number; ms: number }> {
	const started = Date.now();
	const before = counters.cases;
	const groups = new Map<string, RecordCase[]>();
	for (const c of recordCases(surface)) {
		const key = `${c.type}|${c.state}|${c.fixture}`;
		groups.set(key, [...(groups.get(key) ?? []), c]);
	}
	await pool([...groups.values()], CONCURRENCY, replayGroup);
	return { cases: counters.cases - before, ms: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Creation

async function replayCreate(c: CreateCase): Promise<void> {
	counters.cases++;
	const account = ACCOUNT_OF[c.role];
	const outcome = c.expect.kind === 'ok' ? 'made' : 'denied';
	const label = `${c.type.slice(0, 3)}-create-${c.surface}-${c.role}-${c.target.country}${c.target.owner ?? ''}-${outcome}-${++seq}`;
	const content = contentFor(setup.run, c.type, label, c.target.country);
	let res: Response;
	if (c.surface === 'api') {
		res = await api(`/api/v1/${PLURAL[c.type]}`, {
			method: 'POST',
			token: account ? tokenOf(account) : null,
			body: apiBody(content, c.target.owner ? { owner_organisation_id: setup.organisations[c.target.owner] } : {})
		});
	} else {
		counters.requests++;
		res = await postForm(server.url, `/workspace/${PLURAL[c.type]}/new?/save`, account ? cookies[account] : null, [
			...formFields(c.type, content)
		]);
	}
	const fail = (what: string) => failures[c.surface].push(describeCase(c, `: ${what}`));
	if (res.status !== c.expect.status) {
		const text = (await res.text()).slice(0, 200).replace(/\s+/g, ' ');
		return void fail(`expected ${c.expect.status} (${c.expect.kind}), got ${res.status} ${text}`);
	}
	if (c.expect.kind !== 'ok') {
		if (c.surface === 'pages' && c.expect.kind === 'unauthenticated') {
			if (!(res.headers.get('location') ?? '').startsWith('/account/sign-in')) fail('not sent to sign-in');
		}
		return void (await res.body?.cancel());
	}
	let id: string;
	if (c.surface === 'api') {
		id = String((await jsonOf(res)).id);
	} else {
		const m = /^\/workspace\/[a-z]+\/([0-9a-f-]{36})\?done=created$/.exec(res.headers.get('location') ?? '');
		await res.body?.cancel();
		if (!m) return void fail(`redirected to ${res.headers.get('location')}`);
		id = m[1]!;
	}
	const after = await adminRead(c.type, id);
	if (after.status !== 'draft' || after.version !== 1) fail(`created record is ${after.status} v${after.version}`);
	ledger.set(id, { type: c.type, id, label, version: after.version, status: after.status, content });
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
	dataDir = makeDataDir();
	setup = await seedAuthzAccounts(dataDir);
	server = await startServer({ dataDir });
	for (const name of Object.keys(setup.accounts) as AccountName[]) {
		const a = setup.accounts[name];
		cookies[name] = await signInOverHttp(server.url, a.email, a.totpSecret);
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('authorization matrix, replayed on every surface', () => {
	it('the accounts are what the matrix says (roles, second factor, workspace access)', async () => {
		for (const role of MATRIX_ROLES) {
			const account = ACCOUNT_OF[role];
			const res = await getPage(server.url, '/workspace', account ? cookies[account] : null);
			expect(res.status, `${role} on /workspace`).toBe(account ? 200 : 303);
			await res.body?.cancel();
		}
		expect(setup.accounts.admin.totpSecret).not.toBeNull();
		expect(setup.accounts.coordinator.totpSecret).not.toBeNull();
	});

	it(
		'API: every role × action × state × scope on initiatives, practices and actors',
		{ timeout: 900_000 },
		async () => {
			const requestsBefore = counters.requests;
			const creates = createCases('api');
			await pool(creates, CONCURRENCY, replayCreate);
			const { cases, ms } = await replaySurface('api');
			console.log(
				`[authz] API: ${cases} record cases + ${creates.length} creations, ${counters.requests - requestsBefore} requests, ${ms} ms`
			);
			expect(failures.api).toEqual([]);
		}
	);

	it('pages: the same matrix through the workspace forms and record pages', { timeout: 900_000 }, async () => {
		const requestsBefore = counters.requests;
		const creates = createCases('pages');
		await pool(creates, CONCURRENCY, replayCreate);
		const { cases, ms } = await replaySurface('pages');
		console.log(
			`[authz] pages: ${cases} record cases + ${creates.length} creations, ${counters.requests - requestsBefore} requests, ${ms} ms`
		);
		expect(failures.pages).toEqual([]);
	});

	it(
		'exports: every role, signed in or with a token, downloads published records only',
		{ timeout: 300_000 },
		async () => {
			const initiatives = [...ledger.values()].filter((r) => r.type === 'initiative');
			const keyOf = (r: Rec) => String(r.content.key);
			expect(initiatives.filter((r) => r.status !== 'published').length).toBeGreaterThan(10);
			expect(initiatives.filter((r) => r.status === 'published').length).toBeGreaterThan(5);
			for (const state of ['draft', 'in_review', 'archived'] as const) {
				expect(
					initiatives.some((r) => r.status === state),
					`an initiative is ${state}`
				).toBe(true);
			}
			const problems: string[] = [];
			const checkBody = (who: string, url: string, body: string) => {
				if (!body.includes(setup.backgroundKey))
					problems.push(`${who} ${url}: the published background record is missing`);
				for (const r of initiatives) {
					const shown = body.includes(keyOf(r));
					if (shown !== (r.status === 'published'))
						problems.push(`${who} ${url}: ${r.label} (${r.status}) shown=${shown}`);
				}
			};
			for (const role of MATRIX_ROLES) {
				const account = ACCOUNT_OF[role];
				const cookie = account ? cookies[account] : null;
				// The links the registry page offers (its own filter carried on), as this person sees the page.
				const page = await getPage(server.url, `/initiatives?q=${encodeURIComponent(setup.run)}`, cookie);
				expect(page.status).toBe(200);
				const links = [
					...(await page.text()).matchAll(/href="(\/api\/v1\/initiatives\/export\.(?:csv|json)[^"]*)"/g)
				].map((m) => m[1]!.replaceAll('&amp;', '&'));
				expect(links.length, `${role}: download links on /initiatives`).toBe(2);
				const urls = ['/api/v1/initiatives/export.csv', '/api/v1/initiatives/export.json', ...links];
				for (const url of urls) {
					const viaCookie = await getPage(server.url, url, cookie);
					expect(viaCookie.status, `${role} ${url}`).toBe(200);
					checkBody(`${role} (session)`, url, await viaCookie.text());
					if (account) {
						const viaToken = await api(url, { token: tokenOf(account) });
						expect(viaToken.status, `${role} ${url} with a token`).toBe(200);
						checkBody(`${role} (token)`, url, await viaToken.text());
					}
				}
			}
			expect(problems).toEqual([]);
		}
	);

	it(
		'CLI (the operator, with the data directory locked): gcm export shows drafts only with --include-unpublished, audited; refused creations left nothing',
		{ timeout: 300_000 },
		async () => {
			expect(await server.stop()).toBe(0);
			const initiatives = [...ledger.values()].filter((r) => r.type === 'initiative');
			const auditCount = async () => {
				const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
				try {
					const r = (await database.db.execute(
						sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'initiative.exported_unpublished' AND channel = 'cli'`
					)) as unknown as { rows: { n: number }[] };
					return Number(r.rows[0]?.n);
				} finally {
					await database.close();
				}
			};
			const before = await auditCount();
			for (const format of ['csv', 'json']) {
				const pub = await runGcm(['export', '--format', format], gcmEnv(dataDir), 120_000);
				expect(pub.code, pub.stderr).toBe(0);
				const all = await runGcm(['export', '--format', format, '--include-unpublished'], gcmEnv(dataDir), 120_000);
				expect(all.code, all.stderr).toBe(0);
				for (const r of initiatives) {
					const key = String(r.content.key);
					expect(pub.stdout.includes(key), `${format} ${r.label} (${r.status}) without the flag`).toBe(
						r.status === 'published'
					);
					expect(all.stdout.includes(key), `${format} ${r.label} (${r.status}) with the flag`).toBe(true);
				}
			}
			// One audit row per export that included unpublished records (the service-level test with the
			// row's fields is tests/integration/import.spec.ts, "audits an export that includes unpublished records").
			expect(await auditCount()).toBe(before + 2);

			const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
			try {
				const pattern = `${setup.run}-%-create-%-denied-%`;
				const r = (await database.db.execute(sql`
					SELECT (SELECT count(*) FROM initiative WHERE key LIKE ${pattern})::int AS initiatives,
					       (SELECT count(*) FROM practice WHERE key LIKE ${pattern})::int AS practices,
					       (SELECT count(*) FROM actor WHERE name LIKE ${pattern})::int AS actors
				`)) as unknown as { rows: { initiatives: number; practices: number; actors: number }[] };
				expect(r.rows[0]).toEqual({ initiatives: 0, practices: 0, actors: 0 });
				// And the allowed creations are there (the pattern finds what it should).
				const made = `${setup.run}-%-create-%-made-%`;
				const m = (await database.db.execute(
					sql`SELECT count(*)::int AS n FROM actor WHERE name LIKE ${made}`
				)) as unknown as { rows: { n: number }[] };
				expect(Number(m.rows[0]?.n)).toBe(
					[...ledger.values()].filter((x) => x.type === 'actor' && x.label.includes('-create-')).length
				);
			} finally {
				await database.close();
			}
		}
	);
});
