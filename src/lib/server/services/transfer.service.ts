/**
 * Bulk transfer: CSV import (streamed, validated and written in one transaction: all or nothing) and
 * CSV/JSON export of the current filter. Runs on `gcm import|export|seed` and download routes.
 */
import { sql } from 'drizzle-orm';
import type { InitiativeInput } from '../../core/registry/initiative';
import {
	INITIATIVE_CSV_COLUMNS,
	REQUIRED_INITIATIVE_COLUMNS,
	initiativeFromCsvRecord
} from '../../core/registry/initiative-csv';
import { PRACTICE_CSV_COLUMNS, practiceFromCsvRecord, type PracticeInput } from '../../core/registry/practice';
import type { InitiativeQuery } from '../../core/registry/query';
import type { RecordStatus } from '../../core/registry/vocabulary';
import { DomainError, type FieldIssue } from '../../core/shared/errors';
import type { Database } from '../db/client';
import {
	UPSERT_CHUNK,
	iterateInitiatives,
	openInitiativeUpsert,
	type UpsertOutcome
} from '../db/initiative.repository';
import { iterateInitiativeCsv } from '../db/initiative-export.repository';
import { upsertPractices } from '../db/practice.repository';
import { toInitiativeResponse } from '../api/responses';
import {
	CSV_LIMITS,
	CsvReader,
	chunksOf,
	concatChunks,
	csvLine,
	detach,
	readCsv,
	type CsvChunkSource
} from '../io/csv';
import { insertAuditEvent } from '../db/audit.repository';
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

/** A file to import: its bytes, or its content in chunks (see `fileChunks`), read once. */
export type CsvSource = Uint8Array | CsvChunkSource;

/** Rows read between two turns of the event loop while a batch is being written. */
const YIELD_EVERY = 200;

const chunksFrom = (source: CsvSource): CsvChunkSource => (source instanceof Uint8Array ? chunksOf(source) : source);

/**
 * Reads and validates an initiative file as a stream, handing valid records to `onBatch` in
 * chunks of UPSERT_CHUNK while the file is clean. Once a problem is found, batches stop and
 * reading goes on only to report every problem (up to CSV_LIMITS.maxIssues); then it throws
 * IMPORT_INVALID, so a caller writing inside a transaction rolls everything back. Returns the
 * number of rows. Memory holds two batches (one being written, one being read), the seen keys
 * and the issues, not the file's records.
 *
 * Pipelined: a batch's write runs while the next batch is read and validated (on PostgreSQL the
 * server works in its own process, so the two overlap on a multi-core machine). Only one write
 * is in flight at a time, in file order; its failure stops the import at the next batch.
 */
