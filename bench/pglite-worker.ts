/**
 * PGlite off the main thread (issue #4; ADR 0002 "Main thread"): what running the embedded
 * database in a node:worker_threads worker costs and gains, side by side in one run, against
 * PGlite in-process (what the app does today). Transports measured:
 *   inproc  PGlite on the main thread (`db.query`)
 *   socket  PGlite in a worker behind @electric-sql/pglite-socket, the main thread on node-postgres
 *           (`pg.Pool`, as the app's DATABASE_URL path). Needs the package, which is not a
 *           dependency: `npm install --no-save --legacy-peer-deps @electric-sql/pglite-socket@0.2.17`
 *           (its peer pin is pglite 0.5.14; it only uses PGlite's public protocol API). Without it
 *           these lines are skipped with a message.
 *   proxy   PGlite in a worker, queries as postMessage ({ id, text, params } → rows), the shape of
 *           drizzle's `pg-proxy` callback (bench/lib/pglite-worker-host.ts).
 * Each transport opens its own copy of one generated dataset (two PGlite instances must never
 * share a data dir). Measures:
 *   1. latency p50/p95 of the raw SQL of registry scenarios 1-3 (bench/lib/registry-scenarios.ts),
 *      transports interleaved call by call so background load hits all of them; 1b. the app's
 *      registry service (drizzle, caches and facet index off) in-process vs over the socket, with
 *      a check that both return the same answers;
 *   2. main-thread stall while one slow statement runs (pg_sleep and a full-text rank over every
 *      row): the largest gap of a 1 ms setInterval, and the wait of a real HTTP request (curl, in
 *      another process, to a trivial server on the main thread) sent 100 ms into the statement;
 *   3. throughput of N concurrent callers (scenario 1), with and without 2 ms of synchronous
 *      main-thread work per call (what rendering a page costs); every answer is checked against
 *      the in-process one (ids of the page and the total);
 *   4. start-up: a fresh `node` process (plain JS, no tsx) opening the data dir in-process vs in a
 *      worker (and behind the socket), to the first answered query; RSS when ready.
 *
 *   npx tsx bench/pglite-worker.ts [--size 10k] [--runs 200] [--callers 1,4,8] [--seconds 3]
 *                                  [--only latency,app,stall,throughput,startup] [--seed N] [--json FILE]
 * Prints tables (with the load average) on stdout; --json writes every number.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { parseInitiativeQuery, type InitiativeQuery } from '../src/lib/core/registry/query';
import { openDatabase, type Db } from '../src/lib/server/db/client';
import * as schema from '../src/lib/server/db/schema';
import { createRegistryService } from '../src/lib/server/services/registry.service';
import { PUBLIC_API } from '../src/lib/server/services/viewer';
import { DEFAULT_SEED } from './lib/generate';
import { bulkLoad } from './lib/load';
import type { HostData, HostReply, HostRequest } from './lib/pglite-worker-host';
import { filterCombos, ftsCombos, rawFacetsSql, rawItemsSql } from './lib/registry-scenarios';
import { percentile, summarize, type LatencyStats } from './lib/stats';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: {
		size: { type: 'string', default: '10k' },
		runs: { type: 'string', default: '200' },
		callers: { type: 'string', default: '1,4,8' },
		seconds: { type: 'string', default: '3' },
		only: { type: 'string', default: 'latency,app,stall,throughput,startup' },
		seed: { type: 'string' },
		json: { type: 'string' }
	}
});
const size = Number(args.size!.replace(/k$/i, '000'));
if (!Number.isSafeInteger(size) || size < 1) throw new Error(`bad --size ${args.size}`);
const runs = Number(args.runs);
const callerCounts = args.callers!.split(',').map(Number);
const seconds = Number(args.seconds);
const only = new Set(args.only!.split(','));
const seed = args.seed ? Number(args.seed) : DEFAULT_SEED;
const MAX_CONNECTIONS = Math.max(...callerCounts);

const log = (m: string) => process.stderr.write(`[pglite-worker ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const load1 = () => Math.round(loadavg()[0]! * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r2 = (x: number) => Math.round(x * 100) / 100;

const require = createRequire(import.meta.url);
function socketInstalled(): boolean {
	try {
		require.resolve('@electric-sql/pglite-socket');
		return true;
	} catch {
		return false;
	}
}
const withSocket = socketInstalled();
if (!withSocket)
	log(
		'@electric-sql/pglite-socket is not installed: the socket lines are skipped ' +
			'(npm install --no-save --legacy-peer-deps @electric-sql/pglite-socket@0.2.17 to include them)'
	);

// ---- transports --------------------------------------------------------------------------------

interface Transport {
	name: 'inproc' | 'socket' | 'proxy';
	query<T>(text: string, params: unknown[]): Promise<T[]>;
	/** The app's drizzle database on this transport (none for the proxy: pg-proxy has no transactions). */
	db: Db | null;
	close(): Promise<void>;
}

