/**
 * Typed domain errors with stable codes. Adapters map codes to HTTP status in one table
 * (src/lib/server/http/problem.ts); core never throws HTTP errors.
 */
export const ERROR_CODES = [
	'VALIDATION_FAILED',
	'INITIATIVE_NOT_FOUND',
	'PRACTICE_NOT_FOUND',
	'COUNTRY_NOT_FOUND',
	'OBJECTIVE_NOT_FOUND',
	'IMPORT_INVALID',
	'DATA_DIR_LOCKED',
	'CONFIG_INVALID',
	'NOT_FOUND'
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
	/** Query parameter, form field or CSV column the issue is about. */
	field: string;
	message: string;
	/** 1-based data row for file imports (the header is row 1, so data starts at row 2). */
	row?: number;
}

export class DomainError extends Error {
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly issues: FieldIssue[] = []
	) {
		super(message);
		this.name = 'DomainError';
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
