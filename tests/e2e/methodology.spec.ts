/**
 * The public /methodology page in a real browser with JavaScript disabled: the method document
 * with its table of contents, the default methodology's variable bank (all 23 objectives and every
 * question), Spanish with English fall-backs marked, the JSON download, and an axe pass.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import { launchBrowser, PROJECT_ROOT, startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	server = await startServer();
	browser = await launchBrowser();
});

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await browser?.close();
	const code = await server?.stop();
	await server?.dispose();
	if (code !== 0 && code !== undefined) console.error(`gcm serve exited with ${code}\n${server.output()}`);
});

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.url, ...options });
	contexts.push(context);
	return context.newPage();
}

const M = DEFAULT_METHODOLOGY;

describe('/methodology without JavaScript', () => {
	it('is linked from the main navigation', async () => {
		const page = await newPage();
		await page.goto('/');
		const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Methodology' });
		await expect(link.getAttribute('href')).resolves.toBe('/methodology');
	});

	it('renders the method document with a working table of contents, and no script', async () => {
		const page = await newPage();
		const res = await page.goto('/methodology');
		expect(res?.status()).toBe(200);
		await expect(page.locator('h1').count()).resolves.toBe(1);
		expect((await page.locator('h1').textContent())?.trim()).toBe('Methodology');
		await expect(page.locator('script').count()).resolves.toBe(0);

		// The document's sections are headings of the page, each listed in the table of contents.
		const doc = page.locator('.doc');
		const headings = (await doc.locator('h2').allTextContents()).map((h) => h.trim());
		expect(headings).toEqual(expect.arrayContaining(['Formulas', 'Limitations', 'Sources']));
		const toc = page.getByRole('navigation', { name: 'On this page' });
		const hrefs = await toc.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
		expect(hrefs.length).toBeGreaterThanOrEqual(headings.length + 1);
		for (const href of hrefs) {
			expect(href.startsWith('#'), href).toBe(true);
			await expect(page.locator(`[id="${href.slice(1)}"]`).count(), href).resolves.toBe(1);
		}
		// Formulas keep their inline code; nothing of the Markdown syntax leaks as text.
		await expect(doc.locator('code').count()).resolves.toBeGreaterThan(5);
		expect(await doc.locator('p').first().textContent()).not.toMatch(/\*\*|\]\(/);
		// Any link the document keeps is http(s), an in-page anchor or a site path.
		for (const href of await doc.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
			expect(href).toMatch(/^(https?:|#|\/)/);
		}
	});

	it("lists every objective's questions with paragraph, weight and guidance", async () => {
		const page = await newPage();
		await page.goto('/methodology');
		const sections = page.locator('section.objective');
		await expect(sections.count()).resolves.toBe(23);
		for (let n = 1; n <= 23; n++) {
			const section = page.locator(`section[aria-labelledby="objective-${n}"]`);
			const expected = M.variables.filter((v) => v.objective === n);
			expect(expected.length, `objective ${n} has questions in the methodology`).toBeGreaterThan(0);
			const rows = section.locator('tbody tr');
			await expect(rows.count(), `objective ${n}`).resolves.toBe(expected.length);
			const text = (await section.textContent()) ?? '';
			for (const v of expected) {
				expect(text, v.key).toContain(v.key);
				expect(text, v.key).toContain(v.question.en);
				expect(text, v.key).toContain(v.gcmParagraph);
			}
		}
		await expect(page.locator('table.questions tbody tr').count()).resolves.toBe(M.variables.length);

		// Guidance is folded in <details> and opens without JavaScript.
		const first = page.locator(`[id="variable-${M.variables[0]!.key}"] details`);
		await expect(first.getAttribute('open')).resolves.toBeNull();
		const guidanceLine = M.variables[0]!.guidance.en.split('\n')[0]!;
		await expect(first.getByText(guidanceLine, { exact: true }).isVisible()).resolves.toBe(false);
		await first.locator('summary').click();
		await expect(first.getAttribute('open')).resolves.toBe('');
		await expect(first.getByText(guidanceLine, { exact: true }).isVisible()).resolves.toBe(true);

		// Scales and principles come from the methodology too.
		const answers = page.locator('section[aria-labelledby="variable-bank"] table').first();
		for (const a of M.answerScale) await expect(answers.getByText(a.key, { exact: true }).count()).resolves.toBe(1);
		const principlesText = (await page.locator('#principles + table').textContent()) ?? '';
		expect(principlesText).toContain('National sovereignty');
	});

	it('Spanish: page chrome and questions in Spanish, English fall-backs marked lang="en"', async () => {
		const page = await newPage();
		await page.goto('/methodology?lang=es');
		await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
		expect((await page.locator('h1').textContent())?.trim()).toBe('Metodología');
		const v = M.variables.find((x) => x.question.es)!;
		const row = page.locator(`[id="variable-${v.key}"]`);
		const question = row.locator('p.question');
		await expect(question.textContent()).resolves.toBe(v.question.es);
		await expect(question.getAttribute('lang')).resolves.toBeNull();
		// Guidance exists only in English here: marked as such.
		if (!v.guidance.es) await expect(row.locator('ul.guidance').getAttribute('lang')).resolves.toBe('en');
		// The English document and objective titles are marked too.
		await expect(page.locator('.doc').getAttribute('lang')).resolves.toBe('en');
		await expect(page.locator('#objective-1 a').getAttribute('lang')).resolves.toBe('en');
	});

	it('the download link serves the same methodology as data/methodology', async () => {
		const page = await newPage();
		await page.goto('/methodology');
		const href = await page.getByRole('link', { name: 'Download the methodology as JSON' }).getAttribute('href');
		expect(href).toBe(`/api/v1/methodologies/${M.key}/${M.version}`);
		const res = await fetch(new URL(href!, server.url));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		const shipped = JSON.parse(
			readFileSync(join(PROJECT_ROOT, 'data', 'methodology', `${M.key}-${M.version}.json`), 'utf8')
		) as unknown;
		expect(await res.json()).toEqual(shipped);

		const list = (await (await fetch(new URL('/api/v1/methodologies', server.url))).json()) as {
			items: { key: string; version: string; url: string }[];
		};
		expect(list.items).toContainEqual(expect.objectContaining({ key: M.key, version: M.version, url: href }));

		const missing = await fetch(new URL(`/api/v1/methodologies/${M.key}/99.0`, server.url));
		expect(missing.status).toBe(404);
		expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
		expect(((await missing.json()) as { code?: string }).code).toBe('METHODOLOGY_NOT_FOUND');
		const bad = await fetch(new URL(`/api/v1/methodologies?x=1`, server.url));
		expect(bad.status).toBe(400);
	});
});

describe('/methodology accessibility (axe-core, WCAG 2.2 AA)', () => {
	const axeSource = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
	type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

	for (const path of ['/methodology', '/methodology?lang=es']) {
		it(`${path}: no serious or critical violations`, async () => {
			// axe is injected as a script, so this context bypasses the CSP; the page has no JS of its own.
			const page = await newPage({ javaScriptEnabled: true, bypassCSP: true });
			const res = await page.goto(path);
			expect(res?.status()).toBe(200);
			await page.addScriptTag({ content: axeSource });
			const result = (await page.evaluate(() =>
				// @ts-expect-error axe is a global injected above
				axe.run(document, {
					runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }
				})
			)) as { violations: AxeViolation[] };
			const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(
				serious.map((v) => `[${v.impact}] ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
			).toEqual([]);
		});
	}
});