/** Runs bench/lib/pglite-worker-host.ts in a worker thread (through tsx's loader, which workers do not inherit). */
function startWorker(
	data: HostData
): Promise<{ worker: Worker; ready: Extract<HostReply, { ready: true }>; bootMs: number }> {
	const host = pathToFileURL(join(ROOT, 'bench', 'lib', 'pglite-worker-host.ts')).href;
	const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(host)}); })`;
	const t0 = performance.now();
	const worker = new Worker(boot, { eval: true, workerData: data });
	return new Promise((res, rej) => {
		worker.once('error', rej);
		worker.once('message', (m: HostReply) => {
			if ('ready' in m) res({ worker, ready: m, bootMs: performance.now() - t0 });
			else rej(new Error(`unexpected first message ${JSON.stringify(m)}`));
		});
	});
}

function stopWorker(worker: Worker): Promise<void> {
	return new Promise((res) => {
		worker.on('message', (m: HostReply) => {
			if ('closed' in m) res();
		});
		worker.once('exit', () => res());
		worker.postMessage({ close: true } satisfies HostRequest);
	});
}

async function openInproc(dir: string): Promise<Transport> {
	const db = await PGlite.create(dir);
	const database = await openDatabase({ databaseUrl: null, dataDir: null, lock: false, pglite: db });
	return {
		name: 'inproc',
		db: database.db,
		query: async <T>(text: string, params: unknown[]) => (await db.query<T>(text, params)).rows,
		close: async () => {
			await db.exec('CHECKPOINT');
			await db.close();
		}
	};
}

async function openSocket(dir: string): Promise<Transport & { bootMs: number }> {
	const { worker, ready, bootMs } = await startWorker({
		mode: 'socket',
		dataDir: dir,
		maxConnections: MAX_CONNECTIONS
	});
	const pool = new pg.Pool({
		host: '127.0.0.1',
		port: ready.port!,
		user: 'postgres',
		database: 'postgres',
		max: MAX_CONNECTIONS
	});
	return {
		name: 'socket',
		bootMs,
		// What openDatabase does with DATABASE_URL, pointed at the worker.
		db: drizzlePg(pool, { schema }) as unknown as Db,
		query: async <T>(text: string, params: unknown[]) => (await pool.query(text, params)).rows as T[],
		close: async () => {
			await pool.end();
			await stopWorker(worker);
		}
	};
}

async function openProxy(dir: string): Promise<Transport & { bootMs: number }> {
	const { worker, bootMs } = await startWorker({ mode: 'proxy', dataDir: dir, maxConnections: 1 });
	let next = 0;
	const pending = new Map<number, { res: (rows: unknown[]) => void; rej: (e: Error) => void }>();
	worker.on('message', (m: HostReply) => {
		if (!('id' in m)) return;
		const p = pending.get(m.id);
		pending.delete(m.id);
		if ('error' in m) p?.rej(new Error(m.error));
		else p?.res(m.rows);
	});
	return {
		name: 'proxy',
		bootMs,
		db: null,
		query: <T>(text: string, params: unknown[]) =>
			new Promise<T[]>((res, rej) => {
				const id = ++next;
				pending.set(id, { res: res as (rows: unknown[]) => void, rej });
				worker.postMessage({ id, text, params } satisfies HostRequest);
			}),
		close: () => stopWorker(worker)
	};
}

// ---- the registry statements -------------------------------------------------------------------

interface Answer {
	ids: string;
	total: number;
}

/** Scenario 1 (and 3 with full-text cases): page + facet counts, as two statements. */
async function searchOnce(t: Transport, q: InitiativeQuery): Promise<Answer> {
	const it = rawItemsSql(q, true);
	const fa = rawFacetsSql(q, true);
	const items = await t.query<{ id: string }>(it.text, it.params);
	const facets = await t.query<{ facet: string; count: number }>(fa.text, fa.params);
	return {
		ids: items.map((r) => r.id).join(','),
		total: Number(facets.find((r) => r.facet === 'total')?.count ?? NaN)
	};
}

async function facetsOnce(t: Transport, q: InitiativeQuery): Promise<number> {
	const fa = rawFacetsSql(q, true);
	return (await t.query(fa.text, fa.params)).length;
}

/** Measures every transport on the same cases, interleaved call by call with a rotating order. */
async function measureInterleaved<T extends { name: string }, C>(
	transports: T[],
	cases: readonly C[],
	fn: (t: T, c: C) => Promise<unknown>,
	n: number
): Promise<Record<string, LatencyStats>> {
	for (const c of cases) for (const t of transports) await fn(t, c); // warm-up: every case once
	const samples = transports.map(() => [] as number[]);
	const wall = transports.map(() => 0);
	for (let i = 0; i < n; i++) {
		const c = cases[i % cases.length]!;
		for (let k = 0; k < transports.length; k++) {
			const j = (i + k) % transports.length;
			const t0 = performance.now();
			await fn(transports[j]!, c);
			const dt = performance.now() - t0;
			samples[j]!.push(dt);
			wall[j]! += dt;
		}
	}
	return Object.fromEntries(transports.map((t, j) => [t.name, summarize(samples[j]!, wall[j]!)]));
}

// ---- 2. event-loop stall -----------------------------------------------------------------------

interface Stall {
	statementMs: number;
	/** Largest gap between two ticks of a 1 ms setInterval while the statement ran. */
	maxGapMs: number;
	/** Ticks of that interval during the statement (≈ statementMs when the loop is free). */
	ticks: number;
	/** Total time of one HTTP GET (curl, another process) sent ~100 ms into the statement. */
	httpMs: number;
}

function startTrivialServer(): Promise<{ server: Server; port: number }> {
	const server = createServer((_req, res) => res.end('ok'));
	return new Promise((res) =>
		server.listen(0, '127.0.0.1', () => {
			const a = server.address();
			res({ server, port: typeof a === 'object' && a ? a.port : 0 });
		})
	);
}

function curlAfter(delayS: number, port: number): Promise<number> {
	return new Promise((res, rej) => {
		const p = spawn('sh', ['-c', `sleep ${delayS}; curl -s -o /dev/null -w '%{time_total}' http://127.0.0.1:${port}/`]);
		let out = '';
		p.stdout.on('data', (d: Buffer) => (out += d.toString()));
		p.on('error', rej);
		p.on('close', () => res(Number(out) * 1000));
	});
}

