/**
 * Bulk transfer: CSV import (validate the whole file first, then write all or nothing) and
 * CSV/JSON export of the current filter. Runs on `gcm import|export|seed` and download routes.
 */
import { sql } from 'drizzle-orm';
import type { InitiativeInput } from '../../core/registry/initiative';
import {
	INITIATIVE_CSV_COLUMNS,
	REQUIRED_INITIATIVE_COLUMNS,
	initiativeFromCsvRecord,
	initiativeToCsvRecord
} from '../../core/registry/initiative-csv';
import { PRACTICE_CSV_COLUMNS, practiceFromCsvRecord, type PracticeInput } from '../../core/registry/practice';
import type { InitiativeQuery } from '../../core/registry/query';
import type { RecordStatus } from '../../core/registry/vocabulary';
import { DomainError, type FieldIssue } from '../../core/shared/errors';
import type { Database } from '../db/client';
import { iterateInitiatives, upsertInitiatives, type UpsertOutcome } from '../db/initiative.repository';
import { upsertPractices } from '../db/practice.repository';
import { toInitiativeResponse } from '../api/responses';
import { CSV_LIMITS, readCsv, writeCsv } from '../io/csv';
import { visibilityFor, type Viewer } from './viewer';

/** Credit line carried by every download. */
export const DATA_ATTRIBUTION =
	'GCM Observatory. 2019 records derived from Mixed Migration Centre (2019), "Wheels in motion", MMC Research Report.';

export interface ImportReport extends UpsertOutcome {
	rows: number;
}

function fail(issues: FieldIssue[], what: string): never {
	const shown = issues.slice(0, CSV_LIMITS.maxIssues);
	throw new DomainError(
		'IMPORT_INVALID',
		`${what} was not imported: ${issues.length} problem(s) found; nothing was written.`,
		shown
	);
}

/** Parses and validates an initiative CSV completely; throws IMPORT_INVALID with every issue. */
export function parseInitiativeCsv(bytes: Uint8Array): InitiativeInput[] {
	const read = readCsv(bytes, INITIATIVE_CSV_COLUMNS, REQUIRED_INITIATIVE_COLUMNS);
	if (!read.ok) fail(read.issues, 'The file');
	const issues: FieldIssue[] = [];
	const inputs: InitiativeInput[] = [];
	const keys = new Map<string, number>();
	for (const { line, values } of read.table.records) {
		const parsed = initiativeFromCsvRecord(values, line);
		if (!parsed.ok) {
			issues.push(...parsed.issues);
			if (issues.length >= CSV_LIMITS.maxIssues) break;
			continue;
		}
		const first = keys.get(parsed.input.key);
		if (first !== undefined) {
			issues.push({ row: line, field: 'key', message: `"${parsed.input.key}" repeats the key of row ${first}` });
		} else keys.set(parsed.input.key, line);
		inputs.push(parsed.input);
	}
	if (issues.length > 0) fail(issues, 'The file');
	return inputs;
}

export function parsePracticeCsv(bytes: Uint8Array): PracticeInput[] {
	const read = readCsv(bytes, PRACTICE_CSV_COLUMNS, ['key', 'name']);
	if (!read.ok) fail(read.issues, 'The practices file');
	const issues: FieldIssue[] = [];
	const inputs: PracticeInput[] = [];
	for (const { line, values } of read.table.records) {
		const parsed = practiceFromCsvRecord(values, line);
		if (parsed.ok) inputs.push(parsed.input);
		else issues.push(...parsed.issues);
	}
	if (issues.length > 0) fail(issues, 'The practices file');
	return inputs;
}

export function createTransferService(database: Database) {
	const { db } = database;
	return {
		/** Validates a file without writing anything (`gcm import --dry-run`); returns the row count. */
		validate(_viewer: Viewer, bytes: Uint8Array, type: 'initiatives' | 'practices'): number {
			return type === 'practices' ? parsePracticeCsv(bytes).length : parseInitiativeCsv(bytes).length;
		},

		/** Imports an initiative CSV: all rows or none. Records are upserted by `key`. */
		async importInitiatives(_viewer: Viewer, bytes: Uint8Array, status: RecordStatus): Promise<ImportReport> {
			const inputs = parseInitiativeCsv(bytes);
			const outcome = await db.transaction(async (tx) => upsertInitiatives(tx, inputs, status));
			if (database.engine === 'pglite') await db.execute(sql`VACUUM ANALYZE`); // PGlite has no autovacuum.
			return { rows: inputs.length, ...outcome };
		},

		async importPractices(_viewer: Viewer, bytes: Uint8Array, status: RecordStatus): Promise<number> {
			const inputs = parsePracticeCsv(bytes);
			return db.transaction(async (tx) => upsertPractices(tx, inputs, status));
		},

		/** CSV export of the current filter, streamed in chunks (header first). */
		async *exportInitiativesCsv(viewer: Viewer, query: InitiativeQuery): AsyncGenerator<string> {
			yield writeCsv(INITIATIVE_CSV_COLUMNS, [], true);
			for await (const page of iterateInitiatives(db, query, visibilityFor(viewer))) {
				yield writeCsv(INITIATIVE_CSV_COLUMNS, page.map(initiativeToCsvRecord), false);
			}
		},

		/** JSON export of the current filter: the API item shape, with licence and provenance. */
		async *exportInitiativesJson(viewer: Viewer, query: InitiativeQuery, generatedAt: string): AsyncGenerator<string> {
			yield `{"licence":"CC-BY-4.0","attribution":${JSON.stringify(DATA_ATTRIBUTION)},"generated_at":${JSON.stringify(generatedAt)},"items":[`;
			let first = true;
			for await (const page of iterateInitiatives(db, query, visibilityFor(viewer))) {
				const parts = page.map((i) => JSON.stringify(toInitiativeResponse(i)));
				yield (first ? '' : ',') + parts.join(',');
				first = false;
			}
			yield ']}';
		}
	};
}

export type TransferService = ReturnType<typeof createTransferService>;
