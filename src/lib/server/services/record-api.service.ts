/**
 * The write API of every record kind (/api/v1/initiatives …, /api/v1/practices …, /api/v1/actors …),
 * acting as an API token's owner through the kind's workflow: the account's rights narrowed by the
 * token (read-only tokens never write; a token narrowed to an organisation and/or a country acts only
 * on those records), If-Match versions (a stale one is PRECONDITION_FAILED carrying the current
 * record). One definition per rule, per kind through `createTokenRecordApi`; the initiative methods
 * of api-token.service.ts use it too. Runs per API request.
 */
import { z } from 'zod';
import { DomainError, validationError, type ErrorCode } from '../../core/shared/errors';
import type { Database } from '../db/client';
import { findAccessFacts } from '../db/organisation.repository';
import type { RequestContext } from './account.service';
import type { ApiPrincipal } from './api-token.service';
import type { RecordHistoryEntry, RecordStep, WorkflowEngine, WorkflowRecord } from './record-workflow';
import { PUBLIC_API, type Viewer } from './viewer';

export type ApiRecordType = 'practice' | 'actor';

/**
 * Which history a caller got: `full` (every revision, who and comments: the account may read the
 * history and the record is within the token's narrowing) or `public` (the published revisions,
 * anonymised: no token, outside its narrowing, or an account without `read_history`).
 */
export type RecordHistoryView = 'full' | 'public';

/** Whether a record is within the token's narrowing (organisation and/or country). */
export function withinNarrowing(
	p: Pick<ApiPrincipal, 'organisationId' | 'country'>,
	r: { ownerOrganisationId: string | null; countries: readonly string[] }
): boolean {
	if (p.organisationId !== null && r.ownerOrganisationId !== p.organisationId) return false;
	if (p.country !== null && !r.countries.includes(p.country)) return false;
	return true;
}

function narrowingText(p: ApiPrincipal): string {
	const parts: string[] = [];
	if (p.organisationId) parts.push(`organisation ${p.organisationId}`);
	if (p.country) parts.push(`country ${p.country}`);
	return parts.join(' and ');
}

/** The strings of an input list (a countries field); undefined when it is not a list. */
export const stringList = (v: unknown): string[] | undefined =>
	Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : undefined;

/** What the token API needs of one record kind. */
export interface TokenRecordKind<R extends WorkflowRecord> {
	type: string;
	notFound: ErrorCode;
	workflow: Pick<WorkflowEngine<R, object>, 'get' | 'create' | 'update' | 'runStep' | 'history' | 'canReadHistory'>;
	/** The countries a create/patch input would give the record; undefined when it does not say. */
	inputCountries(input: Record<string, unknown>): string[] | undefined;
	/** The input field the refusal names when a patch would drop the token's country (none: not named). */
	countriesField?: string;
}

