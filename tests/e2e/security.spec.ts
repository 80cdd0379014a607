/**
 * Security proofs against the built app (research b1 T1.2, b2 T2.1, b6, b10), JavaScript disabled:
 * - route inventory, live half: every guarded page (account, workspace, admin) sends signed-out
 *   people to sign in, every API write without a token is 401, every form action posted signed out
 *   is refused;
 * - draft canary crawl: unpublished content (initiatives, practices and actors as drafts, in review
 *   with a review comment, unpublished, archived; a suggestion; assessments in desk research and in
 *   the expert panel) holds a unique canary in every text field; every public page reachable from /
 *   (en, es, ar), the downloads, the API lists, openapi.json, and direct links to the hidden ids
 *   never show it, nor the experts' emails, nor the names of experts who did not opt in — signed
 *   out, and signed in as every role (contributor, editor, reviewer of another country, coordinator,
 *   expert of another panel, admin: public surfaces do not vary by viewer, and the public API
 *   answers each of them byte for byte what it answers the public);
 * - stored and reflected XSS, CSRF (foreign or missing Origin), SQL injection in every documented
 *   query and path parameter, open redirects through `next` (also across the second factor);
 * - the same probes on the practice and actor write routes: CSRF on their workspace forms, XSS in
 *   every text field (no `window.__pwned` with JavaScript on), hostile ids and parameters, mass
 *   assignment (`status`, `role`, `version`, `owner_id` refused by name), IDOR (a reviewer of
 *   another country gets 404 for the drafts, on pages and through the API);
 * - at the end, with the server stopped: the content tables and the audit trail are exactly as
 *   before (only sign-in and second-factor rows were added).
 * Fixtures: tests/e2e/helpers/security-fixtures.ts; route table: tests/e2e/helpers/route-table.ts.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concretePath, GUARDED, ROUTES } from './helpers/route-table';
import {
	contentSnapshot,
	PASSWORD,
	PWN,
	seedSecurityFixtures,
	XSS,
	type FixtureRole,
	type SecurityFixtures
} from './helpers/security-fixtures';
import { cookieHeader as cookiesOf, pathOf, signInThroughPages } from './helpers/session';
import { launchBrowser, makeDataDir, startServer, type RunningServer } from './server';

const EVIL = 'https://evil.example';

let dataDir: string;
let server: RunningServer;
let browser: Browser;
let fx: SecurityFixtures;
let before: Record<string, number>;
const contexts: BrowserContext[] = [];
/** Cookie headers of signed-in people (the browser's cookies, reused by fetch). */
const cookieOf = {} as Record<FixtureRole, string>;
/** TOTP secrets of the people who enrolled during this run (later sign-ins verify a fresh code). */
const totpOf: Partial<Record<FixtureRole, string>> = {};

const url = (p: string) => `${server.url}${p}`;

function ids(): Record<string, string> {
	return {
		initiative: fx.hidden.draft,
		assessment: fx.assessments.deskResearch,
		user: fx.users.contributor.id,
		organisation: fx.organisationId,
		practice: fx.hiddenPractices.draft,
		actor: fx.hiddenActors.draft
	};
}

/** A form post as a browser makes it (text/html, form-encoded), without following redirects. */
function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
	return fetch(url(path), {
		method: 'POST',
		redirect: 'manual',
		headers: {
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			origin: server.url,
			...headers
		},
		body: new URLSearchParams(form).toString()
	});
}

async function newContext(): Promise<BrowserContext> {
	const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
	// Fail with the step that is stuck rather than at the test's timeout.
	context.setDefaultTimeout(15_000);
	contexts.push(context);
	return context;
}

async function cookieHeader(context: BrowserContext): Promise<string> {
	return cookiesOf(context, server.url);
}

/**
 * Signs in through the pages, starting from `from` (so sign-in carries ?next=), enrolling TOTP the
 * first time the role requires it and verifying a fresh code after that; returns the context and
 * the page where the person ended up.
 */
async function signIn(who: FixtureRole, from: string): Promise<{ context: BrowserContext; landed: string }> {
	const context = await newContext();
	const page = await context.newPage();
	const signed = await signInThroughPages(page, server.url, fx.users[who].email, {
		from,
		totpSecret: totpOf[who] ?? null
	});
	if (signed.totpSecret) totpOf[who] = signed.totpSecret;
	cookieOf[who] = await cookieHeader(context);
	return { context, landed: signed.landed };
}

