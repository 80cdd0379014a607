/**
 * Practices and actors in the browser (JavaScript disabled) and through the API (issue #3): an
 * editor creates a practice draft with the workspace form (a validation error first), submits it;
 * a coordinator of its country publishes it and it appears on /practices; unpublishing removes it.
 * One API token flow for an actor: POST → PATCH with If-Match → 412 on a stale version (with the
 * current record and its ETag), 428 without If-Match, 401 without a token. The new pages pass axe.
 *
 * Accounts are created with `gcm user create`, membership and country scope written to the fresh
 * data directory before the server starts (as api-write.spec.ts does).
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
	submit,
	type ApiInit
} from './helpers/session';
import { launchBrowser, makeDataDir, PROJECT_ROOT, startServer, type RunningServer } from './server';

const EDITOR = 'e2e-ap-editor@example.org';
const COORDINATOR = 'e2e-ap-coordinator@example.org';
const PRACTICE_NAME = 'Skills partnership <script>alert(1)</script> شراكة المهارات';

let dataDir: string;
let server: RunningServer;
let browser: Browser;
const links = new Map<string, string>();
const contexts: BrowserContext[] = [];
/** Sessions kept across the tests of this file (closed in afterAll). */
const kept: BrowserContext[] = [];

async function newPage(options: { javaScriptEnabled?: boolean; bypassCSP?: boolean; keep?: boolean } = {}) {
	const { keep, ...contextOptions } = options;
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', ...contextOptions });
	(keep ? kept : contexts).push(context);
	return { context, page: await context.newPage() };
}

/** First sign-in through the CLI's link; a coordinator then enrols TOTP. */
async function firstSignIn(email: string, keep = false): Promise<{ context: BrowserContext; page: Page }> {
	const { context, page } = await newPage({ keep });
	await setPasswordThroughLink(page, server.url, links.get(email) ?? '');
	await signInThroughPages(page, server.url, email);
	return { context, page };
}

/** Clicks a workflow step button; the action answers 303 to the record page. */
async function step(page: Page, name: string): Promise<void> {
	await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === name), page.click(`#step-${name}`)]);
}

const api = (path: string, init: ApiInit = {}) => apiRequest(server.url, path, init);

