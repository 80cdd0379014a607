/**
 * The write API as a script uses it (issue #3): people create API tokens on /account/tokens in a
 * browser without JavaScript (a coordinator only after two-step sign-in), then plain `fetch`
 * calls create a draft with a bearer token, PATCH it with If-Match, get 412 on a stale version
 * and 428 without one, submit it, and a coordinator's token approves it, after which it is in the
 * public API. Browser session cookies cannot write through the API, a cookie plus a bad token is
 * 401, a read token cannot write and a revoked token is 401. The tokens page passes axe.
 *
 * Accounts are created with `gcm user create` and the organisation membership and country scope
 * written directly to the (fresh) data directory before the server starts: the CLI and `gcm serve`
 * cannot hold the data directory's lock at the same time, and there are no commands for those yet.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	apiRequest,
	createAccountWithCli,
	createTokenThroughPage,
	placeAccounts,
	setPasswordThroughLink,
	signInThroughPages,
	type ApiInit
} from './helpers/session';
import { launchBrowser, makeDataDir, PROJECT_ROOT, startServer, type RunningServer } from './server';

const EDITOR = 'e2e-api-editor@example.org';
const COORDINATOR = 'e2e-api-coordinator@example.org';
const ORG_NAME = 'Red de Apoyo <script>x</script> شبكة';

let dataDir: string;
let server: RunningServer;
let browser: Browser;
const links = new Map<string, string>();
const contexts: BrowserContext[] = [];

async function newPage(options: { javaScriptEnabled?: boolean; bypassCSP?: boolean } = {}) {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', ...options });
	contexts.push(context);
	return { context, page: await context.newPage() };
}

/** Signs in with the password (an editor lands on /account). */
async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
	const { context, page } = await newPage();
	await signInThroughPages(page, server.url, email);
	return { context, page };
}

/** First sign-in: sets the password through the CLI's link; a coordinator then enrols TOTP. */
async function firstSignIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
	const { context, page } = await newPage();
	await setPasswordThroughLink(page, server.url, links.get(email) ?? '');
	await signInThroughPages(page, server.url, email);
	return { context, page };
}

/** Creates a token on /account/tokens and returns the secret shown once. */
async function createToken(page: Page, name: string, access: 'read' | 'write', extra: { country?: string } = {}) {
	const token = await createTokenThroughPage(page, server.url, name, access, extra);
	expect(await page.locator('[role=alert]').innerText()).toContain('shown only this once');
	return token;
}

const api = (path: string, init: ApiInit = {}) => apiRequest(server.url, path, init);

const draftBody = {
	key: 'e2e-api-draft',
	title: `Script draft ${ORG_NAME} 移民`,
	description: 'Created by a script <b>through the API</b>.',
	action_type: 'project',
	initiator_kinds: ['civil_society'],
	initiators: ['Red de Apoyo'],
	scope: 'national',
	regional_scope: false,
	region: null,
	countries: ['KEN'],
	date_start: '2024-05',
	date_end: null,
	date_precision: 'month',
	date_text: null,
	predates_gcm: false,
	objectives: [16],
	principles: [],
	sources: [{ citation: 'Annual report', url: 'https://example.org/report' }],
	verification_status: 'reported',
	report_table: null,
	report_row: null,
	original_text: null
};

