/**
 * PGlite peak RSS against its memory settings (issue #4, budget: import and export of 100k rows
 * ≤ 512 MB; `default` is PGlite's own, 128 MB shared buffers). For each `shared_buffers` value, one child process (bench/memory-child.ts) per step:
 *   baseline  open + migrate an existing empty data dir, one query
 *   export    CSV export of every row of DATASET (the file of the first setting is the import's input)
 *   import    CSV import of that file into a fresh, migrated, empty data dir
 *   registry  scenarios 1–4 (bench/lib/registry-scenarios.ts) on DATASET, quick run counts
 *
 *   npx tsx bench/make-dataset.ts --dir /tmp/gcm-100k --size 100k     # once
 *   npx tsx bench/memory-pglite.ts --dataset /tmp/gcm-100k [--settings default,32MB,16MB]
 *                                  [--steps baseline,export,import,registry] [--heap bulk|default]
 *                                  [--json FILE]
 *
 * `--heap` (default `bulk`, as `gcm import` / `gcm export`): the V8 heap setting of the import and
 * export steps, see bench/memory-child.ts.
 *
 * DATASET is opened (PGlite may checkpoint it) but not changed. Prints one JSON line per step and a
 * summary table; --json writes every result with the load average and the machine's core count.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: {
		dataset: { type: 'string' },
		settings: { type: 'string', default: 'default,32MB,16MB' },
		steps: { type: 'string', default: 'baseline,export,import,registry' },
		heap: { type: 'string', default: 'bulk' },
		json: { type: 'string' }
	}
});
if (!args.dataset)
	throw new Error('--dataset DIR (an existing PGlite data dir, e.g. from make-dataset.ts) is required');
const dataset = resolve(args.dataset);
const settings = args.settings!.split(',');
for (const s of settings) if (s !== 'default' && !/^\d+(kB|MB|GB)$/.test(s)) throw new Error(`bad setting ${s}`);
const steps = new Set(args.steps!.split(','));
for (const s of steps)
	if (!['baseline', 'export', 'import', 'registry'].includes(s)) throw new Error(`unknown step ${s}`);
if (steps.has('import') && !steps.has('export')) throw new Error('import reads the file export writes');

type Result = Record<string, unknown> & { peakRssMB?: number; rowsPerSec?: number };

function child(argv: string[]): Promise<Result> {
	return new Promise((res, rej) => {
		const p = spawn(
			process.execPath,
			[join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'bench', 'memory-child.ts'), ...argv],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let out = '';
		let err = '';
		p.stdout.on('data', (d: Buffer) => (out += d.toString()));
		p.stderr.on('data', (d: Buffer) => (err += d.toString()));
		p.on('close', (code) => {
			const line = out.trim().split('\n').at(-1) ?? '';
			if (code !== 0 || !line.startsWith('{')) rej(new Error(`memory-child ${argv[0]} failed (${code}): ${err}`));
			else res(JSON.parse(line) as Result);
		});
	});
}

const tmp = mkdtempSync(join(tmpdir(), 'gcm-memory-'));
const csv = join(tmp, 'export.csv');
const results: Result[] = [];
const r1 = (x: number) => Math.round(x * 100) / 100;
try {
	const emptyDir = join(tmp, 'empty');
	if (steps.has('baseline')) await child(['baseline', '--data-dir', emptyDir]); // initdb + migrate, not measured
	for (const setting of settings) {
		const tuning = ['--shared-buffers', setting, '--heap', args.heap!];
		const run = async (step: string, argv: string[]) => {
			const loadBefore = r1(loadavg()[0]!);
			const r = await child([...argv, ...tuning]);
			const row = { setting, step, loadBefore, ...r };
			results.push(row);
			console.log(JSON.stringify(row));
		};
		if (steps.has('baseline')) await run('baseline', ['baseline', '--data-dir', emptyDir]);
		if (steps.has('export')) await run('export', ['export', '--data-dir', dataset, '--out', csv]);
		if (steps.has('import')) {
			const dir = join(tmp, `import-${setting}`);
			await child(['baseline', '--data-dir', dir]); // a migrated, empty data dir, as `gcm import` finds it
			await run('import', ['import', '--data-dir', dir, '--csv', csv]);
			rmSync(dir, { recursive: true, force: true });
		}
		if (steps.has('registry')) await run('registry', ['registry', '--data-dir', dataset]);
	}
} finally {
	rmSync(tmp, { recursive: true, force: true });
}

console.log('\nsetting  step      peak RSS MB  rows/s   (load average before)');
for (const r of results) {
	const reg = r.registry as Record<string, { p50: number; p95: number }> | undefined;
	const extra = reg
		? `search ${reg.search!.p50}/${reg.search!.p95} facets ${reg.facetsSql!.p50}/${reg.facetsSql!.p95} fts ${reg.fts!.p50}/${reg.fts!.p95} ms (p50/p95)`
		: `${r.rowsPerSec ?? ''}`;
	console.log(
		`${String(r.setting).padEnd(8)} ${String(r.step).padEnd(9)} ${String(r.peakRssMB).padStart(11)}  ${extra}  (${r.loadBefore})`
	);
}
if (args.json) {
	writeFileSync(
		args.json,
		JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, node: process.version, results }, null, 2)
	);
}
