/**
 * GCM Observatory benchmark suite (`npm run bench`, `npm run bench -- --quick`).
 *
 *   --quick                 10k rows, PGlite only (unless --engine), fewer runs: about a minute
 *   --size 10k,100k,1m      dataset sizes (default: PGlite 10k+100k, PostgreSQL 100k+1m)
 *   --engine pglite|postgres|both
 *   --database-url URL      PostgreSQL server (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres);
 *                           a fresh database gcm_bench_<timestamp>_<size> is created per run and dropped at the end
 *   --only a,b              scenarios: registry,http,throughput,transfer,coldstart,benchmarks (default: all)
 *   --enforce-budgets       exit 1 when a budget fails (timings never fail the run otherwise)
 *   --no-budget-exit        accepted for compatibility (the default)
 *   --keep                  keep the generated data dirs / databases and CSV files
 *   --seed N                generator seed
 * Prints a table and writes bench/results/<timestamp>-<mode>.json.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/lib/server/db/client';
import { buildApp, buildIsCurrent } from '../cli/build';
import { COUNTRIES_BY_WEIGHT, DEFAULT_SEED } from './lib/generate';
import { bulkLoad, type LoadReport } from './lib/load';
import { BENCH_EDITIONS, EXPERTS_PER_PANEL, loadAssessments, type AssessmentLoadReport } from './lib/assessments';
import { verifyPublishedScores } from '../src/lib/server/services/assessment.service';
import {
	filterCombos,
	explainSamples,
	openRaw,
	runRegistryScenarios,
	type RegistryResults
} from './lib/registry-scenarios';
import { loadTest, measurePage, type LoadResult, type PageResult } from './lib/http';
import type { LatencyStats, MeasureOptions } from './lib/stats';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		size: { type: 'string' },
		engine: { type: 'string' },
		'database-url': { type: 'string' },
		only: { type: 'string' },
		'enforce-budgets': { type: 'boolean', default: false },
		'no-budget-exit': { type: 'boolean', default: false },
		keep: { type: 'boolean', default: false },
		seed: { type: 'string' }
	}
});

type Engine = 'pglite' | 'postgres';
const quick = args.quick ?? false;
const seed = args.seed ? Number(args.seed) : DEFAULT_SEED;
const IMPORT_CAP = 100_000; // CSV_LIMITS.maxBytes (200 MB) rejects a 1M-row file (~620 MB)
const only = new Set((args.only ?? 'registry,http,throughput,transfer,coldstart,benchmarks').split(','));
/** Scenario 9's assessments: every country in full runs; the 40 most frequent in --quick (about 4 s to load). */
const assessmentCountries = quick ? COUNTRIES_BY_WEIGHT.slice(0, 40) : COUNTRIES_BY_WEIGHT;
const baseUrl = args['database-url'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function parseSize(s: string): number {
	const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
	if (!m) throw new Error(`bad --size ${s}`);
	return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1));
}
const fmtSize = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

function plans(): { engine: Engine; size: number }[] {
	const engines: Engine[] =
		args.engine === 'both'
			? ['pglite', 'postgres']
			: args.engine === 'postgres'
				? ['postgres']
				: args.engine === 'pglite'
					? ['pglite']
					: quick
						? ['pglite']
						: ['pglite', 'postgres'];
	const sizes = args.size ? args.size.split(',').map(parseSize) : null;
	const out: { engine: Engine; size: number }[] = [];
	for (const engine of engines) {
		const s = sizes ?? (quick ? [10_000] : engine === 'pglite' ? [10_000, 100_000] : [100_000, 1_000_000]);
		for (const size of s) out.push({ engine, size });
	}
	return out;
}

const measureOpts: MeasureOptions = quick
	? { warmup: 24, runs: 80, maxMs: 1_500, minRuns: 10 }
	: { warmup: 48, runs: 400, maxMs: 15_000, minRuns: 20 };
const pageRuns = quick
	? { warmup: 5, runs: 15, maxMs: 3_000, minRuns: 10 }
	: { warmup: 10, runs: 60, maxMs: 15_000, minRuns: 20 };
const loadMs = quick ? 3_000 : 10_000;
const CONNECTIONS = 10;