/** The token API of one record kind: read, create, PATCH, step and history, as the token's owner. */
export function createTokenRecordApi<R extends WorkflowRecord>(database: Database, kind: TokenRecordKind<R>) {
	const { db } = database;
	const wf = kind.workflow;
	const notFound = () => new DomainError(kind.notFound, `No such ${kind.type}`);

	/** The owner as a workflow viewer (organisations and countries read fresh), on the API channel. */
	async function viewerOf(p: ApiPrincipal): Promise<Viewer> {
		const facts = await findAccessFacts(db, p.user.id);
		return { kind: 'user', channel: 'api', user: { id: p.user.id, label: p.user.email, role: p.user.role, ...facts } };
	}

	/** The record, if both the account and the token may read it; otherwise "not found". */
	async function readable(p: ApiPrincipal, viewer: Viewer, id: string): Promise<R> {
		const record = await wf.get(viewer, id);
		if (record.status !== 'published' && !withinNarrowing(p, record)) throw notFound();
		return record;
	}

	/** What a token needs on top of the account's rights to change a record it can read. */
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

	/**
	 * The If-Match precondition: the client's version must be the current one. A stale version is
	 * PRECONDITION_FAILED carrying the current record (the caller may read it: checked before).
	 */
	function assertVersion(record: R, expectedVersion: number): void {
		if (record.version !== expectedVersion) {
			throw new DomainError(
				'PRECONDITION_FAILED',
				`The record changed since version ${expectedVersion} (it is now at version ${record.version}). Fetch it, reapply your change and send the new ETag in If-Match.`,
				[],
				record
			);
		}
	}

	/**
	 * Runs a workflow write that started from `expectedVersion`; if someone else wrote in between
	 * (the workflow's versioned UPDATE found a newer version), that is a failed precondition too.
	 */
	async function versioned<T>(expectedVersion: number, write: () => Promise<T>): Promise<T> {
		try {
			return await write();
		} catch (err) {
			if (err instanceof DomainError && err.code === 'CONFLICT') {
				const current = err.current as R | undefined;
				if (current && current.version !== expectedVersion) {
					throw new DomainError('PRECONDITION_FAILED', 'The record was changed by someone else.', [], current);
				}
			}
			throw err;
		}
	}

	return {
		/** One record the account and the token may read, in any status. */
		async get(p: ApiPrincipal, id: string): Promise<R> {
			return readable(p, await viewerOf(p), id);
		},

		/** The published record, for callers without a token. */
		getPublished(id: string): Promise<R> {
			return wf.get(PUBLIC_API, id);
		},

		/**
		 * Creates a draft. `ownerOrganisationId` (optional) defaults to the token's organisation, else
		 * the workflow's default (the account's only organisation); an explicit null means "no owner".
		 */
		async create(
			ctx: RequestContext,
			p: ApiPrincipal,
			input: Record<string, unknown>,
			ownerOrganisationId?: unknown
		): Promise<R> {
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
			assertTokenMayWrite(p, { ownerOrganisationId: owner ?? null, countries: kind.inputCountries(input) ?? [] });
			const viewer = await viewerOf(p);
			return wf.create(ctx, viewer, input, owner === undefined ? {} : { ownerOrganisationId: owner });
		},

		/** PATCH: the fields sent, from the version in If-Match. */
		async update(
			ctx: RequestContext,
			p: ApiPrincipal,
			id: string,
			expectedVersion: number,
			patch: Record<string, unknown>
		): Promise<R> {
			const viewer = await viewerOf(p);
			const current = await readable(p, viewer, id);
			assertTokenMayWrite(p, current);
			// A narrowed token cannot move a record out of its country either.
			const next = kind.inputCountries(patch);
			if (p.country !== null && next !== undefined && !next.includes(p.country)) {
				const where = kind.countriesField ? ` in ${kind.countriesField}` : '';
				throw new DomainError(
					'FORBIDDEN',
					`This token only acts on records of ${narrowingText(p)}; keep ${p.country}${where}.`
				);
			}
			assertVersion(current, expectedVersion);
			return versioned(expectedVersion, () => wf.update(ctx, viewer, id, expectedVersion, patch));
		},

		/** A workflow step (submit, approve, requestChanges, publish, unpublish, archive) from the version in If-Match. */
		async step(
			ctx: RequestContext,
			p: ApiPrincipal,
			step: RecordStep,
			id: string,
			expectedVersion: number,
			comment?: unknown
		): Promise<R> {
			const viewer = await viewerOf(p);
			const current = await readable(p, viewer, id);
			assertTokenMayWrite(p, current);
			assertVersion(current, expectedVersion);
			return versioned(expectedVersion, () => wf.runStep(step, ctx, viewer, id, expectedVersion, comment));
		},

		/**
		 * The history as the workflow shows it: to the account, or to the public (no token, or outside
		 * its narrowing: the token acts as the public there), with the view answered so the route picks
		 * the matching snapshot shape (the public one has no workflow fields).
		 */
		async history(
			p: ApiPrincipal | null,
			id: string
		): Promise<{ view: RecordHistoryView; entries: RecordHistoryEntry<R>[] }> {
			if (!p) return { view: 'public', entries: await wf.history(PUBLIC_API, id) };
			const viewer = await viewerOf(p);
			const record = await readable(p, viewer, id);
			const shownTo = withinNarrowing(p, record) ? viewer : PUBLIC_API;
			// The workflow's own rule: only viewers allowed read_history get more than the public view.
			const view = wf.canReadHistory(shownTo, record) ? 'full' : 'public';
			return { view, entries: await wf.history(shownTo, id) };
		}
	};
}

export type TokenRecordApi<R extends WorkflowRecord> = ReturnType<typeof createTokenRecordApi<R>>;

/** Practices say their countries; an actor has one home country (null: none). */
const INPUT_COUNTRIES: Record<ApiRecordType, (input: Record<string, unknown>) => string[] | undefined> = {
	practice: (input) => stringList(input.countries),
	actor: (input) => {
		if (!('country' in input)) return undefined;
		return typeof input.country === 'string' ? [input.country] : [];
	}
};

export function createRecordApiService(
	database: Database,
	workflows: Record<ApiRecordType, { notFound: 'PRACTICE_NOT_FOUND' | 'ACTOR_NOT_FOUND'; workflow: unknown }>
) {
	const apiOf = (type: ApiRecordType) =>
		createTokenRecordApi(database, {
			type,
			notFound: workflows[type].notFound,
			workflow: workflows[type].workflow as TokenRecordKind<WorkflowRecord>['workflow'],
			inputCountries: INPUT_COUNTRIES[type]
		});
	const kinds: Record<ApiRecordType, TokenRecordApi<WorkflowRecord>> = {
		practice: apiOf('practice'),
		actor: apiOf('actor')
	};

	return {
		/** One record the account and the token may read, in any status. */
		get: (type: ApiRecordType, p: ApiPrincipal, id: string) => kinds[type].get(p, id),
		/** The published record, for callers without a token. */
		getPublished: (type: ApiRecordType, id: string) => kinds[type].getPublished(id),
		/** Creates a draft; the owner defaults to the token's organisation, else the account's only one. */
		create: (
			type: ApiRecordType,
			ctx: RequestContext,
			p: ApiPrincipal,
			input: Record<string, unknown>,
			ownerOrganisationId?: unknown
		) => kinds[type].create(ctx, p, input, ownerOrganisationId),
		/** PATCH: the fields sent, from the version in If-Match. */
		update: (
			type: ApiRecordType,
			ctx: RequestContext,
			p: ApiPrincipal,
			id: string,
			expectedVersion: number,
			patch: Record<string, unknown>
		) => kinds[type].update(ctx, p, id, expectedVersion, patch),
		/** A workflow step from the version in If-Match. */
		step: (
			type: ApiRecordType,
			ctx: RequestContext,
			p: ApiPrincipal,
			step: RecordStep,
			id: string,
			expectedVersion: number,
			comment?: unknown
		) => kinds[type].step(ctx, p, step, id, expectedVersion, comment),
		/** The history as the workflow shows it to the account or to the public, with the view answered. */
		history: (type: ApiRecordType, p: ApiPrincipal | null, id: string) => kinds[type].history(p, id)
	};
}

export type RecordApiService = ReturnType<typeof createRecordApiService>;
