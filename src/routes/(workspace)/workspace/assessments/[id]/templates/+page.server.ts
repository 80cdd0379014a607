import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace, type WorkspaceRequest } from '$lib/server/http/workspace';
import { parseDeskCsv, parseRatingsCsv } from '$lib/server/io/assessment-csv';
import { ASSESSMENT_IMPORT_LIMITS, parseDeskWorkbook, parseRatingsWorkbook } from '$lib/server/io/assessment-workbook';
import { importIssueRows } from '../../assessment-forms';
import { assessmentContext, postedFile } from '../../assessment-route.server';
import { isXlsx, methodologyOf, ownRaterLabel, panelExperts, panelLabels } from './template-files.server';
import type { Actions, PageServerLoad } from './$types';

const MAX_MB = ASSESSMENT_IMPORT_LIMITS.maxFileBytes / 1024 / 1024;

export const load: PageServerLoad = async (event) => {
	const req = await requireWorkspace(event);
	const c = await assessmentContext(req, event.params.id);
	const own = ownRaterLabel(req, c.view);
	const imported = event.url.searchParams.get('imported');
	const kind = event.url.searchParams.get('kind');
	const labels = c.nav.experts ? panelLabels(c.view) : [];
	const importedFor = event.url.searchParams.get('rater');
	return {
		header: c.header,
		nav: c.nav,
		desk: {
			download: c.permissions['assessment.answer'] || c.nav.experts,
			upload: c.permissions['assessment.answer']
		},
		ownRater: own,
		canUploadRatings: own !== null && c.permissions['assessment.rate'] && c.view.panelClosedAt === null,
		// Blank per-expert templates for the coordinators to send to experts who work offline.
		/**
		 * The panel as the coordinators see it on the experts page (label, name, submitted), with
		 * whether a file may be uploaded for each expert now. No ratings: those stay hidden from the
		 * coordinators until the panel closes.
		 */
		panel: c.nav.experts
			? panelExperts(c.view)
					.filter((e) => e.raterLabel !== own)
					.map((e) => ({
						...e,
						canUpload: c.permissions['assessment.rate_on_behalf'] && c.view.panelClosedAt === null && !e.submitted
					}))
			: [],
		canUploadOnBehalf: c.permissions['assessment.rate_on_behalf'] && c.view.panelClosedAt === null,
		maxMb: MAX_MB,
		imported: imported !== null && /^\d{1,5}$/.test(imported) ? Number(imported) : null,
		importedKind: kind === 'ratings_for' ? 'ratings_for' : kind === 'ratings' ? 'ratings' : 'desk',
		importedFor: importedFor !== null && labels.includes(importedFor) ? importedFor : null
	};
};

type Kind = 'desk_xlsx' | 'desk_csv' | 'ratings_xlsx' | 'ratings_csv';

function tooBig(file: File): boolean {
	return file.size > ASSESSMENT_IMPORT_LIMITS.maxFileBytes;
}

async function bytesOf(file: File): Promise<Uint8Array> {
	return new Uint8Array(await file.arrayBuffer());
}

