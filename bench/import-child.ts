/**
 * Scenario 7 in its own process, so peak RSS is the import's (or export's) own:
 *   tsx bench/import-child.ts import --csv FILE (--data-dir DIR | --url URL)
 *   tsx bench/import-child.ts export --out FILE (--data-dir DIR | --url URL)
 * Prints one JSON line on stdout; progress lines (export) on stderr.
 *
 * Set up as `gcm import` / `gcm export` are (cli/main.ts, withDatabase with `bulk`): PGlite with
 * BULK_PGLITE_TUNING and the bulk V8 heap setting (cli/bulk-heap.ts), the file read with `fileChunks`.
 * The process differs from the command only in running the TypeScript through tsx instead of the
 * dist/gcm.mjs bundle (tsx's loader and transpiled modules add some RSS: bench/README.md).
 */
import { createWriteStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseInitiativeQuery } from '../src/lib/core/registry/query';
import { BULK_HEAP_GROWING_PERCENT, useBulkHeap } from '../cli/bulk-heap';
import { BULK_PGLITE_TUNING, openDatabase } from '../src/lib/server/db/client';
import { countInitiatives } from '../src/lib/server/db/initiative.repository';
import { fileChunks } from '../src/lib/server/io/csv';
import { createServices } from '../src/lib/server/runtime';
import { ensureDefaultMethodology } from '../src/lib/server/services/methodology.service';
import { PUBLIC_API, SYSTEM_CLI } from '../src/lib/server/services/viewer';

const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: {
		csv: { type: 'string' },
		out: { type: 'string' },
		'data-dir': { type: 'string' },
		url: { type: 'string' }
	}
});
const mode = positionals[0];
const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
const rssMB = () => Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;

if (!values.url) useBulkHeap(); // as cli/main.ts: on PGlite only
const database = await openDatabase({
	databaseUrl: values.url ?? null,
	dataDir: values['data-dir'] ?? null,
	lock: Boolean(values['data-dir']),
	pgliteTuning: BULK_PGLITE_TUNING
});
try {
	await database.migrate(resolve(import.meta.dirname, '..', 'drizzle'));
	await ensureDefaultMethodology(database);
	const services = createServices(database);
	// What the run was set up with, next to its numbers (the same as the commands').
	const setup = {
		heapGrowingPercent: values.url ? null : BULK_HEAP_GROWING_PERCENT,
		sharedBuffers: database.pglite
			? (await database.pglite.query<{ s: string }>(`SELECT current_setting('shared_buffers') AS s`)).rows[0]?.s
			: null
	};
	const rssBefore = rssMB();
	const maxRssBefore = mb(process.resourceUsage().maxRSS);
	if (mode === 'import') {
		const t0 = performance.now();
		// As `gcm import` does: the file is read in chunks while it is validated and written.
		const fileBytes = statSync(values.csv!).size;
		const report = await services.transfer.importInitiatives(SYSTEM_CLI, fileChunks(values.csv!), 'published');
		const ms = performance.now() - t0;
		console.log(
			JSON.stringify({
				mode,
				...setup,
				rows: report.rows,
				created: report.created,
				fileBytes,
				ms: Math.round(ms),
				rowsPerSec: Math.round(report.rows / (ms / 1000)),
				rssBeforeMB: rssBefore,
				maxRssBeforeMB: maxRssBefore,
				peakRssMB: mb(process.resourceUsage().maxRSS)
			})
		);
	} else if (mode === 'export') {
		const expected = await countInitiatives(database.db, 'published');
		const out = createWriteStream(values.out!);
		const params = new URLSearchParams();
		const query = parseInitiativeQuery(params, { strict: true });
		const t0 = performance.now();
		let bytes = 0;
		let rows = -1; // the header line
		let lastReport = t0;
		for await (const chunk of services.transfer.exportInitiativesCsv(PUBLIC_API, query)) {
			bytes += Buffer.byteLength(chunk);
			for (let i = chunk.indexOf('\r\n'); i >= 0; i = chunk.indexOf('\r\n', i + 2)) rows++;
			if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
			if (performance.now() - lastReport > 2000) {
				lastReport = performance.now();
				console.error(JSON.stringify({ progress: true, rows, ms: Math.round(lastReport - t0) }));
			}
		}
		await new Promise<void>((r) => out.end(() => r()));
		const ms = performance.now() - t0;
		console.log(
			JSON.stringify({
				mode,
				...setup,
				rows,
				expected,
				bytes,
				ms: Math.round(ms),
				rowsPerSec: Math.round(rows / (ms / 1000)),
				rssBeforeMB: rssBefore,
				maxRssBeforeMB: maxRssBefore,
				peakRssMB: mb(process.resourceUsage().maxRSS)
			})
		);
	} else {
		throw new Error(`unknown mode ${mode}`);
	}
} finally {
	await database.close();
}
