/**
 * Floors of the CSV export (issue #4, budget ≥ 100k rows/s): times the parts of an export of every
 * published initiative on one engine, so the export's rate can be read against what the database
 * needs to produce the same rows.
 *
 *   npx tsx bench/export-floor.ts (--data-dir DIR | --url URL) [--runs 2]
 *
 * Each step is measured in the database only (`SELECT count(*), sum(length(...))` over the step's
 * rows, nothing crosses the driver) unless it says "fetched". Prints one line per step and a JSON
 * line with every timing (best of --runs) and the load average.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { INITIATIVE_CSV_COLUMNS, initiativeToCsvRecord } from '../src/lib/core/registry/initiative-csv';
import { parseInitiativeQuery } from '../src/lib/core/registry/query';
import { openDatabase } from '../src/lib/server/db/client';
import { exportStatement, iterateInitiativeCsv } from '../src/lib/server/db/initiative-export.repository';
import { iterateInitiatives } from '../src/lib/server/db/initiative.repository';
import { rows } from '../src/lib/server/db/sql';
import { csvLine } from '../src/lib/server/io/csv';

const { values } = parseArgs({
	options: { 'data-dir': { type: 'string' }, url: { type: 'string' }, runs: { type: 'string', default: '2' } }
});
if (!values.url && !values['data-dir']) throw new Error('--data-dir DIR or --url URL is required');
const runs = Number(values.runs);
if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`bad --runs ${values.runs}`);

const database = await openDatabase({
	databaseUrl: values.url ?? null,
	dataDir: values['data-dir'] ?? null,
	lock: Boolean(values['data-dir'])
});
const db = database.db;
const query = parseInitiativeQuery(new URLSearchParams(), { strict: true });
const ORDER = sql`i.date_from DESC NULLS LAST, i.title, i.key`;
const PUBLISHED = sql`i.status = 'published'`;

/** Runs the statement's rows through count/sum(length) in the database. */
const inDb = (inner: SQL, measure = sql`length(t::text)`) =>
	rows<{ n: number; bytes: string }>(
		db,
		sql`SELECT count(*)::int AS n, sum(${measure})::text AS bytes FROM (${inner}) t`
	);

const steps: [string, () => Promise<unknown>][] = [
	[
		'base columns, unsorted',
		() =>
			inDb(
				sql`SELECT i.key, i.title, i.description, i.action_type, i.scope, i.regional_scope, i.region, i.date_start, i.date_end, i.date_precision, i.date_text, i.predates_gcm, i.verification_status, i.report_table, i.report_row, i.original_text FROM initiative i WHERE ${PUBLISHED}`
			)
	],
	['ordered ids (sort only)', () => inDb(sql`SELECT i.id FROM initiative i WHERE ${PUBLISHED} ORDER BY ${ORDER}`)],
	['ordered ids, fetched', () => rows(db, sql`SELECT i.id FROM initiative i WHERE ${PUBLISHED} ORDER BY ${ORDER}`)],
	[
		'base columns + arrays, sorted',
		() =>
			inDb(
				sql`SELECT i.key, i.title, i.description, i.action_type, i.scope, i.regional_scope, i.region, i.date_start, i.date_end, i.date_precision, i.date_text, i.predates_gcm, i.verification_status, i.report_table, i.report_row, i.original_text, i.country_codes, i.objective_numbers, i.initiator_kind_keys FROM initiative i WHERE ${PUBLISHED} ORDER BY ${ORDER}`
			)
	],
	[
		'actors grouped once',
		() =>
			inDb(
				sql`SELECT ia.initiative_id, string_agg(a.name, ';' ORDER BY ia.position, a.name) FROM initiative_actor ia JOIN actor a ON a.id = ia.actor_id GROUP BY 1`
			)
	],
	[
		'principles grouped once',
		() =>
			inDb(
				sql`SELECT initiative_id, string_agg(principle, ';' ORDER BY principle) FROM initiative_principle GROUP BY 1`
			)
	],
	[
		'sources grouped once',
		() =>
			inDb(
				sql`SELECT initiative_id, string_agg(citation, E'\\n' ORDER BY position), string_agg(coalesce(url, ''), E'\\n' ORDER BY position) FROM initiative_source GROUP BY 1`
			)
	],
	[
		'export statement, grouped children',
		() => inDb(exportStatement(query, 'published', 'grouped'), sql`length(t.line)`)
	],
	[
		'export statement, per-row lateral children',
		() => inDb(exportStatement(query, 'published', 'lateral'), sql`length(t.line)`)
	],
	[
		'export through the cursor, fetched (iterateInitiativeCsv)',
		async () => {
			let n = 0;
			for await (const page of iterateInitiativeCsv(db, query, 'published')) n += page.length;
			return n;
		}
	]
];

const results: Record<string, number> = {};
try {
	for (const [name, run] of steps) {
		let best = Infinity;
		for (let r = 0; r < runs; r++) {
			const t0 = performance.now();
			await run();
			best = Math.min(best, performance.now() - t0);
		}
		results[name] = Math.round(best);
		console.log(`${name.padEnd(60)} ${Math.round(best).toString().padStart(7)} ms   load ${loadavg()[0]!.toFixed(2)}`);
	}
	// JS-side formatting of 100k records already fetched (the writer the SQL formatting replaced).
	const fetched: Parameters<typeof initiativeToCsvRecord>[0][] = [];
	let t0 = performance.now();
	for await (const page of iterateInitiatives(db, query, 'published')) fetched.push(...page);
	results['records fetched and mapped (iterateInitiatives)'] = Math.round(performance.now() - t0);
	t0 = performance.now();
	let bytes = 0;
	for (const i of fetched) bytes += csvLine(initiativeToCsvRecord(i)).length;
	results[`JS formatting of ${fetched.length} fetched records`] = Math.round(performance.now() - t0);
	for (const name of Object.keys(results).slice(-2))
		console.log(`${name.padEnd(60)} ${results[name]!.toString().padStart(7)} ms`);
	console.log(
		JSON.stringify({
			engine: database.engine,
			rows: fetched.length,
			bytes,
			runs,
			loadavg: loadavg(),
			ms: results,
			header: INITIATIVE_CSV_COLUMNS.length
		})
	);
} finally {
	await database.close();
}
