/**
 * The public benchmark pages, downloads and API (issue #5) in Chromium with JavaScript disabled.
 *
 * First the default install (nothing published: the empty state most visitors see), then the same
 * data directory after `gcm seed --demo` (the fictional country Demoland, XDM) with one demo
 * assessment taken back to validation — so "published only" is tested against a real unpublished
 * assessment — and one published summary made hostile (escaping). The overall score on the page is
 * checked against a small hand-written computation from the demo generator's answers and ratings
 * (not computeScores), and against the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY } from '../../src/lib/core/benchmarking/default-methodology';
import { buildDemoAssessments, type DemoAssessment } from '../../src/lib/core/benchmarking/demo';
import { openDatabase } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import { gcmEnv, launchBrowser, makeDataDir, PROJECT_ROOT, runGcm, startServer, type RunningServer } from './server';

const dataDir = makeDataDir();
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	server = await startServer({ dataDir });
	browser = await launchBrowser();
});

afterEach(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await server?.dispose();
	const { rmSync } = await import('node:fs');
	rmSync(dataDir, { recursive: true, force: true });
});

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.url, ...options });
	contexts.push(context);
	return context.newPage();
}

async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
	const page = await newPage(options);
	const res = await page.goto(path);
	expect(res?.status(), `GET ${path}`).toBe(200);
	return page;
}

async function api<T = unknown>(path: string): Promise<{ status: number; headers: Headers; text: string; body: T }> {
	const res = await fetch(new URL(path, server.url));
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, headers: res.headers, text, body: body as T };
}

// Accessibility ---------------------------------------------------------------------------------

const axeSource = readFileSync(join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] };

async function expectAxeClean(path: string): Promise<void> {
	// axe is injected as a script, so this context bypasses the site's CSP; pages have no JS of their own.
	const page = await open(path, { javaScriptEnabled: true, bypassCSP: true });
	await page.addScriptTag({ content: axeSource });
	const result = (await page.evaluate(() =>
		// @ts-expect-error axe is a global injected above
		axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
	)) as { violations: AxeViolation[] };
	const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		serious.map(
			(v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).join(' | ')}`
		),
		path
	).toEqual([]);
}

// The independent computation -------------------------------------------------------------------

/** Half away from zero to one decimal (the default methodology's `decimals`). */
const round1 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 10 + 1e-9)) / 10;

/**
 * The default methodology by hand: an objective's score is the weighted mean of its scored desk
 * answers (N/A and unknown left out); a principle's is the mean of its non-null expert ratings on
 * the 0–100 scale; each side is the weighted mean of the items that have a score; overall is
 * 0.7 × objectives + 0.3 × principles (normalised by the weights' sum).
 */
function expectedOverall(d: DemoAssessment): { overall: number; objectives: number; principles: number } {
	const m = DEFAULT_METHODOLOGY;
	const option = new Map(m.answerScale.map((o) => [o.key, o]));
	const answerOf = new Map(d.answers.map((a) => [a.variableKey, a.answer]));
	let oSum = 0;
	let oWeight = 0;
	for (const item of m.objectives) {
		if (!item.scored) continue;
		let sum = 0;
		let weight = 0;
		for (const v of m.variables) {
			if (v.objective !== item.number) continue;
			const o = option.get(answerOf.get(v.key) ?? '');
			if (o && o.kind === 'scored' && o.value !== null) {
				sum += v.weight * o.value;
				weight += v.weight;
			}
		}
		if (weight > 0) {
			oSum += item.weight * (sum / weight);
			oWeight += item.weight;
		}
	}
	const scoreOf = new Map(m.ratingScale.map((r) => [r.value, r.score]));
	let pSum = 0;
	let pWeight = 0;
	for (const p of m.principles) {
		if (!p.scored) continue;
		const values = d.ratings
			.filter((r) => r.itemType === 'principle' && r.itemKey === p.key && r.value !== null)
			.map((r) => scoreOf.get(r.value as number) as number);
		if (values.length > 0) {
			pSum += p.weight * (values.reduce((a, b) => a + b, 0) / values.length);
			pWeight += p.weight;
		}
	}
	const objectives = oSum / oWeight;
	const principles = pSum / pWeight;
	const overall =
		(m.weights.objectives * objectives + m.weights.principles * principles) /
		(m.weights.objectives + m.weights.principles);
	return { overall: round1(overall), objectives: round1(objectives), principles: round1(principles) };
}

const demo = buildDemoAssessments(DEFAULT_METHODOLOGY);
const demoOf = (edition: number, perspective: string) =>
	demo.find((d) => d.edition === edition && d.perspective === perspective) as DemoAssessment;