async function stallOf(run: () => Promise<unknown>, httpPort: number): Promise<Stall> {
	let last = performance.now();
	let maxGap = 0;
	let ticks = 0;
	const iv = setInterval(() => {
		const now = performance.now();
		maxGap = Math.max(maxGap, now - last);
		last = now;
		ticks++;
	}, 1);
	await sleep(50);
	const http = curlAfter(0.1, httpPort);
	await sleep(5); // let the shell start before the statement (fork is not free)
	maxGap = 0;
	ticks = 0;
	last = performance.now();
	const t0 = performance.now();
	await run();
	const statementMs = performance.now() - t0;
	const ticksDuring = ticks;
	await sleep(10); // the first tick after a blocked loop records the gap
	clearInterval(iv);
	const httpMs = await http;
	return { statementMs: r2(statementMs), maxGapMs: r2(maxGap), ticks: ticksDuring, httpMs: r2(httpMs) };
}

// ---- 3. throughput with concurrent callers -----------------------------------------------------

interface Throughput {
	callers: number;
	workMs: number;
	opsPerSec: number;
	p50: number;
	p95: number;
	ops: number;
	errors: number;
	/** Answers that differ from the in-process answer for the same case (must be 0). */
	mismatches: number;
	firstError: string | null;
}

function busyWait(ms: number) {
	const end = performance.now() + ms;
	while (performance.now() < end) {
		/* synchronous main-thread work, as rendering a page is */
	}
}

