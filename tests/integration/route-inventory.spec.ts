/**
 * Route inventory (research T1.2): every route file under src/routes is classified in
 * tests/e2e/helpers/route-table.ts, and the files themselves are read to check that each class
 * keeps its promise. A new route fails this test until someone classifies it on purpose.
 *
 * - workspace and admin pages live under the (workspace) guard layout (admin also under the admin
 *   guard), every load, form action and endpoint there calls the guard itself (SvelteKit runs
 *   actions and +server.ts handlers without the layout's load), and no layout reset (`@`) escapes it;
 * - every form action in the code is in the table, and the reverse;
 * - every /api/v1 handler for POST/PUT/PATCH/DELETE is a `tokenRoute` (bearer token only, required)
 *   or built by a factory of src/lib/server/http/record-routes.ts that returns one (stepRoute …);
 *   GET-only endpoints are `api-public`;
 * - public pages and public API endpoints call only read methods of read services and import no
 *   write service or repository; the only public form is the suggestion form.
 * The e2e half (signed-out requests against the built app) is in tests/e2e/security.spec.ts.
 * Needs no database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteClass } from '../e2e/helpers/route-table';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUTES_DIR = join(ROOT, 'src/routes');
const ROUTE_FILE = /^\+(page|layout|server|error)(@[^.]*)?(\.server)?\.(ts|js|svelte)$/;

interface RouteFile {
	/** Route directory relative to src/routes ('' for the root). */
	dir: string;
	name: string;
	path: string;
	text: string;
}

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
}

const allFiles = walk(ROUTES_DIR);
const routeFiles: RouteFile[] = allFiles
	.filter((p) => ROUTE_FILE.test(p.split('/').pop() ?? ''))
	.map((p) => {
		const rel = relative(ROUTES_DIR, p);
		const parts = rel.split('/');
		const name = parts.pop() ?? '';
		return { dir: parts.join('/'), name, path: rel, text: readFileSync(p, 'utf8') };
	});
const routeDirs = [...new Set(routeFiles.map((f) => f.dir))].sort();
const classOf = (dir: string): RouteClass | undefined => ROUTES[dir]?.class;
const filesOf = (cls: RouteClass) => routeFiles.filter((f) => classOf(f.dir) === cls);
const serverModules = (cls: RouteClass) =>
	filesOf(cls).filter((f) => /^\+(page|layout)\.server\.ts$|^\+server\.ts$|^\+(page|layout)\.ts$/.test(f.name));

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
const HTTP_EXPORT =
	/export\s+(?:const|async\s+function|function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|fallback)\b/g;

/** The HTTP methods a +server.ts exports. */
const methodsOf = (text: string) => [...text.matchAll(HTTP_EXPORT)].map((m) => m[1] ?? '');

/** The form actions a +page.server.ts exports (one per line, or the one-line `{ step: stepAction }`). */
function actionsOf(text: string): string[] {
	const start = text.search(/export const actions\b/);
	if (start < 0) return [];
	const rest = text.slice(start);
	const oneLine = /^export const actions[^=]*=\s*\{([^\n]*)\};/.exec(rest);
	if (oneLine) {
		return (oneLine[1] ?? '')
			.split(',')
			.map((p) => p.split(':')[0]?.trim() ?? '')
			.filter(Boolean);
	}
	const end = rest.search(/\n\};/);
	const body = end < 0 ? rest : rest.slice(0, end);
	return [...body.matchAll(/^\t([a-zA-Z_][a-zA-Z0-9_]*)\s*(?::|,|\()/gm)].map((m) => m[1] ?? '');
}

/** How many handlers a server module exports: its load, its form actions, its HTTP methods. */
const handlersOf = (f: RouteFile) =>
	(/export\s+(?:const|async\s+function|function)\s+load\b/.test(f.text) ? 1 : 0) +
	actionsOf(f.text).length +
	methodsOf(f.text).length;

const count = (text: string, re: RegExp) => [...text.matchAll(re)].length;

/**
 * Calls of the guard in a module: `await guard(event)` directly, or `helper(event, …)` where
 * `helper` is a function of the same module whose first statement awaits the guard.
 */