async function streamInitiatives(
	source: CsvSource,
	onBatch: ((inputs: InitiativeInput[]) => Promise<void>) | null
): Promise<number> {
	const reader = new CsvReader(INITIATIVE_CSV_COLUMNS, REQUIRED_INITIATIVE_COLUMNS);
	const rowIssues: FieldIssue[] = [];
	const keys = new Map<string, number>();
	let batch: InitiativeInput[] = [];
	let rows = 0;
	let writing: Promise<void> | null = null;
	const hand = async (inputs: InitiativeInput[]) => {
		if (writing) await writing;
		writing = onBatch!(inputs);
		writing.catch(() => undefined); // awaited (and thrown) at the next batch or the end
	};
	const clean = () => rowIssues.length === 0 && !reader.failed;
	try {
		for (const { line, values } of reader.records(chunksFrom(source))) {
			rows++;
			// Let the write in flight exchange its statements with the database while reading goes on.
			if (writing && rows % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
			const parsed = initiativeFromCsvRecord(values, line);
			if (!parsed.ok) {
				rowIssues.push(...parsed.issues);
			} else {
				const first = keys.get(parsed.input.key);
				if (first !== undefined) {
					rowIssues.push({ row: line, field: 'key', message: `"${parsed.input.key}" repeats the key of row ${first}` });
				} else keys.set(detach(parsed.input.key), line);
				if (clean() && onBatch) {
					batch.push(parsed.input);
					if (batch.length >= UPSERT_CHUNK) {
						await hand(batch);
						batch = [];
					}
				}
			}
			if (rowIssues.length + reader.issues.length >= CSV_LIMITS.maxIssues) break;
		}
	} catch (err) {
		// A reader failure: the write in flight settles before the caller rolls back.
		if (writing) await (writing as Promise<void>).catch(() => undefined);
		throw err;
	}
	// The write in flight ends (or fails) before anything is reported or committed.
	if (writing) await writing;
	if (!clean()) {
		// File-level problems first, then by row, as a user fixes a file top to bottom.
		const issues = [...reader.issues, ...rowIssues].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
		fail(issues, 'The file');
	}
	if (onBatch && batch.length > 0) await onBatch(batch);
	return rows;
}

/** Parses and validates an initiative CSV completely; throws IMPORT_INVALID with every issue. */
export function parseInitiativeCsv(bytes: Uint8Array): Promise<InitiativeInput[]> {
	const inputs: InitiativeInput[] = [];
	return streamInitiatives(bytes, async (batch) => {
		inputs.push(...batch);
	}).then(() => inputs);
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

	/**
	 * An export that includes unpublished records (the operator's `gcm export --include-unpublished`)
	 * exposes non-public data, so it is audited (issue #3) — before the first byte is written, so an
	 * interrupted export is recorded too. Public exports are not audited.
	 */
	/** Who did it, as the audit trail records it. */
	function auditActor(viewer: Viewer) {
		return {
			actorId: viewer.kind === 'user' ? viewer.user.id : null,
			actorLabel: viewer.kind === 'user' ? viewer.user.label : 'cli',
			actorRole: viewer.kind === 'user' ? viewer.user.role : 'system'
		};
	}

	/**
	 * An import changes many records at once: one audit row for the file (rows, created, updated,
	 * the status given), written in the import's transaction, so a rejected file leaves none.
	 */
	async function auditImport(
		tx: Parameters<typeof insertAuditEvent>[0],
		viewer: Viewer,
		kind: 'initiative' | 'practice',
		counts: Record<string, number>,
		status: RecordStatus
	): Promise<void> {
		const changes = Object.fromEntries(
			Object.entries({ ...counts, status }).map(([field, after]) => [field, { before: null, after }])
		);
		await insertAuditEvent(tx, {
			at: new Date(),
			...auditActor(viewer),
			action: `${kind}.imported`,
			objectType: kind,
			objectId: null,
			changes,
			requestId: null,
			channel: viewer.channel
		});
	}

	async function auditNonPublicExport(viewer: Viewer, query: InitiativeQuery, format: 'csv' | 'json'): Promise<void> {
		if (visibilityFor(viewer) !== 'all') return;
		await insertAuditEvent(db, {
			at: new Date(),
			...auditActor(viewer),
			action: 'initiative.exported_unpublished',
			objectType: 'initiative',
			objectId: null,
			changes: { format: { before: null, after: format }, filter: { before: null, after: query } },
			requestId: null,
			channel: viewer.channel
		});
	}

	return {
		/**
		 * Validates a file without writing anything (`gcm import --dry-run`); returns the row count.
		 * Initiative files are read as a stream (a `fileChunks` source keeps memory flat).
		 */
		async validate(_viewer: Viewer, source: CsvSource, type: 'initiatives' | 'practices'): Promise<number> {
			if (type === 'practices') {
				return parsePracticeCsv(source instanceof Uint8Array ? source : concatChunks(source)).length;
			}
			return streamInitiatives(source, null);
		},

		/**
		 * Imports an initiative CSV: all rows or none. Records are upserted by `key`. One pass: the
		 * file is read, validated and written chunk by chunk inside one transaction; the first
		 * problem stops the writing, the rest of the file is still checked so every problem is
		 * reported, and the transaction rolls back (nothing written, data version unchanged).
		 */
		async importInitiatives(viewer: Viewer, source: CsvSource, status: RecordStatus): Promise<ImportReport> {
			const result = await db.transaction(async (tx) => {
				// Into an empty registry: a bulk load (indexes and foreign keys rebuilt once at the end).
				const writer = await openInitiativeUpsert(tx, status, { bulkIfEmpty: true });
				const rows = await streamInitiatives(source, (batch) => writer.write(batch));
				await writer.finish();
				const report = { rows, ...writer.outcome };
				await auditImport(tx, viewer, 'initiative', { rows, created: report.created, updated: report.updated }, status);
				return report;
			});
			if (database.engine === 'pglite') await db.execute(sql`VACUUM ANALYZE`); // PGlite has no autovacuum.
			return result;
		},

		async importPractices(viewer: Viewer, source: CsvSource, status: RecordStatus): Promise<number> {
			const inputs = parsePracticeCsv(source instanceof Uint8Array ? source : concatChunks(source));
			return db.transaction(async (tx) => {
				const rows = await upsertPractices(tx, inputs, status);
				await auditImport(tx, viewer, 'practice', { rows }, status);
				return rows;
			});
		},

		/**
		 * CSV export of the current filter, streamed in pages (header first), each row arriving
		 * already formatted as a CSV line: on PostgreSQL one statement read through a cursor, on a
		 * server's PGlite one short statement per page (see initiative-export.repository.ts).
		 */
		async *exportInitiativesCsv(viewer: Viewer, query: InitiativeQuery): AsyncGenerator<string> {
			await auditNonPublicExport(viewer, query, 'csv');
			yield csvLine(INITIATIVE_CSV_COLUMNS);
			// A server's PGlite reads it in short statements; a command with the database to itself, whole.
			for await (const page of iterateInitiativeCsv(db, query, visibilityFor(viewer), { whole: database.exclusive })) {
				if (page !== '') yield page;
			}
		},

		/** JSON export of the current filter: the API item shape, with licence and provenance. */
		async *exportInitiativesJson(viewer: Viewer, query: InitiativeQuery, generatedAt: string): AsyncGenerator<string> {
			await auditNonPublicExport(viewer, query, 'json');
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
