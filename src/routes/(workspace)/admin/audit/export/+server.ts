import { error } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { downloadResponse } from '$lib/server/http/download';
import { csvLine } from '$lib/server/io/csv';
import {
	AUDIT_CSV_HEADER,
	AUDIT_FIELDS,
	auditCsvValues,
	auditJsonRow,
	parseAuditQuery
} from '$lib/server/services/admin.service';
import { requireAdmin } from '../../admin.server';
import type { RequestHandler } from './$types';

// A POST (a form button), not a GET: the export writes an `audit.exported` row, and state changes
// never happen on GET (SvelteKit's origin check covers form posts). The filter fields are the
// browser's, sent as hidden inputs.
export const POST: RequestHandler = async (event) => {
	const { actor, ctx, services } = await requireAdmin(event);
	const form = await event.request.formData();
	const params = new URLSearchParams();
	for (const f of AUDIT_FIELDS) {
		const v = form.get(f);
		if (typeof v === 'string' && v !== '') params.set(f, v.slice(0, 300));
	}
	const format = form.get('format') === 'json' ? 'json' : 'csv';
	let exported: Awaited<ReturnType<typeof services.admin.exportAudit>>;
	try {
		exported = await services.admin.exportAudit(ctx, actor, parseAuditQuery(params), format);
	} catch (err) {
		if (err instanceof DomainError && err.code === 'VALIDATION_FAILED') error(400, err.message);
		if (err instanceof DomainError && err.code === 'FORBIDDEN') error(403, err.message);
		throw err;
	}
	const stamp = new Date().toISOString().slice(0, 10);
	if (format === 'csv') {
		async function* csv() {
			yield csvLine(AUDIT_CSV_HEADER);
			for await (const batch of exported.batches) {
				let chunk = '';
				for (const row of batch) chunk += csvLine(auditCsvValues(row));
				yield chunk;
			}
		}
		const res = downloadResponse(csv(), 'text/csv; charset=utf-8', `gcm-audit-${stamp}.csv`);
		res.headers.set('cache-control', 'no-store');
		return res;
	}
	async function* json() {
		yield `{"exported_rows":${exported.total},"truncated":${exported.truncated},"events":[`;
		let first = true;
		for await (const batch of exported.batches) {
			let chunk = '';
			for (const row of batch) {
				chunk += `${first ? '' : ','}\n${JSON.stringify(auditJsonRow(row))}`;
				first = false;
			}
			yield chunk;
		}
		yield '\n]}\n';
	}
	const res = downloadResponse(json(), 'application/json; charset=utf-8', `gcm-audit-${stamp}.json`);
	res.headers.set('cache-control', 'no-store');
	return res;
};