/** One export row per objective and principle of the methodology, scored or not (unscored: empty score). */
const ITEMS = DEFAULT_METHODOLOGY.objectives.length + DEFAULT_METHODOLOGY.principles.length;
const HOSTILE_SUMMARY = '<script>document.title="pwned"</script> ملخص — "quoted", long '.padEnd(400, 'x');

type Problem = { status: number; code: string; errors?: { parameter: string }[] };
type CountryBody = {
	assessed: boolean;
	headline: { id: string; overall: number; edition: number; perspective: string; fictional: boolean } | null;
	assessments: { id: string; edition: number; perspective: string }[];
	perspectives: { perspectives: string[]; overall: { scores: Record<string, number | null> } } | null;
	trend: Record<string, { edition: number; deltas: { overall: number | null } | null }[]>;
};

const numberIn = (text: string | null) => Number((text ?? '').replace(/[^\d.,+-]/g, '').replace(',', '.'));

// -----------------------------------------------------------------------------------------------

describe('default install: nothing published', () => {
	it('/benchmarks shows the empty state, not a map of invented scores', async () => {
		const page = await open('/benchmarks');
		await expect(page.locator('h2#empty-heading').textContent()).resolves.toBe(
			'No country has a published assessment yet'
		);
		expect(await page.locator('#empty-heading + p').textContent()).toMatch(/Nothing is estimated or invented/);
		expect(await page.locator('.benchmark-map').count()).toBe(0);
		expect(await page.locator('nav.main-nav a[href="/benchmarks"][aria-current="page"]').textContent()).toBe(
			'Benchmarks'
		);
		await expectAxeClean('/benchmarks');
	});

	it('the API and the downloads are empty, and a real country is "not assessed"', async () => {
		expect((await api<{ total: number }>('/api/v1/assessments')).body.total).toBe(0);
		const csv = await api('/api/v1/benchmarks/scores.csv');
		expect(csv.status).toBe(200);
		expect(csv.text.trimEnd().split('\r\n')).toHaveLength(1);
		expect((await api<{ items: unknown[] }>('/api/v1/benchmarks/evidence.json')).body.items).toEqual([]);
		const mex = await api<CountryBody>('/api/v1/benchmarks/countries/MEX');
		expect(mex.body).toMatchObject({ assessed: false, headline: null });
		expect((await api<Problem>('/api/v1/benchmarks/countries/XDM')).body.code).toBe('COUNTRY_NOT_FOUND');
		const page = await open('/benchmarks/MEX');
		expect(await page.locator('main').textContent()).toMatch(/has no published assessment yet/);
		expect(await page.locator('#overall-score').count()).toBe(0);
		expect((await (await newPage()).goto('/benchmarks/XDM'))?.status()).toBe(404);
	});
});

