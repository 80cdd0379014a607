/**
 * Integration global setup: builds ONE migrated PGlite template per run (a cold PGlite start
 * takes seconds), dumps its data dir to a temp file and hands the path to the test files
 * (`inject('pgliteTemplate')`). When TEST_DATABASE_URL is set, the migrations also run once
 * against that PostgreSQL server (CI creates a fresh database per run).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/lib/server/db/client';

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
	}
}

const MIGRATIONS = resolve(import.meta.dirname, '../../drizzle');

export default async function setup(project: TestProject): Promise<() => void> {
	const dir = mkdtempSync(join(tmpdir(), 'gcm-it-template-'));
	const pglite = await PGlite.create();
	const database = await openDatabase({ databaseUrl: null, dataDir: null, lock: false, pglite });
	try {
		await database.migrate(MIGRATIONS);
		const blob = await pglite.dumpDataDir('none');
		const path = join(dir, 'template.tar');
		writeFileSync(path, new Uint8Array(await blob.arrayBuffer()));
		project.provide('pgliteTemplate', path);
	} finally {
		await database.close();
	}

	const url = process.env.TEST_DATABASE_URL;
	if (url) {
		const server = await openDatabase({ databaseUrl: url, dataDir: null, lock: false });
		try {
			await server.migrate(MIGRATIONS);
		} finally {
			await server.close();
		}
	}

	return () => rmSync(dir, { recursive: true, force: true });
}
