/**
 * The workspace and the public suggest form in a real browser with JavaScript disabled:
 * a contributor drafts an initiative (validation errors first), submits it; a coordinator of Kenya
 * (2FA) requests changes, the contributor edits and resubmits, the coordinator publishes (the record
 * appears in the public registry) and unpublishes (it is gone); two tabs editing the same version
 * (the second save shows the conflict and keeps the typed text); the suggest form's honeypot stores
 * nothing, a real suggestion reaches the queue and an admin accepts it into a draft. axe on the
 * workspace pages.
 *
 * Accounts are created with `gcm user create` before the server starts (the CLI and `gcm serve`
 * cannot hold the data directory's lock at the same time).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithCli, setPasswordThroughLink, signInThroughPages, submit } from './helpers/session';
import { launchBrowser, makeDataDir, PROJECT_ROOT, startServer, type RunningServer } from './server';

const USERS = {
	contributor: { email: 'e2e-contributor@example.org', role: 'contributor', extra: [] as string[] },
	coordinator: { email: 'e2e-coordinator@example.org', role: 'coordinator', extra: ['--country', 'KEN'] },
	admin: { email: 'e2e-ws-admin@example.org', role: 'admin', extra: [] as string[] }
} as const;
type Who = keyof typeof USERS;

const MARKER = `Zebracanary${Date.now().toString(36)}`;
const TITLE = `${MARKER} border <script>window.__pwned=1</script> الهجرة`;
const TYPED_DESCRIPTION = `Kept text ${'ä'.repeat(20)} <b>bold?</b> 移民`;

let dataDir: string;
let server: RunningServer;
let browser: Browser;
const setPasswordPaths = {} as Record<Who, string>;
const sessions = {} as Record<Who, BrowserContext>;
const contexts: BrowserContext[] = [];
let recordId = '';

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', ...options });
	contexts.push(context);
	return context;
}

const path = (page: Page) => new URL(page.url()).pathname;
const bodyText = (page: Page) => page.locator('body').innerText();

/** Sets the password through the CLI link and signs in; enrols TOTP when the role requires it. */
async function signIn(who: Who): Promise<BrowserContext> {
	const { email } = USERS[who];
	const context = await newContext();
	const page = await context.newPage();
	await setPasswordThroughLink(page, server.url, setPasswordPaths[who]);
	// Coming from the workspace: sign-in carries ?next= and returns there (across the second factor too).
	const signedIn = await signInThroughPages(page, server.url, email, { from: '/workspace' });
	expect(new URL(signedIn.signInUrl, server.url).searchParams.get('next')).toBe('/workspace');
	expect(path(page)).toBe('/workspace');
	await page.close();
	return context;
}

async function open(who: Who, p: string): Promise<Page> {
	const page = await sessions[who].newPage();
	const res = await page.goto(`${server.url}${p}`);
	expect(res?.status(), `GET ${p} as ${who}`).toBe(200);
	return page;
}

async function statusOf(page: Page): Promise<string> {
	return (await page.locator('.record-status strong.status').innerText()).trim();
}

beforeAll(async () => {
	dataDir = makeDataDir();
	for (const who of Object.keys(USERS) as Who[]) {
		const u = USERS[who];
		const account = await createAccountWithCli(dataDir, u.email, u.role, u.extra);
		if (u.extra.length > 0) expect(account.stdout).toContain('Country scope: KEN.');
		setPasswordPaths[who] = account.linkPath;
	}
	server = await startServer({ dataDir });
	browser = await launchBrowser();
	for (const who of Object.keys(USERS) as Who[]) sessions[who] = await signIn(who);
});

