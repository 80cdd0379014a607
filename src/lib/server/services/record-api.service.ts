/**
 * The write API for practices and actors (/api/v1/practices …, /api/v1/actors …), acting as an API
 * token's owner through the record workflows — the same rules as the initiative write API in
 * api-token.service.ts: the account's rights narrowed by the token (read-only tokens never write;
 * a token narrowed to an organisation and/or a country acts only on those records), If-Match
 * versions (a stale one is PRECONDITION_FAILED carrying the current record). Runs per API request.
 */
import { z } from 'zod';
import { DomainError, validationError } from '../../core/shared/errors';
import type { Database } from '../db/client';
import { findAccessFacts } from '../db/organisation.repository';
import type { RequestContext } from './account.service';
import { withinNarrowing, type ApiPrincipal } from './api-token.service';
import type { RecordHistoryEntry, RecordStep, RecordWorkflow, WorkflowRecord } from './record-workflow';
import { PUBLIC_API, type Viewer } from './viewer';

export type ApiRecordType = 'practice' | 'actor';

/**
 * Which history a caller got: `full` (every revision, who and comments: the account may read the
 * history and the record is within the token's narrowing) or `public` (the published revisions,
 * anonymised: no token, outside its narrowing, or an account without `read_history`).
 */
export type RecordHistoryView = 'full' | 'public';

function narrowingText(p: ApiPrincipal): string {
	const parts: string[] = [];
	if (p.organisationId) parts.push(`organisation ${p.organisationId}`);
	if (p.country) parts.push(`country ${p.country}`);
	return parts.join(' and ');
}

/** The countries a create/patch input would give the record (practice: countries; actor: country). */
function inputCountries(type: ApiRecordType, input: Record<string, unknown>): string[] | undefined {
	if (type === 'practice') {
		return Array.isArray(input.countries)
			? input.countries.filter((c): c is string => typeof c === 'string')
			: undefined;
	}
	if (!('country' in input)) return undefined;
	return typeof input.country === 'string' ? [input.country] : [];
}

type AnyWorkflow = RecordWorkflow<WorkflowRecord, object>;

