/**
 * Typed domain errors with stable codes. Adapters map codes to HTTP status in one table
 * (src/lib/server/http/problem.ts); core never throws HTTP errors.
 */
export const ERROR_CODES = [
	'VALIDATION_FAILED',
	'INITIATIVE_NOT_FOUND',
	'PRACTICE_NOT_FOUND',
	'ACTOR_NOT_FOUND',
	'COUNTRY_NOT_FOUND',
	'OBJECTIVE_NOT_FOUND',
	'IMPORT_INVALID',
	'DATA_DIR_LOCKED',
	'CONFIG_INVALID',
	'NOT_FOUND',
	'AUTH_REQUIRED',
	'FORBIDDEN',
	'RATE_LIMITED',
	'TOKEN_INVALID',
	'API_TOKEN_INVALID',
	'PRECONDITION_FAILED',
	'PRECONDITION_REQUIRED',
	'PASSWORD_REJECTED',
	'USER_EXISTS',
	'USER_NOT_FOUND',
	'TWO_FACTOR_INVALID',
	'CONFLICT',
	'ASSESSMENT_NOT_FOUND',
	'METHODOLOGY_NOT_FOUND',
	'LAST_ADMIN',
	'ORGANISATION_NOT_FOUND'
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
	/** Query parameter, form field or CSV column the issue is about. */
	field: string;
	message: string;
	/** 1-based data row for file imports (the header is row 1, so data starts at row 2). */
	row?: number;
}

/**
 * Marks domain errors across module copies: `gcm serve` loads the services through tsx while the
 * routes run from the SvelteKit bundle, so the class exists twice and plain `instanceof` would
 * fail. The brand is a registered symbol, shared by both copies.
 */
const BRAND = Symbol.for('gcm-observatory.DomainError');

export class DomainError extends Error {
	readonly [BRAND] = true;

	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly issues: FieldIssue[] = [],
		/** For CONFLICT: the record as it is now, so a form can show the other person's change. */
		readonly current?: unknown
	) {
		super(message);
		this.name = 'DomainError';
	}

	static [Symbol.hasInstance](value: unknown): boolean {
		return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
	}
}

export function validationError(issues: FieldIssue[], message?: string): DomainError {
	const first = issues[0];
	return new DomainError(
		'VALIDATION_FAILED',
		message ?? (first ? `Invalid ${first.field}: ${first.message}` : 'Invalid input'),
		issues
	);
}
