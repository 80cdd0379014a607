/**
 * Methodology versions (issue #5): the default methodology is made sure of at start-up (`gcm serve`,
 * `gcm migrate`, `gcm seed`); admins create drafts and publish them; anyone reads published versions.
 * A published version is immutable (a database trigger refuses UPDATE and DELETE of it), and every
 * assessment pins the version it uses.
 *
 * Access is simple enough not to need a table: published versions are public, drafts and every
 * change are for admins (and the operator at the command line). Each change writes its audit row in
 * its transaction.
 */
import { DEFAULT_METHODOLOGY } from '../../core/benchmarking/default-methodology';
import { parseMethodology } from '../../core/benchmarking/methodology-schema';
import type { Methodology, MethodologyStatus } from '../../core/benchmarking/types';
import { DomainError } from '../../core/shared/errors';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database, Db } from '../db/client';
import {
	findLatestPublishedMethodology,
	findMethodology,
	insertMethodology,
	listMethodologies,
	publishMethodologyRow,
	type MethodologyRecord
} from '../db/methodology.repository';
import type { RequestContext } from './account.service';
import type { Viewer } from './viewer';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A methodology version as the service returns it: the parsed definition and its row facts. */
export interface MethodologyVersion {
	id: string;
	key: string;
	version: string;
	status: MethodologyStatus;
	publishedAt: Date | null;
	definition: Methodology;
}

export function toMethodologyVersion(r: MethodologyRecord): MethodologyVersion {
	// The stored status is the truth (the document's own `status` field is rewritten to match).
	const definition = { ...parseMethodology(r.definition), status: r.status };
	return { id: r.id, key: r.key, version: r.version, status: r.status, publishedAt: r.publishedAt, definition };
}

function isAdmin(viewer: Viewer): boolean {
	return viewer.kind === 'system' || (viewer.kind === 'user' && viewer.user.role === 'admin');
}

function actorOfViewer(viewer: Viewer): { id: string | null; label: string; role: string | null } {
	if (viewer.kind === 'user') return { id: viewer.user.id, label: viewer.user.label, role: viewer.user.role };
	if (viewer.kind === 'system') return { id: null, label: 'cli', role: 'system' };
	return { id: null, label: 'anonymous', role: null };
}

async function auditMethodology(
	tx: Tx,
	ctx: RequestContext,
	viewer: Viewer,
	action: string,
	row: { id: string; key: string; version: string },
	changes: Record<string, unknown>,
	at: Date
): Promise<void> {
	const actor = actorOfViewer(viewer);
	await insertAuditEvent(tx, {
		at,
		actorId: actor.id,
		actorLabel: actor.label,
		actorRole: actor.role,
		action,
		objectType: 'methodology',
		objectId: row.id,
		changes: { key: { before: null, after: row.key }, version: { before: null, after: row.version }, ...changes },
		requestId: ctx.requestId,
		channel: ctx.channel
	});
}

const notFound = () => new DomainError('METHODOLOGY_NOT_FOUND', 'No such methodology version');

/**
 * Inserts DEFAULT_METHODOLOGY as published when its key and version are missing (idempotent; safe
 * to call on every start). Returns whether it was inserted.
 */
export async function ensureDefaultMethodology(
	database: Database,
	options: { now?: () => Date } = {}
): Promise<{ created: boolean; key: string; version: string }> {
	const { db } = database;
	const definition = parseMethodology({ ...DEFAULT_METHODOLOGY, status: 'published' });
	const found = await findMethodology(db, definition.key, definition.version);
	if (found) return { created: false, key: definition.key, version: definition.version };
	const at = (options.now ?? (() => new Date()))();
	const created = await db.transaction(async (tx) => {
		const row = await insertMethodology(tx, {
			key: definition.key,
			version: definition.version,
			status: 'published',
			definition,
			at
		});
		// Another process inserted it between the check and here: nothing to do.
		if (!row) return false;
		await auditMethodology(
			tx,
			{ channel: 'cli', requestId: null },
			{ kind: 'system', channel: 'cli' },
			'methodology.published',
			row,
			{ status: { before: null, after: 'published' }, source: 'default' },
			at
		);
		return true;
	});
	return { created, key: definition.key, version: definition.version };
}

