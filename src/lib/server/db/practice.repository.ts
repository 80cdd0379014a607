/** Practice persistence (seed report Annex 3 and later additions). */
import { sql } from 'drizzle-orm';
import type { Practice, PracticeInput } from '../../core/registry/practice';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import type { Visibility } from './initiative.repository';
import { bumpRegistryVersion } from './data-version.repository';
import { transitionRecord, workItemCondition, type WorkItem, type WorkItemFilter } from './record-workflow.repository';
import { isoTimestamp, list, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

interface PracticeRow {
	id: string;
	key: string;
	name: string;
	implementing_partners: string;
	period_start: number | null;
	period_end: number | null;
	period_text: string | null;
	description: string;
	more_information: string | null;
	report_row: number | null;
	original_text: string | null;
	status: string;
	version: number;
	created_at: string;
	updated_at: string;
	countries: string[] | null;
	objectives: number[] | null;
}

const SELECT = sql`p.id, p.key, p.name, p.implementing_partners, p.period_start, p.period_end, p.period_text, p.description,
	p.more_information, p.report_row, p.original_text, p.status, p.version,
	${isoTimestamp(sql`p.created_at`)} AS created_at, ${isoTimestamp(sql`p.updated_at`)} AS updated_at,
	ARRAY(SELECT c.iso3 FROM practice_country c WHERE c.practice_id = p.id ORDER BY c.iso3) AS countries,
	ARRAY(SELECT o.objective::int FROM practice_objective o WHERE o.practice_id = p.id ORDER BY o.objective) AS objectives`;

function toPractice(r: PracticeRow): Practice {
	return {
		id: r.id,
		key: r.key,
		name: r.name,
		implementingPartners: r.implementing_partners,
		periodStart: r.period_start === null ? null : Number(r.period_start),
		periodEnd: r.period_end === null ? null : Number(r.period_end),
		periodText: r.period_text,
		description: r.description,
		moreInformation: r.more_information,
		countries: r.countries ?? [],
		objectives: (r.objectives ?? []).map(Number),
		reportRow: r.report_row,
		originalText: r.original_text,
		status: r.status as RecordStatus,
		version: r.version,
		createdAt: r.created_at,
		updatedAt: r.updated_at
	};
}

export async function listPractices(db: Executor, visibility: Visibility): Promise<Practice[]> {
	const where = visibility === 'published' ? sql`WHERE p.status = 'published'` : sql``;
	const r = await rows<PracticeRow>(
		db,
		sql`SELECT ${SELECT} FROM practice p ${where} ORDER BY p.period_start NULLS LAST, p.name`
	);
	return r.map(toPractice);
}

export async function findPractice(db: Executor, id: string, visibility: Visibility): Promise<Practice | null> {
	const vis = visibility === 'published' ? sql`AND p.status = 'published'` : sql``;
	const r = await rows<PracticeRow>(db, sql`SELECT ${SELECT} FROM practice p WHERE p.id = ${id}::uuid ${vis}`);
	return r[0] ? toPractice(r[0]) : null;
}

export async function upsertPractices(
	tx: Executor,
	inputs: readonly PracticeInput[],
	status: RecordStatus
): Promise<number> {
	await bumpRegistryVersion(tx);
	for (const p of inputs) {
		const published = status === 'published' ? sql`now()` : sql`NULL`;
		const saved = await rows<{ id: string }>(
			tx,
			sql`INSERT INTO practice (key, name, implementing_partners, period_start, period_end, period_text, description,
			      more_information, report_row, original_text, status, published_at)
			    VALUES (${p.key}, ${p.name}, ${p.implementingPartners}, ${p.periodStart}, ${p.periodEnd}, ${p.periodText},
			      ${p.description}, ${p.moreInformation}, ${p.reportRow}, ${p.originalText}, ${status}, ${published})
			    ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, implementing_partners = EXCLUDED.implementing_partners,
			      period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, period_text = EXCLUDED.period_text,
			      description = EXCLUDED.description, more_information = EXCLUDED.more_information,
			      report_row = EXCLUDED.report_row, original_text = EXCLUDED.original_text, status = EXCLUDED.status,
			      published_at = CASE WHEN EXCLUDED.status = 'published' THEN coalesce(practice.published_at, now()) END,
			      version = practice.version + 1, updated_at = now()
			    RETURNING id`
		);
		const id = saved[0]?.id;
		if (!id) throw new Error(`upsert of practice ${p.key} returned no row`);
		await tx.execute(sql`DELETE FROM practice_country WHERE practice_id = ${id}::uuid`);
		await tx.execute(sql`DELETE FROM practice_objective WHERE practice_id = ${id}::uuid`);
		for (const c of p.countries)
			await tx.execute(sql`INSERT INTO practice_country (practice_id, iso3) VALUES (${id}::uuid, ${c})`);
		for (const o of p.objectives) {
			await tx.execute(sql`INSERT INTO practice_objective (practice_id, objective) VALUES (${id}::uuid, ${o})`);
		}
	}
	return inputs.length;
}

// ---------------------------------------------------------------------------------------------
// The editing workflow (issue #3): single-record writes, versioned (`WHERE id AND version`, so a
// stale writer changes nothing). Callers own the transaction, the revision and the audit row.

/** A practice with the fields the access policy looks at. */
export interface WorkflowPractice extends Practice {
	ownerOrganisationId: string | null;
	createdBy: string | null;
	publishedAt: string | null;
}

/** The full record in any status, with its owner, creator and publication time, or null. */
export async function findWorkflowPractice(db: Executor, id: string): Promise<WorkflowPractice | null> {
	const found = await rows<
		PracticeRow & { owner_organisation_id: string | null; created_by: string | null; published_at: string | null }
	>(
		db,
		sql`SELECT ${SELECT}, p.owner_organisation_id, p.created_by, ${isoTimestamp(sql`p.published_at`)} AS published_at
		    FROM practice p WHERE p.id = ${id}::uuid`
	);
	const r = found[0];
	if (!r) return null;
	return {
		...toPractice(r),
		version: Number(r.version),
		ownerOrganisationId: r.owner_organisation_id,
		createdBy: r.created_by,
		publishedAt: r.published_at
	};
}

async function writePracticeLists(tx: Executor, id: string, p: PracticeInput): Promise<void> {
	await tx.execute(sql`DELETE FROM practice_country WHERE practice_id = ${id}::uuid`);
	await tx.execute(sql`DELETE FROM practice_objective WHERE practice_id = ${id}::uuid`);
	for (const c of p.countries) {
		await tx.execute(sql`INSERT INTO practice_country (practice_id, iso3) VALUES (${id}::uuid, ${c})`);
	}
	for (const o of p.objectives) {
		await tx.execute(sql`INSERT INTO practice_objective (practice_id, objective) VALUES (${id}::uuid, ${o})`);
	}
}

/** Inserts a draft; null when the key is already taken. */
export async function insertPracticeDraft(
	tx: Executor,
	p: PracticeInput,
	owner: { ownerOrganisationId: string | null; createdBy: string | null }
): Promise<string | null> {
	const [row] = await rows<{ id: string }>(
		tx,
		sql`INSERT INTO practice (key, name, implementing_partners, period_start, period_end, period_text, description,
		      more_information, report_row, original_text, status, owner_organisation_id, created_by)
		    VALUES (${p.key}, ${p.name}, ${p.implementingPartners}, ${p.periodStart}, ${p.periodEnd}, ${p.periodText},
		      ${p.description}, ${p.moreInformation}, ${p.reportRow}, ${p.originalText}, 'draft',
		      ${owner.ownerOrganisationId}::uuid, ${owner.createdBy}::uuid)
		    ON CONFLICT (key) DO NOTHING RETURNING id`
	);
	if (!row) return null;
	await writePracticeLists(tx, row.id, p);
	return row.id;
}

/** Whether another practice already uses this key. */
export async function practiceKeyTaken(db: Executor, key: string, exceptId: string): Promise<boolean> {
	const found = await rows<{ id: string }>(
		db,
		sql`SELECT id FROM practice WHERE key = ${key} AND id <> ${exceptId}::uuid LIMIT 1`
	);
	return found.length > 0;
}

/** Writes the content if the record is still at `expectedVersion` and in one of `states`. False: nothing written. */
export async function updatePracticeContent(
	tx: Executor,
	id: string,
	expectedVersion: number,
	states: readonly RecordStatus[],
	p: PracticeInput
): Promise<boolean> {
	const updated = await rows<{ id: string }>(
		tx,
		sql`UPDATE practice SET key = ${p.key}, name = ${p.name}, implementing_partners = ${p.implementingPartners},
		      period_start = ${p.periodStart}, period_end = ${p.periodEnd}, period_text = ${p.periodText},
		      description = ${p.description}, more_information = ${p.moreInformation}, report_row = ${p.reportRow},
		      original_text = ${p.originalText}, version = version + 1, updated_at = now()
		    WHERE id = ${id}::uuid AND version = ${expectedVersion} AND status IN ${list(states)} RETURNING id`
	);
	if (updated.length === 0) return false;
	await writePracticeLists(tx, id, p);
	return true;
}

/** Moves the record from one of `from` to `to` if it is still at `expectedVersion`. False: nothing written. */
export function transitionPractice(
	tx: Executor,
	id: string,
	expectedVersion: number,
	from: readonly RecordStatus[],
	to: RecordStatus
): Promise<boolean> {
	return transitionRecord(tx, 'practice', id, expectedVersion, from, to);
}

/** A short list row for the workspace (mine, review queue). */
export type PracticeWorkItem = WorkItem;

/**
 * Candidates for the workspace lists (see workItemCondition): a practice concerns the countries of
 * practice_country. The service filters every row through the policy again.
 */
export async function listPracticeWorkItems(
	db: Executor,
	filter: WorkItemFilter,
	limit: number
): Promise<PracticeWorkItem[]> {
	const who = workItemCondition(
		'p',
		filter,
		(countries) =>
			sql`EXISTS (SELECT 1 FROM practice_country c WHERE c.practice_id = p.id AND c.iso3 IN ${list(countries)})`
	);
	if (!who) return [];
	const found = await rows<{
		id: string;
		name: string;
		status: string;
		version: number;
		countries: string[] | null;
		owner_organisation_id: string | null;
		created_by: string | null;
		updated_at: string;
	}>(
		db,
		sql`SELECT p.id, p.name, p.status, p.version, p.owner_organisation_id, p.created_by,
		      ${isoTimestamp(sql`p.updated_at`)} AS updated_at,
		      ARRAY(SELECT c.iso3 FROM practice_country c WHERE c.practice_id = p.id ORDER BY c.iso3) AS countries
		    FROM practice p WHERE ${who} AND p.status IN ${list(filter.statuses)}
		    ORDER BY p.updated_at DESC, p.id LIMIT ${limit}`
	);
	return found.map((r) => ({
		id: r.id,
		title: r.name,
		status: r.status as RecordStatus,
		version: Number(r.version),
		countries: r.countries ?? [],
		ownerOrganisationId: r.owner_organisation_id,
		createdBy: r.created_by,
		updatedAt: r.updated_at
	}));
}