afterAll(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
	await browser?.close();
	const code = await server?.stop();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('workspace without JavaScript', () => {
	it('keeps signed-out people out (sign-in with a safe next) and rejects an outside next', async () => {
		const page = await (await newContext()).newPage();
		await page.goto(`${server.url}/workspace/initiatives/new`);
		expect(path(page)).toBe('/account/sign-in');
		expect(new URL(page.url()).searchParams.get('next')).toBe('/workspace/initiatives/new');
		expect(await page.inputValue('input[name=next]')).toBe('/workspace/initiatives/new');
		await page.goto(`${server.url}/account/sign-in?next=${encodeURIComponent('//evil.example/x')}`);
		expect(await page.inputValue('input[name=next]')).toBe('/account');
		// A POST to a workspace action without a session is refused the same way (actions skip layout loads).
		const res = await page.request.post(`${server.url}/workspace/initiatives/new?/save`, {
			form: { title: 'x' },
			// text/html: a browser's form post (otherwise SvelteKit answers actions with JSON).
			headers: { origin: server.url, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(res.status()).toBe(303);
		expect(res.headers().location).toMatch(/^\/account\/sign-in\?next=/);
	});

	it('contributor drafts with errors first, fixes them and submits', async () => {
		const page = await open('contributor', '/workspace/initiatives/new');
		await page.fill('#description', TYPED_DESCRIPTION);
		await page.fill('#dateStart', '2021-13');
		await page.fill('#sources-0-citation', 'Ministry report');
		await page.fill('#sources-0-url', 'ftp://example.org/report');
		expect(await submit(page, '.actions button[type=submit]')).toBe(400);

		// GOV.UK pattern: summary at the top linking to fields; messages tied to fields; text kept.
		const summary = page.locator('.error-summary');
		expect(await summary.getAttribute('role')).toBe('alert');
		const summaryText = await summary.innerText();
		expect(summaryText).toContain('Title');
		expect(summaryText).toContain('Type of action');
		expect(summaryText).toContain('Start date');
		expect(await summary.locator('a[href="#title"]').count()).toBe(1);
		expect(await summary.locator('a[href="#sources-0-url"]').count()).toBe(1);
		expect(await page.getAttribute('#title', 'aria-describedby')).toContain('title-error');
		expect(await page.getAttribute('#title', 'aria-invalid')).toBe('true');
		expect(await page.locator('#title-error').innerText()).toContain('is required');
		expect(await page.inputValue('#description')).toBe(TYPED_DESCRIPTION);
		expect(await page.inputValue('#dateStart')).toBe('2021-13');
		expect(await page.inputValue('#sources-0-citation')).toBe('Ministry report');

		// "Add more rows" re-renders with more source rows and keeps everything typed.
		expect(await page.locator('input[id$="-citation"]').count()).toBe(3);
		expect(await submit(page, 'button[value=more_sources]')).toBe(200);
		expect(await page.locator('input[id$="-citation"]').count()).toBe(6);
		expect(await page.inputValue('#description')).toBe(TYPED_DESCRIPTION);

		await page.fill('#title', TITLE);
		await page.selectOption('#actionType', 'consultation');
		await page.selectOption('#countries', ['KEN']);
		await page.fill('#dateStart', '2021-03');
		await page.selectOption('#datePrecision', 'month');
		await page.check('input[name=objectives][value="23"]');
		await page.fill('#sources-0-url', 'https://example.org/report');
		await page.fill('#sources-4-citation', 'Second source on a later row');
		await Promise.all([
			page.waitForURL(/\/workspace\/initiatives\/[0-9a-f-]{36}\?done=created$/),
			page.click('.actions button[type=submit]')
		]);
		recordId = path(page).split('/').pop()!;
		expect(await page.locator('h1').innerText()).toBe(TITLE);
		expect(await statusOf(page)).toBe('Draft');
		const content = await page.locator('dl.fields').innerText();
		expect(content).toContain('Second source on a later row');
		expect(content).toContain('Kenya');
		// Not public while a draft.
		expect((await page.request.get(`${server.url}/initiatives/${recordId}`)).status()).toBe(404);

		await Promise.all([page.waitForURL(/done=submit$/), page.click('#step-submit')]);
		expect(await statusOf(page)).toBe('In review');
		expect(await page.locator('#step-submit').count()).toBe(0);
		expect(await page.locator('a[href$="/edit"]').count()).toBe(0);
	});

	it('coordinator requests changes (comment required); the author sees the comment, edits and resubmits', async () => {
		const queue = await open('coordinator', '/workspace');
		expect(await queue.locator('table').last().innerText()).toContain(MARKER);
		const page = await open('coordinator', `/workspace/initiatives/${recordId}`);
		expect(await page.locator('#step-publish').count()).toBe(1);
		expect(await submit(page, '#step-requestChanges')).toBe(400);
		expect(await page.locator('#step-error').innerText()).toContain('Write a comment');
		const comment = `Add the ministry's page <script>x</script> ${'é'.repeat(5)}`;
		await page.fill('#comment-requestChanges', comment);
		await Promise.all([page.waitForURL(/done=requestChanges$/), page.click('#step-requestChanges')]);
		expect(await statusOf(page)).toBe('Draft');

		const home = await open('contributor', '/workspace');
		expect(await home.locator('.comment').innerText()).toContain(comment);
		const record = await open('contributor', `/workspace/initiatives/${recordId}`);
		expect(await record.locator('.reviewer-comment blockquote').innerText()).toBe(comment);
		const history = await record.locator('table.history').innerText();
		expect(history).toContain('e2e-coordinator');
		expect(history).toContain(comment);

		const edit = await open('contributor', `/workspace/initiatives/${recordId}/edit`);
		await edit.fill('#description', `${TYPED_DESCRIPTION} — see https://example.org/ministry`);
		await Promise.all([edit.waitForURL(/done=saved$/), edit.click('.actions button[type=submit]')]);
		expect(await edit.locator('dl.fields').innerText()).toContain('example.org/ministry');
		await Promise.all([edit.waitForURL(/done=submit$/), edit.click('#step-submit')]);
		expect(await statusOf(edit)).toBe('In review');
	});

	it('coordinator publishes (public registry shows it) and unpublishes (it is gone)', async () => {
		const page = await open('coordinator', `/workspace/initiatives/${recordId}`);
		await Promise.all([page.waitForURL(/done=publish$/), page.click('#step-publish')]);
		expect(await statusOf(page)).toBe('Published');

		const visitor = await (await newContext()).newPage();
		await visitor.goto(`${server.url}/initiatives?q=${MARKER}`);
		expect(await visitor.locator('main').innerText()).toContain(MARKER);
		const pub = await visitor.goto(`${server.url}/initiatives/${recordId}`);
		expect(pub?.status()).toBe(200);
		expect(await visitor.locator('h1').innerText()).toBe(TITLE);
		// The review comment is never public.
		expect(await visitor.locator('main').innerText()).not.toContain("ministry's page");

		await Promise.all([page.waitForURL(/done=unpublish$/), page.click('#step-unpublish')]);
		expect(await statusOf(page)).toBe('Draft');
		await visitor.goto(`${server.url}/initiatives?q=${MARKER}`);
		expect(await visitor.locator('main').innerText()).not.toContain(MARKER);
		expect((await visitor.goto(`${server.url}/initiatives/${recordId}`))?.status()).toBe(404);
	});

	it('two tabs editing the same version: the second save shows the conflict and keeps the typed text', async () => {
		const first = await open('contributor', `/workspace/initiatives/${recordId}/edit`);
		const second = await open('contributor', `/workspace/initiatives/${recordId}/edit`);
		const version = await first.inputValue('input[name=version]');
		expect(await second.inputValue('input[name=version]')).toBe(version);

		const theirTitle = `${MARKER} title saved first`;
		await first.fill('#title', theirTitle);
		await Promise.all([first.waitForURL(/done=saved$/), first.click('.actions button[type=submit]')]);

		const myTitle = `${MARKER} my title typed second`;
		const myText = `My long text ${'ü'.repeat(300)} الهجرة`;
		await second.fill('#title', myTitle);
		await second.fill('#description', myText);
		expect(await submit(second, '.actions button[type=submit]')).toBe(409);
		const summary = await second.locator('.error-summary').innerText();
		expect(summary).toContain('This record was changed by someone else');
		expect(summary).toContain('Title: changed by someone else');
		// Both values: mine in the field, theirs beside it.
		expect(await second.inputValue('#title')).toBe(myTitle);
		expect(await second.locator('#title-theirs').innerText()).toContain(theirTitle);
		expect(await second.getAttribute('#title', 'aria-describedby')).toContain('title-theirs');
		expect(await second.inputValue('#description')).toBe(myText);
		// Saving again is a deliberate choice on top of the new version.
		expect(Number(await second.inputValue('input[name=version]'))).toBe(Number(version) + 1);
		await Promise.all([second.waitForURL(/done=saved$/), second.click('.actions button[type=submit]')]);
		expect(await second.locator('h1').innerText()).toBe(myTitle);
		expect(await second.locator('dl.fields').innerText()).toContain(myText);
	});

	it('suggest form: a filled honeypot stores nothing; a real suggestion reaches the queue and becomes a draft', async () => {
		const visitor = await (await newContext()).newPage();
		await visitor.goto(`${server.url}/initiatives`);
		await Promise.all([visitor.waitForURL(/\/initiatives\/suggest$/), visitor.click('a[href="/initiatives/suggest"]')]);

		// Validation first: the source link is required.
		await visitor.fill('#title', `${MARKER} suggestion`);
		await visitor.fill('#description', 'A consultation with migrant associations in Nairobi.');
		expect(await submit(visitor, 'form.suggest-form button[type=submit]')).toBe(400);
		expect(await visitor.locator('.error-summary a[href="#sourceUrl"]').count()).toBe(1);
		expect(await visitor.inputValue('#title')).toBe(`${MARKER} suggestion`);

		const bot = `${MARKER} honeypot bot`;
		await visitor.fill('#title', bot);
		await visitor.selectOption('#actionType', 'meeting');
		await visitor.selectOption('#countries', ['KEN']);
		await visitor.fill('#sourceUrl', 'https://example.org/spam');
		await visitor.locator('#website').fill('https://spam.example', { force: true });
		await Promise.all([
			visitor.waitForURL(/\/initiatives\/suggest\/thanks$/),
			visitor.click('form.suggest-form button[type=submit]')
		]);
		expect(await bodyText(visitor)).toContain('What happens next');

		await visitor.goto(`${server.url}/initiatives/suggest`);
		const real = `${MARKER} suggestion <i>real</i>`;
		await visitor.fill('#title', real);
		await visitor.fill('#description', 'A consultation with migrant associations in Nairobi.');
		await visitor.selectOption('#actionType', 'consultation');
		await visitor.selectOption('#countries', ['KEN', 'UGA']);
		await visitor.fill('#date', '2024-06');
		await visitor.fill('#sourceUrl', 'https://example.org/consultation');
		await visitor.fill('#contact', 'visitor@example.org');
		await Promise.all([
			visitor.waitForURL(/\/initiatives\/suggest\/thanks$/),
			visitor.click('form.suggest-form button[type=submit]')
		]);

		// The coordinator of Kenya sees it (with the contact) and may accept it: coordinators create drafts
		// concerning their countries. Here the admin accepts it.
		const coord = await open('coordinator', '/workspace/suggestions');
		const coordQueue = await coord.locator('main').innerText();
		expect(coordQueue).toContain(real);
		expect(coordQueue).not.toContain(bot);
		expect(coordQueue).toContain('visitor@example.org');
		expect(
			await coord.locator('article.suggestion', { hasText: real }).locator('form[action="?/accept"]').count()
		).toBe(1);

		const queue = await open('admin', '/workspace/suggestions');
		expect(await queue.locator('main').innerText()).not.toContain(bot);
		const card = queue.locator('article.suggestion', { hasText: real });
		await Promise.all([queue.waitForURL(/done=accepted/), card.locator('form[action="?/accept"] button').click()]);
		await Promise.all([queue.waitForURL(/\/workspace\/initiatives\//), queue.click('.notice a')]);
		expect(await queue.locator('h1').innerText()).toBe(real);
		expect(await statusOf(queue)).toBe('Draft');
		expect(await queue.locator('dl.fields').innerText()).toContain('https://example.org/consultation');
		// Still not public.
		expect((await queue.request.get(`${server.url}/initiatives/${path(queue).split('/').pop()}`)).status()).toBe(404);
	});
});

describe('workspace accessibility (axe-core, WCAG 2.2 AA)', () => {
	const axeSource = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
	const SERIOUS = new Set(['serious', 'critical']);
	type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] };

	/** A JavaScript-enabled copy of a session (axe is injected as a script; the pages have none). */
	async function axeContext(who: Who | null): Promise<BrowserContext> {
		const context = await newContext({ javaScriptEnabled: true, bypassCSP: true });
		if (who) await context.addCookies(await sessions[who].cookies());
		return context;
	}

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

	it('workspace, record, forms (also with errors and a conflict), suggestions and the suggest form pass axe', async () => {
		const problems: string[] = [];
		const contributor = await axeContext('contributor');
		for (const p of [
			'/workspace',
			'/workspace/initiatives/new',
			`/workspace/initiatives/${recordId}`,
			`/workspace/initiatives/${recordId}/edit`
		]) {
			const page = await contributor.newPage();
			expect((await page.goto(`${server.url}${p}`))?.status(), p).toBe(200);
			problems.push(await audit(page));
		}
		const withErrors = await contributor.newPage();
		await withErrors.goto(`${server.url}/workspace/initiatives/new`);
		await withErrors.fill('#dateStart', 'not a date');
		expect(await submit(withErrors, '.actions button[type=submit]')).toBe(400);
		problems.push(await audit(withErrors));

		const admin = await axeContext('admin');
		const queue = await admin.newPage();
		await queue.goto(`${server.url}/workspace/suggestions?status=accepted`);
		problems.push(await audit(queue));

		const visitor = await axeContext(null);
		for (const p of ['/initiatives/suggest', '/initiatives/suggest/thanks']) {
			const page = await visitor.newPage();
			expect((await page.goto(`${server.url}${p}`))?.status(), p).toBe(200);
			problems.push(await audit(page));
		}
		const joined = problems.filter((p) => p !== '').join('\n');
		expect(joined, joined).toBe('');
	});
});
