/**
 * PGlite memory probe, one operation per process so peak RSS (`process.resourceUsage().maxRSS`)
 * is that operation's own, as in bench/import-child.ts but with the PGlite tuning as arguments:
 *
 *   tsx bench/memory-child.ts MODE --data-dir DIR [--shared-buffers 32MB|default]
 *                             [--heap bulk|default] [--csv FILE] [--out FILE]
 *
 * `default` is PGlite's own shared_buffers (128 MB). `--heap bulk` (the default) gives import and
 * export the V8 heap setting `gcm import` / `gcm export` use (cli/bulk-heap.ts); `default` is V8's own.
 * MODE: baseline (open + migrate + one query), import (--csv), export (--out),
 * registry (scenarios 1–4 of bench/lib/registry-scenarios.ts, quick run counts).
 * Prints one JSON line on stdout: RSS at each step, peak RSS, the WebAssembly memory size and
 * `shared_buffers` as PostgreSQL reports it.
 */
import { createWriteStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { useBulkHeap } from '../cli/bulk-heap';
import { parseInitiativeQuery } from '../src/lib/core/registry/query';
import { openDatabase, type PgliteTuning } from '../src/lib/server/db/client';
import { fileChunks } from '../src/lib/server/io/csv';
import { createServices } from '../src/lib/server/runtime';
import { PUBLIC_API, SYSTEM_CLI } from '../src/lib/server/services/viewer';
import { openRaw, runRegistryScenarios } from './lib/registry-scenarios';

const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: {
		'data-dir': { type: 'string' },
		'shared-buffers': { type: 'string', default: 'default' },
		heap: { type: 'string', default: 'bulk' },
		csv: { type: 'string' },
		out: { type: 'string' }
	}
});
const mode = positionals[0];
if (!['baseline', 'import', 'export', 'registry'].includes(mode ?? '')) throw new Error(`unknown mode ${mode}`);
if (!values['data-dir']) throw new Error('--data-dir DIR is required');
if (mode === 'import' && !values.csv) throw new Error('import needs --csv FILE');
if (mode === 'export' && !values.out) throw new Error('export needs --out FILE');
if (!['bulk', 'default'].includes(values.heap!)) throw new Error(`bad --heap ${values.heap}`);
if (values.heap === 'bulk' && (mode === 'import' || mode === 'export')) useBulkHeap();

const tuning: PgliteTuning = {
	sharedBuffers: values['shared-buffers'] === 'default' ? null : values['shared-buffers']!,
	// A one-off import or export, as `gcm import` / `gcm export` open it.
	exclusive: true
};

const MB = 1024 * 1024;
const r1 = (x: number) => Math.round(x * 10) / 10;
const rssMB = () => r1(process.memoryUsage().rss / MB);
const peakMB = () => r1(process.resourceUsage().maxRSS / 1024);
/** The size of PGlite's WebAssembly memory (it only grows). */
const wasmMB = (p: PGlite | null) => {
	const mod = (p as unknown as { mod?: { HEAPU8?: Uint8Array } } | null)?.mod;
	return mod?.HEAPU8 ? r1(mod.HEAPU8.byteLength / MB) : null;
};

const steps: Record<string, number | null> = { startRss: rssMB() };
/** Sampled every 100 ms: the largest RSS seen and what the process held at that moment. */
let atPeak: Record<string, number | null> = { rss: 0 };
let sampledPglite: PGlite | null = null;
const sampler = setInterval(() => {
	const m = process.memoryUsage();
	if (m.rss / MB > (atPeak.rss ?? 0))
		atPeak = {
			rss: r1(m.rss / MB),
			heapTotal: r1(m.heapTotal / MB),
			heapUsed: r1(m.heapUsed / MB),
			external: r1(m.external / MB),
			arrayBuffers: r1(m.arrayBuffers / MB),
			wasm: wasmMB(sampledPglite)
		};
}, 100);
sampler.unref();
const database = await openDatabase({
	databaseUrl: null,
	dataDir: resolve(values['data-dir']),
	lock: true,
	pgliteTuning: tuning
});
const result: Record<string, unknown> = { mode, tuning, heap: values.heap };
try {
	sampledPglite = database.pglite;
	steps.openRss = rssMB();
	steps.openWasm = wasmMB(database.pglite);
	await database.migrate(resolve(import.meta.dirname, '..', 'drizzle'));
	const sb = await database.pglite!.query<{ shared_buffers: string }>('SHOW shared_buffers');
	result.sharedBuffers = sb.rows[0]?.shared_buffers;
	steps.migratedRss = rssMB();
	steps.migratedPeak = peakMB();
	steps.migratedWasm = wasmMB(database.pglite);
	const services = createServices(database);
	if (mode === 'baseline') {
		const c = await database.pglite!.query<{ n: number }>('SELECT count(*)::int AS n FROM initiative');
		result.rows = c.rows[0]?.n;
	} else if (mode === 'import') {
		const t0 = performance.now();
		const report = await services.transfer.importInitiatives(SYSTEM_CLI, fileChunks(values.csv!), 'published');
		const ms = performance.now() - t0;
		Object.assign(result, {
			rows: report.rows,
			fileBytes: statSync(values.csv!).size,
			ms: Math.round(ms),
			rowsPerSec: Math.round(report.rows / (ms / 1000))
		});
	} else if (mode === 'export') {
		const out = createWriteStream(values.out!);
		const query = parseInitiativeQuery(new URLSearchParams(), { strict: true });
		const t0 = performance.now();
		let rows = -1; // the header line
		for await (const chunk of services.transfer.exportInitiativesCsv(PUBLIC_API, query)) {
			for (let i = chunk.indexOf('\r\n'); i >= 0; i = chunk.indexOf('\r\n', i + 2)) rows++;
			if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
		}
		await new Promise<void>((r) => out.end(() => r()));
		const ms = performance.now() - t0;
		Object.assign(result, { rows, ms: Math.round(ms), rowsPerSec: Math.round(rows / (ms / 1000)) });
	} else {
		const raw = await openRaw(database, null);
		const reg = await runRegistryScenarios(database, raw, { warmup: 24, runs: 120, maxMs: 6_000, minRuns: 20 }, (m) =>
			console.error(m)
		);
		const pick = (s: { p50: number; p95: number; runs: number }) => ({ p50: s.p50, p95: s.p95, runs: s.runs });
		result.registry = {
			search: pick(reg.search),
			facetsSql: pick(reg.facetsSql),
			fts: pick(reg.fts),
			searchSql: pick(reg.searchSql),
			ftsSql: pick(reg.ftsSql),
			rawSearch: pick(reg.rawSearch),
			rawFacets: pick(reg.rawFacets),
			rawFts: pick(reg.rawFts),
			equivalent: reg.equivalent.search && reg.equivalent.facets && reg.equivalent.fts
		};
	}
	steps.endRss = rssMB();
	steps.endWasm = wasmMB(database.pglite);
} finally {
	await database.close();
}
const [load1] = (await import('node:os')).loadavg();
clearInterval(sampler);
console.log(JSON.stringify({ ...result, steps, atPeak, peakRssMB: peakMB(), load1: r1(load1 ?? 0) }));
