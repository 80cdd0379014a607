/**
 * The admin area's guard and form-error mapping. Decision: a signed-in account that is not an
 * admin gets **403**, not 404. The area's address is public (the code is open source), so hiding
 * it protects nothing, and a 403 tells the person plainly that the page exists but is not theirs;
 * a refused form post (POST → 403) is also what the request hook records as `access.denied`.
 * Form actions call requireAdmin() themselves: SvelteKit runs an action without the layout load.
 */
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { canAdminister } from '$lib/core/access/admin-policy';
import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { STATUS_OF } from '$lib/server/http/problem';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { Runtime } from '$lib/server/runtime';
import type { Actor, RequestContext } from '$lib/server/services/account.service';

export interface AdminRequest {
	actor: Actor;
	ctx: RequestContext;
	services: Runtime['services'];
}

export async function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): Promise<AdminRequest> {
	const { viewer, ctx, services } = await requireWorkspace(event);
	if (!canAdminister(viewer.user.role, 'user.read')) error(403, 'Only administrators can open this page.');
	return { actor: { id: viewer.user.id, label: viewer.user.label, role: viewer.user.role }, ctx, services };
}

/** Error codes a form shows next to its fields (everything else is a 403, a 404 or a 500). */
const SHOWN = new Set(['VALIDATION_FAILED', 'USER_EXISTS', 'LAST_ADMIN', 'CONFLICT', 'NOT_FOUND']);
const MISSING = new Set(['USER_NOT_FOUND', 'ORGANISATION_NOT_FOUND']);

/** Maps a service error of a form action to fail(…) with the form's name, its issues and the values. */
export function formFailure(err: unknown, form: string, values: Record<string, string> = {}) {
	if (err instanceof DomainError) {
		if (err.code === 'FORBIDDEN') error(403, err.message);
		if (MISSING.has(err.code)) error(404, 'Not found');
		if (SHOWN.has(err.code)) {
			const issues: FieldIssue[] = err.issues.length > 0 ? err.issues : [{ field: 'form', message: err.message }];
			return fail(STATUS_OF[err.code], { form, code: err.code, issues, values });
		}
	}
	throw err;
}

/** The set-password address of a one-time link, on this site. */
export function linkUrl(origin: string, token: string): string {
	return `${origin}/account/set-password?token=${encodeURIComponent(token)}`;
}
