/**
 * Loads the bundled datasets (data/mmc-2019) through the same validated import path as
 * `gcm import`. Runs at start-up when the database is empty, and on `gcm seed`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countInitiatives } from '../db/initiative.repository';
import type { Database } from '../db/client';
import { createTransferService } from './transfer.service';
import { SYSTEM_CLI } from './viewer';

export interface SeedReport {
	initiatives: number;
	practices: number;
	skipped: boolean;
}

export async function seedBundledData(
	database: Database,
	dataDir: string,
	options: { onlyIfEmpty: boolean }
): Promise<SeedReport> {
	if (options.onlyIfEmpty && (await countInitiatives(database.db, 'all')) > 0) {
		return { initiatives: 0, practices: 0, skipped: true };
	}
	const transfer = createTransferService(database);
	const initiatives = await transfer.importInitiatives(
		SYSTEM_CLI,
		readFileSync(join(dataDir, 'mmc-2019', 'initiatives.csv')),
		'published'
	);
	const practices = await transfer.importPractices(
		SYSTEM_CLI,
		readFileSync(join(dataDir, 'mmc-2019', 'practices.csv')),
		'published'
	);
	return { initiatives: initiatives.rows, practices, skipped: false };
}
