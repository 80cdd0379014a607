/**
 * HTTP side of API tokens (RFC 6750) and of the write API's preconditions (RFC 9110 §13): which
 * requests authenticate by bearer token, the WWW-Authenticate challenge, ETag = record version,
 * If-Match parsing, and the route wrapper for /api/v1 endpoints that act as a token's owner (the
 * handlers built on it per record kind are in record-routes.ts).
 *
 * Writes through /api/v1 are token-only: a browser session cookie is never accepted there, so a
 * cross-site request that rides on someone's cookie can change nothing (CSRF). See docs/security.md.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Logger } from 'pino';
import { DomainError, validationError } from '../../core/shared/errors';
import { toApiFieldNames, toWorkflowInitiativeResponse } from '../api/initiative-write';
import { getRuntime, type Runtime } from '../runtime';
import type { RequestContext } from '../services/account.service';
import type { ApiPrincipal } from '../services/api-token.service';
import type { WorkflowInitiative } from '../services/initiative-workflow.service';
import { json } from './api';
import { toProblem, type Problem } from './problem';

export const BEARER_REALM = 'gcm-observatory';

/** Requests under /api that carry an Authorization header authenticate by token only (cookies unread). */
export function usesBearer(pathname: string, headers: Headers): boolean {
	return (pathname === '/api' || pathname.startsWith('/api/')) && headers.has('authorization');
}

/** The WWW-Authenticate challenge: bare for a missing token, with `error` for a refused one. */
export function bearerChallenge(error?: 'invalid_token' | 'insufficient_scope', description?: string): string {
	const parts = [`realm="${BEARER_REALM}"`];
	if (error) parts.push(`error="${error}"`);
	if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`);
	return `Bearer ${parts.join(', ')}`;
}

/** The strong ETag of a record: its version. */
export function etagOf(version: number): string {
	return `"${version}"`;
}

/**
 * The version named by If-Match. Missing (or `*`, which would match any version and so protect
 * nothing) is PRECONDITION_REQUIRED; anything but exactly one strong ETag from this API is
 * VALIDATION_FAILED. The comparison with the current version is the service's.
 */
export function parseIfMatch(header: string | null): number {
	const value = header?.trim() ?? '';
	if (value === '' || value === '*') {
		throw new DomainError(
			'PRECONDITION_REQUIRED',
			'Send If-Match with the ETag of the version your change is based on (from GET or the previous write).'
		);
	}
	const m = /^"(\d{1,9})"$/.exec(value);
	const version = m ? Number(m[1]) : NaN;
	if (!Number.isInteger(version) || version < 1) {
		throw validationError(
			[
				{
					field: 'If-Match',
					message: 'must be one strong ETag from this API, e.g. "3" (weak W/ tags and lists are not accepted)'
				}
			],
			'If-Match must be one strong ETag from this API, e.g. "3".'
		);
	}
	return version;
}

/** The request context of an API call (audit channel `api`). */
export function apiContext(event: Pick<RequestEvent, 'locals'>): RequestContext {
	return { channel: 'api', requestId: event.locals.requestId, clientAddress: event.locals.clientAddress };
}

/** Problem details for an API error, with the headers its status calls for. */
export function apiProblemResponse(err: unknown, requestId: string, instance: string): Response {
	const mapped = toApiFieldNames(err);
	const problem: Problem & { current?: unknown } = toProblem(mapped, requestId, instance);
	const headers: Record<string, string> = {
		'content-type': 'application/problem+json; charset=utf-8',
		'cache-control': 'no-store'
	};
	if (mapped instanceof DomainError) {
		// 409/412: the record as it is now, so the client can show or merge the other change.
		if ((problem.status === 409 || problem.status === 412) && isWorkflowInitiative(mapped.current)) {
			problem.current = toWorkflowInitiativeResponse(mapped.current);
			headers.etag = etagOf(mapped.current.version);
		}
		if (mapped.code === 'API_TOKEN_INVALID') headers['www-authenticate'] = bearerChallenge('invalid_token');
		else if (mapped.code === 'AUTH_REQUIRED') headers['www-authenticate'] = bearerChallenge();
		if (mapped.code === 'RATE_LIMITED') {
			const seconds = Number(mapped.issues.find((i) => i.field === 'retry_after')?.message);
			headers['retry-after'] = String(Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60);
			delete problem.errors;
		}
	}
	return new Response(JSON.stringify(problem), { status: problem.status, headers });
}

function isWorkflowInitiative(value: unknown): value is WorkflowInitiative {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { id?: unknown }).id === 'string' &&
		typeof (value as { version?: unknown }).version === 'number'
	);
}

/** A record response with its ETag (and Location for a creation). */
export function recordResponse(record: WorkflowInitiative, status = 200): Response {
	const headers: Record<string, string> = { etag: etagOf(record.version), 'cache-control': 'no-store' };
	if (status === 201) headers.location = `/api/v1/initiatives/${record.id}`;
	return json(toWorkflowInitiativeResponse(record), { status, headers });
}

/** The JSON body of a write (an empty body is `{}` when `allowEmpty`). */
export async function readJsonBody(request: Request, allowEmpty = false): Promise<unknown> {
	const text = await request.text();
	if (text.trim() === '') {
		if (allowEmpty) return {};
		throw validationError([{ field: 'body', message: 'is required (a JSON object)' }]);
	}
	const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
	if (type !== 'application/json') {
		throw validationError([{ field: 'Content-Type', message: 'must be application/json' }]);
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw validationError([{ field: 'body', message: 'is not valid JSON' }]);
	}
}

type TokenHandler = (event: RequestEvent, runtime: Runtime, principal: ApiPrincipal) => Promise<Response>;
type OptionalTokenHandler = (
	event: RequestEvent,
	runtime: Runtime,
	principal: ApiPrincipal | null
) => Promise<Response>;

/**
 * Wraps an /api/v1 handler that acts as a token's owner. With `required` (every write), a request
 * without a valid bearer token is 401 even when it carries a signed-in session cookie.
 */
export function tokenRoute(fn: TokenHandler, options?: { required: true }): (event: RequestEvent) => Promise<Response>;
export function tokenRoute(
	fn: OptionalTokenHandler,
	options: { required: false }
): (event: RequestEvent) => Promise<Response>;
export function tokenRoute(
	fn: TokenHandler | OptionalTokenHandler,
	options: { required: boolean } = { required: true }
) {
	return async (event: RequestEvent): Promise<Response> => {
		let logger: Logger | undefined;
		try {
			const runtime = await getRuntime();
			logger = runtime.logger;
			const principal = event.locals.apiToken ?? null;
			if (options.required && !principal) {
				throw new DomainError(
					'AUTH_REQUIRED',
					'Writes through the JSON API need an API token (Authorization: Bearer …, from /account/tokens); a browser session is not accepted here.'
				);
			}
			return await (fn as OptionalTokenHandler)(event, runtime, principal);
		} catch (err) {
			const response = apiProblemResponse(err, event.locals.requestId, event.url.pathname);
			if (response.status >= 500) logger?.error({ err, requestId: event.locals.requestId }, 'API request failed');
			return response;
		}
	};
}