async function throughput(
	t: Transport,
	cases: readonly InitiativeQuery[],
	expected: readonly Answer[],
	callers: number,
	workMs: number,
	ms: number
): Promise<Throughput> {
	const lat: number[] = [];
	let errors = 0;
	let mismatches = 0;
	let firstError: string | null = null;
	const started = performance.now();
	const deadline = started + ms;
	await Promise.all(
		Array.from({ length: callers }, async (_, caller) => {
			for (let i = caller; performance.now() < deadline; i += callers) {
				const k = i % cases.length;
				const t0 = performance.now();
				try {
					const a = await searchOnce(t, cases[k]!);
					if (a.ids !== expected[k]!.ids || a.total !== expected[k]!.total) mismatches++;
				} catch (e) {
					errors++;
					firstError ??= e instanceof Error ? e.message : String(e);
				}
				if (workMs > 0) busyWait(workMs);
				lat.push(performance.now() - t0);
			}
		})
	);
	const wall = performance.now() - started;
	const sorted = lat.sort((a, b) => a - b);
	return {
		callers,
		workMs,
		opsPerSec: r2((lat.length / wall) * 1000),
		p50: r2(percentile(sorted, 50)),
		p95: r2(percentile(sorted, 95)),
		ops: lat.length,
		errors,
		mismatches,
		firstError
	};
}

// ---- 4. start-up in a fresh process ------------------------------------------------------------

interface Startup {
	variant: 'inproc' | 'worker' | 'worker+socket';
	/** From before `import('@electric-sql/pglite')` to the first answered `SELECT 1`. */
	readyMs: number;
	/** Of which PGlite.create (in the worker, as the worker measured it). */
	openMs: number;
	rssMB: number;
}

