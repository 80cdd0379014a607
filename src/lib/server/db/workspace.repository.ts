/**
 * Reads for the signed-in workspace: short lists of records in any status (my drafts, the review
 * queue) and the names of the people in a record's history. The service filters every row through
 * the access policy again; these queries only narrow the candidates.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { RecordStatus } from '../../core/registry/vocabulary';
import type { Db } from './client';
import { arrayLiteral } from './initiative.repository';
import { isoTimestamp, list, rows } from './sql';

type Executor = Pick<Db, 'execute'>;

export interface WorkspaceItem {
	id: string;
	title: string;
	status: RecordStatus;
	version: number;
	countries: string[];
	ownerOrganisationId: string | null;
	createdBy: string | null;
	updatedAt: string;
	/** The comment of the latest revision (a reviewer's request for changes), if any. */
	lastComment: string | null;
}

interface RawItem {
	id: string;
	title: string;
	status: RecordStatus;
	version: number;
	country_codes: string[] | string;
	owner_organisation_id: string | null;
	created_by: string | null;
	updated_at: string;
	last_comment: string | null;
}

/** `{a,b}` text from PGlite/pg is already an array with both drivers; strings are parsed defensively. */
function arrayOf(v: string[] | string): string[] {
	if (Array.isArray(v)) return v;
	const inner = v.replace(/^\{|\}$/g, '');
	return inner === '' ? [] : inner.split(',');
}

async function select(db: Executor, where: SQL, limit: number): Promise<WorkspaceItem[]> {
	const found = await rows<RawItem>(
		db,
		sql`SELECT i.id, i.title, i.status, i.version, i.country_codes, i.owner_organisation_id, i.created_by,
		           ${isoTimestamp(sql`i.updated_at`)} AS updated_at,
		           (SELECT r.comment FROM initiative_revision r WHERE r.initiative_id = i.id
		             ORDER BY r.version DESC LIMIT 1) AS last_comment
		    FROM initiative i WHERE ${where}
		    ORDER BY i.updated_at DESC, i.id LIMIT ${limit}`
	);
	return found.map((r) => ({
		id: r.id,
		title: r.title,
		status: r.status,
		version: Number(r.version),
		countries: arrayOf(r.country_codes),
		ownerOrganisationId: r.owner_organisation_id,
		createdBy: r.created_by,
		updatedAt: r.updated_at,
		lastComment: r.last_comment
	}));
}

/** Unpublished records created by the person or owned by one of their organisations. */
export function listOwnRecords(
	db: Executor,
	who: { userId: string; organisationIds: readonly string[] },
	statuses: readonly RecordStatus[],
	limit: number
): Promise<WorkspaceItem[]> {
	const mine =
		who.organisationIds.length > 0
			? sql`(i.created_by = ${who.userId}::uuid OR i.owner_organisation_id::text IN ${list(who.organisationIds)})`
			: sql`i.created_by = ${who.userId}::uuid`;
	return select(db, sql`${mine} AND i.status IN ${list(statuses)}`, limit);
}

/** Records in a status that concern some countries (null = any country, for admins). */
export function listByCountries(
	db: Executor,
	countries: readonly string[] | null,
	status: RecordStatus,
	limit: number
): Promise<WorkspaceItem[]> {
	if (countries !== null && countries.length === 0) return Promise.resolve([]);
	const scope = countries === null ? sql`TRUE` : sql`i.country_codes && ${arrayLiteral(countries)}::text[]`;
	return select(db, sql`i.status = ${status} AND ${scope}`, limit);
}

/** Display names of accounts (for "who" in a history); unknown ids are left out. */
export async function accountNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
	if (ids.length === 0) return new Map();
	const found = await rows<{ id: string; display_name: string }>(
		db,
		sql`SELECT id, display_name FROM app_user WHERE id::text IN ${list(ids)}`
	);
	return new Map(found.map((r) => [r.id, r.display_name]));
}
