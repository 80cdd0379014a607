/**
 * Loads N generated initiatives into a fresh PGlite data dir (or an existing, empty PostgreSQL
 * database) and keeps it, so pages and statements can be profiled by hand:
 *
 *   npx tsx bench/make-dataset.ts --dir /tmp/gcm-100k --size 100k
 *   GCM_DATA_DIR=/tmp/gcm-100k GCM_SEED=false node bin/gcm.js serve --port 3100
 *   createdb -h 127.0.0.1 -U postgres gcm_1m
 *   npx tsx bench/make-dataset.ts --database-url postgres://postgres@127.0.0.1:5432/gcm_1m --size 1m
 *
 * The rows are exactly those of `npm run bench` (same generator, seed and loader).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db/client';
import { DEFAULT_SEED } from './lib/generate';
import { bulkLoad } from './lib/load';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
	options: {
		dir: { type: 'string' },
		'database-url': { type: 'string' },
		size: { type: 'string', default: '100k' },
		seed: { type: 'string' }
	}
});

function parseSize(s: string): number {
	const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
	if (!m) throw new Error(`bad --size ${s} (e.g. 10k, 100k, 1m)`);
	const unit = m[2]?.toLowerCase();
	return Math.round(Number(m[1]) * (unit === 'k' ? 1e3 : unit === 'm' ? 1e6 : 1));
}

const databaseUrl = args['database-url'] ?? null;
if (!args.dir === !databaseUrl)
	throw new Error('give either --dir DIR (a new or empty directory) or --database-url URL');
const dir = args.dir ? resolve(args.dir) : null;
if (dir && existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
const size = parseSize(args.size ?? '100k');
const seed = args.seed ? Number(args.seed) : DEFAULT_SEED;
if (!Number.isSafeInteger(seed)) throw new Error(`bad --seed ${args.seed}`);

const database = await openDatabase({ databaseUrl, dataDir: dir, lock: dir !== null });
try {
	await database.migrate(join(ROOT, 'drizzle'));
	const report = await bulkLoad(database, { size, seed, log: (m) => console.log(m) });
	console.log(
		`${report.rows} initiatives in ${dir ?? databaseUrl}: generated ${(report.generateMs / 1000).toFixed(1)} s, ` +
			`loaded ${(report.loadMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(report.vacuumMs / 1000).toFixed(1)} s`
	);
} finally {
	await database.close();
}
