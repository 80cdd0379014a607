/**
 * Revisions of actors and practices (`record_revision`): one row per version, written by the
 * workflow in the transaction that made the version. The primary key (type, id, version) refuses a
 * second writer of the same version. Initiatives keep their own table (initiative-write.repository).
 */
import { sql } from 'drizzle-orm';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import { isoTimestamp, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

export type RevisedRecordType = 'actor' | 'practice';

export interface RecordRevision<S> {
	version: number;
	status: RecordStatus;
	snapshot: S;
	changedBy: string | null;
	comment: string | null;
	at: string;
}

export async function insertRecordRevision(
	tx: Executor,
	type: RevisedRecordType,
	id: string,
	r: {
		version: number;
		status: RecordStatus;
		snapshot: unknown;
		changedBy: string | null;
		comment: string | null;
		at: Date;
	}
): Promise<void> {
	await tx.execute(
		sql`INSERT INTO record_revision (record_type, record_id, version, status, snapshot, changed_by, comment, at)
		    VALUES (${type}, ${id}::uuid, ${r.version}, ${r.status}, ${JSON.stringify(r.snapshot)}::jsonb,
		      ${r.changedBy}::uuid, ${r.comment}, ${r.at.toISOString()}::timestamptz)`
	);
}

/** Every revision of one record, oldest first. */
export async function listRecordRevisions<S>(
	db: Executor,
	type: RevisedRecordType,
	id: string
): Promise<RecordRevision<S>[]> {
	const found = await rows<{
		version: number;
		status: string;
		snapshot: S | string;
		changed_by: string | null;
		comment: string | null;
		at: string;
	}>(
		db,
		sql`SELECT version, status, snapshot, changed_by, comment, ${isoTimestamp(sql`at`)} AS at
		    FROM record_revision WHERE record_type = ${type} AND record_id = ${id}::uuid ORDER BY version`
	);
	return found.map((x) => ({
		version: Number(x.version),
		status: x.status as RecordStatus,
		snapshot: typeof x.snapshot === 'string' ? (JSON.parse(x.snapshot) as S) : x.snapshot,
		changedBy: x.changed_by,
		comment: x.comment,
		at: x.at
	}));
}

/** The latest comment of each record (a reviewer's request for changes shows in the author's list). */
export async function latestComments(
	db: Executor,
	type: RevisedRecordType,
	ids: readonly string[]
): Promise<Map<string, string | null>> {
	if (ids.length === 0) return new Map();
	const found = await rows<{ record_id: string; comment: string | null }>(
		db,
		sql`SELECT DISTINCT ON (record_id) record_id, comment FROM record_revision
		    WHERE record_type = ${type} AND record_id::text IN (${sql.join(
					ids.map((i) => sql`${i}`),
					sql`, `
				)})
		    ORDER BY record_id, version DESC`
	);
	return new Map(found.map((r) => [r.record_id, r.comment]));
}