beforeAll(async () => {
	dataDir = makeDataDir();
	for (const [email, role] of [
		[EDITOR, 'editor'],
		[COORDINATOR, 'coordinator']
	] as const) {
		links.set(email, (await createAccountWithCli(dataDir, email, role)).linkPath);
	}
	await placeAccounts(dataDir, {
		organisation: { name: 'Red <b>Kenya</b> شبكة', country: 'KEN', members: [EDITOR] },
		scopes: { [COORDINATOR]: ['KEN'] }
	});
	server = await startServer({ dataDir });
	browser = await launchBrowser();
}, 300_000);

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await Promise.all(kept.splice(0).map((c) => c.close()));
	await browser?.close();
	const code = await server?.stop();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('practices and actors', () => {
	let practicePath = '';
	let editor: { context: BrowserContext; page: Page };

	it(
		'editor drafts a practice in the browser; a coordinator publishes it; unpublish removes it',
		{ timeout: 240_000 },
		async () => {
			editor = await firstSignIn(EDITOR, true);
			const page = editor.page;
			await page.goto(`${server.url}/workspace`);
			expect(await page.locator('section[aria-labelledby=practice-records]').innerText()).toContain('Practices');
			await page.goto(`${server.url}/workspace/practices/new`);
			// A bad year first: field-level error, nothing typed is lost.
			await page.fill('#name', PRACTICE_NAME);
			await page.fill('#periodStart', '20x9');
			await page.selectOption('#countries', ['KEN']);
			await page.check('input[name=objectives][value="18"]');
			expect(await submit(page, '.actions button[type=submit]')).toBe(400);
			expect(await page.locator('#periodStart-error').innerText()).toMatch(/number/i);
			expect(await page.inputValue('#name')).toBe(PRACTICE_NAME);
			await page.fill('#periodStart', '2019');
			await page.fill('#description', 'Vocational training <img src=x onerror=alert(1)> and mobility.');
			await Promise.all([
				page.waitForURL((u) => u.searchParams.get('done') === 'created'),
				page.click('.actions button[type=submit]')
			]);
			practicePath = new URL(page.url()).pathname;
			expect(practicePath).toMatch(/^\/workspace\/practices\/[0-9a-f-]{36}$/);
			expect(await page.locator('h1').innerText()).toBe(PRACTICE_NAME);

			// Not public while a draft.
			expect(await (await fetch(`${server.url}/practices`)).text()).not.toContain('Skills partnership');
			await step(page, 'submit');

			const coordinator = await firstSignIn(COORDINATOR);
			await coordinator.page.goto(`${server.url}/workspace`);
			expect(await coordinator.page.locator('section[aria-labelledby=practice-records]').innerText()).toContain(
				'Skills partnership'
			);
			await coordinator.page.goto(`${server.url}${practicePath}`);
			await step(coordinator.page, 'publish');
			const publicPage = await (await fetch(`${server.url}/practices`)).text();
			expect(publicPage).toContain('Skills partnership &lt;script');
			expect(publicPage).not.toContain('<script>alert(1)</script>');

			// History shows who did what.
			const history = await coordinator.page.locator('table.history').innerText();
			expect(history).toMatch(/Published/);

			await step(coordinator.page, 'unpublish');
			expect(await (await fetch(`${server.url}/practices`)).text()).not.toContain('Skills partnership');
			const apiList = (await fetch(`${server.url}/api/v1/practices`).then((r) => r.json())) as {
				items: { name: string }[];
			};
			expect(apiList.items.length).toBeGreaterThan(0);
			expect(apiList.items.map((i) => i.name)).not.toContain(PRACTICE_NAME);
		}
	);

	it(
		'API token flow for an actor: POST → PATCH with If-Match → 412 stale → 428 → 401',
		{ timeout: 120_000 },
		async () => {
			const page = editor?.page ?? (await firstSignIn(EDITOR)).page;
			const token = await createTokenThroughPage(page, server.url, 'Actor import', 'write');

			const body = {
				name: 'Migrant Workers Network <script>x</script> شبكة',
				description: 'Created by a script.',
				website: 'https://example.org',
				country: 'KEN',
				kind: 'civil_society'
			};
			expect((await api('/api/v1/actors', { method: 'POST', body })).status).toBe(401);
			const created = await api('/api/v1/actors', { method: 'POST', token, body });
			expect(created.status).toBe(201);
			expect(created.headers.get('etag')).toBe('"1"');
			const actor = (await created.json()) as { id: string; status: string; name: string };
			expect(actor).toMatchObject({ status: 'draft', name: body.name });
			expect(created.headers.get('location')).toBe(`/api/v1/actors/${actor.id}`);

			const patched = await api(`/api/v1/actors/${actor.id}`, {
				method: 'PATCH',
				token,
				headers: { 'if-match': '"1"' },
				body: { description: 'Edited by the script.' }
			});
			expect(patched.status).toBe(200);
			expect(patched.headers.get('etag')).toBe('"2"');

			const stale = await api(`/api/v1/actors/${actor.id}`, {
				method: 'PATCH',
				token,
				headers: { 'if-match': '"1"' },
				body: { description: 'Stale edit' }
			});
			expect(stale.status).toBe(412);
			expect(stale.headers.get('etag')).toBe('"2"');
			const problem = (await stale.json()) as { code: string; current: { version: number; description: string } };
			expect(problem).toMatchObject({
				code: 'PRECONDITION_FAILED',
				current: { version: 2, description: 'Edited by the script.' }
			});

			const noPrecondition = await api(`/api/v1/actors/${actor.id}`, {
				method: 'PATCH',
				token,
				body: { description: 'x' }
			});
			expect(noPrecondition.status).toBe(428);
			const massAssign = await api(`/api/v1/actors/${actor.id}`, {
				method: 'PATCH',
				token,
				headers: { 'if-match': '"2"' },
				body: { status: 'published' }
			});
			expect(massAssign.status).toBe(400);

			const submitted = await api(`/api/v1/actors/${actor.id}/submit`, {
				method: 'POST',
				token,
				headers: { 'if-match': '"2"' }
			});
			expect(submitted.status).toBe(200);
			const history = (await (await api(`/api/v1/actors/${actor.id}/history`, { token })).json()) as {
				items: { version: number }[];
			};
			expect(history.items.map((h) => h.version)).toEqual([1, 2, 3]);
			// The public sees neither the draft nor its page.
			expect((await api(`/api/v1/actors/${actor.id}`)).status).toBe(404);
			expect((await fetch(`${server.url}/actors/${actor.id}`)).status).toBe(404);
		}
	);

	it('the new pages pass axe (WCAG 2.2 AA)', { timeout: 120_000 }, async () => {
		const axeSource = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
		const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true, locale: 'en-US' });
		contexts.push(context);
		if (editor) await context.addCookies(await editor.context.cookies());
		const problems: string[] = [];
		for (const p of [
			'/actors',
			'/practices',
			'/workspace/practices/new',
			'/workspace/actors/new',
			practicePath,
			`${practicePath}/edit`
		]) {
			if (!p) continue;
			const page = await context.newPage();
			expect((await page.goto(`${server.url}${p}`))?.status(), p).toBe(200);
			await page.addScriptTag({ content: axeSource });
			const result = (await page.evaluate(() =>
				// @ts-expect-error axe is a global injected above
				axe.run(document, {
					runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }
				})
			)) as { violations: { id: string; impact: string | null; nodes: { html: string }[] }[] };
			for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
				problems.push(`${p}: ${v.id} ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
			}
		}
		expect(problems).toEqual([]);
	});
});
