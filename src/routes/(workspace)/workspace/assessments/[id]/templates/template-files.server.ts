/**
 * The offline templates of one assessment, for its pages: which files this person may download
 * (desk findings for the desk team; one expert's ratings for that expert, and blank per-expert
 * ratings templates for the coordinators to hand out), building them, and reading an upload.
 * Uploads are validated in full by the workbook/CSV readers, then written all or nothing by the
 * service; the service's own rules (who may import, panel open) apply as for the forms.
 *
 * Decisions: experts upload their own ratings; a coordinator downloads a template per expert to
 * send out and may upload an expert's filled file back on their behalf (importRatingsFor: ratings
 * only, "entered on behalf"; the expert still declares conflicts and submits). Before the panel
 * closes a coordinator's (and an admin's) per-expert download is always blank: pre-filling it would
 * show them that expert's ratings, which stay hidden from everyone but the expert until the close.
 */
import { getCountry } from '$lib/core/reference';
import type { DeskAnswer, ExpertRating, Methodology } from '$lib/core/benchmarking/types';
import type { WorkspaceRequest } from '$lib/server/http/workspace';
import { deskCsv, ratingsCsv } from '$lib/server/io/assessment-csv';
import {
	buildDeskWorkbook,
	buildRatingsWorkbook,
	type AssessmentIdentity,
	type TemplateLocale
} from '$lib/server/io/assessment-workbook';
import type { AssessmentView } from '$lib/server/services/assessment.service';

export const TEMPLATE_FILES = ['desk.xlsx', 'answers.csv', 'evidence.csv', 'ratings.xlsx', 'ratings.csv'] as const;
export type TemplateFile = (typeof TEMPLATE_FILES)[number];

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function identityOf(a: AssessmentView): AssessmentIdentity {
	return {
		id: a.id,
		country: a.country,
		countryName: getCountry(a.country)?.name ?? a.country,
		edition: a.edition,
		perspective: a.perspective
	};
}

export async function methodologyOf(req: WorkspaceRequest, a: AssessmentView): Promise<Methodology> {
	const m = await req.services.methodologies.get(req.viewer, a.methodology.key, a.methodology.version);
	return m.definition;
}

/** The signed-in person's own expert label on this assessment, or null. */
export function ownRaterLabel(req: WorkspaceRequest, a: AssessmentView): string | null {
	const me = a.members.find((m) => m.role === 'expert' && m.userId === req.viewer.user.id);
	return me?.raterLabel ?? null;
}

/** Expert labels a coordinator may hand out blank templates for (identities: coordinators only). */
export function panelLabels(a: AssessmentView): string[] {
	return a.members.flatMap((m) => (m.role === 'expert' && m.raterLabel ? [m.raterLabel] : []));
}

/** The panel's experts as the viewer sees them (every expert for coordinators and admins only). */
export function panelExperts(a: AssessmentView): { raterLabel: string; displayName: string; submitted: boolean }[] {
	return a.members.flatMap((m) =>
		m.role === 'expert' && m.raterLabel
			? [{ raterLabel: m.raterLabel, displayName: m.displayName ?? '', submitted: m.submitted }]
			: []
	);
}

/** An XLSX workbook is a ZIP archive: it starts with the local file header `PK\x03\x04`. */
export function isXlsx(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function localeOf(locale: string): TemplateLocale {
	return locale === 'es' ? 'es' : 'en';
}

async function deskAnswers(req: WorkspaceRequest, id: string): Promise<DeskAnswer[]> {
	const rows = await req.services.assessments.getDeskAnswers(req.viewer, id);
	return rows.map((r) => ({ variableKey: r.variableKey, answer: r.answer, note: r.note, evidence: r.evidence }));
}

async function ratingsOf(
	req: WorkspaceRequest,
	id: string,
	rater: string,
	own: boolean,
	panelClosed: boolean
): Promise<ExpertRating[]> {
	const { services, viewer } = req;
	// Own ratings for the expert; another expert's only once the panel is closed and the viewer may
	// read every expert's ratings (the admin's policy row alone is not enough: blank before the close).
	if (!own) {
		if (!panelClosed) return [];
		const perms = await services.assessments.permissions(viewer, id);
		if (!perms['assessment.read_ratings']) return [];
	}
	const rows = await services.assessments.getRatings(viewer, id);
	return rows
		.filter((r) => r.raterLabel === rater)
		.map((r) => ({
			rater,
			itemType: r.itemType,
			itemKey: r.itemKey as ExpertRating['itemKey'],
			value: r.value,
			comment: r.comment
		}));
}

export interface BuiltFile {
	body: Uint8Array;
	contentType: string;
	filename: string;
}

/** Builds one template file, or null when this person may not have it. */
export async function buildTemplate(
	req: WorkspaceRequest,
	a: AssessmentView,
	file: TemplateFile,
	locale: TemplateLocale,
	raterParam: string | null,
	canSeePanel: boolean
): Promise<BuiltFile | null> {
	const methodology = await methodologyOf(req, a);
	const assessment = identityOf(a);
	const stem = `gcm-${a.country.toLowerCase()}-${a.edition}-${a.perspective}`;
	const encode = (s: string) => new TextEncoder().encode(s);
	if (file === 'desk.xlsx' || file === 'answers.csv' || file === 'evidence.csv') {
		const answers = await deskAnswers(req, a.id);
		if (file === 'desk.xlsx') {
			const body = await buildDeskWorkbook({ methodology, assessment, answers, locale });
			return { body, contentType: XLSX_TYPE, filename: `${stem}-desk-findings.xlsx` };
		}
		const csv = deskCsv({ methodology, assessment, answers, locale });
		return file === 'answers.csv'
			? { body: encode(csv.answers), contentType: 'text/csv; charset=utf-8', filename: `${stem}-answers.csv` }
			: { body: encode(csv.evidence), contentType: 'text/csv; charset=utf-8', filename: `${stem}-evidence.csv` };
	}
	const own = ownRaterLabel(req, a);
	let rater: string | null = null;
	if (own !== null && (raterParam === null || raterParam === own)) rater = own;
	else if (canSeePanel && raterParam !== null && panelLabels(a).includes(raterParam)) rater = raterParam;
	if (rater === null) return null;
	const ratings = await ratingsOf(req, a.id, rater, rater === own, a.panelClosedAt !== null);
	const expert = { rater };
	if (file === 'ratings.xlsx') {
		const body = await buildRatingsWorkbook({ methodology, assessment, expert, ratings, locale });
		return { body, contentType: XLSX_TYPE, filename: `${stem}-ratings-${rater}.xlsx` };
	}
	return {
		body: encode(ratingsCsv({ methodology, assessment, expert, ratings })),
		contentType: 'text/csv; charset=utf-8',
		filename: `${stem}-ratings-${rater}.csv`
	};
}
