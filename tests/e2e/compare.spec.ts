/**
 * The compare page's answers to bad input, and conditional GETs on the benchmark API, against the
 * built app with the fictional demo (`gcm seed --demo`, Demoland XDM).
 *
 * - /benchmarks/compare with too few, too many, repeated or unknown countries is a 400 that still
 *   shows the form as submitted with the errors (JavaScript off, and on: client-side navigation);
 * - every /api/v1/benchmarks/** and /api/v1/assessments GET has an ETag, answers 304 to
 *   If-None-Match with it, and a new ETag once the published data changes (an unpublished assessment
 *   is never served from a cache as still current).
 */
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import { gcmEnv, launchBrowser, makeDataDir, runGcm, startServer, type RunningServer } from './server';

const dataDir = makeDataDir();
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	const seeded = await runGcm(['seed', '--demo'], gcmEnv(dataDir), 180_000);
	expect(seeded.code, seeded.stderr).toBe(0);
	server = await startServer({ dataDir });
	browser = await launchBrowser();
}, 300_000);

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	const { rmSync } = await import('node:fs');
	rmSync(dataDir, { recursive: true, force: true });
});

async function open(path: string, status: number, options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.url, ...options });
	contexts.push(context);
	const page = await context.newPage();
	const res = await page.goto(path);
	expect(res?.status(), `GET ${path}`).toBe(status);
	return page;
}

const selects = (page: Page) => page.locator('form.compare-form select[name="country"]');
const errorsOf = async (page: Page) => (await page.locator('.errors[role="alert"]').textContent()) ?? '';

describe('/benchmarks/compare', () => {
	it('a good selection is 200 with the table; no selection is 200 with the form only', async () => {
		const empty = await open('/benchmarks/compare', 200);
		expect(await selects(empty).count()).toBe(4);
		expect(await empty.locator('.errors').count()).toBe(0);
		expect(await empty.locator('table.compare-table').count()).toBe(0);
		const good = await open('/benchmarks/compare?country=XDM&country=MEX', 200);
		expect(await good.locator('th[data-country="XDM"]').count()).toBe(1);
		expect(await good.locator('.errors').count()).toBe(0);
	});

	it.each([
		['one country', 'country=XDM', [/Choose between 2 and 4/]],
		['five countries', 'country=XDM&country=MEX&country=KEN&country=UGA&country=CHL', [/Choose between 2 and 4/]],
		['a repeated country', 'country=XDM&country=XDM', [/only once/]],
		['an unknown code', 'country=XDM&country=ZZZ', [/“ZZZ” is not a known country code/]],
		['all of it at once', 'country=XDM&country=ZZZ&country=XDM', [/“ZZZ” is not a known country code/, /only once/]]
	])('%s is a 400 that shows the form as submitted with the errors', async (_, query, messages) => {
		const page = await open(`/benchmarks/compare?${query}`, 400);
		const errors = await errorsOf(page);
		for (const m of messages) expect(errors).toMatch(m);
		expect(await page.title()).toMatch(/^Compare/);
		expect(await selects(page).count()).toBe(4);
		const first = new URLSearchParams(query).getAll('country')[0];
		expect(await selects(page).nth(0).inputValue()).toBe(first);
		expect(await page.locator('table.compare-table').count()).toBe(0);
	});

	it('markup in a code is a 400 with the code escaped, never run', async () => {
		const page = await open(`/benchmarks/compare?country=${encodeURIComponent('<img src=x onerror=alert(1)>')}`, 400);
		expect(await page.locator('.errors img').count()).toBe(0);
		expect(await errorsOf(page)).toMatch(/is not a known country code/);
	});

	it('with JavaScript, a bad selection sent from the form shows the errors and keeps the form', async () => {
		const page = await open('/benchmarks/compare', 200, { javaScriptEnabled: true });
		await page.waitForLoadState('networkidle');
		await selects(page).nth(0).selectOption('XDM');
		await page.locator('form.compare-form button[type="submit"]').click();
		await page.locator('.errors[role="alert"]').waitFor();
		expect(await errorsOf(page)).toMatch(/Choose between 2 and 4/);
		expect(new URL(page.url()).searchParams.getAll('country').filter((c) => c !== '')).toEqual(['XDM']);
		// Corrected, the same form compares.
		await selects(page).nth(1).selectOption('MEX');
		await page.locator('form.compare-form button[type="submit"]').click();
		await page.locator('th[data-country="MEX"]').waitFor();
		expect(await page.locator('.errors').count()).toBe(0);
	});
});

describe('ETag on the benchmark API', () => {
	const PATHS = [
		'/api/v1/assessments',
		'/api/v1/assessments?country=XDM',
		'/api/v1/benchmarks/countries/XDM',
		'/api/v1/benchmarks/objectives/5',
		'/api/v1/benchmarks/scores.csv',
		'/api/v1/benchmarks/scores.json',
		'/api/v1/benchmarks/evidence.csv',
		'/api/v1/benchmarks/evidence.json?country=XDM'
	];

	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(new URL(path, server.url), { headers, redirect: 'manual' });

	async function etags(paths: readonly string[]): Promise<Map<string, string>> {
		const out = new Map<string, string>();
		for (const path of paths) {
			const res = await get(path);
			expect(res.status, path).toBe(200);
			expect(res.headers.get('cache-control'), path).toBe('no-cache');
			const etag = res.headers.get('etag') ?? '';
			// Strong, except the JSON downloads, whose generated_at changes on every request.
			expect(etag, path).toMatch(path.includes('.json') ? /^W\/"[\w-]{32}"$/ : /^"[\w-]{32}"$/);
			await res.arrayBuffer();
			out.set(path, etag);
		}
		return out;
	}

	it('200 with an ETag; 304 without a body for If-None-Match with it; 200 for another', async () => {
		const first = await etags(PATHS);
		for (const [path, etag] of first) {
			const again = await get(path);
			expect(again.headers.get('etag'), `${path}: the same data, the same ETag`).toBe(etag);
			await again.arrayBuffer();
			const cached = await get(path, { 'if-none-match': etag });
			expect(cached.status, path).toBe(304);
			expect(cached.headers.get('etag'), path).toBe(etag);
			expect(await cached.text(), path).toBe('');
			const other = await get(path, { 'if-none-match': '"not-this-one"' });
			expect(other.status, path).toBe(200);
			await other.arrayBuffer();
		}
		// A bad filter is still a problem response, never a 304.
		const bad = await get('/api/v1/assessments?country=nowhere', { 'if-none-match': '*' });
		expect(bad.status).toBe(400);
	});

	it('a change to the published data changes the ETag: the old one is a 200 with the new data', async () => {
		const before = await etags(PATHS);
		await server.stop();
		const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
		try {
			const [row] = await rows<{ id: string }>(
				database.db,
				sql`SELECT id FROM assessment WHERE country = 'XDM' AND status = 'published' ORDER BY edition DESC, perspective LIMIT 1`
			);
			// As after an unpublish: back in validation.
			await database.db.execute(sql`UPDATE assessment SET status = 'validation' WHERE id = ${row!.id}`);
		} finally {
			await database.close();
		}
		server = await startServer({ dataDir });
		for (const path of PATHS) {
			const res = await get(path, { 'if-none-match': before.get(path) ?? '' });
			await res.arrayBuffer();
			expect(res.status, `${path} after the change`).toBe(200);
			expect(res.headers.get('etag'), path).not.toBe(before.get(path));
		}
	}, 180_000);
});
