/**
 * The benchmarking workflow of issue #5 in a real browser with JavaScript disabled: a coordinator
 * of Chile (2FA) creates an assessment, enters desk findings for objectives 1–2 through the form
 * (a validation error first, "add another evidence row", then saved) and for objectives 3–23
 * through the CSV upload (a rejected file first: every problem in the table, nothing saved),
 * invites two experts (shown-once links); expert A rates through the form (partial save, "cannot
 * rate", conflict declaration, submit), expert B downloads the XLSX template, fills it with exceljs
 * and uploads it; the coordinator closes the panel, sees the scores in the validation view and
 * publishes. The public API and country page show nothing before publication and the expected
 * numbers after — computed here by hand from the values entered (weighted mean of the applicable
 * answers per objective, mean of expert scores per principle, 0.7 × objectives + 0.3 × principles;
 * docs/methodology.md), not with computeScores. axe runs on the workspace pages.
 *
 * The country is real (Chile) because coordinators are scoped to real countries; this is a
 * throwaway database, and every value below is made up for the test.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithCli, setPasswordThroughLink, signInThroughPages, submit } from './helpers/session';
import { launchBrowser, makeDataDir, PROJECT_ROOT, startServer, type RunningServer } from './server';

const COUNTRY = 'CHL';
const COORDINATOR = 'e2e-bench-coordinator@example.org';
const EXPERT_A = { email: 'e2e-expert-a@example.org', name: 'Experta <script>x</script> مريم' };
const EXPERT_B = { email: 'e2e-expert-b@example.org', name: 'Expert B 移民' };
const MARKER = `Quokka${Date.now().toString(36)}`;
const TITLE = `${MARKER} benchmark <script>window.__pwned=1</script> الهجرة`;
const HOSTILE_NOTE = `Nota <b>no html</b> "quoted", =SUM(A1) ${'é'.repeat(40)}`;

// The methodology as shipped (weights and items); only read here, the scores are computed below.
interface MethodologyJson {
	key: string;
	version: string;
	variables: { key: string; objective: number; weight: number }[];
	principles: { key: string; scored: boolean }[];
	objectives: { number: number }[];
	answerScale: { key: string; kind: string; value: number | null }[];
	ratingScale: { value: number; score: number }[];
}
const METHODOLOGY = JSON.parse(
	readFileSync(join(PROJECT_ROOT, 'data', 'methodology', 'gcm-benchmark-1.0.json'), 'utf8')
) as MethodologyJson;
const SCORED_PRINCIPLES = METHODOLOGY.principles.filter((p) => p.scored).map((p) => p.key);
const ITEMS = [...METHODOLOGY.objectives.map((o) => `O${o.number}`), ...SCORED_PRINCIPLES];

/** The desk answer entered for each variable (a fixed pattern with one N/A and one unknown). */
function answerFor(key: string): string {
	if (key === 'O5.4') return 'not_applicable';
	if (key === 'O9.3') return 'unknown';
	const [, n, k] = /^O(\d+)\.(\d+)$/.exec(key) ?? [];
	return ['full', 'partial', 'absent', 'partial', 'full'][(Number(n) + Number(k)) % 5]!;
}
const ANSWER_VALUE: Record<string, number | null> = { full: 100, partial: 50, absent: 0 };

/** Expert A rates through the form: 1–5 in a pattern, "cannot rate" on one principle. */
function ratingA(item: string, i: number): number | null {
	return item === 'child_sensitive' ? null : (i % 5) + 1;
}
/** Expert B rates through the XLSX upload. */
function ratingB(_item: string, i: number): number | null {
	return ((i * 2) % 5) + 1;
}
const SCORE_OF = new Map(METHODOLOGY.ratingScale.map((r) => [r.value, r.score]));

