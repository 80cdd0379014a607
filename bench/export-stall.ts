/**
 * What a CSV export on embedded PGlite costs the server's other requests. PGlite runs on the main
 * thread and has one session: while one of its statements runs, no other query (and no other
 * JavaScript) does. Compares, on one data dir, in one run:
 *   - whole: the export as one statement through a WITH HOLD cursor (materialised when declared):
 *     what a command with the database to itself does, and what the server did before,
 *   - paged: what the server does (the ordered ids first, then one statement per page of ids),
 * while a probe asks `SELECT 1` every 20 ms, as a registry request would: it reports the export's
 * rows/s, the probe's latency (p50 / p99 / max: how long a request waits for the database) and
 * the event loop's longest delay.
 *
 *   npx tsx bench/make-dataset.ts --dir /tmp/gcm-100k --size 100k
 *   npx tsx bench/export-stall.ts --data-dir /tmp/gcm-100k [--runs 2] [--page 1000]
 */
import { parseArgs } from 'node:util';
import { parseInitiativeQuery } from '../src/lib/core/registry/query';
import { openDatabase } from '../src/lib/server/db/client';
import { iterateInitiativeCsv } from '../src/lib/server/db/initiative-export.repository';

const { values: args } = parseArgs({
	options: {
		'data-dir': { type: 'string' },
		runs: { type: 'string', default: '2' },
		page: { type: 'string' }
	}
});
if (!args['data-dir']) throw new Error('--data-dir DIR is required (see bench/make-dataset.ts)');

const database = await openDatabase({ databaseUrl: null, dataDir: args['data-dir'], lock: true });
const lite = database.pglite!;
const query = { ...parseInitiativeQuery(new URLSearchParams(), { strict: true }), limit: 1_000_000 };
const total =
	(await lite.query<{ n: number }>(`SELECT count(*)::int AS n FROM initiative WHERE status = 'published'`)).rows[0]
		?.n ?? 0;
const page = args.page === undefined ? undefined : Number(args.page);

const quantile = (sorted: number[], q: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function measure(name: string, gen: () => AsyncGenerator<string>) {
	// The probe asks at fixed 20 ms ticks; its wait is from the tick it was due at to its answer
	// (a blocked main thread delays the tick itself, which a wait measured from the call misses).
	const waits: number[] = [];
	let running = true;
	const probe = (async () => {
		let due = performance.now();
		while (running) {
			await lite.query('SELECT 1');
			const now = performance.now();
			waits.push(now - due);
			due = Math.max(due + 20, now);
			await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
		}
	})();
	// The longest gap between two 1 ms ticks of the event loop.
	let gapMax = 0;
	let last = performance.now();
	const ticker = setInterval(() => {
		const now = performance.now();
		gapMax = Math.max(gapMax, now - last);
		last = now;
	}, 1);
	const t0 = performance.now();
	let bytes = 0;
	for await (const chunk of gen()) {
		bytes += chunk.length;
		// Hand the event loop over between pages, as a streamed HTTP response does.
		await new Promise((r) => setImmediate(r));
	}
	const seconds = (performance.now() - t0) / 1000;
	clearInterval(ticker);
	running = false;
	await probe;
	waits.sort((a, b) => a - b);
	const ms = (v: number) => Math.round(v * 10) / 10;
	const lines = total;
	return {
		shape: name,
		rows: lines,
		MB: Math.round(bytes / 1e5) / 10,
		seconds: Math.round(seconds * 100) / 100,
		rowsPerSecond: Math.round(lines / seconds),
		probes: waits.length,
		probeP50ms: ms(quantile(waits, 0.5)),
		probeP99ms: ms(quantile(waits, 0.99)),
		probeMaxMs: ms(waits.at(-1) ?? 0),
		tickGapMaxMs: ms(gapMax)
	};
}

try {
	const results = [];
	for (let run = 1; run <= Number(args.runs); run++) {
		results.push({
			run,
			...(await measure('whole (WITH HOLD)', () =>
				iterateInitiativeCsv(database.db, query, 'published', { whole: true })
			))
		});
		results.push({
			run,
			...(await measure(`paged (${page ?? 'default'})`, () =>
				iterateInitiativeCsv(database.db, query, 'published', { page })
			))
		});
	}
	console.table(results);
	console.log(JSON.stringify({ results }));
} finally {
	await database.close();
}
