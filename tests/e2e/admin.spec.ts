/**
 * The admin workspace in a real browser with JavaScript disabled: an admin signs in (two-step
 * set-up), invites a person (the link is shown once), the person sets a password and signs in; the
 * admin adds an organisation, gives the person a country scope and a membership, changes their role
 * (their session ends); the audit browser shows these events, the actor filter works, and the CSV
 * export downloads and parses (redacted). A non-admin is refused /admin (403) and the refused post
 * is in the trail as access.denied. axe on the admin pages.
 *
 * The first accounts are created with `gcm user create` before the server starts (the CLI and
 * `gcm serve` cannot hold the data directory's lock at the same time).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/lib/server/io/csv';
import { AUDIT_CSV_HEADER } from '../../src/lib/server/services/admin.service';
import { createAccountWithCli, setPasswordThroughLink, signInThroughPages, submit } from './helpers/session';
import { launchBrowser, makeDataDir, PROJECT_ROOT, startServer, type RunningServer } from './server';

const ADMIN = 'e2e-admin-area@example.org';
const EDITOR = 'e2e-admin-editor@example.org';
const INVITEE = 'e2e-invitee@example.org';
const INVITEE_NAME = `Amina <script>window.__pwned=1</script> أمينة 王芳`;
const ORG_NAME = `Red <b>Migrante</b> شبكة ${'ñ'.repeat(40)}`;

let dataDir: string;
let server: RunningServer;
let browser: Browser;
const links: Record<string, string> = {};
const contexts: BrowserContext[] = [];
let adminSession: BrowserContext;
let editorSession: BrowserContext;
let invitee: BrowserContext;
let inviteeId = '';
let orgId = '';

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', ...options });
	contexts.push(context);
	return context;
}

const path = (page: Page) => new URL(page.url()).pathname;

/** Sets the password through a one-time link and signs in; enrols TOTP when the role requires it. */
async function signInWithLink(link: string, email: string): Promise<BrowserContext> {
	const context = await newContext();
	const page = await context.newPage();
	await setPasswordThroughLink(page, server.url, link);
	await signInThroughPages(page, server.url, email);
	await page.close();
	return context;
}

async function open(context: BrowserContext, p: string, status = 200): Promise<Page> {
	const page = await context.newPage();
	const res = await page.goto(`${server.url}${p}`);
	expect(res?.status(), `GET ${p}`).toBe(status);
	return page;
}

/** The actions of the audit rows on the page, newest first. */
async function auditActions(page: Page): Promise<string[]> {
	return page
		.locator('table.audit tbody tr')
		.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));
}

beforeAll(async () => {
	dataDir = makeDataDir();
	for (const [email, role] of [
		[ADMIN, 'admin'],
		[EDITOR, 'editor']
	] as const) {
		links[email] = (await createAccountWithCli(dataDir, email, role)).linkPath;
	}
	server = await startServer({ dataDir });
	browser = await launchBrowser();
	adminSession = await signInWithLink(links[ADMIN]!, ADMIN);
	editorSession = await signInWithLink(links[EDITOR]!, EDITOR);
});