/** Parses and imports one upload; every problem comes back as rows of the error table. */
async function upload(event: RequestEvent<{ id: string }>, kind: Kind) {
	const req: WorkspaceRequest = await requireWorkspace(event);
	const { viewer, ctx, services } = req;
	const id = event.params.id;
	const form = await event.request.formData();
	const names = kind === 'desk_csv' ? ['answers', 'evidence'] : ['file'];
	const files = names.map((n) => postedFile(form, n));
	const problem = (status: number, message: string, rows: ReturnType<typeof importIssueRows> = []) =>
		fail(status, { upload: kind, message, rows });
	if (files.some((f) => f === null)) {
		return problem(
			400,
			kind === 'desk_csv' ? 'Choose both CSV files (answers.csv and evidence.csv).' : 'Choose a file to upload.'
		);
	}
	const present = files as File[];
	if (present.some(tooBig)) return problem(413, `Files are limited to ${MAX_MB} MB each; nothing was imported.`);
	try {
		const view = await services.assessments.get(viewer, id);
		const methodology = await methodologyOf(req, view);
		const expected = { methodology, assessmentId: id };
		let saved: number;
		if (kind === 'desk_xlsx' || kind === 'desk_csv') {
			const [first, second] = await Promise.all(present.map(bytesOf));
			const { answers } =
				kind === 'desk_xlsx'
					? await parseDeskWorkbook(first ?? new Uint8Array(), expected)
					: parseDeskCsv({ answers: first ?? new Uint8Array(), evidence: second ?? new Uint8Array() }, expected);
			saved = (await services.assessments.importDeskAnswers(ctx, viewer, id, answers)).saved;
		} else {
			const rater = ownRaterLabel(req, view);
			if (rater === null) return problem(403, 'Only the experts of this panel upload ratings, each their own.');
			const bytes = await bytesOf(present[0] as File);
			const { ratings } =
				kind === 'ratings_xlsx'
					? await parseRatingsWorkbook(bytes, { ...expected, rater })
					: parseRatingsCsv(bytes, { ...expected, rater });
			saved = (await services.assessments.importRatings(ctx, viewer, id, ratings)).saved;
		}
		redirect(
			303,
			`/workspace/assessments/${id}/templates?imported=${saved}&kind=${kind.startsWith('desk') ? 'desk' : 'ratings'}`
		);
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
		if (err.code === 'IMPORT_INVALID' || err.code === 'VALIDATION_FAILED') {
			return problem(err.code === 'IMPORT_INVALID' ? 422 : 400, err.message, importIssueRows(err.issues));
		}
		if (err.code === 'CONFLICT' || err.code === 'FORBIDDEN') {
			return problem(err.code === 'CONFLICT' ? 409 : 403, `${err.message} Nothing was imported.`);
		}
		throw err;
	}
}

/**
 * A coordinator uploads one expert's filled template (XLSX or CSV, told apart by the file's first
 * bytes) on the expert's behalf. The file must name that expert (`rater`) and this assessment;
 * the service refuses everyone but the assessment's coordinators and admins, a closed panel and an
 * expert who already submitted. Success shows a count only, never the values.
 */
async function uploadFor(event: RequestEvent<{ id: string }>) {
	const req: WorkspaceRequest = await requireWorkspace(event);
	const { viewer, ctx, services } = req;
	const id = event.params.id;
	const form = await event.request.formData();
	const rater = field(form, 'rater', 20);
	const file = postedFile(form, 'file');
	const problem = (status: number, message: string, rows: ReturnType<typeof importIssueRows> = []) =>
		fail(status, { upload: 'ratings_for' as const, rater, message, rows });
	if (file === null) return problem(400, 'Choose a file to upload (.xlsx or .csv).');
	if (tooBig(file)) return problem(413, `Files are limited to ${MAX_MB} MB each; nothing was imported.`);
	try {
		const view = await services.assessments.get(viewer, id);
		if (!panelLabels(view).includes(rater)) {
			// Not an expert of this panel — or the viewer may not see who the experts are.
			return problem(400, 'Choose one of the experts of this panel.');
		}
		const methodology = await methodologyOf(req, view);
		const expected = { methodology, assessmentId: id, rater };
		const bytes = await bytesOf(file);
		const { ratings } = isXlsx(bytes) ? await parseRatingsWorkbook(bytes, expected) : parseRatingsCsv(bytes, expected);
		const { saved } = await services.assessments.importRatingsFor(ctx, viewer, id, rater, ratings);
		redirect(
			303,
			`/workspace/assessments/${id}/templates?imported=${saved}&kind=ratings_for&rater=${encodeURIComponent(rater)}`
		);
	} catch (err) {
		if (!(err instanceof DomainError)) throw err;
		if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
		if (err.code === 'IMPORT_INVALID' || err.code === 'VALIDATION_FAILED') {
			return problem(err.code === 'IMPORT_INVALID' ? 422 : 400, err.message, importIssueRows(err.issues));
		}
		if (err.code === 'CONFLICT' || err.code === 'FORBIDDEN') {
			return problem(err.code === 'CONFLICT' ? 409 : 403, `${err.message} Nothing was imported.`);
		}
		throw err;
	}
}

export const actions: Actions = {
	desk_xlsx: (event) => upload(event, 'desk_xlsx'),
	desk_csv: (event) => upload(event, 'desk_csv'),
	ratings_xlsx: (event) => upload(event, 'ratings_xlsx'),
	ratings_csv: (event) => upload(event, 'ratings_csv'),
	ratings_for: (event) => uploadFor(event)
};
