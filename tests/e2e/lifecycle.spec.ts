/**
 * Process behaviour of the `gcm` command: one process per data directory (exclusive lock),
 * clean shutdown on SIGTERM, data persisted across processes, all-or-nothing imports, help.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, freePort, gcmEnv, runGcm, startServer, type RunResult, type RunningServer } from './server';

const IN_USE = 'is in use by another GCM Observatory process';

let server: RunningServer;
let dataDir: string;
/** Initiatives in Chile according to the API, read while the server was running. */
let chileTotal = -1;

function show(r: RunResult): string {
	return `exit ${r.code} (signal ${r.signal}${r.timedOut ? ', timed out' : ''})\n--- stdout ---\n${r.stdout.slice(0, 3000)}\n--- stderr ---\n${r.stderr.slice(0, 3000)}`;
}

function csvRows(text: string): string[][] {
	return parseCsv(text, { bom: true }) as string[][];
}

beforeAll(async () => {
	server = await startServer();
	dataDir = server.dataDir;
});

afterAll(async () => {
	await server?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('gcm serve and the data directory lock', () => {
	it('a second `gcm serve` on the same data directory refuses to start', async () => {
		const res = await fetch(`${server.url}/api/v1/initiatives?country=CHL&limit=1`);
		expect(res.status).toBe(200);
		chileTotal = ((await res.json()) as { total: number }).total;
		expect(chileTotal).toBeGreaterThan(0);

		ensureBuilt(); // so that a stale build cannot be the reason it refuses
		const second = await runGcm(['serve'], gcmEnv(dataDir, { PORT: String(await freePort()) }), 60_000);
		expect(second.timedOut, show(second)).toBe(false);
		expect(second.code, show(second)).not.toBe(0);
		expect(second.stdout + second.stderr, show(second)).toContain(IN_USE);

		// The first server is unaffected.
		const again = await fetch(`${server.url}/api/v1/initiatives?limit=1`);
		expect(again.status).toBe(200);
	});

	it('`gcm export` on a data directory in use refuses too', async () => {
		const r = await runGcm(['export'], gcmEnv(dataDir), 60_000);
		expect(r.timedOut, show(r)).toBe(false);
		expect(r.code, show(r)).not.toBe(0);
		expect(r.stderr, show(r)).toContain(IN_USE);
		expect(r.stdout, show(r)).not.toMatch(/^key,/);
	});

	it('SIGTERM stops the server cleanly (exit 0) within 15 s', async () => {
		const started = Date.now();
		const code = await server.stop();
		const took = Date.now() - started;
		expect(code, server.output()).toBe(0);
		expect(took).toBeLessThan(15_000);
		expect(server.output()).toMatch(/stopped cleanly/);
	});

	it('after shutdown the lock is released and the data persisted: `gcm export --filter country=CHL`', async () => {
		const r = await runGcm(['export', '--filter', 'country=CHL'], gcmEnv(dataDir), 60_000);
		expect(r.code, show(r)).toBe(0);
		expect(r.stdout.replace(/^\uFEFF/, '').startsWith('key,title,description'), show(r)).toBe(true);
		const rows = csvRows(r.stdout);
		expect(rows.length - 1).toBe(chileTotal);
		const countries = rows[0]!.indexOf('countries');
		for (const row of rows.slice(1)) expect(row[countries]!.split(';')).toContain('CHL');
	});
});

describe('gcm import', () => {
	it('rejects a file with an unknown country code on row 3 and writes nothing', async () => {
		const before = await runGcm(['export'], gcmEnv(dataDir), 60_000);
		expect(before.code, show(before)).toBe(0);
		const all = csvRows(before.stdout);
		const header = all[0]!;
		const initialCount = all.length - 1;
		expect(initialCount).toBe(105);

		// Three single-line records (so that file line == row number), under new keys.
		const col = (name: string) => header.indexOf(name);
		const sample = all
			.slice(1)
			.filter((r) => r.every((v) => !/[\r\n]/.test(v)))
			.slice(0, 3)
			.map((r, i) => {
				const copy = [...r];
				copy[col('key')] = `e2e-lifecycle-${i + 1}`;
				copy[col('title')] = `E2E lifecycle record ${i + 1}`;
				return copy;
			});
		expect(sample.length).toBe(3);

		// Control: the same three rows with valid countries pass validation.
		const good = join(dataDir, '..', `gcm-e2e-good-${process.pid}.csv`);
		writeFileSync(good, stringifyCsv([header, ...sample]));
		const dry = await runGcm(['import', good, '--dry-run'], gcmEnv(dataDir), 60_000);
		rmSync(good, { force: true });
		expect(dry.code, show(dry)).toBe(0);
		expect(dry.stdout, show(dry)).toMatch(/Valid: 3 initiatives/);

		// Row 3 of the file (header = row 1) is the second record.
		sample[1]![col('countries')] = 'XXX';
		const bad = join(dataDir, '..', `gcm-e2e-bad-${process.pid}.csv`);
		writeFileSync(bad, stringifyCsv([header, ...sample]));
		const r = await runGcm(['import', bad], gcmEnv(dataDir), 60_000);
		rmSync(bad, { force: true });
		expect(r.code, show(r)).not.toBe(0);
		expect(r.stderr, show(r)).toContain('row 3');
		expect(r.stderr, show(r)).toContain('countries');
		expect(r.stderr, show(r)).not.toMatch(/row [24]\b/);

		const after = await runGcm(['export'], gcmEnv(dataDir), 60_000);
		expect(after.code, show(after)).toBe(0);
		const afterRows = csvRows(after.stdout);
		expect(afterRows.length - 1).toBe(initialCount);
		expect(after.stdout).not.toContain('e2e-lifecycle-');
	});
});

describe('help', () => {
	it('`gcm --help` lists the commands and the configuration', async () => {
		const r = await runGcm(['--help'], { ...process.env }, 30_000);
		expect(r.code, show(r)).toBe(0);
		for (const word of ['serve', 'migrate', 'seed', 'import', 'export', 'GCM_DATA_DIR', 'DATABASE_URL']) {
			expect(r.stdout, show(r)).toContain(word);
		}
	});

	it('`gcm import --help` lists its options', async () => {
		const r = await runGcm(['import', '--help'], { ...process.env }, 30_000);
		expect(r.code, show(r)).toBe(0);
		for (const word of ['<file>', '--type', 'initiatives', 'practices', '--as-draft', '--dry-run']) {
			expect(r.stdout, show(r)).toContain(word);
		}
	});
});