/** Databases and directories to remove when the run ends or is interrupted. */
const cleanups: (() => Promise<void>)[] = [];
async function cleanupAll() {
	if (args.keep) return;
	// DROP DATABASE … WITH (FORCE) ends the app's pooled connections: their errors are expected now.
	process.on('uncaughtException', () => {});
	for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.once(sig, () => {
		process.stderr.write(`\n[bench] ${sig}: cleaning up\n`);
		void cleanupAll().finally(() => process.exit(130));
	});
}

const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

function withDatabaseName(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

async function adminQuery(text: string): Promise<void> {
	const c = new pg.Client({ connectionString: withDatabaseName(baseUrl, 'postgres') });
	await c.connect();
	try {
		await c.query(text);
	} finally {
		await c.end();
	}
}

async function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const s = createServer();
		s.once('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			const port = typeof a === 'object' && a ? a.port : 0;
			s.close(() => res(port));
		});
	});
}

interface Server {
	child: ChildProcess;
	base: string;
	readyMs: number;
	firstOkMs: number;
	/** Resolves with the ms from spawn to the "registry index ready" log line (public counts and pages from the index). */
	indexReady(): Promise<number>;
	stop(): Promise<void>;
}

/** Starts `node bin/gcm.js serve` and waits for the first successful request. */
async function startServer(env: Record<string, string>): Promise<Server> {
	// Checked before every start: `gcm serve` refuses a build older than the sources.
	if (!buildIsCurrent(ROOT)) {
		log('building the web app (build/ missing or older than the sources)');
		buildApp(ROOT, log);
	}
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const t0 = performance.now();
	const child = spawn(process.execPath, [join(ROOT, 'bin', 'gcm.js'), 'serve'], {
		cwd: ROOT,
		// LOG_LEVEL info: the "ready" and "registry index ready" lines are how the bench follows the start.
		env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', GCM_SEED: 'false', LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let readyMs = NaN;
	let indexReadyMs = NaN;
	let indexReady: () => void = () => {};
	const indexReadyP = new Promise<void>((r) => (indexReady = r));
	let output = '';
	const onData = (d: Buffer) => {
		const s = d.toString();
		if (output.length < 20_000) output += s;
		if (Number.isNaN(readyMs) && s.includes('GCM Observatory is ready')) readyMs = performance.now() - t0;
		if (Number.isNaN(indexReadyMs) && s.includes('registry index ready')) {
			indexReadyMs = performance.now() - t0;
			indexReady();
		}
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	let exited = false;
	const exitP = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
	let firstOkMs = NaN;
	while (performance.now() - t0 < 120_000) {
		if (exited) throw new Error(`server exited early:\n${output}`);
		try {
			const r = await fetch(`${base}/api/v1/initiatives?limit=1`);
			await r.arrayBuffer();
			if (r.ok) {
				firstOkMs = performance.now() - t0;
				break;
			}
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 10));
	}
	if (Number.isNaN(firstOkMs)) throw new Error(`server not ready after 120 s:\n${output}`);
	return {
		child,
		base,
		readyMs,
		firstOkMs,
		indexReady: async () => {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				indexReadyP,
				new Promise((_, reject) => {
					timer = setTimeout(
						() => reject(new Error(`the registry index was not ready after 300 s:\n${output}`)),
						300_000
					);
				})
			]).finally(() => clearTimeout(timer));
			return Math.round(indexReadyMs);
		},
		stop: async () => {
			if (!exited) child.kill('SIGTERM');
			await exitP;
		}
	};
}

