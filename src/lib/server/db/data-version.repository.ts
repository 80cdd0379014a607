/** The registry's data version: bumped inside every write transaction, read to validate caches. */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

export async function bumpRegistryVersion(tx: Executor): Promise<void> {
	await tx.execute(
		sql`INSERT INTO data_version (scope, version) VALUES ('registry', 1)
		    ON CONFLICT (scope) DO UPDATE SET version = data_version.version + 1`
	);
}

export async function readRegistryVersion(db: Executor): Promise<number> {
	const r = await rows<{ version: number | string }>(
		db,
		sql`SELECT version FROM data_version WHERE scope = 'registry'`
	);
	return Number(r[0]?.version ?? 0);
}