export function createMethodologyService(database: Database, options: { now?: () => Date } = {}) {
	const { db } = database;
	const now = options.now ?? (() => new Date());

	async function load(viewer: Viewer, key: string, version: string): Promise<MethodologyRecord> {
		const row = typeof key === 'string' && typeof version === 'string' ? await findMethodology(db, key, version) : null;
		if (!row || (row.status !== 'published' && !isAdmin(viewer))) throw notFound();
		return row;
	}

	return {
		/** Published versions for everyone; drafts too for admins. Oldest first within a key. */
		async list(viewer: Viewer): Promise<MethodologyVersion[]> {
			const rowsFound = await listMethodologies(db, isAdmin(viewer) ? {} : { status: 'published' });
			return rowsFound.map(toMethodologyVersion);
		},

		/** One version; a draft is METHODOLOGY_NOT_FOUND for anyone but admins. */
		async get(viewer: Viewer, key: string, version: string): Promise<MethodologyVersion> {
			return toMethodologyVersion(await load(viewer, key, version));
		},

		/** The most recently published version (of a key, or of any key). */
		async latestPublished(key?: string): Promise<MethodologyVersion | null> {
			const row = await findLatestPublishedMethodology(db, key);
			return row ? toMethodologyVersion(row) : null;
		},

		/** Creates a draft version from a full definition (validated with parseMethodology). Admins only. */
		async createDraft(ctx: RequestContext, viewer: Viewer, input: unknown): Promise<MethodologyVersion> {
			if (!isAdmin(viewer)) throw new DomainError('FORBIDDEN', 'Only administrators create methodology versions.');
			const definition = parseMethodology(
				typeof input === 'object' && input !== null ? { ...input, status: 'draft' } : input
			);
			const at = now();
			return db.transaction(async (tx) => {
				const row = await insertMethodology(tx, {
					key: definition.key,
					version: definition.version,
					status: 'draft',
					definition,
					at
				});
				if (!row) {
					throw new DomainError(
						'CONFLICT',
						`Methodology ${definition.key} ${definition.version} already exists; give the new draft another version.`,
						[{ field: 'version', message: 'already exists' }]
					);
				}
				await auditMethodology(
					tx,
					ctx,
					viewer,
					'methodology.created',
					row,
					{ status: { before: null, after: 'draft' } },
					at
				);
				return toMethodologyVersion(row);
			});
		},

		/** Draft → published. From then on the version never changes (the trigger enforces it). Admins only. */
		async publish(ctx: RequestContext, viewer: Viewer, key: string, version: string): Promise<MethodologyVersion> {
			if (!isAdmin(viewer)) throw new DomainError('FORBIDDEN', 'Only administrators publish methodology versions.');
			const row = await load(viewer, key, version);
			if (row.status === 'published') {
				throw new DomainError(
					'CONFLICT',
					`Methodology ${key} ${version} is already published.`,
					[],
					toMethodologyVersion(row)
				);
			}
			const definition = { ...parseMethodology(row.definition), status: 'published' as const };
			const at = now();
			return db.transaction(async (tx) => {
				if (!(await publishMethodologyRow(tx, row.id, definition, at))) {
					throw new DomainError('CONFLICT', `Methodology ${key} ${version} was published by someone else.`);
				}
				await auditMethodology(
					tx,
					ctx,
					viewer,
					'methodology.published',
					row,
					{ status: { before: 'draft', after: 'published' } },
					at
				);
				const after = await findMethodology(tx, key, version);
				if (!after) throw new Error(`methodology ${key} ${version} vanished inside its own transaction`);
				return toMethodologyVersion(after);
			});
		}
	};
}

export type MethodologyService = ReturnType<typeof createMethodologyService>;