function guardCalls(text: string, guard: 'requireWorkspace' | 'requireAdmin'): number {
	const direct = new RegExp(`\\bawait ${guard}\\(event\\)`, 'g');
	let n = count(text, direct);
	for (const m of text.matchAll(/^(?:async )?function (\w+)\([^\n]*\{\n([\s\S]*?)\n\}/gm)) {
		const [, name, body] = m;
		const firstLine = (body ?? '').split('\n')[0] ?? '';
		if (new RegExp(`await ${guard}\\(event\\)`).test(firstLine)) {
			// Every use of the helper on the request (its own definition left out).
			n += count(text, new RegExp(`\\b${name}\\(event\\b`, 'g')) - 1;
			n -= count(body ?? '', direct);
		}
	}
	return n;
}

describe('route inventory', () => {
	it('found the route tree', () => {
		expect(routeDirs.length).toBeGreaterThan(40);
		expect(routeDirs).toContain('(workspace)/workspace/initiatives/[id]');
	});

	it('classifies every route directory (a new route must be added to the table on purpose)', () => {
		const unclassified = routeDirs.filter((d) => !(d in ROUTES));
		expect(unclassified, 'add these to tests/e2e/helpers/route-table.ts').toEqual([]);
	});

	it('lists no route that no longer exists', () => {
		expect(Object.keys(ROUTES).filter((d) => !routeDirs.includes(d))).toEqual([]);
	});

	it('puts each class where its guard is', () => {
		for (const dir of routeDirs) {
			const cls = classOf(dir);
			const inWorkspace = dir === '(workspace)' || dir.startsWith('(workspace)/');
			const inAdmin = dir === '(workspace)/admin' || dir.startsWith('(workspace)/admin/');
			expect(inWorkspace, `${dir} is ${cls}`).toBe(cls === 'workspace' || cls === 'admin');
			expect(inAdmin, `${dir} is ${cls}`).toBe(cls === 'admin');
			if (cls === 'public' || cls === 'public-form') expect(dir.startsWith('(public)'), dir).toBe(true);
			if (cls === 'account' || cls === 'account-open') expect(dir.startsWith('(account)/account'), dir).toBe(true);
			if (cls === 'api-public' || cls === 'api-token') expect(dir.startsWith('api/v1/'), dir).toBe(true);
		}
	});

	it('no layout reset (+page@ / +layout@) escapes a guard layout', () => {
		expect(routeFiles.filter((f) => f.name.includes('@')).map((f) => f.path)).toEqual([]);
	});

	it('the (workspace) layout and the admin layout call their guards', () => {
		const layout = (dir: string) => routeFiles.find((f) => f.dir === dir && f.name === '+layout.server.ts');
		expect(layout('(workspace)')?.text).toMatch(/\bawait requireWorkspace\(event\)/);
		expect(layout('(workspace)/admin')?.text).toMatch(/\bawait requireAdmin\(event\)/);
		const adminGuard = readFileSync(join(ROUTES_DIR, '(workspace)/admin/admin.server.ts'), 'utf8');
		expect(adminGuard).toMatch(/export async function requireAdmin[\s\S]*?await requireWorkspace\(event\)/);
		expect(adminGuard).toMatch(/if \(!canAdminister\(viewer\.user\.role, '[a-z_.]+'\)\) error\(403/);
	});

	it('every load, action and endpoint of a workspace page calls the guard itself', () => {
		const stepHelper = readFileSync(
			join(ROUTES_DIR, '(workspace)/workspace/assessments/assessment-route.server.ts'),
			'utf8'
		);
		expect(stepHelper).toMatch(
			/export async function stepAction\(event[^\n]*\n\s*const \{[^}]*\} = await requireWorkspace\(event\)/
		);
		const modules = serverModules('workspace').filter((f) => f.dir !== '(workspace)');
		expect(modules.length).toBeGreaterThan(10);
		for (const f of modules) {
			expect(f.name, `${f.path}: no universal load in the workspace`).not.toMatch(/^\+(page|layout)\.ts$/);
			const guards = guardCalls(f.text, 'requireWorkspace') + count(f.text, /:\s*stepAction\b/g);
			expect(guards, `${f.path}: handlers without their own requireWorkspace`).toBeGreaterThanOrEqual(handlersOf(f));
		}
	});

	it('every load, action and endpoint of an admin page calls requireAdmin itself', () => {
		const modules = serverModules('admin').filter((f) => f.dir !== '(workspace)/admin');
		expect(modules.length).toBeGreaterThan(3);
		for (const f of modules) {
			expect(f.name, `${f.path}: no universal load in the admin area`).not.toMatch(/^\+(page|layout)\.ts$/);
			const guards = guardCalls(f.text, 'requireAdmin');
			expect(guards, `${f.path}: handlers without their own requireAdmin`).toBeGreaterThanOrEqual(handlersOf(f));
		}
	});

	it('the form actions in the code are exactly the ones in the table', () => {
		for (const dir of routeDirs) {
			const page = routeFiles.find((f) => f.dir === dir && f.name === '+page.server.ts');
			const inCode = page ? actionsOf(page.text).sort() : [];
			expect(inCode, `${dir}: form actions`).toEqual([...(ROUTES[dir]?.actions ?? [])].sort());
		}
		// Plain public pages have none; the suggestion form is the only public one.
		expect(routeDirs.filter((d) => classOf(d) === 'public-form')).toEqual(['(public)/initiatives/suggest']);
	});

	it('every /api/v1 write handler goes through tokenRoute (bearer token required)', () => {
		// The per-kind factories (stepRoute, createRecordRoute …): those whose body returns a tokenRoute
		// with its default (required) options guard writes; one that passes `required: false` does not.
		const factories = readFileSync(join(ROOT, 'src/lib/server/http/record-routes.ts'), 'utf8');
		const guarding = new Set<string>();
		for (const [, name, body] of factories.matchAll(/^export function (\w+)\([^\n]*\{\n([\s\S]*?)\n\}$/gm)) {
			if (/^\treturn tokenRoute\(async/m.test(body ?? '') && !/required:\s*false/.test(body ?? '')) {
				guarding.add(name ?? '');
			}
		}
		expect([...guarding].sort()).toEqual(['createRecordRoute', 'stepRoute', 'updateRecordRoute']);
		const WRITE_HANDLER = new RegExp(`^(tokenRoute|${[...guarding].join('|')})$`);

		const endpoints = routeFiles.filter((f) => f.name === '+server.ts' && f.dir.startsWith('api/v1/'));
		expect(endpoints.length).toBeGreaterThan(25);
		for (const f of endpoints) {
			const methods = methodsOf(f.text);
			const writes = methods.filter((m) => (WRITE_METHODS as readonly string[]).includes(m));
			expect(methods.length, `${f.path} exports no handler`).toBeGreaterThan(0);
			expect(classOf(f.dir), `${f.path}: ${writes.join(', ') || 'read-only'}`).toBe(
				writes.length > 0 ? 'api-token' : 'api-public'
			);
			for (const m of writes) {
				const decl = new RegExp(`export const ${m}\\s*=\\s*(\\w+)\\(`).exec(f.text);
				const via = decl?.[1] ?? '';
				expect(via, `${f.path}: ${m} must be tokenRoute(…) or a guarding factory`).toMatch(WRITE_HANDLER);
				if (via !== 'tokenRoute') {
					// The factory is the shared one, not a local function of the same name.
					expect(f.text, `${f.path}: ${via} from record-routes`).toMatch(
						new RegExp(`import \\{[^}]*\\b${via}\\b[^}]*\\} from '\\$lib/server/http/record-routes'`)
					);
				}
				if (via === 'tokenRoute') {
					const rest = f.text.slice(decl?.index ?? 0);
					const next = rest.slice(1).search(/\nexport /);
					const handler = next < 0 ? rest : rest.slice(0, next + 1);
					expect(handler, `${f.path}: ${m} must require the token`).not.toMatch(/required:\s*false/);
				}
			}
		}
		// The catch-all answers every method with a problem document and writes nothing.
		const rest = routeFiles.find((f) => f.dir === 'api/[...rest]');
		expect(rest?.text).toMatch(/throw new DomainError\('NOT_FOUND'/);
	});

	it('endpoints outside the API read (GET), or write only behind a guard as form posts SvelteKit origin-checks', () => {
		const outside = routeFiles.filter((f) => f.name === '+server.ts' && !f.dir.startsWith('api/'));
		expect(outside.length).toBeGreaterThan(0);
		for (const f of outside) {
			const methods = methodsOf(f.text);
			const guarded = classOf(f.dir) === 'workspace' || classOf(f.dir) === 'admin';
			for (const m of methods) expect(guarded ? ['GET', 'POST'] : ['GET'], `${f.path}: ${m}`).toContain(m);
		}
	});

	describe('public routes read published data only', () => {
		/** Read services and the read methods public code may call. */
		const READ_SERVICES = ['registry', 'benchmark', 'methodologies', 'transfer'];
		const READ_METHOD = /^(get|list|search|stats|export|compare|count|find)/;
		const WRITE_SERVICE_MODULES =
			/^import\s+(?!type\b)[^;]*from\s+'\$lib\/server\/services\/(initiative-workflow|api-token|admin|account|assessment|workspace|user-scope|seed|suggestion)\.service'/m;

		/** Every .ts file of the public area (route modules and their helpers) and the public API. */
		const publicCode = allFiles
			.filter((p) => p.endsWith('.ts') && !p.endsWith('.spec.ts'))
			.map((p) => ({ path: relative(ROUTES_DIR, p), text: readFileSync(p, 'utf8') }))
			.filter(({ path }) => {
				const dir = path.split('/').slice(0, -1).join('/');
				return path.startsWith('(public)/') || dir === '' || classOf(dir) === 'api-public' || dir === 'api/[...rest]';
			});

		it('found the public code', () => {
			expect(publicCode.length).toBeGreaterThan(30);
		});

		it.each(publicCode.map((c) => [c.path, c] as const))('%s', (path, { text }) => {
			const isForm = path.startsWith('(public)/initiatives/suggest/');
			const isApi = path.startsWith('api/');
			expect(text, 'no repository or database access from a route').not.toMatch(/\$lib\/server\/db\b|\/server\/db\//);
			if (!isForm) expect(text, 'no write service').not.toMatch(WRITE_SERVICE_MODULES);
			expect(text, 'services are called by name, not destructured').not.toMatch(/\}\s*=\s*services\b|services\[/);
			for (const [, service, method] of text.matchAll(/\bservices\.([a-zA-Z]+)\.([a-zA-Z]+)/g)) {
				const call = `${service}.${method}`;
				const allowed =
					(READ_SERVICES.includes(service ?? '') && READ_METHOD.test(method ?? '')) ||
					(isForm && call === 'suggestions.submit') ||
					(isApi && ['workflow.history', 'apiTokens.getInitiative', 'apiTokens.initiativeHistory'].includes(call));
				expect(allowed, `${path} calls services.${call}`).toBe(true);
			}
			if (!isApi && !isForm) expect(actionsOf(text), 'no form actions on public pages').toEqual([]);
		});
	});
});
