import { validationError } from '../../core/shared/errors';

/** Endpoints without query parameters reject any, naming them (typos should not pass silently). */
export function rejectParams(params: URLSearchParams, allowed: readonly string[] = []): void {
	const unknown = [...new Set(params.keys())].filter((k) => !allowed.includes(k));
	if (unknown.length > 0)
		throw validationError(unknown.map((k) => ({ field: k, message: 'is not a known parameter' })));
}