beforeAll(async () => {
	dataDir = makeDataDir();
	for (const [email, role] of [
		[EDITOR, 'editor'],
		[COORDINATOR, 'coordinator']
	] as const) {
		links.set(email, (await createAccountWithCli(dataDir, email, role)).linkPath);
	}
	await placeAccounts(dataDir, {
		organisation: { name: ORG_NAME, country: 'KEN', members: [EDITOR] },
		scopes: { [COORDINATOR]: ['KEN'] }
	});
	server = await startServer({ dataDir });
	browser = await launchBrowser();
}, 300_000);

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await browser?.close();
	const code = await server?.stop();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('write API with tokens', () => {
	it(
		'script flow: POST draft → PATCH with If-Match → 412 stale → submit → coordinator approves → public',
		{ timeout: 180_000 },
		async () => {
			const editorSession = await firstSignIn(EDITOR);
			const editorToken = await createToken(
				editorSession.page,
				`Import <script>alert(1)</script> ${ORG_NAME}`,
				'write'
			);
			const readToken = await createToken(editorSession.page, 'Read only', 'read');
			const coordinatorSession = await firstSignIn(COORDINATOR);
			const coordinatorToken = await createToken(coordinatorSession.page, 'Kenya approvals', 'write', {
				country: 'KEN'
			});

			// The list shows the tokens (never the secret), hostile names escaped.
			await editorSession.page.goto(`${server.url}/account/tokens`);
			const list = await editorSession.page.locator('table.tokens').innerText();
			expect(list).toContain('Import <script>alert(1)</script>');
			expect(list).toContain(`gcm_${editorToken.slice(4, 10)}…`);
			expect(list).not.toContain(editorToken.slice(4));
			expect(list).toContain('Never');
			expect(await editorSession.page.locator('table.tokens script').count()).toBe(0);

			// Create.
			const created = await api('/api/v1/initiatives', { method: 'POST', token: editorToken, body: draftBody });
			const draft = (await created.json()) as {
				id: string;
				version: number;
				status: string;
				owner_organisation_id: string;
			};
			expect(created.status, JSON.stringify(draft)).toBe(201);
			expect(created.headers.get('etag')).toBe('"1"');
			expect(created.headers.get('location')).toBe(`/api/v1/initiatives/${draft.id}`);
			expect(created.headers.get('cache-control')).toBe('no-store');
			expect(draft).toMatchObject({ status: 'draft', version: 1, owner_organisation_id: expect.any(String) });

			// Not public yet.
			expect((await api(`/api/v1/initiatives/${draft.id}`)).status).toBe(404);
			const own = await api(`/api/v1/initiatives/${draft.id}`, { token: readToken });
			expect(own.status).toBe(200);
			expect(own.headers.get('etag')).toBe('"1"');

			// PATCH needs If-Match (428), then works from the right version.
			const noPrecondition = await api(`/api/v1/initiatives/${draft.id}`, {
				method: 'PATCH',
				token: editorToken,
				body: { description: 'No If-Match' }
			});
			expect(noPrecondition.status).toBe(428);
			expect(await noPrecondition.json()).toMatchObject({ code: 'PRECONDITION_REQUIRED' });
			const patched = await api(`/api/v1/initiatives/${draft.id}`, {
				method: 'PATCH',
				token: editorToken,
				headers: { 'if-match': '"1"' },
				body: { description: 'Edited by the script.', objectives: [16, 23] }
			});
			expect(patched.status).toBe(200);
			expect(patched.headers.get('etag')).toBe('"2"');
			expect(await patched.json()).toMatchObject({ version: 2, objectives: [16, 23] });

			// A stale version: 412 with the current record.
			const stale = await api(`/api/v1/initiatives/${draft.id}`, {
				method: 'PATCH',
				token: editorToken,
				headers: { 'if-match': '"1"' },
				body: { description: 'Lost update' }
			});
			expect(stale.status).toBe(412);
			expect(stale.headers.get('etag')).toBe('"2"');
			const staleProblem = (await stale.json()) as { code: string; current: { version: number; description: string } };
			expect(staleProblem).toMatchObject({ code: 'PRECONDITION_FAILED', current: { version: 2 } });
			expect(staleProblem.current.description).toBe('Edited by the script.');

			// Mass assignment is refused by name.
			const sneaky = await api(`/api/v1/initiatives/${draft.id}`, {
				method: 'PATCH',
				token: editorToken,
				headers: { 'if-match': '"2"' },
				body: { status: 'published' }
			});
			expect(sneaky.status).toBe(400);
			expect(await sneaky.json()).toMatchObject({ errors: [{ parameter: 'status' }] });

			// A read token cannot write (403), even with the right version.
			const readWrite = await api(`/api/v1/initiatives/${draft.id}/submit`, {
				method: 'POST',
				token: readToken,
				headers: { 'if-match': '"2"' }
			});
			expect(readWrite.status).toBe(403);
			expect(((await readWrite.json()) as { detail: string }).detail).toMatch(/read-only/);

			// Submit; the editor cannot approve (the account's own permissions apply).
			const submitted = await api(`/api/v1/initiatives/${draft.id}/submit`, {
				method: 'POST',
				token: editorToken,
				headers: { 'if-match': '"2"' }
			});
			expect(submitted.status).toBe(200);
			expect(await submitted.json()).toMatchObject({ status: 'in_review', version: 3 });
			const selfApprove = await api(`/api/v1/initiatives/${draft.id}/approve`, {
				method: 'POST',
				token: editorToken,
				headers: { 'if-match': '"3"' }
			});
			expect(selfApprove.status).toBe(403);

			// The public list before the approval: an ETag of its bytes, 304 when asked with it.
			const listPath = `/api/v1/initiatives?q=${encodeURIComponent('Script draft')}`;
			const before = await api(listPath);
			const listEtag = before.headers.get('etag') ?? '';
			expect(listEtag).toMatch(/^"[\w-]{32}"$/);
			expect(before.headers.get('cache-control')).toBe('no-cache');
			expect(((await before.json()) as { items: { id: string }[] }).items.map((i) => i.id)).not.toContain(draft.id);
			const unchanged = await api(listPath, { headers: { 'if-none-match': listEtag } });
			expect(unchanged.status).toBe(304);
			expect(await unchanged.text()).toBe('');

			// The coordinator's Kenya token approves, with a comment.
			const approved = await api(`/api/v1/initiatives/${draft.id}/approve`, {
				method: 'POST',
				token: coordinatorToken,
				headers: { 'if-match': '"3"' },
				body: { comment: 'Checked against the annual report.' }
			});
			expect(approved.status, await approved.clone().text()).toBe(200);
			expect(await approved.json()).toMatchObject({ status: 'published', version: 4 });

			// Public now, in the public shape.
			const pub = await api(`/api/v1/initiatives/${draft.id}`);
			expect(pub.status).toBe(200);
			const pubBody = (await pub.json()) as Record<string, unknown>;
			expect(pubBody).toMatchObject({ id: draft.id, title: draftBody.title, description: 'Edited by the script.' });
			expect(pubBody).not.toHaveProperty('status');
			// The list asked with the old ETag: a 200 with the new record and a new ETag.
			const after = await api(listPath, { headers: { 'if-none-match': listEtag } });
			expect(after.status).toBe(200);
			expect(after.headers.get('etag')).not.toBe(listEtag);
			const listed = (await after.json()) as { items: { id: string }[] };
			expect(listed.items.map((i) => i.id)).toContain(draft.id);

			// History: everything for the coordinator's token, only the publication for the public.
			const full = (await (
				await api(`/api/v1/initiatives/${draft.id}/history`, { token: coordinatorToken })
			).json()) as {
				items: { status: string; comment: string | null }[];
			};
			expect(full.items.map((i) => i.status)).toEqual(['draft', 'draft', 'in_review', 'published']);
			expect(full.items[3]?.comment).toBe('Checked against the annual report.');
			const publicHistory = (await (await api(`/api/v1/initiatives/${draft.id}/history`)).json()) as {
				items: { changed_by: string | null; comment: string | null; record: Record<string, unknown> }[];
			};
			expect(publicHistory.items).toHaveLength(1);
			expect(publicHistory.items[0]).toMatchObject({ changed_by: null, comment: null });
			// The public snapshot has the public shape: no workflow fields.
			for (const field of ['status', 'version', 'owner_organisation_id']) {
				expect(publicHistory.items[0]?.record).not.toHaveProperty(field);
			}

			// Last use is shown on the tokens page now.
			await editorSession.page.goto(`${server.url}/account/tokens`);
			const row = editorSession.page.locator('tr', { hasText: 'Import <script>' });
			expect(await row.locator('td').nth(4).innerText()).not.toBe('Never');
		}
	);

	it('browser sessions cannot write through the API; a cookie with a bad token is 401; revoked tokens are 401', async () => {
		const { context, page } = await signIn(EDITOR);
		const cookie = (await context.cookies()).find((c) => c.name === 'gcm_session');
		expect(cookie).toBeDefined();
		const cookieHeader = `gcm_session=${cookie!.value}`;

		// Cookie only: refused, with a bearer challenge; the same-origin Origin header does not help.
		const cookieOnly = await api('/api/v1/initiatives', {
			method: 'POST',
			headers: { cookie: cookieHeader, origin: server.url },
			body: { ...draftBody, key: 'e2e-cookie-write' }
		});
		expect(cookieOnly.status).toBe(401);
		expect(cookieOnly.headers.get('www-authenticate')).toBe('Bearer realm="gcm-observatory"');
		expect(await cookieOnly.json()).toMatchObject({ code: 'AUTH_REQUIRED' });

		// A valid cookie with an invalid bearer token: 401 invalid_token, the cookie is not used.
		const mixed = await api('/api/v1/initiatives', {
			headers: { cookie: cookieHeader },
			token: 'gcm_not-a-real-token'
		});
		expect(mixed.status).toBe(401);
		expect(mixed.headers.get('www-authenticate')).toBe('Bearer realm="gcm-observatory", error="invalid_token"');
		expect(mixed.headers.get('set-cookie')).toBeNull();

		// Revoke a token on the page (confirmation box required), then it is 401.
		const token = await createToken(page, 'Short-lived', 'write');
		expect((await api('/api/v1/initiatives?limit=1', { token })).status).toBe(200);
		await page.goto(`${server.url}/account/tokens`);
		const row = page.locator('tr', { hasText: 'Short-lived' });
		await row.locator('input[name=confirm]').check();
		await Promise.all([
			page.waitForURL((u) => u.pathname === '/account/tokens' && u.search === '?/revoke'),
			row.locator('button[type=submit]').click()
		]);
		expect(await page.locator('[role=status]').innerText()).toContain('revoked');
		expect(await page.locator('tr', { hasText: 'Short-lived' }).innerText()).toContain('Revoked');
		const revoked = await api('/api/v1/initiatives', {
			method: 'POST',
			token,
			body: { ...draftBody, key: 'e2e-revoked-write' }
		});
		expect(revoked.status).toBe(401);
		expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
		expect(await revoked.json()).toMatchObject({ code: 'API_TOKEN_INVALID' });
	});

	it('the tokens page has no serious accessibility violations (axe, WCAG 2.2 AA)', async () => {
		const signedIn = await signIn(EDITOR);
		expect(await signedIn.page.locator('a[href="/account/tokens"]').count()).toBe(1);

		const { context, page } = await newPage({ javaScriptEnabled: true, bypassCSP: true });
		await context.addCookies(await signedIn.context.cookies());
		const res = await page.goto(`${server.url}/account/tokens`);
		expect(res?.status()).toBe(200);
		expect(res?.headers()['cache-control']).toBe('no-store');
		await page.addScriptTag({
			content: readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
		});
		const result = (await page.evaluate(() =>
			// @ts-expect-error axe is a global injected above
			axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
		)) as { violations: { id: string; impact: string | null; nodes: { html: string }[] }[] };
		const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
	});
});