/** The published numbers, by hand: weighted policy means, expert means, 0.7/0.3. */
function expectedScores() {
	const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
	const objectiveScores = METHODOLOGY.objectives.map((o) => {
		let num = 0;
		let den = 0;
		for (const v of METHODOLOGY.variables.filter((x) => x.objective === o.number)) {
			const value = ANSWER_VALUE[answerFor(v.key)];
			if (value === undefined || value === null) continue; // N/A and unknown are not scored
			num += v.weight * value;
			den += v.weight;
		}
		return den === 0 ? null : num / den;
	});
	const objectives = mean(objectiveScores.filter((x): x is number => x !== null));
	const principles = mean(
		SCORED_PRINCIPLES.map((p) => {
			const i = ITEMS.indexOf(p);
			const scores = [ratingA(p, i), ratingB(p, i)].filter((v): v is number => v !== null).map((v) => SCORE_OF.get(v)!);
			return mean(scores);
		})
	);
	return { objectives, principles, overall: 0.7 * objectives + 0.3 * principles };
}
const close = (actual: number | null | undefined, expected: number) =>
	expect(Math.abs((actual ?? NaN) - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(0.05 + 1e-9);

let dataDir: string;
let server: RunningServer;
let browser: Browser;
let coordinatorLink = '';
const contexts: BrowserContext[] = [];
const sessions: Record<'coordinator' | 'a' | 'b', BrowserContext | null> = { coordinator: null, a: null, b: null };
const inviteLinks: Record<'a' | 'b', string> = { a: '', b: '' };
let assessmentId = '';

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', ...options });
	contexts.push(context);
	return context;
}

const path = (page: Page) => new URL(page.url()).pathname;
const bodyText = (page: Page) => page.locator('body').innerText();

/** Sets the password through a one-time link, signs in and enrols TOTP when the role requires it. */
async function signIn(link: string, email: string): Promise<BrowserContext> {
	const context = await newContext();
	const page = await context.newPage();
	await setPasswordThroughLink(page, server.url, link);
	// The two-factor page keeps a `next` query (the sign-in's destination) through its forms.
	await signInThroughPages(page, server.url, email, { from: '/workspace' });
	expect(path(page)).toBe('/workspace');
	await page.close();
	return context;
}

async function open(who: keyof typeof sessions, p: string, status = 200): Promise<Page> {
	const page = await sessions[who]!.newPage();
	const res = await page.goto(`${server.url}${p}`);
	expect(res?.status(), `GET ${p} as ${who}`).toBe(status);
	return page;
}

/** What the public sees of Chile: the API list and the country page's headline. */
async function publicView(): Promise<{ items: Record<string, unknown>[]; pageHasScore: boolean; pageText: string }> {
	const res = await fetch(`${server.url}/api/v1/assessments?country=${COUNTRY}`);
	expect(res.status).toBe(200);
	const body = (await res.json()) as { items: Record<string, unknown>[] };
	const page = await (await newContext()).newPage();
	const r = await page.goto(`${server.url}/benchmarks/${COUNTRY}`);
	expect([200, 404]).toContain(r?.status());
	const pageText = await bodyText(page);
	const pageHasScore = (await page.locator('#overall-score').count()) > 0;
	await page.close();
	return { items: body.items, pageHasScore, pageText };
}

async function expectNothingPublic(): Promise<void> {
	const view = await publicView();
	expect(view.items.filter((i) => i.country === COUNTRY)).toEqual([]);
	expect(view.pageHasScore).toBe(false);
	expect(view.pageText).not.toContain(MARKER);
	const scores = await (await fetch(`${server.url}/api/v1/benchmarks/scores.csv`)).text();
	expect(scores).not.toContain(`${COUNTRY},`);
	// The unfiltered list is what the server keeps per benchmark data version: read it here, before
	// publication, so the check after publishing proves the publish transaction moved it on.
	expect(await everyPublishedId()).not.toContain(assessmentId);
}

/** Ids of every published assessment, unfiltered (the list the server keeps per data version). */
async function everyPublishedId(): Promise<string[]> {
	const res = await fetch(`${server.url}/api/v1/assessments`);
	expect(res.status).toBe(200);
	return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
}

// axe-core (WCAG 2.2 AA) runs on JavaScript-enabled copies of the sessions (the pages have no JS
// of their own); findings are collected while the pages are in the state under test (editable
// forms, errors shown) and asserted at the end.
const AXE_SOURCE = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const axeProblems: string[] = [];
type AxeViolation = { id: string; impact: string | null; help: string; nodes: { html: string }[] };

async function audit(page: Page): Promise<void> {
	await page.addScriptTag({ content: AXE_SOURCE });
	const result = (await page.evaluate(() =>
		// @ts-expect-error axe is a global injected above
		axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
	)) as { violations: AxeViolation[] };
	for (const x of result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
		axeProblems.push(
			`[${x.impact}] ${x.id} on ${page.url()}: ${x.help}\n  ${x.nodes.map((n) => n.html.slice(0, 160)).join('\n  ')}`
		);
	}
}

async function axePage(who: keyof typeof sessions, p: string): Promise<Page> {
	const context = await newContext({ javaScriptEnabled: true, bypassCSP: true });
	await context.addCookies(await sessions[who]!.cookies());
	const page = await context.newPage();
	expect((await page.goto(`${server.url}${p}`))?.status(), p).toBe(200);
	return page;
}

/** CSV cell quoting (RFC 4180). */
const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csv = (rows: string[][]) => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

beforeAll(async () => {
	dataDir = makeDataDir();
	coordinatorLink = (await createAccountWithCli(dataDir, COORDINATOR, 'coordinator', ['--country', COUNTRY])).link;
	server = await startServer({ dataDir });
	browser = await launchBrowser();
	sessions.coordinator = await signIn(coordinatorLink, COORDINATOR);
}, 240_000);

afterAll(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
	await browser?.close();
	const code = await server?.stop();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('assessment workflow without JavaScript', () => {
	it('coordinator creates the assessment (an error first) and starts the desk research', async () => {
		await expectNothingPublic();
		const home = await open('coordinator', '/workspace');
		await Promise.all([home.waitForURL(/\/workspace\/assessments$/), home.click('a[href="/workspace/assessments"]')]);
		expect(await bodyText(home)).toContain('You are not part of any assessment yet.');
		await Promise.all([home.waitForURL(/\/new$/), home.click('a[href="/workspace/assessments/new"]')]);

		// The only country in scope is preselected; an empty title is refused with the summary.
		expect(await home.inputValue('#country')).toBe(COUNTRY);
		await home.fill('#edition', '2026');
		expect(await submit(home, 'form[action="?/create"] button[type=submit]')).toBe(400);
		expect(await home.locator('.error-summary a[href="#title"]').count()).toBe(1);
		expect(await home.getAttribute('#title', 'aria-describedby')).toContain('title-error');
		expect(await home.inputValue('#edition')).toBe('2026');

		await home.fill('#title', TITLE);
		await home.fill('#summary', 'Made-up test data.\nSecond line.');
		await Promise.all([
			home.waitForURL(/\/workspace\/assessments\/[0-9a-f-]{36}\?done=created$/),
			home.click('form[action="?/create"] button[type=submit]')
		]);
		assessmentId = path(home).split('/').pop()!;
		expect(await home.locator('h1').innerText()).toBe(TITLE);
		expect(await home.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
		expect(await home.locator('.assess-status').innerText()).toBe('Draft');

		await Promise.all([home.waitForURL(/done=startDeskResearch/), home.click('#step-startDeskResearch')]);
		expect(await home.locator('.assess-status').innerText()).toBe('Desk research');
		// A stale step (the version the page had before) is a conflict, not a second transition.
		const stale = await home.context().request.post(`${server.url}/workspace/assessments/${assessmentId}?/step`, {
			form: { step: 'startDeskResearch', version: '1' },
			headers: { origin: server.url, accept: 'text/html' }
		});
		expect(stale.status()).toBe(409);
	});

	it('desk research through the form: errors keep the text, evidence rows without JS, saves per objective', async () => {
		const page = await open('coordinator', `/workspace/assessments/${assessmentId}/desk/1`);
		const keys = METHODOLOGY.variables.filter((v) => v.objective === 1).map((v) => v.key);
		expect(await page.locator('section.variable').count()).toBe(keys.length);
		for (const [i, key] of keys.entries()) await page.selectOption(`#q${i}-answer`, answerFor(key));
		await page.fill('#q0-note', HOSTILE_NOTE);
		await page.fill('#q0-e0-title', 'Ley de migración <script>');
		await page.selectOption('#q0-e0-type', 'law');
		await page.fill('#q0-e0-url', 'ftp://example.org/ley');
		await page.fill('#q0-e0-date', '2021-04');

		expect(await submit(page, 'button[name=intent][value="save-0"]')).toBe(400);
		const summary = await page.locator('.error-summary').innerText();
		expect(summary).toContain('O1.1');
		expect(summary).toContain('4 other answers on this page were saved');
		expect(await page.getAttribute('#q0-e0-url', 'aria-invalid')).toBe('true');
		expect(await page.getAttribute('#q0-e0-url', 'aria-describedby')).toContain('q0-e0-url-error');
		expect(await page.inputValue('#q0-note')).toBe(HOSTILE_NOTE);
		expect(await page.inputValue('#q0-e0-url')).toBe('ftp://example.org/ley');

		// Another evidence row, without JavaScript: a POST that saves nothing and keeps the text.
		expect(await page.locator('#q0-e1-title').count()).toBe(0);
		expect(await submit(page, 'button[name=intent][value="more-0"]')).toBe(200);
		expect(await page.locator('#q0-e1-title').count()).toBe(1);
		expect(await page.inputValue('#q0-e0-title')).toBe('Ley de migración <script>');

		await page.fill('#q0-e0-url', 'https://example.org/ley');
		await page.fill('#q0-e1-title', 'Second source');
		await page.selectOption('#q0-e1-type', 'data');
		await Promise.all([page.waitForURL(/\?saved=1#var-O1-1$/), page.click('button[name=intent][value="save-0"]')]);
		expect(await page.locator('[role=status]').first().innerText()).toContain('Saved (1 answer)');
		expect(await page.inputValue('#q0-note')).toBe(HOSTILE_NOTE);
		expect(await page.inputValue('#q0-e1-title')).toBe('Second source');
		expect(await page.inputValue('#q0-e2-title')).toBe('');
		expect(await bodyText(page)).toContain(`5 of 5 questions answered`);

		// An untouched page saves nothing and conflicts with nothing.
		await Promise.all([page.waitForURL(/\?saved=0#var-O1-3$/), page.click('button[name=intent][value="save-2"]')]);

		const o2 = await open('coordinator', `/workspace/assessments/${assessmentId}/desk/2`);
		const keys2 = METHODOLOGY.variables.filter((v) => v.objective === 2).map((v) => v.key);
		for (const [i, key] of keys2.entries()) await o2.selectOption(`#q${i}-answer`, answerFor(key));
		await Promise.all([o2.waitForURL(/\?saved=4#var-O2-4$/), o2.click('button[name=intent][value="save-3"]')]);

		const dash = await open('coordinator', `/workspace/assessments/${assessmentId}`);
		expect(await bodyText(dash)).toContain(`9 of ${METHODOLOGY.variables.length} questions answered`);

		const ax = await axePage('coordinator', `/workspace/assessments/${assessmentId}/desk/1`);
		await audit(ax);
		await ax.fill('#q1-e0-title', 'Undated source');
		await ax.fill('#q1-e0-date', '2021-13');
		expect(await submit(ax, 'button[name=intent][value="save-1"]')).toBe(400);
		expect(await ax.getAttribute('#q1-e0-type', 'aria-invalid')).toBe('true');
		await audit(ax);
	});

	it('desk research through the CSV templates: a bad file imports nothing, the fixed one imports the rest', async () => {
		const page = await open('coordinator', `/workspace/assessments/${assessmentId}/templates`);
		const request = sessions.coordinator!.request;
		const answersHref = await page.getAttribute('#download-answers-csv', 'href');
		const downloaded = await request.get(`${server.url}${answersHref}`);
		expect(downloaded.status()).toBe(200);
		expect(downloaded.headers()['content-type']).toContain('text/csv');
		expect(downloaded.headers()['cache-control']).toContain('no-store');
		const text = (await downloaded.text()).replace(/^\uFEFF/, '');
		expect(text.split('\n')[0]).toContain('assessment_id,methodology_key,methodology_version,variable_key');
		// The form's answers are in the template already.
		expect(text).toContain(HOSTILE_NOTE.replace(/"/g, '""'));
		const xlsx = await request.get(`${server.url}${await page.getAttribute('#download-desk-xlsx', 'href')}`);
		expect(xlsx.status()).toBe(200);
		expect(xlsx.headers()['content-disposition']).toMatch(
			/attachment; filename="gcm-chl-2026-independent-desk-findings\.xlsx"/
		);

		const identity = [assessmentId, METHODOLOGY.key, METHODOLOGY.version];
		const rest = METHODOLOGY.variables.filter((v) => v.objective >= 3);
		const answerRows = rest.map((v) => [...identity, v.key, answerFor(v.key), `Note for ${v.key} الهجرة`]);
		const header = ['assessment_id', 'methodology_key', 'methodology_version', 'variable_key', 'answer', 'note'];
		const evHeader = [
			'assessment_id',
			'methodology_key',
			'methodology_version',
			'variable_key',
			'title',
			'type',
			'issuing_body',
			'date',
			'url',
			'excerpt'
		];
		const evRow = [
			...identity,
			'O3.1',
			'Decreto <script>',
			'regulation',
			'Ministerio',
			'2020',
			'https://example.org/d',
			'=1+1'
		];

		// A bad file: an unknown answer on one row, an unknown evidence type on another.
		const bad = answerRows.map((r) => [...r]);
		bad[2]![4] = 'maybe';
		const badEvidence = [...evRow];
		badEvidence[5] = 'rumour';
		await page.setInputFiles('#desk-answers-file', {
			name: 'answers.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv([header, ...bad]))
		});
		await page.setInputFiles('#desk-evidence-file', {
			name: 'evidence.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv([evHeader, badEvidence]))
		});
		expect(await submit(page, '#upload-desk-csv')).toBe(422);
		const table = page.locator('.import-issues table');
		expect(await table.locator('thead th').allInnerTexts()).toEqual(['Sheet or file', 'Row', 'Column', 'Problem']);
		const rows = await table.locator('tbody tr').allInnerTexts();
		expect(rows.some((r) => r.includes('answers.csv') && r.includes('4') && r.includes('answer'))).toBe(true);
		expect(rows.some((r) => r.includes('evidence.csv') && r.includes('type'))).toBe(true);
		const dash = await open('coordinator', `/workspace/assessments/${assessmentId}`);
		expect(await bodyText(dash)).toContain(`9 of ${METHODOLOGY.variables.length} questions answered`);
		const ax = await axePage('coordinator', `/workspace/assessments/${assessmentId}/templates`);
		await ax.setInputFiles('#desk-xlsx-file', {
			name: 'desk.xlsx',
			mimeType: 'application/zip',
			buffer: Buffer.from('not a zip')
		});
		expect(await submit(ax, '#upload-desk-xlsx')).toBe(422);
		expect(await ax.locator('.import-issues').innerText()).toContain('Nothing was saved');
		await audit(ax);

		await page.setInputFiles('#desk-answers-file', {
			name: 'answers.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from('\uFEFF' + csv([header, ...answerRows]))
		});
		await page.setInputFiles('#desk-evidence-file', {
			name: 'evidence.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(csv([evHeader, evRow]))
		});
		await Promise.all([page.waitForURL(/imported=\d+&kind=desk$/), page.click('#upload-desk-csv')]);
		expect(await page.locator('[role=status]').innerText()).toContain(`Imported: ${rest.length} answers.`);
		await dash.reload();
		expect(await bodyText(dash)).toContain(
			`${METHODOLOGY.variables.length} of ${METHODOLOGY.variables.length} questions answered`
		);
		const o3 = await open('coordinator', `/workspace/assessments/${assessmentId}/desk/3`);
		expect(await o3.inputValue('#q0-e0-title')).toBe('Decreto <script>');
		expect(await o3.inputValue('#q0-e0-excerpt')).toBe('=1+1');
		await expectNothingPublic();
	});

	it('coordinator opens the panel and invites two experts (links shown once)', async () => {
		const dash = await open('coordinator', `/workspace/assessments/${assessmentId}`);
		await Promise.all([dash.waitForURL(/done=openPanel/), dash.click('#step-openPanel')]);
		const page = await open('coordinator', `/workspace/assessments/${assessmentId}/experts`);
		await page.fill('#invite-email', 'not an email');
		await page.fill('#invite-displayName', EXPERT_A.name);
		expect(await submit(page, 'form[action="?/invite"] button[type=submit]')).toBe(400);
		expect(await page.getAttribute('#invite-email', 'aria-invalid')).toBe('true');
		expect(await page.inputValue('#invite-displayName')).toBe(EXPERT_A.name);

		for (const [who, e] of [
			['a', EXPERT_A],
			['b', EXPERT_B]
		] as const) {
			await page.fill('#invite-email', e.email);
			await page.fill('#invite-displayName', e.name);
			expect(await submit(page, 'form[action="?/invite"] button[type=submit]')).toBe(200);
			expect(await page.locator('.invited').innerText()).toContain(`as E${who === 'a' ? 1 : 2}`);
			inviteLinks[who] = (await page.locator('code.invite-link').innerText()).trim();
			expect(inviteLinks[who]).toMatch(/\/account\/set-password\?token=inv_/);
		}
		// Reloading does not show a link again (it is stored hashed).
		await page.goto(`${server.url}/workspace/assessments/${assessmentId}/experts`);
		expect(await page.locator('code.invite-link').count()).toBe(0);
		const table = await page.locator('table').innerText();
		expect(table).toContain(EXPERT_A.email);
		expect(table).toContain(EXPERT_B.email);
	});

	it('expert A rates through the form: partial save, cannot rate, declaration, submit', async () => {
		sessions.a = await signIn(inviteLinks.a, EXPERT_A.email);
		const list = await open('a', '/workspace/assessments');
		expect(await bodyText(list)).toContain(MARKER);
		// Experts never manage the panel or see the validation.
		await open('a', `/workspace/assessments/${assessmentId}/experts`, 403);
		await open('a', `/workspace/assessments/${assessmentId}/validation`, 403);

		const page = await open('a', `/workspace/assessments/${assessmentId}/ratings`);
		expect(await page.locator('section.item').count()).toBe(ITEMS.length);
		await page.check('#rate-O1-' + ratingA('O1', 0));
		await page.check('#rate-O2-' + ratingA('O2', 1));
		await page.fill('#comment-O2', 'Comment <i>kept</i> مرحبا');
		await Promise.all([page.waitForURL(/\?saved=2#item-O2$/), page.click('button[name=intent][value="save-O2"]')]);
		expect(await page.locator('[role=status]').first().innerText()).toContain('Saved (2 ratings)');
		expect(await bodyText(page)).toContain(`2 of ${ITEMS.length} items rated`);

		// A comment without a choice is refused and nothing is saved; the typed comment stays.
		await page.fill('#comment-O3', 'No choice yet');
		expect(await submit(page, 'button[name=intent][value="save-O3"]')).toBe(400);
		expect(await page.locator('.error-summary').innerText()).toContain('cannot rate');
		expect(await page.inputValue('#comment-O3')).toBe('No choice yet');
		const ax = await axePage('a', `/workspace/assessments/${assessmentId}/ratings`);
		await audit(ax);
		await ax.fill('#comment-O4', 'No choice either');
		expect(await submit(ax, 'button[name=intent][value="save-O4"]')).toBe(400);
		await audit(ax);

		for (const [i, item] of ITEMS.entries()) {
			const v = ratingA(item, i);
			await page.check(`#rate-${item}-${v === null ? 'none' : v}`);
		}
		await Promise.all([
			page.waitForURL(/#item-human_rights$/),
			page.click('button[name=intent][value="save-human_rights"]')
		]);
		expect(await bodyText(page)).toContain(`${ITEMS.length} of ${ITEMS.length} items rated`);
		expect(await page.inputValue('#comment-O2')).toBe('Comment <i>kept</i> مرحبا');

		// Submitting before the declaration is refused.
		expect(await submit(page, 'form[action="?/submit#submit"] button')).toBe(400);
		expect(await page.locator('#submit-error').innerText()).toContain('conflict of interest');
		await page.fill('#declaration', 'None.');
		await page.check('#publicOptIn');
		await page.fill('#publicName', 'Dr. A. Example');
		await Promise.all([page.waitForURL(/done=declared#coi$/), page.click('form[action="?/declare#coi"] button')]);
		await Promise.all([page.waitForURL(/done=submitted#submit$/), page.click('form[action="?/submit#submit"] button')]);
		expect(await page.locator('[role=status]').first().innerText()).toContain('submitted');
	});

	it('expert B downloads the XLSX template, fills it with exceljs and uploads it; ratings stay blind', async () => {
		sessions.b = await signIn(inviteLinks.b, EXPERT_B.email);
		const ratings = await open('b', `/workspace/assessments/${assessmentId}/ratings`);
		// Expert A's comment and choices are not visible to expert B.
		expect(await bodyText(ratings)).not.toContain('Comment <i>kept</i>');
		expect(await ratings.locator('input[type=radio]:checked').count()).toBe(0);

		const page = await open('b', `/workspace/assessments/${assessmentId}/templates`);
		expect(await page.locator('#download-desk-xlsx').count()).toBe(0);
		const href = await page.getAttribute('#download-ratings-xlsx', 'href');
		const res = await sessions.b!.request.get(`${server.url}${href}`);
		expect(res.status()).toBe(200);
		expect(res.headers()['content-type']).toContain('spreadsheetml');
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await res.body()) as unknown as ExcelJS.Buffer);
		const ws = wb.getWorksheet('Ratings')!;
		const seen: string[] = [];
		ws.eachRow((row, n) => {
			if (n === 1) return;
			const key = String(row.getCell(2).value ?? '');
			const i = ITEMS.indexOf(key);
			expect(i, key).toBeGreaterThanOrEqual(0);
			// Nothing of expert A's in B's file.
			expect(row.getCell(4).value ?? '').toBe('');
			row.getCell(4).value = ratingB(key, i);
			row.getCell(5).value = `B on ${key} <script>`;
			seen.push(key);
		});
		expect(seen.sort()).toEqual([...ITEMS].sort());
		const filled = Buffer.from(await wb.xlsx.writeBuffer());
		await page.setInputFiles('#ratings-xlsx-file', {
			name: 'ratings.xlsx',
			mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			buffer: filled
		});
		await Promise.all([page.waitForURL(/imported=\d+&kind=ratings$/), page.click('#upload-ratings-xlsx')]);
		expect(await page.locator('[role=status]').innerText()).toContain(`Imported: ${ITEMS.length} ratings.`);

		const form = await open('b', `/workspace/assessments/${assessmentId}/ratings`);
		expect(await bodyText(form)).toContain(`${ITEMS.length} of ${ITEMS.length} items rated`);
		expect(await form.inputValue('#comment-O1')).toBe('B on O1 <script>');
		await form.fill('#declaration', 'I advised the ministry in 2019 (made-up).');
		await Promise.all([form.waitForURL(/done=declared/), form.click('form[action="?/declare#coi"] button')]);
		await Promise.all([form.waitForURL(/done=submitted/), form.click('form[action="?/submit#submit"] button')]);
	});

	it('coordinator closes the panel, validates and publishes; the public sees the expected numbers only then', async () => {
		const expected = expectedScores();
		const dash = await open('coordinator', `/workspace/assessments/${assessmentId}`);
		expect(await bodyText(dash)).toContain('2 experts invited; 2 declared their conflicts of interest; 2 submitted');
		await Promise.all([dash.waitForURL(/done=closePanel/), dash.click('#step-closePanel')]);

		const v = await open('coordinator', `/workspace/assessments/${assessmentId}/validation`);
		const num = async (sel: string) => Number((await v.locator(sel).innerText()).replace(/,/g, ''));
		close(await num('#score-overall'), expected.overall);
		close(await num('#score-objectives'), expected.objectives);
		close(await num('#score-principles'), expected.principles);
		expect(await bodyText(v)).toContain('Experts who did not submit: 0');
		// Two experts are fewer than the methodology's minimum of three: flagged, not hidden.
		expect(await v.locator('#flags-title + ul').innerText()).toContain('only 2 expert ratings');
		await expectNothingPublic();

		await Promise.all([v.waitForURL(/done=publish/), v.click('#step-publish')]);
		expect(await v.locator('.assess-status').innerText()).toBe('Published');

		const after = await publicView();
		const mine = after.items.filter((i) => i.id === assessmentId);
		expect(mine).toHaveLength(1);
		const a = mine[0] as {
			overall: number;
			objectives_overall: number;
			principles_overall: number;
			experts: { count: number; public_names: string[] };
			title: string;
		};
		close(a.overall, expected.overall);
		close(a.objectives_overall, expected.objectives);
		close(a.principles_overall, expected.principles);
		expect(a.title).toBe(TITLE);
		expect(a.experts.count).toBe(2);
		// Only the expert who opted in is named; B's identity stays private.
		expect(a.experts.public_names).toEqual(['Dr. A. Example']);
		expect(JSON.stringify(after.items)).not.toContain(EXPERT_B.email);
		expect(after.pageHasScore).toBe(true);
		expect(await everyPublishedId()).toContain(assessmentId);
		const page = await (await newContext()).newPage();
		await page.goto(`${server.url}/benchmarks/${COUNTRY}`);
		close(Number((await page.locator('#overall-score').innerText()).replace(/,/g, '')), expected.overall);
	});

	it('the workspace pages pass axe (WCAG 2.2 AA), also with form errors and an upload error table', async () => {
		const base = `/workspace/assessments/${assessmentId}`;
		for (const p of [
			'/workspace',
			'/workspace/assessments',
			'/workspace/assessments/new',
			base,
			`${base}/desk/1`,
			`${base}/experts`,
			`${base}/validation`,
			`${base}/templates`
		]) {
			await audit(await axePage('coordinator', p));
		}
		const withErrors = await axePage('coordinator', '/workspace/assessments/new');
		expect(await submit(withErrors, 'form[action="?/create"] button[type=submit]')).toBe(400);
		await audit(withErrors);
		const joined = axeProblems.join('\n');
		expect(joined, joined).toBe('');
	});
});