export function createRecordApiService(
	database: Database,
	workflows: Record<ApiRecordType, { notFound: 'PRACTICE_NOT_FOUND' | 'ACTOR_NOT_FOUND'; workflow: unknown }>
) {
	const { db } = database;
	const wf = (type: ApiRecordType) => workflows[type].workflow as AnyWorkflow;
	const notFound = (type: ApiRecordType) => new DomainError(workflows[type].notFound, `No such ${type}`);

	async function viewerOf(p: ApiPrincipal): Promise<Viewer> {
		const facts = await findAccessFacts(db, p.user.id);
		return { kind: 'user', channel: 'api', user: { id: p.user.id, label: p.user.email, role: p.user.role, ...facts } };
	}

	async function readable(type: ApiRecordType, p: ApiPrincipal, viewer: Viewer, id: string): Promise<WorkflowRecord> {
		const record = await wf(type).get(viewer, id);
		if (record.status !== 'published' && !withinNarrowing(p, record)) throw notFound(type);
		return record;
	}

	function assertTokenMayWrite(
		p: ApiPrincipal,
		record: { ownerOrganisationId: string | null; countries: readonly string[] }
	) {
		if (p.access !== 'write') {
			throw new DomainError('FORBIDDEN', 'This token is read-only; create a token with write access to make changes.');
		}
		if (!withinNarrowing(p, record)) {
			throw new DomainError('FORBIDDEN', `This token only acts on records of ${narrowingText(p)}.`);
		}
	}

	function assertVersion(record: WorkflowRecord, expectedVersion: number): void {
		if (record.version !== expectedVersion) {
			throw new DomainError(
				'PRECONDITION_FAILED',
				`The record changed since version ${expectedVersion} (it is now at version ${record.version}). Fetch it, reapply your change and send the new ETag in If-Match.`,
				[],
				record
			);
		}
	}

	async function versioned<T>(expectedVersion: number, write: () => Promise<T>): Promise<T> {
		try {
			return await write();
		} catch (err) {
			if (err instanceof DomainError && err.code === 'CONFLICT') {
				const current = err.current as WorkflowRecord | undefined;
				if (current && current.version !== expectedVersion) {
					throw new DomainError('PRECONDITION_FAILED', 'The record was changed by someone else.', [], current);
				}
			}
			throw err;
		}
	}

	return {
		/** One record the account and the token may read, in any status. */
		async get(type: ApiRecordType, p: ApiPrincipal, id: string): Promise<WorkflowRecord> {
			return readable(type, p, await viewerOf(p), id);
		},

		/** The published record, for callers without a token. */
		getPublished(type: ApiRecordType, id: string): Promise<WorkflowRecord> {
			return wf(type).get(PUBLIC_API, id);
		},

		/** Creates a draft; the owner defaults to the token's organisation, else the account's only one. */
		async create(
			type: ApiRecordType,
			ctx: RequestContext,
			p: ApiPrincipal,
			input: Record<string, unknown>,
			ownerOrganisationId?: unknown
		): Promise<WorkflowRecord> {
			if (
				ownerOrganisationId !== undefined &&
				ownerOrganisationId !== null &&
				!z.uuid().safeParse(ownerOrganisationId).success
			) {
				throw validationError([
					{ field: 'owner_organisation_id', message: 'must be an organisation id (uuid) or null' }
				]);
			}
			const owner =
				ownerOrganisationId === undefined ? (p.organisationId ?? undefined) : (ownerOrganisationId as string | null);
			assertTokenMayWrite(p, { ownerOrganisationId: owner ?? null, countries: inputCountries(type, input) ?? [] });
			const viewer = await viewerOf(p);
			return wf(type).create(ctx, viewer, input, owner === undefined ? {} : { ownerOrganisationId: owner });
		},

		/** PATCH: the fields sent, from the version in If-Match. */
		async update(
			type: ApiRecordType,
			ctx: RequestContext,
			p: ApiPrincipal,
			id: string,
			expectedVersion: number,
			patch: Record<string, unknown>
		): Promise<WorkflowRecord> {
			const viewer = await viewerOf(p);
			const current = await readable(type, p, viewer, id);
			assertTokenMayWrite(p, current);
			const next = inputCountries(type, patch);
			if (p.country !== null && next !== undefined && !next.includes(p.country)) {
				throw new DomainError(
					'FORBIDDEN',
					`This token only acts on records of ${narrowingText(p)}; keep ${p.country}.`
				);
			}
			assertVersion(current, expectedVersion);
			return versioned(expectedVersion, () => wf(type).update(ctx, viewer, id, expectedVersion, patch));
		},

		/** A workflow step from the version in If-Match. */
		async step(
			type: ApiRecordType,
			ctx: RequestContext,
			p: ApiPrincipal,
			step: RecordStep,
			id: string,
			expectedVersion: number,
			comment?: unknown
		): Promise<WorkflowRecord> {
			const viewer = await viewerOf(p);
			const current = await readable(type, p, viewer, id);
			assertTokenMayWrite(p, current);
			assertVersion(current, expectedVersion);
			return versioned(expectedVersion, () => wf(type).runStep(step, ctx, viewer, id, expectedVersion, comment));
		},

		/**
		 * The history as the workflow shows it: to the account, or to the public (no token, or outside
		 * its narrowing), with the view answered so the route picks the matching snapshot shape.
		 */
		async history(
			type: ApiRecordType,
			p: ApiPrincipal | null,
			id: string
		): Promise<{ view: RecordHistoryView; entries: RecordHistoryEntry<WorkflowRecord>[] }> {
			if (!p) return { view: 'public', entries: await wf(type).history(PUBLIC_API, id) };
			const viewer = await viewerOf(p);
			const record = await readable(type, p, viewer, id);
			const shownTo = withinNarrowing(p, record) ? viewer : PUBLIC_API;
			// The workflow's own rule: only viewers allowed read_history get more than the public view.
			const view = wf(type).canReadHistory(shownTo, record) ? 'full' : 'public';
			return { view, entries: await wf(type).history(shownTo, id) };
		}
	};
}

export type RecordApiService = ReturnType<typeof createRecordApiService>;
