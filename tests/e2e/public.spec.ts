/**
 * The public site in a real browser, with JavaScript disabled (the pages are server-rendered
 * with csr=false and must work without it), plus an accessibility pass with axe-core.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PROJECT_ROOT, startServer, type RunningServer } from './server';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Every request any page made to a host other than the local server. */
const foreignRequests: string[] = [];
/** Every page URL visited (to show the crawl was not empty). */
const visited = new Set<string>();

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

function isLocal(url: string): boolean {
	if (!/^https?:/i.test(url)) return true; // data:, about:, blob:
	const { hostname } = new URL(url);
	return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.url, ...options });
	contexts.push(context);
	context.on('request', (req) => {
		if (!isLocal(req.url())) foreignRequests.push(req.url());
	});
	context.on('page', (p) =>
		p.on('framenavigated', (frame) => {
			if (frame === p.mainFrame()) visited.add(frame.url());
		})
	);
	return context.newPage();
}

async function api<T = unknown>(path: string): Promise<{ status: number; headers: Headers; body: T }> {
	const res = await fetch(new URL(path, server.url));
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, headers: res.headers, body: body as T };
}

type ListBody = { total: number; items: { id: string; title: string; description: string; initiators: string[] }[] };

/** The number in "105 initiatives found". */
async function resultTotal(page: Page): Promise<number> {
	const text = (await page.locator('#results-heading').textContent()) ?? '';
	const m = /(\d[\d,.\s]*)/.exec(text);
	if (!m) throw new Error(`no count in the results heading: ${JSON.stringify(text)}`);
	return Number(m[1]!.replace(/[^\d]/g, ''));
}

async function click(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
	await Promise.all([page.waitForNavigation(), locator.click()]);
}