beforeAll(async () => {
	dataDir = makeDataDir();
	fx = await seedSecurityFixtures(dataDir);
	before = await contentSnapshot(dataDir);
	server = await startServer({ dataDir });
	browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
	await Promise.all(contexts.splice(0).map((c) => c.close()));
	await browser?.close();
	await server?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('signed out (route inventory, live)', () => {
	const guarded = Object.entries(ROUTES).filter(([, r]) => GUARDED.includes(r.class) && r.path);

	it('every guarded page and workspace download sends signed-out people to sign in', async () => {
		expect(guarded.length).toBeGreaterThan(20);
		for (const [dir, r] of guarded) {
			const path = concretePath(r.path ?? '', ids());
			const res =
				r.method === 'POST' ? await postForm(path, { format: 'csv' }) : await fetch(url(path), { redirect: 'manual' });
			expect(res.status, `GET ${path} (${dir})`).toBe(303);
			expect(res.headers.get('location') ?? '', `GET ${path}`).toMatch(/^\/account\/sign-in(\?|$)/);
		}
	});

	it('every form action posted signed out is refused (sent to sign in), even same-origin', async () => {
		let posted = 0;
		for (const [dir, r] of guarded) {
			for (const action of r.actions ?? []) {
				const base = concretePath(r.path ?? '', ids());
				const path = action === 'default' ? base : `${base}${base.includes('?') ? '&' : '?'}/${action}`;
				const res = await postForm(path, {
					title: `${fx.canary} posted signed out`,
					email: 'intruder@example.org',
					role: 'admin',
					version: '1',
					expectedVersion: '1',
					step: 'publish',
					id: fx.suggestionId,
					reason: 'x',
					name: 'x',
					access: 'write',
					code: '123456'
				});
				posted += 1;
				const location = res.headers.get('location') ?? '';
				expect(res.status, `POST ${path} (${dir})`).toBe(303);
				// Signing out without a session just goes home; everything else goes to sign in.
				if (dir === '(account)/account/sign-out') expect(location).toBe('/');
				else expect(location, `POST ${path}`).toMatch(/^\/account\/sign-in(\?|$)/);
			}
		}
		expect(posted).toBeGreaterThan(25);
	});

	it('every API write without a token is 401 with a Bearer challenge (a session cookie does not count)', async () => {
		const { context } = await signIn('editor', '/workspace');
		const cookie = await cookieHeader(context);
		const writes = Object.values(ROUTES).filter((r) => r.class === 'api-token' && r.path);
		// Initiatives: create, PATCH and six steps; practices and actors: create, PATCH and {step}.
		expect(writes.length).toBe(14);
		for (const r of writes) {
			const path = concretePath(r.path ?? '', ids());
			const method = /\/(initiatives|practices|actors)\/[0-9a-f-]{36}$/.test(path) ? 'PATCH' : 'POST';
			for (const headers of [{}, { cookie }] as Record<string, string>[]) {
				const res = await fetch(url(path), {
					method,
					headers: { 'content-type': 'application/json', 'if-match': '"1"', origin: server.url, ...headers },
					body: JSON.stringify({ title: `${fx.canary} via cookie` })
				});
				expect(res.status, `${method} ${path}`).toBe(401);
				expect(res.headers.get('www-authenticate') ?? '').toMatch(/^Bearer/);
			}
		}
	});
});

describe('draft canary crawl', () => {
	const secrets = () => [
		fx.canary.toLowerCase(),
		...fx.privateExperts.emails.map((e) => e.toLowerCase()),
		...fx.privateExperts.names.map((n) => n.toLowerCase())
	];
	/** A tag (not escaped text) whose link is a javascript: URL. */
	const JS_LINK = /<[a-z]+\b[^<>]*\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/i;

	/** Fetches a URL and checks status, headers and body; returns the body when it is HTML. */
	async function check(
		path: string,
		cookie: string | null,
		own: readonly string[] = []
	): Promise<{ status: number; html: string | null; location: string | null; body: string }> {
		const res = await fetch(url(path), { redirect: 'manual', headers: cookie ? { cookie } : {} });
		const body = await res.text();
		const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
		const everything = `${headers}\n${body}`.toLowerCase();
		// A page asked for the canary (a search) may echo the query itself; the hidden fields always have
		// the canary followed by '-', ' ' or '@', which an echo of the bare query does not. A signed-in
		// expert's own name and email (shown in the header) are not a leak.
		const canary = fx.canary.toLowerCase();
		const mine = own.map((x) => x.toLowerCase());
		const forbidden = (
			path.toLowerCase().includes(canary)
				? [...secrets().filter((x) => x !== canary), `${canary}-`, `${canary} `, `${canary}@`]
				: secrets()
		).filter((x) => !mine.includes(x));
		for (const s of forbidden) expect(everything.includes(s), `${path} shows "${s}"`).toBe(false);
		expect(res.status, `${path}`).toBeLessThan(500);
		const type = res.headers.get('content-type') ?? '';
		// Payloads may appear as text or inside attribute values (where `<` is harmless); what must never
		// appear is a real link or image built from them. The DOM checks are in the XSS tests.
		if (type.startsWith('text/html')) {
			expect(body, `${path}: javascript: link`).not.toMatch(JS_LINK);
			expect(body, `${path}: injected image`).not.toMatch(/<img\s+src=x\b/i);
		}
		return {
			status: res.status,
			html: type.startsWith('text/html') ? body : null,
			location: res.headers.get('location'),
			body
		};
	}

	/** Same-origin links of a page (hrefs), as paths with their query. */
	function linksOf(html: string, from: string): string[] {
		const out: string[] = [];
		for (const m of html.matchAll(/\shref="([^"]*)"/g)) {
			const raw = (m[1] ?? '').replace(/&amp;/g, '&');
			if (raw.startsWith('#') || raw.startsWith('mailto:')) continue;
			let u: URL;
			try {
				u = new URL(raw, url(from));
			} catch {
				continue;
			}
			if (u.origin !== server.url) continue;
			out.push(`${u.pathname}${u.search}`);
		}
		return out;
	}

	/** Breadth-first over same-origin links, at most `perPath` query variants per path. */
	async function crawl(seeds: string[], cookie: string | null, perPath = 12, max = 1200): Promise<string[]> {
		const seen = new Set<string>();
		const variants = new Map<string, number>();
		const queue = [...seeds];
		const visited: string[] = [];
		while (queue.length > 0 && visited.length < max) {
			const next = queue.shift() ?? '';
			if (seen.has(next)) continue;
			seen.add(next);
			const p = next.split('?')[0] ?? next;
			const n = variants.get(p) ?? 0;
			if (n >= perPath) continue;
			variants.set(p, n + 1);
			const r = await check(next, cookie);
			visited.push(next);
			if (r.location && r.status >= 300 && r.status < 400) {
				const loc = new URL(r.location, url(next));
				if (loc.origin === server.url) queue.push(`${loc.pathname}${loc.search}`);
			}
			if (r.html) for (const l of linksOf(r.html, next)) if (!seen.has(l)) queue.push(l);
			if (cookie === null && next.startsWith('/api/')) publicAnswers.set(next, { status: r.status, body: r.body });
		}
		return visited;
	}

	let discovered: string[] = [];
	/** What the public API answered signed out, by URL: signed-in people must get exactly the same. */
	const publicAnswers = new Map<string, { status: number; body: string }>();
	/** Direct links to every hidden practice and actor (public page where there is one, API record, history). */
	const hiddenRecordLinks = () => [
		...Object.values(fx.hiddenPractices).flatMap((id) => [
			`/api/v1/practices/${id}`,
			`/api/v1/practices/${id}/history`
		]),
		...Object.values(fx.hiddenActors).flatMap((id) => [
			`/actors/${id}`,
			`/api/v1/actors/${id}`,
			`/api/v1/actors/${id}/history`
		])
	];
	/** The counts the public sees: registry totals, lists and facets (JSON, compared whole). */
	const COUNT_URLS = [
		'/api/v1/initiatives?limit=1',
		'/api/v1/initiatives?country=KEN&limit=1',
		'/api/v1/practices',
		'/api/v1/actors',
		'/api/v1/assessments',
		'/api/v1/countries',
		'/api/v1/countries/KEN',
		'/api/v1/objectives'
	];
	const publicCounts = new Map<string, string>();
	/** Two answers are the same but for the time a download was generated (`generated_at`). */
	const sameAnswer = (a: string, b: string) => {
		const timeless = (x: string) => x.replace(/"generated_at":"[^"]*"/g, '"generated_at":""');
		return timeless(a) === timeless(b);
	};

	it('the canary is in the database where the crawl could meet it (fixtures sanity)', () => {
		expect(fx.canary).toMatch(/^Canary[a-z0-9]+$/);
		expect(fx.privateExperts.names.length).toBeGreaterThan(0);
		expect(fx.publishedAssessments.length).toBeGreaterThan(0);
	});

	it('never shows unpublished content or private expert identities on any public surface, signed out', async () => {
		const openapi = (await (await fetch(url('/api/v1/openapi.json'))).json()) as { paths: Record<string, unknown> };
		const apiLists = Object.keys(openapi.paths).filter((p) => !p.includes('{'));
		expect(apiLists).toContain('/api/v1/initiatives');
		const direct = [
			...Object.values(fx.hidden).flatMap((id) => [
				`/initiatives/${id}`,
				`/api/v1/initiatives/${id}`,
				`/api/v1/initiatives/${id}/history`
			]),
			...Object.values(fx.assessments).map((id) => `/api/v1/assessments/${id}`),
			...hiddenRecordLinks(),
			'/practices',
			'/actors',
			`/initiatives?q=${fx.canary}`,
			`/api/v1/initiatives?q=${fx.canary}`,
			`/api/v1/initiatives/export.csv?q=${fx.canary}`,
			`/api/v1/initiatives/export.json?q=${fx.canary}`,
			'/benchmarks/KEN',
			'/api/v1/benchmarks/countries/KEN',
			'/api/v1/benchmarks/scores.json?country=KEN',
			'/api/v1/benchmarks/evidence.csv',
			'/sitemap.xml',
			'/robots.txt',
			'/no/such/page'
		];
		for (const u of COUNT_URLS) {
			const res = await fetch(url(u));
			expect(res.status, u).toBe(200);
			publicCounts.set(u, await res.text());
		}
		discovered = await crawl(['/', ...apiLists, ...direct, ...COUNT_URLS], null);
		for (const id of Object.values(fx.hidden)) {
			const res = await fetch(url(`/initiatives/${id}`), { redirect: 'manual' });
			expect(res.status, 'a hidden record by direct link').toBe(404);
		}
		for (const u of hiddenRecordLinks().filter((l) => !l.endsWith('/history'))) {
			const res = await fetch(url(u), { redirect: 'manual' });
			expect(res.status, `${u}: a hidden practice or actor by direct link`).toBe(404);
		}
		// The public lists hold the published practice and actor, never a hidden one.
		for (const [list, id] of [
			['/api/v1/practices', fx.xssPractice.id],
			['/api/v1/actors', fx.xssActor.id]
		] as const) {
			const items = ((await (await fetch(url(list))).json()) as { items: { id: string }[] }).items.map((i) => i.id);
			expect(items, list).toContain(id);
			const hidden = list.includes('practices') ? fx.hiddenPractices : fx.hiddenActors;
			for (const h of Object.values(hidden)) expect(items, list).not.toContain(h);
		}
		// The crawl really went everywhere public.
		expect(discovered.length).toBeGreaterThan(100);
		for (const must of [
			`/initiatives/${fx.xss.id}`,
			`/actors/${fx.xssActor.id}`,
			'/practices',
			'/api/v1/initiatives/export.csv',
			'/api/v1/openapi.json',
			'/benchmarks',
			'/methodology',
			'/initiatives/suggest'
		]) {
			expect(
				discovered.some((d) => d === must || d.startsWith(`${must}?`)),
				`crawled ${must}`
			).toBe(true);
		}
		expect(discovered.some((d) => d.startsWith('/benchmarks/XDM'))).toBe(true);
	}, 600_000);

	it('in Spanish and Arabic too', async () => {
		const pages = discovered.filter((d) => !d.startsWith('/api/') && !/^\/countries\/(?!KEN|UGA|XDM)[A-Z]{3}/.test(d));
		expect(pages.length).toBeGreaterThan(30);
		for (const lang of ['es', 'ar']) {
			for (const p of pages) await check(`${p}${p.includes('?') ? '&' : '?'}lang=${lang}`, null);
		}
	}, 600_000);

	/** Workspace pages of the hidden records: people with no relation to them get 404 or nothing hidden. */
	const unrelatedWorkspacePages = () => [
		'/workspace',
		`/workspace/initiatives/${fx.hidden.draft}`,
		`/workspace/initiatives/${fx.hidden.inReview}`,
		`/workspace/practices/${fx.hiddenPractices.draft}`,
		`/workspace/practices/${fx.hiddenPractices.inReview}/edit`,
		`/workspace/actors/${fx.hiddenActors.draft}`,
		`/workspace/actors/${fx.hiddenActors.inReview}/edit`,
		`/workspace/assessments/${fx.assessments.expertPanel}`,
		`/workspace/assessments/${fx.assessments.expertPanel}/ratings`,
		'/workspace/assessments'
	];
	/**
	 * Every role crawls the same public URL set. Those with no relation to the hidden records
	 * (contributor, the reviewer of Uganda, the expert of another panel) also open the workspace pages
	 * of those records; the others may see them there, which is the control below.
	 */
	const ROLE_CRAWL: { who: FixtureRole; unrelated: boolean }[] = [
		{ who: 'contributor', unrelated: true },
		{ who: 'editor', unrelated: false },
		{ who: 'reviewer', unrelated: true },
		{ who: 'coordinator', unrelated: false },
		{ who: 'expert', unrelated: true },
		{ who: 'admin', unrelated: false }
	];
	for (const { who, unrelated } of ROLE_CRAWL) {
		it(`signed in as ${who}: the same public surfaces show nothing hidden; the public API and counts are as signed out`, async () => {
			const { context } = await signIn(who, '/workspace');
			const cookie = await cookieHeader(context);
			// The expert's own name and email are in the header; no other expert's may be anywhere.
			const own = who === 'expert' ? [fx.users.expert.email, 'Sec expert'] : [];
			const pages = [
				...discovered.filter((d) => !/^\/countries\/(?!KEN|UGA|XDM)[A-Z]{3}/.test(d)),
				...(unrelated ? unrelatedWorkspacePages() : [])
			];
			let compared = 0;
			for (const p of pages) {
				const r = await check(p, cookie, own);
				const signedOut = publicAnswers.get(p);
				// Problem bodies carry a request id; every successful public API answer is byte for byte the same.
				if (signedOut?.status === 200) {
					expect(r.status, `${p} as ${who}`).toBe(200);
					expect(sameAnswer(r.body, signedOut.body), `${p} as ${who} differs from the public answer`).toBe(true);
					compared += 1;
				}
			}
			expect(compared).toBeGreaterThan(20);
			for (const u of COUNT_URLS) {
				const body = await (await fetch(url(u), { headers: { cookie } })).text();
				expect(body === publicCounts.get(u), `${u} as ${who}: public counts changed`).toBe(true);
			}
			// The session is real: the workspace opens for it.
			expect((await fetch(url('/workspace'), { headers: { cookie }, redirect: 'manual' })).status, who).toBe(200);
		}, 600_000);
	}

	it('control: the check would see the canary (the owning editor and the coordinator do, in the workspace)', async () => {
		for (const [who, path, text] of [
			['editor', `/workspace/initiatives/${fx.hidden.draft}`, 'draft title'],
			['editor', `/workspace/practices/${fx.hiddenPractices.draft}`, 'draft practice name'],
			['coordinator', `/workspace/actors/${fx.hiddenActors.inReview}`, 'review actor name']
		] as const) {
			const res = await fetch(url(path), { headers: { cookie: cookieOf[who] ?? '' }, redirect: 'manual' });
			expect(res.status, `${path} as ${who}`).toBe(200);
			expect((await res.text()).toLowerCase()).toContain(`${fx.canary.toLowerCase()}-${text}`);
		}
	});

	it('each published assessment names only the experts who opted in', async () => {
		for (const a of fx.publishedAssessments) {
			const body = (await (await fetch(url(`/api/v1/assessments/${a.id}`))).text()).toLowerCase();
			expect(body.length).toBeGreaterThan(100);
			for (const name of a.hiddenNames) {
				// The same person may have opted in on another assessment; on this one they did not.
				expect(body.includes(JSON.stringify(name).toLowerCase()), `${a.id} names ${name}`).toBe(false);
			}
		}
	});
});

describe('XSS', () => {
	async function expectNoInjection(page: Page, where: string) {
		expect(await page.locator('img[src="x"]').count(), `${where}: injected <img>`).toBe(0);
		expect(
			await page.locator('script:has-text("alert("), script:has-text("__pwned")').count(),
			`${where}: <script>`
		).toBe(0);
		expect(await page.locator('svg[onload]').count(), `${where}: injected <svg>`).toBe(0);
		expect(await page.locator('[onerror], [onload], [onclick]').count(), `${where}: event handler attribute`).toBe(0);
		expect(await page.locator('a[href^="javascript:" i], a[href*="javascript:" i]').count(), `${where}: js link`).toBe(
			0
		);
	}

	it('stored: payloads in every field render as text on the public record, the list and the workspace', async () => {
		const page = await (await newContext()).newPage();
		await page.goto(url(`/initiatives/${fx.xss.id}`));
		await expectNoInjection(page, 'record');
		const text = await page.locator('main').innerText();
		expect(text).toContain(XSS.script);
		expect(text).toContain(XSS.attribute);
		// The two sources with javascript: links are shown as plain citations, not links.
		expect(await page.locator('a:has-text("onerror=alert(1)")').count()).toBe(0);
		expect(await page.locator('a:has-text("Second <script>")').count()).toBe(0);
		expect(text).toContain('Source "><img src=x onerror=alert(1)>');
		await page.goto(url('/initiatives'));
		await expectNoInjection(page, 'list');
		expect(await page.locator('main').innerText()).toContain(XSS.script);
		const editor = await signIn('editor', `/workspace/initiatives/${fx.xss.id}`);
		expect(editor.landed).toBe(`/workspace/initiatives/${fx.xss.id}`);
		const ws = await editor.context.newPage();
		await ws.goto(url(`/workspace/initiatives/${fx.xss.id}`));
		await expectNoInjection(ws, 'workspace record');
		expect(await ws.locator('main').innerText()).toContain(XSS.script);
	});

	it('stored: with JavaScript on, nothing runs (no dialog)', async () => {
		const context = await browser.newContext({ javaScriptEnabled: true });
		contexts.push(context);
		const page = await context.newPage();
		const dialogs: string[] = [];
		page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		for (const p of [
			`/initiatives/${fx.xss.id}`,
			'/initiatives',
			`/workspace/initiatives/${fx.xss.id}`,
			'/benchmarks/XDM'
		]) {
			await page.goto(url(p));
			await page.waitForLoadState('load');
		}
		expect(dialogs).toEqual([]);
	});

	it('practices and actors: payloads in every text field render as text, publicly and in the workspace', async () => {
		const page = await (await newContext()).newPage();
		for (const [p, shown] of [
			['/practices', `XSS practice ${PWN.script}`],
			['/actors', `XSS actor published ${PWN.script}`],
			[`/actors/${fx.xssActor.id}`, `Description ${PWN.script} ${PWN.attribute} ${PWN.svg}`]
		] as const) {
			expect((await page.goto(url(p)))?.status(), p).toBe(200);
			await expectNoInjection(page, p);
			expect(await page.locator('main').innerText(), p).toContain(shown);
		}
		// The actor's website is a javascript: link written past validation: shown, never linked.
		expect(await page.locator('a[href*="__pwned"]').count()).toBe(0);
		const editor = await signIn('editor', `/workspace/practices/${fx.xssPracticeDraft}/edit`);
		expect(editor.landed).toBe(`/workspace/practices/${fx.xssPracticeDraft}/edit`);
		const ws = await editor.context.newPage();
		for (const p of [
			`/workspace/practices/${fx.xssPractice.id}`,
			`/workspace/actors/${fx.xssActor.id}`,
			`/workspace/practices/${fx.xssPracticeDraft}`,
			`/workspace/actors/${fx.xssActorDraft}`,
			`/workspace/practices/${fx.xssPracticeDraft}/edit`,
			`/workspace/actors/${fx.xssActorDraft}/edit`,
			'/workspace'
		]) {
			expect((await ws.goto(url(p)))?.status(), p).toBe(200);
			await expectNoInjection(ws, p);
			expect(await ws.locator('a[href*="__pwned"]').count(), p).toBe(0);
		}
		// The edit forms hold the payloads as values, unchanged (every text field).
		await ws.goto(url(`/workspace/practices/${fx.xssPracticeDraft}/edit`));
		expect(await ws.inputValue('#name')).toContain(PWN.attribute);
		expect(await ws.inputValue('#description')).toContain(PWN.script);
		expect(await ws.inputValue('#periodText')).toBe(PWN.attribute);
		for (const f of ['#implementingPartners', '#moreInformation', '#originalText']) {
			expect(await ws.inputValue(f), f).toContain(PWN.svg);
		}
		await ws.goto(url(`/workspace/actors/${fx.xssActorDraft}/edit`));
		expect(await ws.inputValue('#name')).toContain(PWN.attribute);
		expect(await ws.inputValue('#description')).toContain(PWN.svg);
	});

	it('practices and actors: with JavaScript on, window.__pwned never fires', async () => {
		const context = await browser.newContext({ javaScriptEnabled: true, locale: 'en-US' });
		contexts.push(context);
		if (!cookieOf.editor) await signIn('editor', '/workspace');
		await context.addCookies(
			cookieOf.editor.split('; ').map((c) => {
				const [name = '', ...rest] = c.split('=');
				return { name, value: rest.join('='), url: server.url };
			})
		);
		const page = await context.newPage();
		const dialogs: string[] = [];
		page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		const visited: string[] = [];
		for (const p of [
			'/practices',
			'/actors',
			`/actors/${fx.xssActor.id}`,
			`/workspace/practices/${fx.xssPractice.id}`,
			`/workspace/actors/${fx.xssActor.id}`,
			`/workspace/practices/${fx.xssPracticeDraft}/edit`,
			`/workspace/actors/${fx.xssActorDraft}/edit`,
			'/workspace'
		]) {
			expect((await page.goto(url(p)))?.status(), p).toBe(200);
			await page.waitForLoadState('load');
			expect(pathOf(page), `${p}: still signed in`).toBe(p.split('?')[0]);
			expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), p).toBeUndefined();
			visited.push(p);
		}
		expect(visited.length).toBe(8);
		expect(dialogs).toEqual([]);
	});

	it('the practice and actor write API refuses javascript: websites and links', async () => {
		const res = await fetch(url('/api/v1/actors'), {
			method: 'POST',
			headers: { authorization: `Bearer ${fx.writeToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'x', description: '', website: PWN.url, country: 'KEN', kind: null })
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('website');
	});

	it('the write API refuses javascript: source links', async () => {
		const res = await fetch(url('/api/v1/initiatives'), {
			method: 'POST',
			headers: { authorization: `Bearer ${fx.writeToken}`, 'content-type': 'application/json' },
			body: JSON.stringify({ sources: [{ citation: 'x', url: XSS.url }] })
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('sources');
	});

	it('reflected: markup in query strings and paths comes back escaped', async () => {
		const payload = encodeURIComponent(`${XSS.script}${XSS.attribute}`);
		const page = await (await newContext()).newPage();
		for (const p of [
			`/initiatives?q=${payload}`,
			`/initiatives?country=${payload}&objective=${payload}&sort=${payload}`,
			`/benchmarks/compare?countries=${payload}`,
			`/account/sign-in?next=${payload}`,
			`/objectives/${payload}`,
			`/initiatives/${payload}`,
			`/countries/${payload}`
		]) {
			const res = await page.goto(url(p));
			expect(res?.status() ?? 500, p).toBeLessThan(500);
			await expectNoInjection(page, p);
		}
	});
});

describe('CSRF', () => {
	const foreign: Record<string, string>[] = [{ origin: EVIL }, { origin: 'null' }, {}];

	it('sign-in with the right password from another origin (or none) is refused and sets no session', async () => {
		for (const headers of foreign) {
			const res = await fetch(url('/account/sign-in'), {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
				body: new URLSearchParams({ email: fx.users.editor.email, password: PASSWORD }).toString()
			});
			expect(res.status, JSON.stringify(headers)).toBe(403);
			expect(res.headers.get('set-cookie') ?? '').not.toMatch(/session=/);
		}
	});

	it('workspace and admin form posts riding a session from another origin are refused; same origin works', async () => {
		if (!cookieOf.editor) await signIn('editor', '/workspace');
		const admin = await signIn('admin', '/admin/users');
		expect(admin.landed).toBe('/admin/users');
		const attempts: [string, Record<string, string>, FixtureRole][] = [
			['/workspace/initiatives/new?/save', { title: `${fx.canary} csrf`, actionType: 'project' }, 'editor'],
			[`/workspace/initiatives/${fx.hidden.draft}/edit?/save`, { title: `${fx.canary} csrf`, version: '1' }, 'editor'],
			[`/workspace/initiatives/${fx.hidden.draft}?/step`, { step: 'submit', version: '1' }, 'editor'],
			...(['practices', 'actors'] as const).flatMap((type): [string, Record<string, string>, FixtureRole][] => {
				const id = type === 'practices' ? fx.hiddenPractices.draft : fx.hiddenActors.draft;
				return [
					[`/workspace/${type}/new?/save`, { name: `${fx.canary} csrf`, countries: 'KEN', country: 'KEN' }, 'editor'],
					[`/workspace/${type}/${id}/edit?/save`, { name: `${fx.canary} csrf`, version: '1' }, 'editor'],
					[`/workspace/${type}/${id}?/step`, { step: 'submit', version: '1' }, 'editor']
				];
			}),
			['/admin/users?/invite', { email: 'csrf-victim@example.org', role: 'admin' }, 'admin'],
			[`/admin/users/${fx.users.contributor.id}?/role`, { role: 'admin' }, 'admin'],
			['/admin/audit/export', { format: 'csv' }, 'admin']
		];
		for (const [path, form, who] of attempts) {
			for (const headers of foreign) {
				const res = await fetch(url(path), {
					method: 'POST',
					redirect: 'manual',
					headers: {
						'content-type': 'application/x-www-form-urlencoded',
						accept: 'text/html',
						cookie: cookieOf[who],
						...headers
					},
					body: new URLSearchParams(form).toString()
				});
				expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
			}
		}
		// Control: the same session, same origin, reaches the action (which refuses the empty title itself).
		const ok = await postForm('/workspace/initiatives/new?/save', { title: '' }, { cookie: cookieOf.editor });
		expect(ok.status).toBe(400);
		for (const type of ['practices', 'actors']) {
			const form = await postForm(`/workspace/${type}/new?/save`, { name: '' }, { cookie: cookieOf.editor });
			expect(form.status, `${type}: same origin reaches the form action`).toBe(400);
			expect(await form.text()).toContain('name-error');
		}
	});
});

describe('SQL injection', () => {
	const HOSTILE = [
		"' OR 1=1--",
		'1; DROP TABLE initiative;--',
		'") UNION SELECT email, password_hash FROM app_user--',
		'title desc, (SELECT pg_sleep(5))',
		'%00',
		'\u0000',
		'../../etc/passwd',
		'9'.repeat(40),
		'-1',
		`${'x'.repeat(5000)}'`
	];
	/** What a database error leaking into a response looks like (not the user's own words echoed). */
	const SQL_TEXT =
		/syntax error at or near|sqlstate|pg_catalog|drizzle|relation "[a-z_]+" does not exist|unterminated quoted|invalid input syntax|PostgresError|pglite|at character \d+|invalid byte sequence/i;

	interface Param {
		name: string;
		in: string;
	}

	it('hostile values in every documented query and path parameter: 400, 404 or a normal answer, never 5xx', async () => {
		type Params = (Param | { $ref: string })[];
		const doc = (await (await fetch(url('/api/v1/openapi.json'))).json()) as {
			paths: Record<string, { parameters?: Params; get?: { parameters?: Params } }>;
			components?: { parameters?: Record<string, Param> };
		};
		const resolveParam = (p: Param | { $ref: string }): Param =>
			'$ref' in p ? (doc.components?.parameters?.[p.$ref.split('/').pop() ?? ''] as Param) : p;
		const before = (await (await fetch(url('/api/v1/initiatives?limit=1'))).json()) as { total?: number };
		let probes = 0;
		const publishedIds = [...fx.published.map((p) => p.id), fx.xss.id];
		const targets = Object.entries(doc.paths).filter(
			([p, ops]) =>
				ops.get &&
				(p.startsWith('/api/v1/initiatives') ||
					p.startsWith('/api/v1/benchmarks') ||
					p.startsWith('/api/v1/assessments') ||
					p.startsWith('/api/v1/practices') ||
					p.startsWith('/api/v1/actors'))
		);
		expect(targets.length).toBeGreaterThan(12);
		expect(targets.map(([p]) => p)).toEqual(
			expect.arrayContaining(['/api/v1/practices/{id}', '/api/v1/actors/{id}/{step}', '/api/v1/actors'])
		);
		const saneId = (template: string) =>
			template.startsWith('/api/v1/assessments')
				? fx.publishedAssessments[0]?.id
				: template.startsWith('/api/v1/practices')
					? fx.xssPractice.id
					: template.startsWith('/api/v1/actors')
						? fx.xssActor.id
						: fx.published[0]?.id;
		for (const [template, ops] of targets) {
			const params = [...(ops.parameters ?? []), ...(ops.get?.parameters ?? [])].map(resolveParam).filter(Boolean);
			const query = params.filter((p) => p.in === 'query').map((p) => p.name);
			const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
			const fill = (value: string) =>
				template.replace(/\{(\w+)\}/g, (_, k: string) => (pathParams.includes(k) ? encodeURIComponent(value) : 'x'));
			const sane = template
				.replace('{id}', saneId(template) ?? '')
				.replace('{step}', 'history')
				.replace('{iso3}', 'XDM')
				.replace('{n}', '1')
				.replace('{number}', '1');
			for (const value of HOSTILE) {
				const urls = [
					...(pathParams.length > 0 ? [fill(value)] : []),
					...query.map((q) => `${sane}?${q}=${encodeURIComponent(value)}`)
				];
				for (const u of urls) {
					const res = await fetch(url(u), { headers: { authorization: `Bearer ${fx.writeToken}` } });
					const body = await res.text();
					probes += 1;
					expect(res.status, `${u} → ${body.slice(0, 200)}`).toBeLessThan(500);
					expect([200, 400, 404], u).toContain(res.status);
					expect(body, u).not.toMatch(SQL_TEXT);
					expect(body.toLowerCase(), u).not.toContain(fx.canary.toLowerCase());
					// A search may legitimately match words of a payload; no answer may contain anything but
					// published records, and a filter with a hostile value matches nothing.
					if (res.status === 200 && u.startsWith('/api/v1/initiatives?')) {
						const json = JSON.parse(body) as { items?: { id: string }[] };
						const param = u.split('?')[1]?.split('=')[0] ?? '';
						for (const item of json.items ?? []) expect(publishedIds, `${u} returned ${item.id}`).toContain(item.id);
						if (!['q', 'sort', 'limit', 'offset', 'cursor'].includes(param)) expect(json.items ?? [], u).toEqual([]);
					}
				}
			}
		}
		expect(probes).toBeGreaterThan(100);
		const after = (await (await fetch(url('/api/v1/initiatives?limit=1'))).json()) as { total?: number };
		expect(after.total).toBe(before.total);
	}, 300_000);

	it('hostile ids, steps, If-Match values and list parameters on the practice and actor routes: 400/404, nothing written', async () => {
		const auth = { authorization: `Bearer ${fx.writeToken}`, 'content-type': 'application/json' };
		if (!cookieOf.editor) await signIn('editor', '/workspace');
		let probes = 0;
		const expectRefused = async (res: Response, what: string, allowed: number[]) => {
			const body = await res.text();
			probes += 1;
			expect(allowed, `${what} → ${res.status} ${body.slice(0, 200)}`).toContain(res.status);
			expect(body, what).not.toMatch(SQL_TEXT);
			expect(body.toLowerCase(), what).not.toContain(fx.canary.toLowerCase());
		};
		for (const type of ['practices', 'actors'] as const) {
			const draft = type === 'practices' ? fx.hiddenPractices.draft : fx.hiddenActors.draft;
			for (const value of HOSTILE) {
				const v = encodeURIComponent(value);
				const patch = { method: 'PATCH', headers: { ...auth, 'if-match': '"1"' }, body: '{"description":"x"}' };
				const step = { method: 'POST', headers: { ...auth, 'if-match': '"1"' }, body: '{}' };
				await expectRefused(await fetch(url(`/api/v1/${type}/${v}`), patch), `PATCH ${type}/${value}`, [400, 404]);
				await expectRefused(await fetch(url(`/api/v1/${type}/${v}/submit`), step), `submit ${value}`, [400, 404]);
				await expectRefused(await fetch(url(`/api/v1/${type}/${draft}/${v}`), step), `step ${value}`, [400, 404]);
				// (A header cannot carry control characters: fetch refuses those values itself.)
				if (/^[\x20-\x7e]+$/.test(value)) {
					await expectRefused(
						await fetch(url(`/api/v1/${type}/${draft}`), { ...patch, headers: { ...auth, 'if-match': value } }),
						`If-Match ${value}`,
						[400, 412, 428]
					);
				}
				await expectRefused(await fetch(url(`/api/v1/${type}?q=${v}&page=${v}`)), `list ?${value}`, [400]);
				for (const page of [`/workspace/${type}/${v}`, `/workspace/${type}/${v}/edit`]) {
					const res = await fetch(url(page), { headers: { cookie: cookieOf.editor }, redirect: 'manual' });
					await expectRefused(res, `GET ${page}`, [400, 404]);
				}
				const form = await postForm(
					`/workspace/${type}/${v}?/step`,
					{ step: 'publish', version: '1' },
					{ cookie: cookieOf.editor }
				);
				await expectRefused(form, `POST /workspace/${type}/${value}?/step`, [400, 404]);
			}
		}
		expect(probes).toBeGreaterThan(150);
		// The drafts were not touched.
		for (const [type, id] of [
			['practices', fx.hiddenPractices.draft],
			['actors', fx.hiddenActors.draft]
		] as const) {
			const res = await fetch(url(`/api/v1/${type}/${id}`), { headers: auth });
			expect(res.status).toBe(200);
			expect(await res.json()).toMatchObject({ status: 'draft', version: 1 });
		}
	}, 300_000);
});

describe('mass assignment (practices and actors)', () => {
	const EXTRA = {
		status: 'published',
		role: 'admin',
		version: 99,
		owner_id: '00000000-0000-4000-8000-000000000001',
		published_at: '2020-01-01T00:00:00Z',
		created_by: '00000000-0000-4000-8000-000000000002'
	};
	const CREATE = {
		practices: {
			key: 'sec-mass-assignment',
			name: 'Mass assignment practice',
			implementing_partners: '',
			period_start: null,
			period_end: null,
			period_text: null,
			description: '',
			more_information: null,
			countries: ['KEN'],
			objectives: [],
			report_row: null,
			original_text: null
		},
		actors: { name: 'Mass assignment actor', description: '', website: null, country: 'KEN', kind: null }
	} as const;

	async function refusedNaming(res: Response, what: string, fields: string[], notNamed: string): Promise<void> {
		const text = await res.text();
		expect(res.status, `${what}: ${text.slice(0, 300)}`).toBe(400);
		const problem = JSON.parse(text) as { code?: string; errors?: { parameter: string }[] };
		expect(problem.code, what).toBe('VALIDATION_FAILED');
		const named = (problem.errors ?? []).map((e) => e.parameter);
		for (const f of fields) expect(named, `${what} names ${f}`).toContain(f);
		expect(named, what).not.toContain(notNamed);
	}

	it('extra fields (status, role, version, owner_id …) in create, PATCH and step bodies: 400 naming each, nothing written', async () => {
		const auth = { authorization: `Bearer ${fx.writeToken}`, 'content-type': 'application/json' };
		for (const type of ['practices', 'actors'] as const) {
			const draft = type === 'practices' ? fx.hiddenPractices.draft : fx.hiddenActors.draft;
			const created = await fetch(url(`/api/v1/${type}`), {
				method: 'POST',
				headers: auth,
				body: JSON.stringify({ ...CREATE[type], ...EXTRA })
			});
			await refusedNaming(created, `POST /api/v1/${type}`, Object.keys(EXTRA), 'name');
			const patched = await fetch(url(`/api/v1/${type}/${draft}`), {
				method: 'PATCH',
				headers: { ...auth, 'if-match': '"1"' },
				body: JSON.stringify({ description: 'mass assignment', ...EXTRA, owner_organisation_id: fx.organisationId })
			});
			await refusedNaming(
				patched,
				`PATCH /api/v1/${type}/{id}`,
				[...Object.keys(EXTRA), 'owner_organisation_id'],
				'description'
			);
			const stepped = await fetch(url(`/api/v1/${type}/${draft}/submit`), {
				method: 'POST',
				headers: { ...auth, 'if-match': '"1"' },
				body: JSON.stringify({ status: 'published', role: 'admin' })
			});
			await refusedNaming(stepped, `POST /api/v1/${type}/{id}/submit`, ['status', 'role'], 'comment');
			const after = await fetch(url(`/api/v1/${type}/${draft}`), { headers: auth });
			expect(await after.json()).toMatchObject({ status: 'draft', version: 1 });
		}
		// Control: the same create body without the extra fields is valid (checked, not sent: it would write).
		const names = ((await (await fetch(url('/api/v1/actors'))).json()) as { items: { name: string }[] }).items;
		expect(names.map((n) => n.name)).not.toContain(CREATE.actors.name);
	});
});

describe('IDOR (practices and actors of another country)', () => {
	it('a reviewer of Uganda gets 404 for every Kenyan practice and actor draft by id, through the API', async () => {
		const other = { authorization: `Bearer ${fx.otherCountryToken}`, 'content-type': 'application/json' };
		let probes = 0;
		for (const [type, hidden] of [
			['practices', fx.hiddenPractices],
			['actors', fx.hiddenActors]
		] as const) {
			for (const id of Object.values(hidden)) {
				const calls: [string, string, string | undefined][] = [
					['GET', `/api/v1/${type}/${id}`, undefined],
					['GET', `/api/v1/${type}/${id}/history`, undefined],
					['PATCH', `/api/v1/${type}/${id}`, '{"description":"idor"}'],
					...['submit', 'approve', 'request-changes', 'publish', 'unpublish', 'archive'].map(
						(step): [string, string, string] => ['POST', `/api/v1/${type}/${id}/${step}`, '{}']
					)
				];
				for (const [method, path, body] of calls) {
					const res = await fetch(url(path), { method, headers: { ...other, 'if-match': '"1"' }, body });
					const text = await res.text();
					probes += 1;
					expect(res.status, `${method} ${path} as the Uganda reviewer: ${text.slice(0, 200)}`).toBe(404);
					expect(text.toLowerCase()).not.toContain(fx.canary.toLowerCase());
				}
			}
			// Control: the owning organisation's token reads the same draft.
			const own = await fetch(url(`/api/v1/${type}/${hidden.draft}`), {
				headers: { authorization: `Bearer ${fx.writeToken}` }
			});
			expect(own.status).toBe(200);
			expect((await own.text()).toLowerCase()).toContain(fx.canary.toLowerCase());
		}
		expect(probes).toBe(2 * 4 * 9);
	});

	it('and on the workspace pages and form actions', async () => {
		if (!cookieOf.reviewer) await signIn('reviewer', '/workspace');
		const cookie = cookieOf.reviewer;
		for (const [type, hidden] of [
			['practices', fx.hiddenPractices],
			['actors', fx.hiddenActors]
		] as const) {
			for (const id of [hidden.draft, hidden.inReview]) {
				for (const page of [`/workspace/${type}/${id}`, `/workspace/${type}/${id}/edit`]) {
					const res = await fetch(url(page), { headers: { cookie }, redirect: 'manual' });
					expect(res.status, `GET ${page} as the Uganda reviewer`).toBe(404);
					expect((await res.text()).toLowerCase()).not.toContain(fx.canary.toLowerCase());
				}
				for (const [path, form] of [
					[`/workspace/${type}/${id}?/step`, { step: 'publish', version: '1' }],
					[`/workspace/${type}/${id}/edit?/save`, { name: 'idor', version: '1' }]
				] as const) {
					const res = await postForm(path, form, { cookie });
					expect(res.status, `POST ${path} as the Uganda reviewer`).toBe(404);
					expect((await res.text()).toLowerCase()).not.toContain(fx.canary.toLowerCase());
				}
			}
		}
		// Control: the reviewer's session is real (the workspace opens).
		expect((await fetch(url('/workspace'), { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
	});
});

describe('open redirects', () => {
	it('sign-in ignores next that leaves the site; a same-site next is kept', async () => {
		for (const next of [
			EVIL,
			'//evil.example',
			'/\\evil.example',
			'https:evil.example',
			'/%2F%2Fevil.example',
			`javascript:alert(1)`
		]) {
			const res = await postForm('/account/sign-in', { email: fx.users.contributor.email, password: PASSWORD, next });
			expect(res.status, next).toBe(303);
			// Wherever it goes, it stays on this site (`/%2F%2Fevil.example` is a path here, kept as such).
			const location = res.headers.get('location') ?? '';
			expect(new URL(location, server.url).origin, `${next} → ${location}`).toBe(server.url);
			expect(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), location).toBe(
				true
			);
			if (next !== '/%2F%2Fevil.example') expect(location, next).toBe('/account');
		}
		const good = await postForm('/account/sign-in', {
			email: fx.users.contributor.email,
			password: PASSWORD,
			next: '/workspace/assessments'
		});
		expect(good.headers.get('location')).toBe('/workspace/assessments');
		const page = await (await newContext()).newPage();
		await page.goto(url(`/account/sign-in?next=${encodeURIComponent(EVIL)}`));
		expect(await page.inputValue('input[name=next]')).toBe('/account');
	});

	it('the second factor carries a safe next to where the person was going, and drops an outside one', async () => {
		const coordinator = await signIn('coordinator', '/workspace/suggestions');
		expect(coordinator.landed).toBe('/workspace/suggestions');
		// Signed out, the two-factor page sends to sign-in without repeating an outside next.
		const res = await fetch(url(`/account/two-factor?next=${encodeURIComponent(EVIL)}`), { redirect: 'manual' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/account/sign-in');
		// An admin signing in with an outside next ends on /account after the second factor.
		const context = await newContext();
		const page = await context.newPage();
		await page.goto(url(`/account/sign-in?next=${encodeURIComponent(EVIL)}`));
		await page.fill('#email', fx.users.admin.email);
		await page.fill('#password', PASSWORD);
		await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
		expect(pathOf(page)).toBe('/account/two-factor');
		expect(page.url()).not.toContain('evil');
		// The admin enrolled TOTP at an earlier sign-in, so this is the verify step; its form carries
		// only the safe default.
		expect(await page.inputValue('form[action="?/verify"] input[name=next]')).toBe('/account');
		// Forged into the form, an outside next is still dropped (a wrong code keeps the safe one).
		const forged = await postForm(
			'/account/two-factor?/verify',
			{ code: '000000', next: EVIL },
			{ cookie: await cookieHeader(context) }
		);
		expect(forged.status).toBe(400);
		expect(await forged.text()).not.toContain('evil.example');
	});
});

describe('afterwards', () => {
	it('nothing was changed by any refused request: content tables and audit trail as before', async () => {
		await Promise.all(contexts.splice(0).map((c) => c.close()));
		expect(await server.stop()).toBe(0);
		const after = await contentSnapshot(dataDir);
		expect(after).toEqual(before);
	}, 120_000);
});