/** Plain-JS child (no tsx), so the worker's cost is that of the built app, not of a TS loader. */
function startupChild(variant: Startup['variant'], dir: string): Promise<Startup> {
	const pglite = pathToFileURL(require.resolve('@electric-sql/pglite')).href.replace(/index\.cjs$/, 'index.js');
	const socket = withSocket
		? pathToFileURL(require.resolve('@electric-sql/pglite-socket')).href.replace(/index\.cjs$/, 'index.js')
		: '';
	const workerCode = `
		const { parentPort, workerData } = await import('node:worker_threads');
		const { PGlite } = await import(${JSON.stringify(pglite)});
		const t0 = performance.now();
		const db = await PGlite.create(workerData.dir);
		const openMs = performance.now() - t0;
		let port = null;
		if (workerData.socket) {
			const { PGLiteSocketServer } = await import(${JSON.stringify(socket)});
			const s = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
			await s.start();
			port = Number(s.getServerConn().split(':').pop());
		}
		parentPort.on('message', async (m) => {
			if (m === 'query') { await db.query('SELECT 1'); parentPort.postMessage({ answered: true }); }
			if (m === 'close') { await db.close(); process.exit(0); }
		});
		parentPort.postMessage({ openMs, port });`;
	const main = `
		const t0 = performance.now();
		const dir = ${JSON.stringify(dir)};
		const out = (openMs) => { console.log(JSON.stringify({ readyMs: performance.now() - t0, openMs, rssMB: process.memoryUsage().rss / 1048576 })); };
		if (${JSON.stringify(variant)} === 'inproc') {
			const { PGlite } = await import(${JSON.stringify(pglite)});
			const o0 = performance.now();
			const db = await PGlite.create(dir);
			const openMs = performance.now() - o0;
			await db.query('SELECT 1');
			out(openMs);
			await db.close();
		} else {
			const { Worker } = await import('node:worker_threads');
			const socket = ${JSON.stringify(variant)} === 'worker+socket';
			const w = new Worker(${JSON.stringify(`(async () => {${workerCode}})()`)}, { eval: true, workerData: { dir, socket } });
			const first = await new Promise((r) => w.once('message', r));
			if (socket) {
				const { default: pg } = await import('pg');
				const c = new pg.Client({ host: '127.0.0.1', port: first.port, user: 'postgres', database: 'postgres' });
				await c.connect();
				await c.query('SELECT 1');
				out(first.openMs);
				await c.end();
			} else {
				w.postMessage('query');
				await new Promise((r) => w.once('message', r));
				out(first.openMs);
			}
			w.postMessage('close');
			await new Promise((r) => w.once('exit', r));
		}`;
	return new Promise((res, rej) => {
		const p = spawn(process.execPath, ['--input-type=module', '-e', main], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		let err = '';
		p.stdout.on('data', (d: Buffer) => (out += d.toString()));
		p.stderr.on('data', (d: Buffer) => (err += d.toString()));
		p.on('close', (code) => {
			const line = out.trim().split('\n').at(-1) ?? '';
			if (code !== 0 || !line.startsWith('{')) rej(new Error(`start-up child ${variant} failed (${code}): ${err}`));
			else {
				const r = JSON.parse(line) as Omit<Startup, 'variant'>;
				res({ variant, readyMs: r2(r.readyMs), openMs: r2(r.openMs), rssMB: Math.round(r.rssMB) });
			}
		});
	});
}

// ---- the run -----------------------------------------------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'gcm-pglite-worker-'));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM'] as const)
	process.once(sig, () => {
		cleanup();
		process.exit(130);
	});

const report: Record<string, unknown> = {
	date: new Date().toISOString(),
	node: process.version,
	cores: cpus().length,
	size,
	seed,
	socket: withSocket,
	load: { start: load1() }
};
try {
	const base = join(tmp, 'base');
	log(`generating ${size} initiatives into ${base} (load ${load1()})`);
	{
		const database = await openDatabase({ databaseUrl: null, dataDir: base, lock: false });
		try {
			await database.migrate(join(ROOT, 'drizzle'));
			await bulkLoad(database, { size, seed });
		} finally {
			await database.close();
		}
	}
	const copy = (name: string) => {
		const dir = join(tmp, name);
		cpSync(base, dir, { recursive: true });
		return dir;
	};

	if (only.has('startup')) {
		const dir = copy('startup');
		const variants: Startup['variant'][] = withSocket ? ['inproc', 'worker', 'worker+socket'] : ['inproc', 'worker'];
		const rows: Startup[] = [];
		log('4. start-up in fresh processes (3 rounds, variants interleaved)');
		for (let round = 0; round < 3; round++) for (const v of variants) rows.push(await startupChild(v, dir));
		const summary = variants.map((v) => {
			const xs = rows.filter((r) => r.variant === v);
			const med = (f: (r: Startup) => number) => xs.map(f).sort((a, b) => a - b)[1]!;
			return {
				variant: v,
				readyMsMedian: med((r) => r.readyMs),
				openMsMedian: med((r) => r.openMs),
				rssMBMedian: med((r) => r.rssMB),
				all: xs
			};
		});
		report['startup'] = { load: load1(), summary };
		console.log(`\n4. start-up, fresh node process, ${size} rows (median of 3; load ${load1()})`);
		console.log('variant         ready ms   PGlite.create ms   RSS MB');
		for (const s of summary)
			console.log(
				`${s.variant.padEnd(14)} ${String(s.readyMsMedian).padStart(9)} ${String(s.openMsMedian).padStart(18)} ${String(s.rssMBMedian).padStart(8)}`
			);
	}

	log('opening the transports (one data dir copy each)');
	const inproc = await openInproc(copy('inproc'));
	const proxy = await openProxy(copy('proxy'));
	const socket = withSocket ? await openSocket(copy('socket')) : null;
	const transports: Transport[] = socket ? [inproc, socket, proxy] : [inproc, proxy];
	report['workerBootMs'] = {
		proxy: r2(proxy.bootMs),
		socket: socket ? r2(socket.bootMs) : null,
		note: 'tsx loader included'
	};
	try {
		const filters = filterCombos().map((p) => parseInitiativeQuery(p, { strict: true }));
		const fts = ftsCombos().map((p) => parseInitiativeQuery(p, { strict: true }));
		// The in-process answers are the reference every other transport must return.
		const expected: Answer[] = [];
		for (const q of filters) expected.push(await searchOnce(inproc, q));
		const equivalent: Record<string, number> = {};
		for (const t of transports.slice(1)) {
			let bad = 0;
			for (const [k, q] of filters.entries()) {
				const a = await searchOnce(t, q);
				if (a.ids !== expected[k]!.ids || a.total !== expected[k]!.total) bad++;
			}
			equivalent[t.name] = bad;
		}
		report['sequentialMismatches'] = equivalent;

		if (only.has('latency')) {
			const l0 = load1();
			log(`1. latency, ${runs} calls per transport and scenario, interleaved`);
			const latency = {
				'1 search (items + facets)': await measureInterleaved(transports, filters, searchOnce, runs),
				'2 facet counts': await measureInterleaved(transports, filters, facetsOnce, runs),
				'3 full text + filter': await measureInterleaved(transports, fts, searchOnce, runs)
			};
			report['latency'] = { load: { start: l0, end: load1() }, ...latency };
			console.log(`\n1. registry raw SQL, sequential, ${size} rows (p50 / p95 ms; load ${l0} → ${load1()})`);
			console.log(`scenario                     ${transports.map((t) => t.name.padStart(16)).join('')}`);
			for (const [name, byT] of Object.entries(latency))
				console.log(
					`${name.padEnd(28)} ${transports.map((t) => `${byT[t.name]!.p50} / ${byT[t.name]!.p95}`.padStart(16)).join('')}`
				);
		}

		if (only.has('app')) {
			// The app's own registry service (drizzle, no caches, no facet index: every count by SQL)
			// on each transport with a drizzle database: does the app run unchanged over the socket,
			// and what does the driver swap cost on top of the raw statements?
			const services = transports.flatMap((t) =>
				t.db
					? [
							{
								name: t.name,
								service: createRegistryService(t.db, { facetCacheSize: 0, textMatchCacheSize: 0, facetIndex: false })
							}
						]
					: []
			);
			const answers = new Map<string, number>();
			for (const { name, service } of services) {
				let bad = 0;
				for (const q of [...filters, ...fts]) {
					const r = await service.search(PUBLIC_API, q);
					const ref = await services[0]!.service.search(PUBLIC_API, q);
					if (JSON.stringify(r) !== JSON.stringify(ref)) bad++;
				}
				answers.set(name, bad);
			}
			const l0 = load1();
			log(`1b. the app's registry search (service layer) on ${services.map((s) => s.name).join(', ')}`);
			const app = {
				'1 search (service, SQL counts)': await measureInterleaved(
					services,
					filters,
					(s, q) => s.service.search(PUBLIC_API, q),
					runs
				),
				'3 full text (service, SQL counts)': await measureInterleaved(
					services,
					fts,
					(s, q) => s.service.search(PUBLIC_API, q),
					runs
				)
			};
			report['app'] = { load: { start: l0, end: load1() }, differentAnswers: Object.fromEntries(answers), ...app };
			console.log(`\n1b. app registry service, sequential, ${size} rows (p50 / p95 ms; load ${l0} → ${load1()})`);
			console.log(`scenario                          ${services.map((t) => t.name.padStart(16)).join('')}`);
			for (const [name, byT] of Object.entries(app))
				console.log(
					`${name.padEnd(33)} ${services.map((t) => `${byT[t.name]!.p50} / ${byT[t.name]!.p95}`.padStart(16)).join('')}`
				);
			console.log(
				`answers different from in-process (of ${filters.length + fts.length}): ${JSON.stringify(Object.fromEntries(answers))}`
			);
		}

		if (only.has('stall')) {
			const { server, port } = await startTrivialServer();
			const statements = {
				'pg_sleep(0.5)': 'SELECT pg_sleep(0.5)',
				'full-text rank, every row': `SELECT i.id FROM initiative i
				  ORDER BY ts_rank_cd(to_tsvector('english', i.title || ' ' || i.description || ' ' || coalesce(i.original_text, '')),
				    websearch_to_tsquery('english', 'labour migration')) DESC LIMIT 20`
			};
			const stall: Record<string, Record<string, Stall[]>> = {};
			const l0 = load1();
			log('2. main-thread stall during one slow statement (3 rounds, transports interleaved)');
			for (const [label, text] of Object.entries(statements)) {
				stall[label] = {};
				for (let round = 0; round < 3; round++)
					for (const t of transports) (stall[label]![t.name] ??= []).push(await stallOf(() => t.query(text, []), port));
			}
			server.close();
			report['stall'] = { load: { start: l0, end: load1() }, ...stall };
			console.log(`\n2. main thread during one slow statement (median of 3 [max]; load ${l0} → ${load1()})`);
			console.log('statement                  transport  statement ms   max loop gap ms   1ms ticks   HTTP GET ms');
			const med = (xs: Stall[], f: (s: Stall) => number) => xs.map(f).sort((a, b) => a - b)[1]!;
			const max = (xs: Stall[], f: (s: Stall) => number) => Math.max(...xs.map(f));
			for (const [label, byT] of Object.entries(stall))
				for (const t of transports) {
					const xs = byT[t.name]!;
					console.log(
						`${label.padEnd(26)} ${t.name.padEnd(9)} ${String(med(xs, (s) => s.statementMs)).padStart(13)} ${`${med(xs, (s) => s.maxGapMs)} [${max(xs, (s) => s.maxGapMs)}]`.padStart(17)} ${String(med(xs, (s) => s.ticks)).padStart(11)} ${`${med(xs, (s) => s.httpMs)} [${max(xs, (s) => s.httpMs)}]`.padStart(13)}`
					);
				}
		}

		if (only.has('throughput')) {
			const rows: (Throughput & { transport: string; load: number })[] = [];
			log(`3. throughput, ${seconds} s per line`);
			for (const callers of callerCounts)
				for (const workMs of [0, 2])
					for (const [k, t] of transports.entries()) {
						// Rotate which transport goes first so a load change does not favour one.
						const tt = transports[(k + callers) % transports.length]!;
						const r = await throughput(tt, filters, expected, callers, workMs, seconds * 1000);
						rows.push({ transport: tt.name, load: load1(), ...r });
						void t;
					}
			report['throughput'] = rows;
			console.log(`\n3. scenario 1 with N concurrent callers, ${seconds} s each (load ${load1()})`);
			console.log('callers  main-thread work  transport   ops/s    p50 ms    p95 ms  errors  mismatches  load');
			for (const r of rows.sort(
				(a, b) => a.callers - b.callers || a.workMs - b.workMs || a.transport.localeCompare(b.transport)
			))
				console.log(
					`${String(r.callers).padStart(7)} ${`${r.workMs} ms`.padStart(17)}  ${r.transport.padEnd(9)} ${String(r.opsPerSec).padStart(7)} ${String(r.p50).padStart(9)} ${String(r.p95).padStart(9)} ${String(r.errors).padStart(7)} ${String(r.mismatches).padStart(11)}  ${r.load}${r.firstError ? `  first error: ${r.firstError}` : ''}`
				);
		}
	} finally {
		for (const t of transports) await t.close();
	}
	(report['load'] as Record<string, number>)['end'] = load1();
	console.log(`\nload average ${JSON.stringify(report['load'])}, ${cpus().length} cores, node ${process.version}`);
	if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
} finally {
	cleanup();
}
