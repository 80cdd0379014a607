/**
 * Scenario 5 (server-rendered pages) on its own, against a kept data dir, so the page rendering can
 * be measured before and after a change without reloading 100k rows:
 *
 *   npx tsx bench/make-dataset.ts --dir /tmp/gcm-100k --size 100k     # once
 *   npx tsx bench/pages.ts --data-dir /tmp/gcm-100k [--root DIR] [--runs 60] [--only home,initiatives,country]
 *
 * Starts `node bin/gcm.js serve` from --root (default: this checkout; its build/ must be current),
 * then measures the same URLs as `npm run bench` (first visits, then repeat visits) and prints
 * TTFB p50 / p95 / max, bytes (HTML + CSS + JS as served with gzip) and the server's CPU time per
 * request (user + system, from /proc, so it stays comparable when other work loads the machine and
 * wall-clock latencies do not). `--cpu-prof DIR` writes a V8 CPU profile of the server to DIR.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COUNTRIES_BY_WEIGHT } from './lib/generate';
import { measurePage, type PageResult } from './lib/http';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: {
		'data-dir': { type: 'string' },
		root: { type: 'string' },
		runs: { type: 'string', default: '60' },
		only: { type: 'string', default: 'home,initiatives,country' },
		'cpu-prof': { type: 'string' }
	}
});
if (!args['data-dir']) throw new Error('--data-dir DIR is required (see bench/make-dataset.ts)');
const root = resolve(args.root ?? ROOT);
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 10) throw new Error('--runs must be an integer ≥ 10');
const only = new Set((args.only ?? '').split(','));

/** CPU time (user + system) of a process in ms, from /proc/PID/stat (Linux; NaN elsewhere). */
function cpuMs(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// Fields 14 and 15 (utime, stime) in clock ticks; the slice starts at field 3.
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
	} catch {
		return NaN;
	}
}

function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const s = createServer();
		s.once('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const a = s.address();
			s.close(() => res(typeof a === 'object' && a ? a.port : 0));
		});
	});
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'])}`] : [];
const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin', 'gcm.js'), 'serve'], {
	cwd: root,
	env: {
		...process.env,
		GCM_DATA_DIR: resolve(args['data-dir']),
		GCM_SEED: 'false',
		LOG_LEVEL: 'info',
		PORT: String(port),
		HOST: '127.0.0.1'
	},
	stdio: ['ignore', 'pipe', 'inherit']
});
const exited = new Promise<void>((r) => child.once('exit', () => r()));
// Pages are measured once the server's facet index is built (until then public counts come from SQL).
const indexReady = new Promise<void>((resolveReady) => {
	let seen = '';
	child.stdout!.on('data', (d: Buffer) => {
		seen = (seen + d.toString()).slice(-4000);
		if (seen.includes('registry index ready')) resolveReady();
	});
});
try {
	const t0 = performance.now();
	for (;;) {
		if (child.exitCode !== null) throw new Error('the server exited early');
		if (performance.now() - t0 > 120_000) throw new Error('the server was not ready after 120 s');
		const ok = await fetch(`${base}/api/v1/initiatives?limit=1`).then(
			(r) => r.arrayBuffer().then(() => r.ok),
			() => false
		);
		if (ok) break;
		await new Promise((r) => setTimeout(r, 20));
	}
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		indexReady,
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error('the registry index was not ready after 300 s')), 300_000);
		})
	]).finally(() => clearTimeout(timer));
	console.log(`registry index ready after ${Math.round(performance.now() - t0)} ms`);
	const load0 = os.loadavg()[0]!;
	const opts = { warmup: 10, runs, maxMs: 30_000, minRuns: 20 };
	const ACTIONS = ['meeting', 'project', 'policy_law', 'consultation', 'coordination'];
	const pageUrls = (countries: readonly string[], extra = '') =>
		countries.map((c, i) => `/initiatives?country=${c}&action_type=${ACTIONS[i % ACTIONS.length]}${extra}`);
	const results: (PageResult & { cpuMsPerRequest: number })[] = [];
	const measured = async (run: () => Promise<PageResult>) => {
		const before = cpuMs(child.pid!);
		const r = await run();
		// Warm-up, first and repeat visits and the byte probes all count: divide by every request.
		const requests = opts.warmup + r.ttfb.runs + r.ttfbRepeat.runs + 2 + 2 * (r.css.files + r.js.files);
		results.push({ ...r, cpuMsPerRequest: (cpuMs(child.pid!) - before) / requests });
	};
	if (only.has('initiatives'))
		await measured(() =>
			measurePage(
				base,
				pageUrls(COUNTRIES_BY_WEIGHT.slice(0, 120)),
				pageUrls(COUNTRIES_BY_WEIGHT.slice(0, 10), '&scope=national'),
				'/initiatives?country=…&action_type=…',
				opts
			)
		);
	if (only.has('country'))
		await measured(() =>
			measurePage(
				base,
				COUNTRIES_BY_WEIGHT.slice(0, 120).map((c) => `/countries/${c}`),
				COUNTRIES_BY_WEIGHT.slice(200, 210).map((c) => `/countries/${c}`),
				'/countries/[iso3]',
				opts
			)
		);
	if (only.has('home')) await measured(() => measurePage(base, ['/'], ['/'], '/', opts));
	const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
	const ms = (s: { p50: number; p95: number; max: number; runs: number }) =>
		`${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.max.toFixed(1)} (${s.runs})`;
	console.log(`load average ${load0.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}; ${root}`);
	for (const p of results) {
		console.log(
			`${p.path.padEnd(40)} TTFB first ${ms(p.ttfb)} · repeat ${ms(p.ttfbRepeat)} · HTML ${kb(p.htmlBytes)} → ${kb(p.htmlBytesGzipServed)} gzip; CSS ${p.css.files}×${kb(p.css.bytesGzipServed)}, JS ${p.js.files}×${kb(p.js.bytesGzipServed)}; total served ${kb(p.totalBytesGzipServed)}; server CPU ${p.cpuMsPerRequest.toFixed(1)} ms/request`
		);
	}
} finally {
	child.kill('SIGTERM');
	await exited;
}
