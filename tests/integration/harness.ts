/**
 * Opens an isolated, migrated, empty database for one spec file, on either engine:
 * - pglite: a fresh in-memory PGlite loaded from the template built by global-setup.ts;
 * - postgres: the server at TEST_DATABASE_URL (migrated by global-setup.ts), with every
 *   application table truncated so the file starts empty.
 * This is the only place tests read the environment.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/lib/server/db/client';

export type Engine = 'pglite' | 'postgres';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const MIGRATIONS_DIR = resolve(PROJECT_ROOT, 'drizzle');
/** The `data/` folder that holds `mmc-2019/` (what seedBundledData expects). */
export const BUNDLED_DATA_DIR = resolve(PROJECT_ROOT, 'data');

const APPLICATION_TABLES = [
	'actor',
	'initiative',
	'initiative_initiator_kind',
	'initiative_actor',
	'initiative_country',
	'initiative_objective',
	'initiative_principle',
	'initiative_source',
	'practice',
	'practice_country',
	'practice_objective',
	'app_user',
	'user_session',
	'user_token',
	'recovery_code',
	'audit_event',
	'data_version',
	'organisation',
	'membership',
	'user_scope',
	'initiative_revision',
	'record_revision',
	'api_token',
	'suggestion',
	'methodology',
	'assessment',
	'assessment_member',
	'desk_answer',
	'evidence',
	'expert_rating',
	'rate_limit',
	'registry_count_snapshot'
] as const;

function testDatabaseUrl(): string | null {
	const url = process.env.TEST_DATABASE_URL;
	return url && url.trim() !== '' ? url : null;
}

export function testEngines(): Engine[] {
	return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export async function openTestDatabase(engine: Engine): Promise<Database> {
	if (engine === 'pglite') {
		const template = readFileSync(inject('pgliteTemplate'));
		const pglite = await PGlite.create({ loadDataDir: new Blob([template]) });
		return openDatabase({ databaseUrl: null, dataDir: null, lock: false, pglite });
	}
	const url = testDatabaseUrl();
	if (!url) throw new Error('TEST_DATABASE_URL is not set');
	const database = await openDatabase({ databaseUrl: url, dataDir: null, lock: false });
	await database.db.execute(sql.raw(`TRUNCATE ${APPLICATION_TABLES.join(', ')} RESTART IDENTITY CASCADE`));
	return database;
}

/** Row counts of every application table (to prove a failed import wrote nothing). */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
	const parts = APPLICATION_TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL ');
	const result = (await database.db.execute(sql.raw(parts))) as unknown as { rows: { t: string; n: number }[] };
	return Object.fromEntries(result.rows.map((r) => [r.t, Number(r.n)]));
}

/**
 * Runs the `gcm` command from the sources (through tsx: the shared dist/ bundle is not touched) with
 * only PATH, HOME and `env` in its environment; resolves with its exit code and output.
 */
export function runGcm(
	args: readonly string[],
	env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
			cwd: PROJECT_ROOT,
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		child.once('error', reject);
		child.once('close', (code) => resolve({ code, stdout, stderr }));
	});
}
