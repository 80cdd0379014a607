/**
 * Scenario 3 (full-text + filter, ranked, public, caches empty) on four shapes, measured on one
 * PGlite data dir (issue #4, ADR 0008):
 *
 *   before         the statement of publishedMatchesAndRankedPage as it was at 16ef89e: text AND
 *                  filters on the wide `initiative` rows (status = 'published'), ranked by ts_rank_cd;
 *   before-lookup  the same with the region tested by hashed lookup (filterConditions 'lookup');
 *   side-overlap   the same statement on `initiative_search`, region by overlap;
 *   app            publishedMatchesAndRankedPage as it is now (`initiative_search`, region by lookup).
 *
 * Each variant then counts with the facet index and loads the page's records by id (pageByIds),
 * as the service does. Wall and CPU time per call (PGlite runs in this process, so CPU time is
 * the query's own cost even when other processes load the machine). Run one variant per process
 * (--only) to keep the shapes from evicting each other's pages from PGlite's shared buffers;
 * --check first verifies that every variant gives the same page, order, total and facets.
 *
 *   npx tsx bench/fulltext-side-table.ts --dir /tmp/gcm-100k [--size 100k] [--rounds 8] [--only app] [--check]
 *
 * An empty or missing --dir is loaded first (bench/lib/load.ts); an older one is migrated.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { FacetIndexBuilder } from '../src/lib/core/registry/facet-index';
import { parseInitiativeQuery, type InitiativeQuery } from '../src/lib/core/registry/query';
import { openDatabase } from '../src/lib/server/db/client';
import {
	publishedFacetRows,
	publishedMatchesAndRankedPage
} from '../src/lib/server/db/initiative-facet-index.repository';
import { filterConditions, pageByIds } from '../src/lib/server/db/initiative.repository';
import { rows } from '../src/lib/server/db/sql';
import { DEFAULT_SEED } from './lib/generate';
import { bulkLoad } from './lib/load';
import { ftsCombos } from './lib/registry-scenarios';
import { percentile } from './lib/stats';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: {
		dir: { type: 'string' },
		size: { type: 'string', default: '100k' },
		rounds: { type: 'string', default: '8' },
		only: { type: 'string' },
		check: { type: 'boolean', default: false }
	}
});
if (!args.dir) throw new Error('--dir DIR is required');
const dir = resolve(args.dir);
const size = Number(/^(\d+)k$/i.exec(args.size ?? '100k')?.[1] ?? NaN) * 1000;
if (!Number.isSafeInteger(size)) throw new Error(`bad --size ${args.size}`);
const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
const database = await openDatabase({ databaseUrl: null, dataDir: dir, lock: true });
const db = database.db;
const log = (m: string) => console.log(m);

try {
	await database.migrate(join(ROOT, 'drizzle'));
	if (fresh) {
		const r = await bulkLoad(database, { size, seed: DEFAULT_SEED, log });
		log(`loaded ${r.rows} rows in ${(r.loadMs / 1000).toFixed(1)} s`);
	}
	for (const t of ['initiative', 'initiative_search']) {
		const [r] = await rows<{ pages: number; total: number; n: number }>(
			db,
			sql`SELECT pg_relation_size(${t}::regclass) / 8192 AS pages,
			  pg_total_relation_size(${t}::regclass) / 8192 AS total, (SELECT count(*) FROM ${sql.raw(t)})::int AS n`
		);
		log(`  ${t}: ${r!.n} rows, ${r!.pages} heap pages, ${r!.total} pages with toast and indexes`);
	}

	// The facet index, as the service builds it.
	const builder = new FacetIndexBuilder();
	for await (const chunk of publishedFacetRows(db)) for (const row of chunk) builder.add(row);
	const index = builder.finish();

	type Answer = { page: string[]; total: number; facets: string };
	const finish = async (q: InitiativeQuery, idsHex: string, page: string[]): Promise<Answer> => {
		const found = index.count(q, index.positionsOf(idsHex));
		await pageByIds(db, page, 'published');
		return { page, total: found.total, facets: JSON.stringify(found.facets) };
	};
	/** The one statement of publishedMatchesAndRankedPage on `table`, region by overlap or lookup. */
	const oneStatement = async (
		q: InitiativeQuery,
		table: 'initiative' | 'initiative_search',
		regions: 'overlap' | 'lookup'
	) => {
		const conds = filterConditions(q, regions);
		if (table === 'initiative') conds.unshift(sql`i.status = 'published'`);
		const id = table === 'initiative' ? sql`i.id` : sql`i.initiative_id`;
		const r = await rows<{ ids: string | null; page: string | null }>(
			db,
			sql`WITH m AS MATERIALIZED (
			      SELECT ${id} AS id, i.key, i.date_from,
			        ts_rank_cd(i.search_vector, websearch_to_tsquery('english', ${q.q})) AS rank
			      FROM ${sql.raw(table)} i WHERE ${sql.join(conds, sql` AND `)})
			    SELECT (SELECT encode(string_agg(uuid_send(m.id), ''::bytea), 'hex') FROM m) AS ids,
			      array_to_string(ARRAY(SELECT m.id FROM m
			        ORDER BY m.rank DESC, m.date_from DESC NULLS LAST, m.key
			        LIMIT ${q.limit} OFFSET ${q.offset}), ',') AS page`
		);
		const page = r[0]?.page ?? '';
		return finish(q, r[0]?.ids ?? '', page === '' ? [] : page.split(','));
	};

	const variants: Record<string, (q: InitiativeQuery) => Promise<Answer>> = {
		before: (q) => oneStatement(q, 'initiative', 'overlap'),
		'before-lookup': (q) => oneStatement(q, 'initiative', 'lookup'),
		'side-overlap': (q) => oneStatement(q, 'initiative_search', 'overlap'),
		app: async (q) => {
			const r = await publishedMatchesAndRankedPage(db, q);
			return finish(q, r.ids, r.page);
		}
	};
	const names = args.only ? args.only.split(',') : Object.keys(variants);
	const cases = ftsCombos().map((p) => parseInitiativeQuery(p, { strict: true }));
	cases.push(
		parseInitiativeQuery(new URLSearchParams({ q: 'recruitment', region: '002', limit: '20' }), { strict: true }),
		parseInitiativeQuery(new URLSearchParams({ q: 'children', offset: '2000', limit: '20' }), { strict: true })
	);

	// Equivalence (--check): every variant gives the current answer on every case. Otherwise one
	// warm-up pass of the chosen variants (run one variant per process so that the shapes do not
	// evict each other's pages from PGlite's shared buffers).
	let mismatches = 0;
	for (const q of args.check ? cases : []) {
		const want = await variants.before!(q);
		for (const n of names) {
			const got = await variants[n]!(q);
			if (JSON.stringify(got) !== JSON.stringify(want)) {
				mismatches++;
				log(`MISMATCH ${n} on ${JSON.stringify({ q: q.q, c: q.countries, r: q.regions, a: q.actionTypes })}`);
			}
		}
	}
	if (args.check) {
		log(
			`equivalence: ${mismatches === 0 ? 'same page, order, total and facets on every case' : `${mismatches} mismatches`}`
		);
	} else {
		for (const q of cases) for (const n of names) await variants[n]!(q);
	}

	const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
	// CPU time of this process per call: PGlite runs in it, so this is the query's own cost,
	// much less disturbed than wall time on a shared machine (other processes' load).
	const cpuSamples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
	const perCase: Record<string, number[][]> = Object.fromEntries(names.map((n) => [n, cases.map(() => [])]));
	const perCaseCpu: Record<string, number[][]> = Object.fromEntries(names.map((n) => [n, cases.map(() => [])]));
	const rounds = Number(args.rounds);
	for (let r = 0; r < rounds; r++) {
		for (const [ci, q] of cases.entries()) {
			for (let k = 0; k < names.length; k++) {
				const n = names[(k + r + ci) % names.length]!;
				const c0 = process.cpuUsage();
				const t0 = performance.now();
				await variants[n]!(q);
				const ms = performance.now() - t0;
				const c = process.cpuUsage(c0);
				cpuSamples[n]!.push((c.user + c.system) / 1000);
				samples[n]!.push(ms);
				perCase[n]![ci]!.push(ms);
				perCaseCpu[n]![ci]!.push((c.user + c.system) / 1000);
			}
		}
	}
	const { loadavg } = await import('node:os');
	log(
		`\n${cases.length} cases x ${rounds} rounds, variants interleaved; 1/5/15-min load average ${loadavg()
			.map((x) => x.toFixed(2))
			.join(' ')}`
	);
	for (const n of names) {
		const s = [...samples[n]!].sort((a, b) => a - b);
		const c = [...cpuSamples[n]!].sort((a, b) => a - b);
		log(
			`  ${n.padEnd(18)} wall p50 ${percentile(s, 50).toFixed(1).padStart(6)}  p95 ${percentile(s, 95).toFixed(1).padStart(6)}  max ${s[s.length - 1]!.toFixed(1).padStart(6)} ms` +
				` | cpu p50 ${percentile(c, 50).toFixed(1).padStart(6)}  p95 ${percentile(c, 95).toFixed(1).padStart(6)} ms  (n=${s.length})`
		);
	}
	// The 24 cases of scenario 3 alone (without the two extra broad cases added above).
	const n3 = ftsCombos().length;
	for (const n of names) {
		const wall = perCase[n]!.slice(0, n3)
			.flat()
			.sort((a, b) => a - b);
		const cpu = perCaseCpu[n]!.slice(0, n3)
			.flat()
			.sort((a, b) => a - b);
		log(
			`  ${n.padEnd(18)} the ${n3} scenario-3 cases only: wall p50 ${percentile(wall, 50).toFixed(1)}  p95 ${percentile(wall, 95).toFixed(1)}` +
				` | cpu p50 ${percentile(cpu, 50).toFixed(1)}  p95 ${percentile(cpu, 95).toFixed(1)} ms`
		);
	}
	log('\nper case, median ms:');
	for (const [ci, q] of cases.entries()) {
		const med = names.map((n) => {
			const s = [...perCase[n]![ci]!].sort((a, b) => a - b);
			return percentile(s, 50).toFixed(1).padStart(7);
		});
		log(
			`  ${med.join(' ')}  ${q.q} ${q.countries.join(',')}${q.regions.join(',')}${q.actionTypes.join(',')} ${q.offset || ''}`
		);
	}
} finally {
	await database.close();
}
