import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { AUDIT_FIELDS, pageNumber, parseAuditQuery } from '$lib/server/services/admin.service';
import { requireAdmin } from '../admin.server';
import type { PageServerLoad } from './$types';

// The filter is a GET form (shareable, bookmarkable, works without JavaScript); an invalid filter
// shows its problems and no rows rather than silently dropping a condition.
export const load: PageServerLoad = async (event) => {
	const { actor, services } = await requireAdmin(event);
	const params = event.url.searchParams;
	const fields = Object.fromEntries(AUDIT_FIELDS.map((f) => [f, (params.get(f) ?? '').slice(0, 300)])) as Record<
		(typeof AUDIT_FIELDS)[number],
		string
	>;
	let issues: FieldIssue[] = [];
	let query: ReturnType<typeof parseAuditQuery> | null = null;
	try {
		query = parseAuditQuery(params);
	} catch (err) {
		if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED') throw err;
		issues = err.issues;
	}
	const result = query
		? await services.admin.searchAudit(actor, query, pageNumber(params.get('page')))
		: { ...(await services.admin.searchAudit(actor, parseAuditQuery(new URLSearchParams()), 1)), rows: [], total: 0 };
	return { fields, issues, ...result };
};
