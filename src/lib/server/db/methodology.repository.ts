/**
 * Methodology versions (SQL only; validation lives in the service and core/benchmarking). A trigger
 * refuses UPDATE and DELETE of a published row, so `publishMethodology` is the last change a row sees.
 */
import { sql } from 'drizzle-orm';
import type { MethodologyStatus } from '../../core/benchmarking/types';
import type { Db } from './client';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

export interface MethodologyRecord {
	id: string;
	key: string;
	version: string;
	status: MethodologyStatus;
	/** The stored JSON document; callers parse it with parseMethodology before use. */
	definition: unknown;
	publishedAt: Date | null;
	createdAt: Date;
}

interface Row {
	id: string;
	key: string;
	version: string;
	status: string;
	definition: unknown;
	published_at: Date | string | null;
	created_at: Date | string;
}

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function toRecord(r: Row): MethodologyRecord {
	return {
		id: r.id,
		key: r.key,
		version: r.version,
		status: r.status as MethodologyStatus,
		definition: typeof r.definition === 'string' ? (JSON.parse(r.definition) as unknown) : r.definition,
		publishedAt: r.published_at === null ? null : toDate(r.published_at),
		createdAt: toDate(r.created_at)
	};
}

const COLUMNS = sql`id, key, version, status, definition, published_at, created_at`;

export async function findMethodology(db: Executor, key: string, version: string): Promise<MethodologyRecord | null> {
	const [r] = await rows<Row>(db, sql`SELECT ${COLUMNS} FROM methodology WHERE key = ${key} AND version = ${version}`);
	return r ? toRecord(r) : null;
}

export async function findMethodologyById(db: Executor, id: string): Promise<MethodologyRecord | null> {
	const [r] = await rows<Row>(db, sql`SELECT ${COLUMNS} FROM methodology WHERE id = ${id}::uuid`);
	return r ? toRecord(r) : null;
}

/** The most recently published version (of one key, or of any). */
export async function findLatestPublishedMethodology(db: Executor, key?: string): Promise<MethodologyRecord | null> {
	const [r] = await rows<Row>(
		db,
		sql`SELECT ${COLUMNS} FROM methodology WHERE status = 'published' ${key === undefined ? sql`` : sql`AND key = ${key}`}
		    ORDER BY published_at DESC NULLS LAST, created_at DESC, id LIMIT 1`
	);
	return r ? toRecord(r) : null;
}

export async function listMethodologies(
	db: Executor,
	filter: { status?: MethodologyStatus } = {}
): Promise<MethodologyRecord[]> {
	const r = await rows<Row>(
		db,
		sql`SELECT ${COLUMNS} FROM methodology ${filter.status ? sql`WHERE status = ${filter.status}` : sql``}
		    ORDER BY key, created_at, version`
	);
	return r.map(toRecord);
}

/** Inserts a version; null when (key, version) already exists. */
export async function insertMethodology(
	tx: Executor,
	input: { key: string; version: string; status: MethodologyStatus; definition: unknown; at: Date }
): Promise<MethodologyRecord | null> {
	const [r] = await rows<Row>(
		tx,
		sql`INSERT INTO methodology (key, version, status, definition, published_at, created_at)
		    VALUES (${input.key}, ${input.version}, ${input.status}, ${JSON.stringify(input.definition)}::jsonb,
		            ${input.status === 'published' ? input.at.toISOString() : null}::timestamptz, ${input.at.toISOString()}::timestamptz)
		    ON CONFLICT (key, version) DO NOTHING
		    RETURNING ${COLUMNS}`
	);
	return r ? toRecord(r) : null;
}

/** Draft → published, with the definition it is published with; false when it was not a draft. */
export async function publishMethodologyRow(tx: Executor, id: string, definition: unknown, at: Date): Promise<boolean> {
	const r = await rows<{ id: string }>(
		tx,
		sql`UPDATE methodology SET status = 'published', definition = ${JSON.stringify(definition)}::jsonb,
		           published_at = ${at.toISOString()}::timestamptz
		    WHERE id = ${id}::uuid AND status = 'draft' RETURNING id`
	);
	return r.length === 1;
}