function runChild(
	argv: string[],
	timeoutMs: number
): Promise<{
	result: Record<string, number> | null;
	lastProgress: Record<string, number> | null;
	timedOut: boolean;
	stderr: string;
}> {
	return new Promise((res) => {
		const child = spawn(
			process.execPath,
			[join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'import-child.ts'), ...argv],
			{
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let out = '';
		let err = '';
		let lastProgress: Record<string, number> | null = null;
		let timedOut = false;
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => {
			const s = d.toString();
			err += s;
			for (const line of s.split('\n')) {
				if (line.startsWith('{"progress"')) {
					try {
						lastProgress = JSON.parse(line) as Record<string, number>;
					} catch {
						/* partial line */
					}
				}
			}
		});
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.on('exit', () => {
			clearTimeout(timer);
			const line = out.trim().split('\n').pop() ?? '';
			let result: Record<string, number> | null = null;
			try {
				result = line ? (JSON.parse(line) as Record<string, number>) : null;
			} catch {
				result = null;
			}
			res({ result, lastProgress, timedOut, stderr: err.slice(-4000) });
		});
	});
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

interface RunResult {
	engine: Engine;
	size: number;
	engineVersion: string;
	load: LoadReport;
	tableSizes: Record<string, string>;
	registry?: RegistryResults;
	ratios?: { search: number; facets: number; fts: number; searchP95: number; facetsP95: number; ftsP95: number };
	explain?: Record<string, string>;
	pages?: { initiatives: PageResult; country: PageResult; home: PageResult };
	/** Scenario 9: published assessments, recomputing all their scores, and the benchmark pages. */
	benchmarks?: {
		load: AssessmentLoadReport & { countries: number; editions: number; experts: number };
		rescore?: RescoreResult;
		pages?: { profile: PageResult; overview: PageResult };
	};
	throughput?: { page: LoadResult; api: LoadResult };
	import?: Record<string, number | boolean | string>;
	export?: Record<string, number | boolean | string>;
	coldStart?: { runsMs: number[]; readyLogMs: number[]; maxMs: number; medianMs: number };
	errors: string[];
	/** 1-minute load average when the run started and ended (other work on the machine skews timings). */
	loadAvg?: { start: number; end: number };
}

async function runOne(engine: Engine, size: number, tmp: string, stamp: string): Promise<RunResult> {
	log(`=== ${engine} ${fmtSize(size)} ===`);
	const errors: string[] = [];
	const loadAvgStart = os.loadavg()[0]!;
	const dataDir = join(tmp, `pglite-${fmtSize(size)}`);
	const dbName = `gcm_bench_${stamp}_${fmtSize(size).toLowerCase()}`;
	const dbUrl = engine === 'postgres' ? withDatabaseName(baseUrl, dbName) : null;
	const csvPath = join(tmp, `initiatives-${fmtSize(size)}.csv`);
	const toDrop: string[] = [];
	const cleanup = async () => {
		rmSync(dataDir, { recursive: true, force: true });
		rmSync(csvPath, { force: true });
		for (const d of toDrop) await adminQuery(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`).catch(() => {});
	};
	cleanups.push(cleanup);
	if (engine === 'postgres') {
		toDrop.push(dbName);
		await adminQuery(`CREATE DATABASE ${dbName}`);
	}
	try {
		const database: Database = await openDatabase({
			databaseUrl: dbUrl,
			dataDir: dbUrl ? null : dataDir,
			lock: !dbUrl
		});
		let load: LoadReport;
		let engineVersion = '';
		let tableSizes: Record<string, string> = {};
		const result: Partial<RunResult> = { engine, size, errors };
		try {
			await database.migrate(join(ROOT, 'drizzle'));
			log(`generating and loading ${fmtSize(size)} initiatives`);
			load = await bulkLoad(database, {
				size,
				seed,
				csvPath: only.has('transfer') ? csvPath : undefined,
				csvRows: IMPORT_CAP,
				log
			});
			log(
				`  generated in ${(load.generateMs / 1000).toFixed(1)} s, loaded in ${(load.loadMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(load.vacuumMs / 1000).toFixed(1)} s`
			);
			const v = (await database.db.execute(sql`SELECT version() AS v`)) as unknown as { rows: { v: string }[] };
			engineVersion = v.rows[0]?.v ?? '';
			const ts = (await database.db.execute(
				sql`SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) AS s FROM pg_class WHERE relname IN ('initiative','initiative_country','initiative_objective','initiative_actor','initiative_search_idx') ORDER BY 1`
			)) as unknown as { rows: { relname: string; s: string }[] };
			tableSizes = Object.fromEntries(ts.rows.map((r) => [r.relname, r.s]));
			if (only.has('benchmarks')) {
				log(
					`scenario 9: loading assessments (${assessmentCountries.length} countries × ${BENCH_EDITIONS.length} editions × 3 perspectives × ${EXPERTS_PER_PANEL} experts)`
				);
				const report = await loadAssessments(database, { seed, countries: assessmentCountries, log });
				log(
					`  ${report.assessments} assessments loaded in ${((report.generateMs + report.loadMs) / 1000).toFixed(1)} s`
				);
				result.benchmarks = {
					load: {
						...report,
						countries: assessmentCountries.length,
						editions: BENCH_EDITIONS.length,
						experts: EXPERTS_PER_PANEL
					}
				};
				log('scenario 9: recomputing the scores of every published assessment');
				result.benchmarks.rescore = await measureRescore(database, quick ? 1 : 3);
			}
			if (only.has('registry')) {
				const raw = await openRaw(database, dbUrl);
				try {
					const reg = await runRegistryScenarios(database, raw, measureOpts, log);
					result.registry = reg;
					result.ratios = {
						search: ratio(reg.search.p50, reg.rawSearch.p50),
						facets: ratio(reg.facets.p50, reg.rawFacets.p50),
						fts: ratio(reg.fts.p50, reg.rawFts.p50),
						searchP95: ratio(reg.search.p95, reg.rawSearch.p95),
						facetsP95: ratio(reg.facets.p95, reg.rawFacets.p95),
						ftsP95: ratio(reg.fts.p95, reg.rawFts.p95)
					};
					if (!quick) result.explain = await explainSamples(raw);
				} finally {
					await raw.close();
				}
			}
		} finally {
			await database.close();
		}
		result.load = load!;
		result.engineVersion = engineVersion;
		result.tableSizes = tableSizes;

		const dbArgs = dbUrl ? ['--url', dbUrl] : ['--data-dir', dataDir];
		if (only.has('transfer')) {
			log(`scenario 7: CSV export of ${fmtSize(size)} rows (child process)`);
			const exp = await runChild(
				['export', '--out', join(tmp, `export-${fmtSize(size)}.csv`), ...dbArgs],
				quick ? 120_000 : 300_000
			);
			if (exp.result) result.export = exp.result;
			else if (exp.timedOut && exp.lastProgress) {
				const p = exp.lastProgress;
				result.export = {
					timedOut: true,
					rows: p['rows'] ?? 0,
					ms: p['ms'] ?? 0,
					rowsPerSec: Math.round(((p['rows'] ?? 0) / (p['ms'] ?? 1)) * 1000),
					note: 'killed at the timeout; rows/s up to then'
				};
			} else errors.push(`export failed: ${exp.stderr}`);
			rmSync(join(tmp, `export-${fmtSize(size)}.csv`), { force: true });

			const importRows = Math.min(size, IMPORT_CAP);
			log(`scenario 7: CSV import of ${fmtSize(importRows)} rows into an empty database (child process)`);
			let impArgs: string[];
			if (engine === 'postgres') {
				const impDb = `${dbName}_imp`;
				toDrop.push(impDb);
				await adminQuery(`CREATE DATABASE ${impDb}`);
				impArgs = ['--url', withDatabaseName(baseUrl, impDb)];
			} else {
				// An existing, migrated, empty data dir (as `gcm import` on an installed app): the
				// child's RSS is then the import's, not PGlite's initdb.
				const dir = join(tmp, `pglite-import-${fmtSize(size)}`);
				const empty = await openDatabase({ databaseUrl: null, dataDir: dir, lock: true });
				await empty.migrate(join(ROOT, 'drizzle'));
				await empty.close();
				impArgs = ['--data-dir', dir];
			}
			const imp = await runChild(['import', '--csv', csvPath, ...impArgs], 900_000);
			if (imp.result) result.import = imp.result;
			else errors.push(`import failed${imp.timedOut ? ' (timeout)' : ''}: ${imp.stderr}`);
			if (!args.keep) rmSync(join(tmp, `pglite-import-${fmtSize(size)}`), { recursive: true, force: true });
		}

		const serverEnv: Record<string, string> = dbUrl ? { DATABASE_URL: dbUrl } : { GCM_DATA_DIR: dataDir };
		if (only.has('http') || only.has('throughput')) {
			const server = await startServer(serverEnv);
			try {
				const b = server.base;
				// Many distinct URLs: the app caches facet counts per filter, so each measured request
				// is a first visit; the warm-up uses other URLs.
				const ACTIONS = ['meeting', 'project', 'policy_law', 'consultation', 'coordination'];
				const pageUrls = (countries: readonly string[], extra = '') =>
					countries.map((c, i) => `/initiatives?country=${c}&action_type=${ACTIONS[i % ACTIONS.length]}${extra}`);
				const pagePaths = pageUrls(COUNTRIES_BY_WEIGHT.slice(0, 120));
				const pageWarm = pageUrls(COUNTRIES_BY_WEIGHT.slice(0, 10), '&scope=national');
				const countryPaths = COUNTRIES_BY_WEIGHT.slice(0, 120).map((c) => `/countries/${c}`);
				const countryWarm = COUNTRIES_BY_WEIGHT.slice(200, 210).map((c) => `/countries/${c}`);
				// Pages are measured on a running server: once its facet index is built (until then, for a
				// second or two after a start or a write, public counts and pages come from SQL; the SQL-path
				// lines of scenarios 1-3 show what that costs).
				const indexMs = await server.indexReady();
				log(`  registry index ready ${indexMs} ms after the server started`);
				if (only.has('http')) {
					log('scenario 5: server-rendered pages');
					result.pages = {
						initiatives: await measurePage(b, pagePaths, pageWarm, '/initiatives?country=…&action_type=…', pageRuns),
						country: await measurePage(b, countryPaths, countryWarm, '/countries/[iso3]', pageRuns),
						home: await measurePage(b, ['/'], ['/'], '/', pageRuns)
					};
				}
				if (only.has('benchmarks') && result.benchmarks) {
					log('scenario 9: benchmark pages');
					const profiles = assessmentCountries.slice(0, 120).map((c) => `/benchmarks/${c}`);
					const warm = assessmentCountries.slice(-10).map((c) => `/benchmarks/${c}`);
					result.benchmarks.pages = {
						profile: await measurePage(b, profiles, warm, '/benchmarks/[iso3]', pageRuns),
						overview: await measurePage(b, ['/benchmarks'], ['/benchmarks'], '/benchmarks', pageRuns)
					};
				}
				if (only.has('throughput')) {
					log(`scenario 6: throughput, ${CONNECTIONS} connections × ${loadMs / 1000} s`);
					const apiPaths = filterCombos().map((p) => `/api/v1/initiatives?${p.toString()}`);
					result.throughput = {
						page: await loadTest(b, pagePaths, '/initiatives?country=…&action_type=…', CONNECTIONS, loadMs),
						api: await loadTest(b, apiPaths, '/api/v1/initiatives?<filters>', CONNECTIONS, loadMs)
					};
				}
			} finally {
				await server.stop();
			}
		}

		if (only.has('coldstart')) {
			log('scenario 8: cold start ×3');
			const runsMs: number[] = [];
			const readyLogMs: number[] = [];
			for (let i = 0; i < 3; i++) {
				const s = await startServer(serverEnv);
				runsMs.push(Math.round(s.firstOkMs));
				readyLogMs.push(Math.round(s.readyMs));
				await s.stop();
			}
			const sorted = [...runsMs].sort((a, b) => a - b);
			result.coldStart = { runsMs, readyLogMs, maxMs: sorted[2]!, medianMs: sorted[1]! };
		}
		result.loadAvg = { start: Math.round(loadAvgStart * 100) / 100, end: Math.round(os.loadavg()[0]! * 100) / 100 };
		return result as RunResult;
	} finally {
		if (!args.keep) {
			cleanups.splice(cleanups.indexOf(cleanup), 1);
			await cleanup();
		}
	}
}

interface RescoreResult {
	assessments: number;
	matching: number;
	/** Wall time of each full pass (read every input, recompute, compare), ms. */
	runsMs: number[];
	medianMs: number;
	assessmentsPerSec: number;
}

/** Scenario 9a: `verifyPublishedScores` (what `gcm benchmark verify-scores` runs), `runs` full passes. */
async function measureRescore(database: Database, runs: number): Promise<RescoreResult> {
	const runsMs: number[] = [];
	let checked = 0;
	let matching = 0;
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		const report = await verifyPublishedScores(database);
		runsMs.push(Math.round(performance.now() - t0));
		checked = report.checked;
		matching = report.matching;
	}
	const medianMs = [...runsMs].sort((a, b) => a - b)[Math.floor(runsMs.length / 2)]!;
	return {
		assessments: checked,
		matching,
		runsMs,
		medianMs,
		assessmentsPerSec: Math.round((checked / medianMs) * 1000)
	};
}

// ---- budgets --------------------------------------------------------------------------------

interface Budget {
	id: string;
	engine: 'pglite' | 'postgres' | 'any';
	size: number | null;
	sizeMetric?: string;
	metric: string;
	op: 'max' | 'min';
	limit: number;
	unit: string;
	label: string;
}
interface BudgetOutcome extends Budget {
	runEngine: Engine;
	runSize: number;
	measured: number | null;
	pass: boolean | null;
	indicative: boolean;
}

function pathGet(obj: unknown, path: string): number | null {
	let cur: unknown = obj;
	for (const k of path.split('.')) {
		if (cur === null || typeof cur !== 'object') return null;
		cur = (cur as Record<string, unknown>)[k];
	}
	return typeof cur === 'number' ? cur : null;
}

function evaluateBudgets(runs: RunResult[]): BudgetOutcome[] {
	const { budgets } = JSON.parse(readFileSync(join(ROOT, 'bench', 'budgets.json'), 'utf8')) as { budgets: Budget[] };
	const out: BudgetOutcome[] = [];
	for (const run of runs) {
		for (const b of budgets) {
			if (b.engine !== 'any' && b.engine !== run.engine) continue;
			// A budget defined per engine+size is only listed once per engine (at the nearest run).
			const measured = pathGet(run, b.metric);
			const effSize = b.sizeMetric ? (pathGet(run, b.sizeMetric) ?? run.size) : run.size;
			const indicative = b.size !== null && b.size !== effSize;
			if (
				b.engine !== 'any' &&
				indicative &&
				budgets.some((o) => o.id === b.id && o !== b && o.engine === run.engine && o.size === effSize)
			)
				continue;
			const pass = measured === null ? null : b.op === 'max' ? measured <= b.limit : measured >= b.limit;
			out.push({ ...b, runEngine: run.engine, runSize: run.size, measured, pass, indicative });
		}
	}
	return out;
}

// ---- output ---------------------------------------------------------------------------------

function pad(s: string, n: number, right = false) {
	return right ? s.padStart(n) : s.padEnd(n);
}
function row(cells: string[], widths: number[]) {
	return cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
}
const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(x < 10 ? 2 : 1));
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

/** The 3 slowest cases (by max) of a scenario, with their query strings, on one line. */
function slowestCases(scenario: string, s: LatencyStats, queries: readonly string[], lines: string[]) {
	if (!s.cases?.length) return;
	const top = [...s.cases].sort((a, b) => b.max - a.max).slice(0, 3);
	const text = top.map((c) => `${queries[c.case] ?? `#${c.case}`} p50 ${ms(c.p50)} max ${ms(c.max)}`);
	lines.push(`   slowest scenario ${scenario} cases: ${text.join('; ')}`);
}

/** Two table lines for a page: first visits (with its bytes), then repeat visits. */
function pageLines(scenario: string, p: PageResult, w: number[], lines: string[]) {
	const L = (name: string, s: PageResult['ttfb']) =>
		row([name, ms(s.p50), ms(s.p95), ms(s.max), String(s.runs), s.throughput.toFixed(1), ''], w);
	lines.push(
		L(`${scenario} ${p.path} TTFB (${p.urls} URLs)`, p.ttfb) +
			`   HTML ${kb(p.htmlBytes)} (gzip served: ${kb(p.htmlBytesGzipServed)}${p.htmlServedEncoding ? '' : ' — not compressed'}; would be ${kb(p.htmlBytesIfGzipped)}), CSS ${p.css.files}×${kb(p.css.bytes)}→${kb(p.css.bytesGzipServed)}, JS ${p.js.files}×${kb(p.js.bytes)}→${kb(p.js.bytesGzipServed)}; total ${kb(p.totalBytesUncompressed)} / served gzip ${kb(p.totalBytesGzipServed)}`
	);
	lines.push(L(`${scenario} ${p.path} TTFB, repeat visit`, p.ttfbRepeat));
}

function printRun(r: RunResult): string {
	const lines: string[] = [];
	lines.push(`\n## ${r.engine} — ${fmtSize(r.size)} initiatives  (${r.engineVersion.split(' on ')[0]})`);
	lines.push(
		`load: generate ${(r.load.generateMs / 1000).toFixed(1)} s, insert ${(r.load.loadMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(r.load.vacuumMs / 1000).toFixed(1)} s; sizes ${JSON.stringify(r.tableSizes)}; load avg ${r.loadAvg?.start ?? '?'} → ${r.loadAvg?.end ?? '?'}`
	);
	const w = [46, 9, 9, 9, 6, 10, 9];
	lines.push(row(['scenario', 'p50 ms', 'p95 ms', 'max ms', 'runs', 'ops/s', 'app/raw'], w));
	if (r.registry && r.ratios) {
		const g = r.registry;
		const L = (name: string, s: RegistryResults['search'], rt = '') =>
			lines.push(row([name, ms(s.p50), ms(s.p95), ms(s.max), String(s.runs), s.throughput.toFixed(1), rt], w));
		if (g.index) {
			lines.push(
				`   facet index: ${g.index.rows} rows, ${(g.index.bytes / 1024 / 1024).toFixed(1)} MB (${g.index.bytesPerRow} B/row), built in ${g.index.buildWallMs} ms`
			);
		}
		L('1 registry search, cache empty (index)', g.search, `${r.ratios.search}`);
		if (g.searchSql) L('1 … SQL path (no index)', g.searchSql);
		if (g.searchCached) L('1b registry search, facets from cache', g.searchCached);
		L('2 facet counts alone (index, uncached)', g.facets, `${r.ratios.facets}`);
		if (g.facetsSql) L('2 … SQL path (facetCounts)', g.facetsSql);
		L('3 full-text + filter, ranked, cache empty', g.fts, `${r.ratios.fts}`);
		if (g.ftsSql) L('3 … SQL path (no index)', g.ftsSql);
		if (g.ftsCached) L('3b full-text + filter, facets from cache', g.ftsCached);
		L('4 raw: items + facets (floor of 1)', g.rawSearch);
		L('4 raw: facets (floor of 2)', g.rawFacets);
		L('4 raw: fts items + facets (floor of 3)', g.rawFts);
		L('4 raw: items + count(*) only, no facets', g.rawPageAndCount);
		lines.push(
			`   schema: ${g.arrays ? 'array columns (0002)' : 'child-table joins'}; mean matched rows: filters ${g.meanTotal.filters}, fts ${g.meanTotal.fts}; app = raw results: ${g.equivalent.search && g.equivalent.facets && g.equivalent.fts ? 'yes' : `NO ${g.equivalent.mismatches.join('; ')}`}`
		);
		slowestCases('1', g.search, g.cases.filters, lines);
		slowestCases('3', g.fts, g.cases.fts, lines);
	}
	if (r.pages) for (const p of Object.values(r.pages)) pageLines('5', p, w, lines);
	if (r.throughput) {
		for (const t of Object.values(r.throughput)) {
			lines.push(
				row(
					[
						`6 ${t.path} ×${t.connections}`,
						ms(t.latency.p50),
						ms(t.latency.p95),
						ms(t.latency.max),
						String(t.requests),
						t.rps.toFixed(1),
						''
					],
					w
				) + `   errors ${t.errors}, non-2xx ${t.non2xx}, ${(t.durationMs / 1000).toFixed(1)} s`
			);
		}
	}
	if (r.import) {
		const i = r.import;
		lines.push(
			`7 import: ${i['rows']} rows in ${((i['ms'] as number) / 1000).toFixed(1)} s = ${i['rowsPerSec']} rows/s, peak RSS ${i['peakRssMB']} MB (file ${kb(i['fileBytes'] as number)})`
		);
	}
	if (r.export) {
		const e = r.export;
		lines.push(
			`7 export: ${e['rows']} rows in ${((e['ms'] as number) / 1000).toFixed(1)} s = ${e['rowsPerSec']} rows/s, peak RSS ${e['peakRssMB'] ?? '-'} MB${e['timedOut'] ? ' (TIMED OUT, partial)' : ''}`
		);
	}
	if (r.coldStart) {
		lines.push(
			`8 cold start to first 200: ${r.coldStart.runsMs.join(', ')} ms (ready log line at ${r.coldStart.readyLogMs.join(', ')} ms)`
		);
	}
	if (r.benchmarks) {
		const bl = r.benchmarks.load;
		lines.push(
			`9 assessments: ${bl.assessments} (${bl.countries} countries × ${bl.editions} editions × 3 perspectives, ${bl.experts} experts each; ${bl.answers} answers, ${bl.evidence} evidence, ${bl.ratings} ratings) loaded in ${((bl.generateMs + bl.loadMs) / 1000).toFixed(1)} s`
		);
		const rs = r.benchmarks.rescore;
		if (rs) {
			lines.push(
				`9 recompute all scores: ${rs.assessments} assessments in ${rs.runsMs.join(', ')} ms (median ${rs.medianMs} ms = ${rs.assessmentsPerSec} assessments/s); matching the stored scores: ${rs.matching} of ${rs.assessments}`
			);
		}
		for (const p of Object.values(r.benchmarks.pages ?? {})) pageLines('9', p, w, lines);
	}
	for (const e of r.errors) lines.push(`ERROR: ${e.slice(0, 500)}`);
	return lines.join('\n');
}

function printBudgets(outcomes: BudgetOutcome[]): string {
	const lines = ['\n## Budgets'];
	for (const o of outcomes) {
		const verdict = o.pass === null ? 'n/a ' : o.pass ? 'PASS' : 'FAIL';
		const val = o.measured === null ? '-' : o.unit === 'B' ? kb(o.measured) : `${o.measured} ${o.unit}`;
		const lim = o.unit === 'B' ? kb(o.limit) : `${o.limit} ${o.unit}`;
		lines.push(
			`${verdict}  ${o.runEngine} ${fmtSize(o.runSize)}  ${o.label}: ${val} (${o.op === 'max' ? '≤' : '≥'} ${lim})${o.indicative ? `  [indicative: budget defined at ${fmtSize(o.size ?? 0)}]` : ''}`
		);
	}
	return lines.join('\n');
}

// ---- main -----------------------------------------------------------------------------------

function versions() {
	const pkg = (p: string) => (JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { version: string }).version;
	let commit = '';
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
	} catch {
		/* not a git checkout */
	}
	return {
		app: pkg('package.json'),
		commit,
		node: process.version,
		pglite: pkg('node_modules/@electric-sql/pglite/package.json'),
		drizzle: pkg('node_modules/drizzle-orm/package.json'),
		pg: pkg('node_modules/pg/package.json'),
		svelteKit: pkg('node_modules/@sveltejs/kit/package.json')
	};
}

async function main() {
	const started = Date.now();
	const versionsAtStart = versions(); // the code measured in-process is the code at start
	const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
	const tmp = mkdtempSync(join(os.tmpdir(), 'gcm-bench-'));
	cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
	if ((only.has('http') || only.has('throughput') || only.has('coldstart')) && !buildIsCurrent(ROOT)) {
		log('building the web app (build/ missing or older than the sources)');
		buildApp(ROOT, log);
	}
	const runs: RunResult[] = [];
	process.stdout.write(`# GCM Observatory benchmark — ${quick ? 'quick' : 'full'} — ${new Date().toISOString()}\n`);
	process.stdout.write(
		`machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, seed ${seed}\n`
	);
	try {
		for (const p of plans()) {
			const r = await runOne(p.engine, p.size, tmp, stamp);
			runs.push(r);
			process.stdout.write(printRun(r) + '\n');
		}
	} finally {
		if (!args.keep) rmSync(tmp, { recursive: true, force: true });
		else log(`kept ${tmp}`);
	}
	const budgets = evaluateBudgets(runs);
	const budgetText = printBudgets(budgets);
	process.stdout.write(budgetText + '\n');
	const out = {
		mode: quick ? 'quick' : 'full',
		startedAt: new Date(started).toISOString(),
		durationS: Math.round((Date.now() - started) / 1000),
		machine: {
			cores: os.availableParallelism(),
			cpu: os.cpus()[0]?.model ?? null,
			memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
			platform: `${os.platform()} ${os.release()}`
		},
		versions: versionsAtStart,
		seed,
		options: {
			measure: measureOpts,
			pages: pageRuns,
			throughputMs: loadMs,
			connections: CONNECTIONS,
			importCap: IMPORT_CAP
		},
		runs,
		budgets
	};
	mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
	const file = join(ROOT, 'bench', 'results', `${stamp}-${out.mode}.json`);
	writeFileSync(file, JSON.stringify(out, null, '\t'));
	log(`results: ${file} (${out.durationS} s)`);
	const failed = budgets.filter((b) => b.pass === false && !b.indicative);
	if (args['enforce-budgets'] && failed.length > 0) {
		log(`${failed.length} budget(s) failed (--enforce-budgets)`);
		process.exitCode = 1;
	}
}

await main();
