/**
 * What ranking full-text matches costs per row, on an existing PostgreSQL database (e.g. one kept
 * by `bench/make-dataset.ts --database-url … --size 1m`) or PGlite data dir (`--dir`), for the 24
 * scenario-3 cases:
 *
 *   npx tsx bench/fulltext-floor.ts --database-url postgres://postgres@127.0.0.1:5432/gcm_1m [--runs 3]
 *   npx tsx bench/fulltext-floor.ts --data-dir /tmp/gcm-100k
 *
 * For each case: how many published rows match the text and the filter; the ranked page statement
 * the app runs on `initiative_search` (median of --runs, with the app's session settings); the
 * same statement's time per matched row; and the cost of ranking alone: the matched vectors are
 * first copied into a temporary table (in local memory, so no shared-buffer or disk reads), then
 * `ts_rank_cd` + the top-20 sort over them is timed. The last figure is a floor no plan or index
 * can go under while every match is ranked exactly: a budget of B ms allows at most
 * B / (µs per row) matches.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/lib/server/db/client';
import { countriesInRegion, parseInitiativeQuery, type InitiativeQuery } from '../src/lib/core/registry/query';
import { ftsCombos } from './lib/registry-scenarios';

const { values: args } = parseArgs({
	options: {
		'database-url': { type: 'string' },
		'data-dir': { type: 'string' },
		runs: { type: 'string', default: '3' },
		budget: { type: 'string', default: '100' }
	}
});
const url = args['database-url'] ?? (args['data-dir'] ? undefined : process.env.DATABASE_URL);
if (!url === !args['data-dir']) throw new Error('give --database-url URL (or DATABASE_URL) or --data-dir DIR');
const runs = Number(args.runs);
const budget = Number(args.budget);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`bad --runs ${args.runs}`);

interface Client {
	query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
	end(): Promise<void>;
}

/**
 * PostgreSQL: a session with the app's settings (src/lib/server/db/client.ts). PGlite: the data dir
 * opened as the app opens it. temp_buffers holds the copied vectors in local memory.
 */
async function connect(): Promise<Client> {
	if (url) {
		const c = new pg.Client({ connectionString: url, options: '-c jit=off -c work_mem=16MB -c temp_buffers=1GB' });
		await c.connect();
		return {
			query: async <T>(text: string, params?: unknown[]) => ({ rows: (await c.query(text, params)).rows as T[] }),
			end: () => c.end()
		};
	}
	const database = await openDatabase({ databaseUrl: null, dataDir: resolve(args['data-dir']!), lock: true });
	const lite = database.pglite!;
	await lite.query(`SET temp_buffers = '256MB'`);
	return {
		query: <T>(text: string, params?: unknown[]) => lite.query<T>(text, params),
		end: () => database.close()
	};
}
const client = await connect();

/** The scenario's filter on `initiative_search i`, as the app writes it (region by hashed lookup). */
function where(q: InitiativeQuery, params: unknown[]): string {
	params.push(q.q);
	const conds = [`i.search_vector @@ websearch_to_tsquery('english', $1)`];
	if (q.countries.length > 0) {
		params.push(q.countries);
		conds.push(`i.country_codes && $${params.length}::text[]`);
	}
	if (q.regions.length > 0) {
		params.push([...new Set(q.regions.flatMap(countriesInRegion))]);
		const p = `$${params.length}::text[]`;
		conds.push(`(i.country_codes[1] = ANY(${p}) OR (cardinality(i.country_codes) > 1 AND i.country_codes && ${p}))`);
	}
	if (q.actionTypes.length > 0) {
		params.push(q.actionTypes);
		conds.push(`i.action_type = ANY($${params.length}::text[])`);
	}
	return conds.join(' AND ');
}

async function median(fn: () => Promise<unknown>): Promise<number> {
	const ts: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t0 = performance.now();
		await fn();
		ts.push(performance.now() - t0);
	}
	return ts.sort((a, b) => a - b)[ts.length >> 1]!;
}

const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
const settings = (
	await client.query<{ name: string; setting: string; unit: string | null }>(
		`SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather')`
	)
).rows.map((r) => `${r.name}=${r.setting}${r.unit ?? ''}`);
console.log(`${version}\n${settings.join(', ')}; ${runs} runs per case, median\n`);
console.log(
	'case'.padEnd(52),
	'matches'.padStart(8),
	'page ms'.padStart(8),
	'µs/row'.padStart(7),
	'rank-only ms'.padStart(13),
	'µs/row'.padStart(7)
);

const perRow: number[] = [];
const readPerRow: number[] = []; // the whole statement, over cases with ≥ 10,000 matches (fixed costs amortised)
const matchesOf: number[] = [];
for (const params of ftsCombos()) {
	const q = parseInitiativeQuery(params, { strict: true });
	const p: unknown[] = [];
	const w = where(q, p);
	const page = await median(() =>
		client.query(
			`SELECT i.initiative_id FROM initiative_search i WHERE ${w}
			 ORDER BY ts_rank_cd(i.search_vector, websearch_to_tsquery('english', $1)) DESC, i.date_from DESC NULLS LAST, i.key
			 LIMIT 20`,
			p
		)
	);
	await client.query('DROP TABLE IF EXISTS floor_matches');
	await client.query(
		`CREATE TEMP TABLE floor_matches AS SELECT i.search_vector, i.date_from, i.key FROM initiative_search i WHERE ${w}`,
		p
	);
	const n = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM floor_matches')).rows[0]!.n);
	const rankOnly = await median(() =>
		client.query(
			`SELECT key FROM floor_matches
			 ORDER BY ts_rank_cd(search_vector, websearch_to_tsquery('english', $1)) DESC, date_from DESC NULLS LAST, key
			 LIMIT 20`,
			[q.q]
		)
	);
	const us = (ms: number) => (n > 0 ? ((ms * 1000) / n).toFixed(2) : '-');
	if (n > 0) perRow.push((rankOnly * 1000) / n);
	if (n >= 10_000) readPerRow.push((page * 1000) / n);
	matchesOf.push(n);
	console.log(
		params.toString().slice(0, 52).padEnd(52),
		String(n).padStart(8),
		page.toFixed(1).padStart(8),
		us(page).padStart(7),
		rankOnly.toFixed(1).padStart(13),
		us(rankOnly).padStart(7)
	);
}
await client.query('DROP TABLE IF EXISTS floor_matches');
await client.end();

const sorted = [...perRow].sort((a, b) => a - b);
const floorUs = sorted[sorted.length >> 1]!;
const report = (what: string, us: number) => {
	const maxMatches = Math.floor((budget * 1000) / us);
	const over = matchesOf.filter((n) => n > maxMatches).length;
	console.log(
		`${what}: ${us.toFixed(2)} µs per matched row; a ${budget} ms budget allows ~${maxMatches} matches;` +
			` ${over} of ${matchesOf.length} cases match more`
	);
};
console.log('');
report('ranking alone (median)', floorUs);
if (readPerRow.length > 0)
	report('reading and ranking, lowest of the cases with ≥ 10,000 matches', Math.min(...readPerRow));