describe('with the fictional demo (gcm seed --demo)', () => {
	let unpublishedId = '';
	const headlineDemo = demoOf(2026, 'independent');
	const expected = expectedOverall(headlineDemo);

	beforeAll(async () => {
		await server.stop();
		const seeded = await runGcm(['seed', '--demo'], gcmEnv(dataDir), 180_000);
		expect(seeded.code, seeded.stderr).toBe(0);
		const database = await openDatabase({ databaseUrl: null, dataDir, lock: true });
		try {
			const [row] = await rows<{ id: string }>(
				database.db,
				sql`SELECT id FROM assessment WHERE country = 'XDM' AND edition = 2022 AND perspective = 'civil_society'`
			);
			unpublishedId = row!.id;
			// As after an unpublish: back in validation, with a hostile title that must never appear.
			await database.db.execute(
				sql`UPDATE assessment SET status = 'validation', title = '<script>unpublished</script> مسودة' WHERE id = ${unpublishedId}`
			);
			await database.db.execute(
				sql`UPDATE assessment SET summary = ${HOSTILE_SUMMARY} WHERE country = 'XDM' AND edition = 2026 AND perspective = 'independent'`
			);
		} finally {
			await database.close();
		}
		server = await startServer({ dataDir });
	});

	it('/benchmarks: map and list, Demoland labelled fictional', async () => {
		const page = await open('/benchmarks');
		expect(await page.locator('#empty-heading').count()).toBe(0);
		expect(await page.locator('.fictional-note').textContent()).toMatch(/Fictional demo data/);
		expect(await page.locator('.benchmark-map svg[role="img"] title').first().textContent()).toBe(
			'Overall GCM compliance by country'
		);
		// Not assessed is its own legend entry, never the lightest score class.
		expect(await page.locator('.benchmark-map .legend').first().textContent()).toMatch(/Not assessed/);
		// Demoland has no shape on the map: listed under the map with its score.
		expect(await page.locator('.benchmark-map .unmapped').textContent()).toMatch(/Demoland \(fictional\)/);
		const row = page.locator('tr[data-country="XDM"]');
		expect(await row.locator('.fictional-badge').textContent()).toBe('Fictional demo data');
		expect(numberIn(await row.locator('.overall').textContent())).toBe(expected.overall);
		expect(await row.textContent()).toMatch(/2026, independent/);
		await expectAxeClean('/benchmarks');
	});

	it('/benchmarks/XDM: the overall score equals an independent computation and the API', async () => {
		const page = await open('/benchmarks/XDM');
		const shown = numberIn(await page.locator('#overall-score').textContent());
		expect(shown).toBe(expected.overall);
		const { body } = await api<CountryBody>('/api/v1/benchmarks/countries/XDM');
		expect(body.headline).toMatchObject({ overall: expected.overall, edition: 2026, perspective: 'independent' });
		expect(body.headline?.fictional).toBe(true);
		const fields = await page.locator('dl.fields').textContent();
		expect(fields).toContain(String(expected.objectives));
		expect(fields).toContain(String(expected.principles));
		expect(fields).toMatch(/gcm-benchmark 1\.0/);
		expect(await page.locator('dl.fields a[href="/methodology"]').count()).toBe(1);
		expect(await page.locator('.fictional-note').textContent()).toMatch(/Fictional demo data/);
	});

	it('/benchmarks/XDM: perspectives side by side, trend 2022→2026, evidence', async () => {
		const page = await open('/benchmarks/XDM');
		const { body } = await api<CountryBody>('/api/v1/benchmarks/countries/XDM');
		// Perspectives of 2026, with the same numbers as the API.
		const items = page.locator('.perspective-overall li');
		expect(await items.count()).toBe(3);
		for (const p of ['independent', 'government', 'civil_society']) {
			const text = await page.locator(`.perspective-overall li[data-perspective="${p}"] strong`).textContent();
			expect(numberIn(text), p).toBe(body.perspectives!.overall.scores[p]);
			expect(numberIn(text), p).toBe(expectedOverall(demoOf(2026, p)).overall);
		}
		// The government view is rosier in the demo: the chart highlights divergent rows.
		expect(await page.locator('#perspectives').textContent()).toMatch(/differ by more than 20 points|diverge/);
		// Trend: independent and government 2022 → 2026 with the API's deltas; civil society's 2022 is not published.
		for (const p of ['independent', 'government']) {
			const cell = page.locator(`table.deltas tr[data-perspective="${p}"] td`);
			expect(await cell.first().textContent()).toMatch(/2022 → 2026/);
			const delta = body.trend[p]!.find((x) => x.edition === 2026)!.deltas!.overall!;
			expect(numberIn(await cell.nth(1).textContent())).toBeCloseTo(delta, 6);
			expect(delta).toBeCloseTo(expectedOverall(demoOf(2026, p)).overall - expectedOverall(demoOf(2022, p)).overall, 6);
		}
		expect(await page.locator('table.deltas tr[data-perspective="civil_society"]').count()).toBe(0);
		expect(await page.locator('#trend figure').textContent()).toMatch(/2022[\s\S]*2026/);
		// Evidence: 23 objectives, fictional documents linked.
		expect(await page.locator('details.evidence-objective').count()).toBe(23);
		expect(
			await page.locator('details.evidence-objective a[href^="https://example.org/demoland/2026/"]').count()
		).toBeGreaterThan(10);
		expect(await page.locator('#evidence').textContent()).toMatch(/second researcher disputed/);
	});

	it('never shows drafts, hostile text unescaped, or experts who did not opt in', async () => {
		const page = await open('/benchmarks/XDM');
		const html = await page.content();
		expect(html).not.toContain('unpublished');
		expect(html).not.toContain('مسودة');
		expect(html).not.toContain('<script>document.title');
		expect(await page.title()).not.toBe('pwned');
		expect(await page.locator('p.muted', { hasText: 'ملخص' }).textContent()).toContain('<script>');
		expect(html).not.toMatch(/demo-expert-[0-9a-f]+@example\.org/);
		const named = new Set(headlineDemo.experts.filter((e) => e.publicOptIn).map((e) => e.displayName));
		for (const e of headlineDemo.experts) {
			if (!named.has(e.displayName)) expect(html, e.displayName).not.toContain(e.displayName);
		}
		const experts = await page.locator('dl.fields').textContent();
		expect(experts).toContain(`${headlineDemo.experts.length} experts`);
		for (const name of named) expect(experts).toContain(name);
		// The unpublished assessment is a 404 in the API, like an unknown id.
		const gone = await api<Problem>(`/api/v1/assessments/${unpublishedId}`);
		expect(gone.status).toBe(404);
		expect(gone.body.code).toBe('ASSESSMENT_NOT_FOUND');
	});

	it('compare: a GET form with country selects, Demoland beside a country that is not assessed', async () => {
		const page = await open('/benchmarks/compare');
		const selects = page.locator('form.compare-form select[name="country"]');
		expect(await selects.count()).toBe(4);
		await selects.nth(0).selectOption('XDM');
		await selects.nth(1).selectOption('MEX');
		await Promise.all([page.waitForNavigation(), page.locator('form.compare-form button[type="submit"]').click()]);
		const url = new URL(page.url());
		expect(url.pathname).toBe('/benchmarks/compare');
		expect(url.searchParams.getAll('country').filter((c) => c !== '')).toEqual(['XDM', 'MEX']);
		expect(await page.locator('th[data-country="XDM"]').textContent()).toMatch(/Fictional demo data/);
		expect(await page.locator('th[data-country="MEX"]').textContent()).toMatch(/Not assessed/);
		const overall = page.locator('tr[data-item="overall"] td');
		expect(numberIn(await overall.nth(0).textContent())).toBe(expected.overall);
		expect(await overall.nth(1).textContent()).toMatch(/Not assessed/);
		expect(await page.locator('.fictional-note').count()).toBe(1);
		// The selection is kept in the form.
		expect(await selects.nth(0).inputValue()).toBe('XDM');

		// Bad input is a 400 that still shows the form with the errors (more in compare.spec.ts).
		const one = await newPage();
		expect((await one.goto('/benchmarks/compare?country=XDM'))?.status()).toBe(400);
		expect(await one.locator('.errors[role="alert"]').textContent()).toMatch(/Choose between 2 and 4/);
		const bad = await newPage();
		expect((await bad.goto('/benchmarks/compare?country=XDM&country=ZZZ&country=XDM'))?.status()).toBe(400);
		const errors = await bad.locator('.errors').textContent();
		expect(errors).toMatch(/“ZZZ” is not a known country code/);
		expect(errors).toMatch(/only once/);
		await expectAxeClean('/benchmarks/compare?country=XDM&country=MEX');
	});

	it('downloads parse and contain only published, fictional rows', async () => {
		const scores = await api('/api/v1/benchmarks/scores.csv');
		expect(scores.status).toBe(200);
		expect(scores.headers.get('content-type')).toMatch(/^text\/csv/);
		expect(scores.headers.get('content-disposition')).toMatch(/attachment; filename="gcm-benchmark-scores\.csv"/);
		const scoreRows = parseCsv(scores.text, { columns: true }) as Record<string, string>[];
		expect(scoreRows).toHaveLength(5 * ITEMS);
		// National sovereignty is unscored in the default methodology: listed, with an empty score.
		const unscored: string[] = DEFAULT_METHODOLOGY.principles.filter((p) => !p.scored).map((p) => p.key);
		expect(unscored.length).toBeGreaterThan(0);
		expect(scoreRows.filter((r) => unscored.includes(r.item_key ?? '')).every((r) => r.score === '')).toBe(true);
		expect(scoreRows.every((r) => r.fictional === 'true' && r.country === 'XDM')).toBe(true);
		expect(scoreRows.some((r) => r.edition === '2022' && r.perspective === 'civil_society')).toBe(false);
		const assessment = await api<{ objectives: { number: number; score: number | null }[] }>(
			`/api/v1/assessments/${(await api<CountryBody>('/api/v1/benchmarks/countries/XDM')).body.headline!.id}`
		);
		const o7 = scoreRows.find((r) => r.edition === '2026' && r.perspective === 'independent' && r.item_key === 'O7')!;
		expect(Number(o7.score)).toBe(assessment.body.objectives.find((o) => o.number === 7)!.score);

		const json = await api<{ items: Record<string, unknown>[]; note: string }>('/api/v1/benchmarks/scores.json');
		expect(json.body.items).toHaveLength(scoreRows.length);
		expect(json.body.items.every((i) => i.fictional === true)).toBe(true);
		expect(json.body.note).toMatch(/fictional/);

		const evidence = await api('/api/v1/benchmarks/evidence.csv?country=xdm&edition=2026');
		expect(evidence.headers.get('content-disposition')).toContain('gcm-benchmark-evidence-XDM-2026.csv');
		const evidenceRows = parseCsv(evidence.text, { columns: true }) as Record<string, string>[];
		expect(evidenceRows.length).toBeGreaterThan(3 * DEFAULT_METHODOLOGY.variables.length - 1);
		expect(evidenceRows.every((r) => r.fictional === 'true' && r.edition === '2026')).toBe(true);
		expect(evidenceRows.some((r) => (r.url ?? '').startsWith('https://example.org/demoland/2026/'))).toBe(true);
		const all = await api<{ items: { edition: number; perspective: string }[] }>('/api/v1/benchmarks/evidence.json');
		expect(all.body.items.some((i) => i.edition === 2022 && i.perspective === 'civil_society')).toBe(false);
		expect(all.body.items.some((i) => i.edition === 2022 && i.perspective === 'government')).toBe(true);
	});

	it('API: published list with filters, and problems for bad or unknown input', async () => {
		const list = await api<{ total: number; items: { id: string; fictional: boolean }[] }>('/api/v1/assessments');
		expect(list.body.total).toBe(5);
		expect(list.body.items.map((i) => i.id)).not.toContain(unpublishedId);
		expect(list.body.items.every((i) => i.fictional)).toBe(true);
		const filtered = await api<{ total: number }>(
			'/api/v1/assessments?country=XDM&perspective=government&edition=2022'
		);
		expect(filtered.body.total).toBe(1);
		const bad = await api<Problem>('/api/v1/assessments?edition=20x2&perspective=all&sort=x');
		expect(bad.status).toBe(400);
		expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
		expect(bad.body.errors?.map((e) => e.parameter).sort()).toEqual(['edition', 'perspective', 'sort']);
		expect((await api<Problem>('/api/v1/benchmarks/scores.csv?country=XDM&country=MEX')).status).toBe(400);
		expect((await api<Problem>('/api/v1/benchmarks/scores.csv?country=ZZZ')).body.code).toBe('COUNTRY_NOT_FOUND');
		expect((await api<Problem>('/api/v1/assessments/not-an-id')).status).toBe(404);
		expect((await api<Problem>('/api/v1/benchmarks/objectives/24')).body.code).toBe('OBJECTIVE_NOT_FOUND');
		expect((await api<Problem>('/api/v1/benchmarks/objectives/x')).status).toBe(400);
		expect((await api<Problem>('/api/v1/benchmarks/countries/toolong')).status).toBe(400);
		const openapi = await api<{ paths: Record<string, unknown> }>('/api/v1/openapi.json');
		expect(Object.keys(openapi.body.paths)).toEqual(
			expect.arrayContaining(['/api/v1/assessments/{id}', '/api/v1/benchmarks/evidence.csv'])
		);
	});

	it('objective page: that objective across countries, as in the API', async () => {
		const page = await open('/objectives/7');
		const { body } = await api<{
			countries: { country: string; perspectives: Record<string, { score: number | null }> }[];
		}>('/api/v1/benchmarks/objectives/7');
		const xdm = body.countries.find((c) => c.country === 'XDM')!;
		for (const p of ['independent', 'government', 'civil_society']) {
			const row = page.locator(`#benchmark tr[data-country="XDM"][data-perspective="${p}"]`);
			expect(numberIn(await row.locator('td').nth(1).textContent()), p).toBe(xdm.perspectives[p]!.score);
		}
		// civil society's latest published edition is 2026; its 2022 is unpublished anyway.
		expect(await page.locator('#benchmark .fictional-badge').first().textContent()).toBe('Fictional demo data');
		await expectAxeClean('/objectives/7');
	});

	it('country page links to the benchmark when there is one, and says so when there is none', async () => {
		const mex = await open('/countries/MEX');
		expect(await mex.locator('main').textContent()).toMatch(/has no published assessment yet/);
		await expectAxeClean('/countries/MEX');
		const data = await open('/data');
		expect(await data.locator('a[href="/api/v1/benchmarks/scores.csv"]').count()).toBe(1);
	});

	it('Spanish and right-to-left pages', async () => {
		const es = await open('/benchmarks/XDM?lang=es');
		expect(await es.locator('.fictional-note').textContent()).toMatch(/Datos de demostración ficticios/);
		expect(numberIn(await es.locator('#overall-score').textContent())).toBe(expected.overall);
		const ar = await open('/benchmarks/XDM?lang=ar');
		expect(await ar.locator('html').getAttribute('dir')).toBe('rtl');
		await expectAxeClean('/benchmarks/XDM');
		await expectAxeClean('/benchmarks/XDM?lang=es');
		await expectAxeClean('/benchmarks/XDM?lang=ar');
	});
});
