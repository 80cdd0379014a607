/**
 * Maps domain errors to HTTP: one table from error code to status, and RFC 9457 problem
 * details for the API. 5xx bodies never carry internal messages (no SQL, paths or stacks).
 */
import { DomainError, type ErrorCode } from '../../core/shared/errors';

export const STATUS_OF: Record<ErrorCode, number> = {
	VALIDATION_FAILED: 400,
	INITIATIVE_NOT_FOUND: 404,
	PRACTICE_NOT_FOUND: 404,
	ACTOR_NOT_FOUND: 404,
	COUNTRY_NOT_FOUND: 404,
	OBJECTIVE_NOT_FOUND: 404,
	NOT_FOUND: 404,
	IMPORT_INVALID: 422,
	DATA_DIR_LOCKED: 503,
	CONFIG_INVALID: 500,
	AUTH_REQUIRED: 401,
	FORBIDDEN: 403,
	RATE_LIMITED: 429,
	TOKEN_INVALID: 400,
	API_TOKEN_INVALID: 401,
	PRECONDITION_FAILED: 412,
	PRECONDITION_REQUIRED: 428,
	PASSWORD_REJECTED: 400,
	USER_EXISTS: 409,
	USER_NOT_FOUND: 404,
	TWO_FACTOR_INVALID: 400,
	CONFLICT: 409,
	ASSESSMENT_NOT_FOUND: 404,
	METHODOLOGY_NOT_FOUND: 404,
	LAST_ADMIN: 409,
	ORGANISATION_NOT_FOUND: 404
};

const TITLES: Record<number, string> = {
	400: 'Invalid request',
	401: 'Authentication required',
	403: 'Forbidden',
	404: 'Not found',
	409: 'Conflict',
	412: 'Precondition failed',
	422: 'Unprocessable content',
	428: 'Precondition required',
	429: 'Too many requests',
	500: 'Internal server error',
	503: 'Service unavailable'
};

export interface Problem {
	type: string;
	title: string;
	status: number;
	detail: string;
	instance?: string;
	code: string;
	request_id: string;
	errors?: { parameter: string; message: string }[];
}

export function toProblem(err: unknown, requestId: string, instance?: string): Problem {
	if (err instanceof DomainError) {
		const status = STATUS_OF[err.code];
		const problem: Problem = {
			type: `urn:gcm-observatory:problem:${err.code.toLowerCase().replace(/_/g, '-')}`,
			title: TITLES[status] ?? 'Error',
			status,
			detail: status >= 500 ? 'The server could not complete the request.' : err.message,
			code: err.code,
			request_id: requestId
		};
		if (instance) problem.instance = instance;
		if (err.issues.length > 0 && status < 500) {
			problem.errors = err.issues.map((i) => ({ parameter: i.field, message: i.message }));
		}
		return problem;
	}
	return {
		type: 'urn:gcm-observatory:problem:internal-error',
		title: TITLES[500] ?? 'Error',
		status: 500,
		detail: 'The server could not complete the request.',
		code: 'INTERNAL_ERROR',
		request_id: requestId,
		...(instance ? { instance } : {})
	};
}

export function problemResponse(problem: Problem): Response {
	return new Response(JSON.stringify(problem), {
		status: problem.status,
		headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store' }
	});
}