afterAll(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
	await browser?.close();
	const code = await server?.stop();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('admin workspace without JavaScript', () => {
	it('refuses /admin to a non-admin (403) and records a refused post', async () => {
		const home = await open(editorSession, '/workspace');
		expect(await home.locator('a[href="/admin"]').count()).toBe(0);
		for (const p of ['/admin', '/admin/users', '/admin/audit']) await open(editorSession, p, 403);
		const page = await editorSession.newPage();
		await page.goto(`${server.url}/workspace`);
		const res = await page.request.post(`${server.url}/admin/users?/invite`, {
			form: { email: 'sneaky@example.org', display_name: 'Sneaky', role: 'admin' },
			headers: { origin: server.url, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(res.status()).toBe(403);
		const exportRes = await page.request.post(`${server.url}/admin/audit/export`, {
			form: { format: 'csv' },
			headers: { origin: server.url },
			maxRedirects: 0
		});
		expect(exportRes.status()).toBe(403);
		// Signed out: sent to sign in, as everywhere in the workspace.
		const anon = await (await newContext()).newPage();
		await anon.goto(`${server.url}/admin/users`);
		expect(path(anon)).toBe('/account/sign-in');
	});

	it('admin invites a person: the link is shown once and works', async () => {
		const home = await open(adminSession, '/workspace');
		expect(await home.locator('a[href="/admin"]').innerText()).toBe('Administration');
		const page = await open(adminSession, '/admin/users');
		// A bad email first: error summary, typed values kept.
		await page.fill('#invite-email', 'not-an-email');
		await page.fill('#invite-name', INVITEE_NAME);
		expect(await submit(page, 'form[action="?/invite"] button[type=submit]')).toBe(400);
		expect(await page.locator('.error-summary a[href="#invite-email"]').count()).toBe(1);
		expect(await page.inputValue('#invite-name')).toBe(INVITEE_NAME);

		await page.fill('#invite-email', INVITEE);
		await page.selectOption('#invite-role', 'editor');
		expect(await submit(page, 'form[action="?/invite"] button[type=submit]')).toBe(200);
		const link = (await page.locator('[data-testid=one-time-link]').innerText()).trim();
		expect(link).toMatch(/\/account\/set-password\?token=inv_[A-Za-z0-9_-]+$/);
		expect(await page.locator('[role=alert]').first().innerText()).toContain('shown only this once');
		inviteeId = (await page.locator('a', { hasText: 'Open the account' }).getAttribute('href'))!.split('/').pop()!;

		// Not shown again: the list has the account, not the link.
		const again = await open(adminSession, `/admin/users?q=${encodeURIComponent('invitee')}`);
		expect(await again.locator('[data-testid=one-time-link]').count()).toBe(0);
		expect(await again.locator('table tbody tr').count()).toBe(1);
		expect(await again.locator('table tbody').innerText()).toContain(INVITEE_NAME);
		expect(await again.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

		invitee = await signInWithLink(new URL(link).pathname + new URL(link).search, INVITEE);
		await open(invitee, '/workspace');
	});

	it('admin adds an organisation, a country scope and a membership, then changes the role (session ends)', async () => {
		const orgs = await open(adminSession, '/admin/organisations');
		await orgs.fill('#org-name', ORG_NAME);
		await orgs.fill('#org-country', 'ZZZ');
		expect(await submit(orgs, 'form[action="?/create"] button[type=submit]')).toBe(400);
		expect(await orgs.locator('.error-summary a[href="#org-country"]').count()).toBe(1);
		await orgs.fill('#org-country', 'ken');
		await submit(orgs, 'form[action="?/create"] button[type=submit]');
		expect(path(orgs)).toMatch(/^\/admin\/organisations\/[0-9a-f-]{36}$/);
		orgId = path(orgs).split('/').pop()!;
		expect(await orgs.locator('h1').innerText()).toBe(ORG_NAME);

		const user = await open(adminSession, `/admin/users/${inviteeId}`);
		await user.fill('#countries', 'KEN, uga');
		await submit(user, 'form[action="?/countries"] button[type=submit]');
		expect(await user.locator('[role=status]').innerText()).toBe('The countries were saved.');
		expect(await user.inputValue('#countries')).toBe('KEN, UGA');
		await user.selectOption('#organisation', orgId);
		await submit(user, 'form[action="?/membership"] button[type=submit]');
		expect(await user.locator('ul.memberships').innerText()).toContain(ORG_NAME);

		// The last active admin cannot step down.
		const self = await open(adminSession, '/admin/users?q=e2e-admin-area');
		await Promise.all([self.waitForLoadState('load'), self.click(`a:text("${ADMIN}")`)]);
		await self.selectOption('#role', 'editor');
		expect(await submit(self, 'form[action="?/role"] button[type=submit]')).toBe(409);
		expect(await self.locator('.error-summary').innerText()).toContain('last active administrator');

		await open(invitee, '/workspace');
		await user.selectOption('#role', 'reviewer');
		await submit(user, 'form[action="?/role"] button[type=submit]');
		expect(await user.locator('[role=status]').innerText()).toContain('sessions have ended');
		const after = await invitee.newPage();
		await after.goto(`${server.url}/workspace`);
		expect(path(after)).toBe('/account/sign-in');
	});

	it('audit browser shows the events, filters by actor, and exports CSV', async () => {
		const all = await open(adminSession, '/admin/audit');
		const actions = await auditActions(all);
		for (const a of [
			'user.invited',
			'user.password_set',
			'organisation.created',
			'user.scopes_changed',
			'user.membership_added',
			'user.role_changed',
			'access.denied'
		]) {
			expect(actions, a).toContain(a);
		}
		expect(await all.locator('table.audit').innerText()).toContain('"editor"');

		const denied = await open(adminSession, '/admin/audit?action=access.denied');
		const deniedText = await denied.locator('table.audit tbody').innerText();
		expect(deniedText).toContain(EDITOR);
		expect(deniedText).toContain('POST /admin/users?/invite');

		const mine = await open(adminSession, `/admin/audit?actor=${encodeURIComponent(ADMIN)}`);
		const mineActions = await auditActions(mine);
		expect(mineActions).toContain('user.role_changed');
		expect(mineActions).not.toContain('access.denied'); // the editor's
		const actorCells = await mine
			.locator('table.audit tbody tr td:nth-child(2)')
			.evaluateAll((cells) => cells.map((c) => c.textContent ?? ''));
		expect(actorCells.every((c) => c.includes(ADMIN))).toBe(true);

		const [download] = await Promise.all([
			mine.waitForEvent('download'),
			mine.click('form[action="/admin/audit/export"]:has(input[value=csv]) button')
		]);
		expect(download.suggestedFilename()).toMatch(/^gcm-audit-\d{4}-\d{2}-\d{2}\.csv$/);
		const file = readFileSync((await download.path())!);
		const parsed = readCsv(new Uint8Array(file), AUDIT_CSV_HEADER, AUDIT_CSV_HEADER);
		if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
		expect(parsed.table.header).toEqual([...AUDIT_CSV_HEADER]);
		expect(parsed.table.records.length).toBe(mineActions.length);
		expect(parsed.table.records.every((r) => r.values.actor_label === ADMIN)).toBe(true);
		expect(parsed.table.records.map((r) => r.values.action)).toContain('user.role_changed');
		const text = file.toString('utf8');
		expect(text).not.toContain('$argon2');
		expect(text).not.toMatch(/inv_[A-Za-z0-9_-]{20,}/);

		const exported = await open(adminSession, '/admin/audit?action=audit.exported');
		expect(await auditActions(exported)).toEqual(['audit.exported']);
	});

	it('admin revokes another person’s API token and ends their sessions (role and status unchanged)', async () => {
		// The editor makes a token for a script.
		const mine = await open(editorSession, '/account/tokens');
		await mine.fill('#token-name', 'Nightly <b>import</b>');
		await submit(mine, 'form[action="?/create"] button[type=submit]');
		const secret = (await mine.locator('[data-testid=new-token]').innerText()).trim();
		const api = (token: string) =>
			fetch(`${server.url}/api/v1/initiatives?limit=1`, { headers: { authorization: `Bearer ${token}` } });
		expect((await api(secret)).status).toBe(200);

		// The admin finds it by the owner and revokes it with the form.
		const list = await open(adminSession, '/admin/tokens?q=e2e-admin-editor');
		expect(await list.locator('[role=status]').first().innerText()).toBe('1 token');
		const row = list.locator('tbody tr').first();
		expect(await row.locator('th').innerText()).toBe('Nightly <b>import</b>');
		expect(await row.innerText()).toContain(EDITOR);
		expect(await list.content()).not.toContain(secret.slice(4));
		expect(await submit(list, 'tbody tr form[action="?/revoke"] button[type=submit]')).toBe(200);
		expect(await list.locator('p.notice[role=status]').innerText()).toContain('was revoked');
		expect(await list.locator('tbody tr').first().innerText()).toContain('Revoked');
		expect((await api(secret)).status).toBe(401);

		// Then ends the editor's sessions from their account page: the editor is signed out everywhere.
		await open(editorSession, '/workspace');
		const editorId = await list.locator('tbody tr td a').first().getAttribute('href');
		const user = await open(adminSession, editorId!);
		await submit(user, 'form[action="?/end_sessions"] button[type=submit]');
		expect(await user.locator('p.notice[role=status]').innerText()).toContain('Every session of this person has ended');
		expect(await user.locator('.facts').innerText()).toContain('Editor');
		const after = await editorSession.newPage();
		await after.goto(`${server.url}/workspace`);
		expect(path(after)).toBe('/account/sign-in');

		const trail = await open(adminSession, '/admin/audit?action=session.revoked_all');
		expect(await auditActions(trail)).toEqual(['session.revoked_all']);
		const revoked = await open(adminSession, '/admin/audit?action=api_token.revoked');
		expect(await auditActions(revoked)).toEqual(['api_token.revoked']);
		expect(await revoked.locator('table.audit tbody tr').first().innerText()).toContain(ADMIN);
	});
});

describe('admin accessibility (axe-core, WCAG 2.2 AA)', () => {
	const axeSource = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
	const SERIOUS = new Set(['serious', 'critical']);
	type AxeViolation = { id: string; impact: string | null; help: string; nodes: { html: string }[] };

	async function audit(page: Page): Promise<string> {
		await page.addScriptTag({ content: axeSource });
		const result = (await page.evaluate(() =>
			// @ts-expect-error axe is a global injected above
			axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
		)) as { violations: AxeViolation[] };
		return result.violations
			.filter((v) => SERIOUS.has(v.impact ?? ''))
			.map(
				(v) =>
					`[${v.impact}] ${v.id} on ${page.url()}: ${v.help}\n  ${v.nodes.map((n) => n.html.slice(0, 160)).join('\n  ')}`
			)
			.join('\n');
	}

	it('admin pages (also with errors) pass axe', async () => {
		const context = await newContext({ javaScriptEnabled: true, bypassCSP: true });
		await context.addCookies(await adminSession.cookies());
		const problems: string[] = [];
		for (const p of [
			'/admin',
			'/admin/users',
			`/admin/users/${inviteeId}`,
			'/admin/organisations',
			`/admin/organisations/${orgId}`,
			'/admin/tokens',
			'/admin/audit',
			'/admin/audit?from=2026-13-40'
		]) {
			const page = await context.newPage();
			expect((await page.goto(`${server.url}${p}`))?.status(), p).toBe(200);
			problems.push(await audit(page));
		}
		const withErrors = await context.newPage();
		await withErrors.goto(`${server.url}/admin/organisations`);
		await withErrors.fill('#org-country', 'nope');
		expect(await submit(withErrors, 'form[action="?/create"] button[type=submit]')).toBe(400);
		problems.push(await audit(withErrors));
		const joined = problems.filter((p) => p !== '').join('\n');
		expect(joined, joined).toBe('');
	});
});