describe('public pages without JavaScript', () => {
	it('home: heading, world map with a data-table alternative, and the numbers', async () => {
		const page = await newPage();
		const res = await page.goto('/');
		expect(res?.status()).toBe(200);
		await expect(page.locator('h1').count()).resolves.toBe(1);
		expect((await page.locator('h1').textContent())?.trim()).toMatch(/Global Compact for Migration/);

		const map = page.locator('figure.world-map svg[role="group"]');
		await expect(map.count()).resolves.toBeGreaterThanOrEqual(1);
		// The map has an accessible name (its <title>, via aria-labelledby).
		const labelledby = await map.first().getAttribute('aria-labelledby');
		expect(labelledby).toBeTruthy();
		expect((await page.locator(`[id="${labelledby}"]`).textContent())?.trim()).not.toBe('');

		// The same data as a table.
		const table = page.locator('table').filter({ has: page.locator('td, th') });
		await expect(table.count()).resolves.toBeGreaterThanOrEqual(1);
		await expect(table.first().locator('tbody tr').count()).resolves.toBeGreaterThan(0);

		const numbers = page.locator('section[aria-labelledby="numbers"]');
		expect(await numbers.textContent()).toMatch(/\b105 initiatives\b/);
	});

	it('browse and search: "consultation" narrows the registry to matching records', async () => {
		const page = await newPage();
		await page.goto('/initiatives');
		expect(await resultTotal(page)).toBe(105);

		await page.getByLabel('Search initiatives').fill('consultation');
		await click(page, page.getByRole('button', { name: 'Search', exact: true }));
		const url = new URL(page.url());
		expect(url.pathname).toBe('/initiatives');
		expect(url.searchParams.get('q')).toBe('consultation');

		const total = await resultTotal(page);
		expect(total).toBeGreaterThan(0);
		expect(total).toBeLessThan(105);

		const items = page.locator('ol.results > li');
		const shown = await items.allTextContents();
		expect(shown.length).toBe(Math.min(total, 20));
		for (const text of shown) expect(text).toMatch(/consult/i);

		const { body } = await api<ListBody>('/api/v1/initiatives?q=consultation&limit=100');
		expect(body.total).toBe(total);
		for (const item of body.items) {
			expect([item.title, item.description, ...item.initiators].join(' ')).toMatch(/consult/i);
		}
	});

	it('filters: Meeting in Morocco, then the detail page of the first result', async () => {
		const page = await newPage();
		await page.goto('/initiatives');
		await page.getByRole('checkbox', { name: /^Meeting\b/ }).check();
		const country = page.getByLabel('Country', { exact: true });
		const morocco = country.locator('option', { hasText: /^\s*Morocco\b/ });
		expect(await morocco.getAttribute('value')).toBe('MAR');
		await country.selectOption('MAR');
		await click(page, page.getByRole('button', { name: 'Apply filters' }));

		const url = new URL(page.url());
		expect(url.searchParams.getAll('action_type')).toEqual(['meeting']);
		expect(url.searchParams.getAll('country')).toEqual(['MAR']);

		const total = await resultTotal(page);
		const { body } = await api<ListBody>('/api/v1/initiatives?action_type=meeting&country=MAR');
		expect(total).toBe(body.total);
		expect(total).toBeGreaterThan(0);

		await click(page, page.locator('ol.results > li h3 a').first());
		expect(page.url()).toMatch(/\/initiatives\/[0-9a-f-]{36}$/);
		const field = (name: string) => page.locator('dl.fields dt', { hasText: new RegExp(`^\\s*${name}\\s*$`) });
		await expect(field('Type of action').count()).resolves.toBe(1);
		expect((await field('Type of action').locator('xpath=following-sibling::dd[1]').textContent())?.trim()).toBe(
			'Meeting'
		);
		await expect(field('Sources').count()).resolves.toBe(1);
		await expect(field('Provenance').count()).resolves.toBe(1);
		expect(await page.locator('dl.fields').textContent()).toMatch(/Morocco/);
	});

	it('pagination: "Next page" shows results 21–40', async () => {
		const page = await newPage();
		await page.goto('/initiatives');
		await click(page, page.getByRole('link', { name: 'Next page' }));
		expect(new URL(page.url()).searchParams.get('offset')).toBe('20');
		expect(await page.locator('main').textContent()).toContain('Showing 21–40');
		await expect(page.locator('ol.results > li').count()).resolves.toBe(20);
		expect(await page.locator('ol.results').getAttribute('start')).toBe('21');
	});

	it('download: the CSV link exports exactly the filtered results', async () => {
		const page = await newPage();
		await page.goto('/initiatives?country=MAR');
		const total = await resultTotal(page);
		const href = await page.getByRole('link', { name: 'CSV (spreadsheet)' }).getAttribute('href');
		expect(href).toBeTruthy();
		const res = await page.request.get(new URL(href!, page.url()).href);
		expect(res.status()).toBe(200);
		expect(res.headers()['content-type']).toMatch(/^text\/csv/);
		const text = await res.text();
		expect(text.replace(/^\uFEFF/, '').startsWith('key,title,description')).toBe(true);
		const rows = parseCsv(text, { bom: true, relax_column_count: false }) as string[][];
		expect(rows.length - 1).toBe(total);
		const header = rows[0]!;
		const countriesCol = header.indexOf('countries');
		for (const row of rows.slice(1)) expect(row[countriesCol]!.split(';')).toContain('MAR');
	});

	it('languages: Spanish by link and cookie, Arabic is right-to-left, back to English', async () => {
		const page = await newPage();
		await page.goto('/');
		await click(page, page.getByRole('link', { name: 'Español' }));
		expect(await page.locator('html').getAttribute('lang')).toBe('es');
		expect(await page.locator('h1').textContent()).toMatch(/^\s*Quién hace qué/);

		// The choice is remembered (cookie) on a page reached without ?lang.
		await page.goto('/initiatives');
		expect(await page.locator('html').getAttribute('lang')).toBe('es');
		expect((await page.locator('h1').textContent())?.trim()).toBe('Registro de iniciativas de aplicación');

		await page.goto('/initiatives?lang=ar');
		expect(await page.locator('html').getAttribute('lang')).toBe('ar');
		expect(await page.locator('html').getAttribute('dir')).toBe('rtl');

		await click(page, page.getByRole('link', { name: 'English' }));
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
		expect((await page.locator('h1').textContent())?.trim()).toBe('Registry of implementation initiatives');
		await page.goto('/');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
	});

	it('errors: an invalid filter is explained; unknown pages and records are 404', async () => {
		const page = await newPage();
		const bad = await page.goto('/initiatives?from=2019-13');
		expect(bad?.status()).toBeLessThan(500);
		const alert = page.getByRole('alert');
		await expect(alert.count()).resolves.toBe(1);
		expect(await alert.textContent()).toMatch(/from/);
		await expect(alert.locator('li').count()).resolves.toBeGreaterThan(0);
		await expect(page.locator('h1').count()).resolves.toBe(1);

		const nope = await page.goto('/nope');
		expect(nope?.status()).toBe(404);
		await expect(page.locator('h1').count()).resolves.toBeGreaterThanOrEqual(1);

		for (const path of [`/initiatives/${randomUUID()}`, '/initiatives/not-a-uuid']) {
			const missing = await page.goto(path);
			expect.soft(missing?.status(), `GET ${path}`).toBe(404);
		}
	});

	it('API: unknown parameters are a problem+json 400; the OpenAPI document is 3.1', async () => {
		const bogus = await api<{ errors: { parameter: string }[] }>('/api/v1/initiatives?bogus=1');
		expect(bogus.status).toBe(400);
		expect(bogus.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		expect(bogus.body.errors[0]?.parameter).toBe('bogus');

		const spec = await api<{ openapi: string }>('/api/v1/openapi.json');
		expect(spec.status).toBe(200);
		expect(spec.body.openapi).toBe('3.1.0');

		for (const path of [`/api/v1/initiatives/${randomUUID()}`, '/api/v1/initiatives/not-a-uuid']) {
			const missing = await api<{ status?: number }>(path);
			expect.soft(missing.status, `GET ${path}`).toBe(404);
			expect.soft(missing.headers.get('content-type'), `GET ${path}`).toMatch(/^application\/problem\+json/);
		}
	});

	it('security headers on HTML pages', async () => {
		const page = await newPage();
		for (const path of ['/', '/initiatives']) {
			const res = await page.goto(path);
			const h = res!.headers();
			const csp = h['content-security-policy'] ?? '';
			expect(csp, path).toContain("default-src 'self'");
			expect(csp, path).not.toMatch(/https?:/i);
			expect(csp, path).toMatch(/frame-ancestors 'none'/);
			expect(h['x-content-type-options'], path).toBe('nosniff');
			expect(h['referrer-policy'], path).toBeTruthy();
		}
	});
});

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
	const axeSource = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
	const SERIOUS = new Set(['serious', 'critical']);

	type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
	type AxeViolation = { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] };

	async function audit(path: string): Promise<AxeViolation[]> {
		// axe is injected as a script, so this context bypasses the site's CSP; pages have no JS of their own.
		const page = await newPage({ javaScriptEnabled: true, bypassCSP: true });
		const res = await page.goto(path);
		expect(res?.status(), `GET ${path}`).toBe(200);
		await page.addScriptTag({ content: axeSource });
		const result = (await page.evaluate(() =>
			// @ts-expect-error axe is a global injected above
			axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
		)) as { violations: AxeViolation[] };
		return result.violations.filter((v) => SERIOUS.has(v.impact ?? ''));
	}

	function describeViolations(path: string, violations: AxeViolation[]): string {
		return violations
			.map((v) =>
				[
					`[${v.impact}] ${v.id} on ${path}: ${v.help} (${v.helpUrl})`,
					...v.nodes
						.slice(0, 10)
						.map(
							(n) =>
								`    ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`
						),
					v.nodes.length > 10 ? `    … and ${v.nodes.length - 10} more` : ''
				].join('\n')
			)
			.join('\n');
	}

	const pages: (string | (() => Promise<string>))[] = [
		'/',
		'/initiatives',
		'/initiatives?q=meeting',
		async () => {
			const { body } = await api<ListBody>('/api/v1/initiatives?country=MAR&limit=1');
			return `/initiatives/${body.items[0]!.id}`;
		},
		'/objectives',
		'/objectives/13',
		'/countries',
		'/countries/MAR',
		'/practices',
		'/data',
		'/?lang=es',
		'/initiatives?lang=ar'
	];

	for (const entry of pages) {
		const name = typeof entry === 'string' ? entry : 'an initiative detail page';
		it(`no serious or critical violations: ${name}`, async () => {
			const path = typeof entry === 'string' ? entry : await entry();
			const violations = await audit(path);
			if (violations.length > 0) console.error(describeViolations(path, violations));
			expect(
				violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
				describeViolations(path, violations)
			).toEqual([]);
		});
	}
});

describe('privacy', () => {
	it('no page requested anything outside the local server', () => {
		expect(visited.size).toBeGreaterThan(10);
		expect(foreignRequests).toEqual([]);
	});
});
