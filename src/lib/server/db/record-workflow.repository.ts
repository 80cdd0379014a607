/**
 * SQL that the workflow writes and the workspace lists share between record tables: the
 * versioned status transition (initiative, practice, actor) and the condition that picks a
 * workspace list's candidates (practice, actor). Each table's repository supplies its own
 * columns; the rules are written once here.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import { list, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

/** A record table with the workflow columns (status, version, updated_at, published_at). */
export type WorkflowTable = 'initiative' | 'practice' | 'actor';

/**
 * Moves the record from one of `from` to `to` if it is still at `expectedVersion`. False: nothing
 * written. Like file imports, published_at is the time of the current publication, null when not
 * published.
 */
export async function transitionRecord(
	tx: Executor,
	table: WorkflowTable,
	id: string,
	expectedVersion: number,
	from: readonly RecordStatus[],
	to: RecordStatus
): Promise<boolean> {
	const publishedAt = to === 'published' ? sql`coalesce(published_at, now())` : sql`NULL`;
	const updated = await rows<{ id: string }>(
		tx,
		sql`UPDATE ${sql.identifier(table)} SET status = ${to}, version = version + 1, updated_at = now(), published_at = ${publishedAt}
		    WHERE id = ${id}::uuid AND version = ${expectedVersion} AND status IN ${list(from)} RETURNING id`
	);
	return updated.length > 0;
}

/** A short list row for the workspace (mine, review queue). */
export interface WorkItem {
	id: string;
	title: string;
	status: RecordStatus;
	version: number;
	countries: string[];
	ownerOrganisationId: string | null;
	createdBy: string | null;
	updatedAt: string;
}

/**
 * Which candidates a workspace list wants: records in `statuses` that the person created or their
 * organisations own (`own`), or that concern the given countries (`countries`; null = all).
 */
export type WorkItemFilter =
	| { own: { userId: string; organisationIds: readonly string[] }; statuses: readonly RecordStatus[] }
	| { countries: readonly string[] | null; statuses: readonly RecordStatus[] };

/**
 * The WHERE condition of a workspace list over the table aliased `alias` (without the status
 * condition), or null when it can match nothing (a country list that is empty). `inCountries` is
 * the table's own test of "concerns one of these countries".
 */
export function workItemCondition(
	alias: string,
	filter: WorkItemFilter,
	inCountries: (countries: readonly string[]) => SQL
): SQL | null {
	const a = sql.identifier(alias);
	if ('own' in filter) {
		return filter.own.organisationIds.length > 0
			? sql`(${a}.created_by = ${filter.own.userId}::uuid OR ${a}.owner_organisation_id::text IN ${list(filter.own.organisationIds)})`
			: sql`${a}.created_by = ${filter.own.userId}::uuid`;
	}
	if (filter.countries === null) return sql`TRUE`;
	if (filter.countries.length === 0) return null;
	return inCountries(filter.countries);
}
