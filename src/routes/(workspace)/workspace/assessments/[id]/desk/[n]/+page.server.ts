import { error, fail, redirect } from '@sveltejs/kit';
import { DomainError, type FieldIssue } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { AssessmentService } from '$lib/server/services/assessment.service';
import {
	deskChanged,
	deskFieldOf,
	deskInputOf,
	deskValuesFromForm,
	deskValuesOf,
	EVIDENCE_ROWS_MAX,
	type DeskVariableValues
} from '../../../assessment-forms';
import { assessmentContext, pageError } from '../../../assessment-route.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** What someone else saved meanwhile, shown beside the typed text after a conflict. */
type DeskAnswerRecord = Awaited<ReturnType<AssessmentService['saveDeskAnswer']>>;

interface DeskConflict {
	version: number;
	answer: string | null;
	note: string;
	evidence: number;
}

const anchorOf = (variableKey: string) => `var-${variableKey.replace(/\./g, '-')}`;

function objectiveOf(event: { params: { n: string } }): number {
	return /^\d{1,2}$/.test(event.params.n) ? Number(event.params.n) : NaN;
}

async function deskForm(event: RequestEvent) {
	const req = await requireWorkspace(event);
	const n = objectiveOf(event);
	if (Number.isNaN(n)) error(404, 'Not found');
	const form = await req.services.assessments.getDeskForm(req.viewer, event.params.id, n).catch(pageError);
	return { req, form, n };
}

export const load: PageServerLoad = async (event) => {
	const { req, form, n } = await deskForm(event);
	const context = await assessmentContext(req, event.params.id);
	const saved = event.url.searchParams.get('saved');
	const checked = event.url.searchParams.get('checked');
	return {
		header: context.header,
		nav: context.nav,
		objective: n,
		variables: form.variables.map((v) => ({
			key: v.variable.key,
			question: v.variable.question,
			guidance: v.variable.guidance,
			gcmParagraph: v.variable.gcmParagraph,
			weight: v.variable.weight,
			canCheck: v.canCheck,
			check:
				v.answer && v.answer.checkStatus !== null
					? { status: v.answer.checkStatus, note: v.answer.checkNote ?? '' }
					: null,
			version: v.answer?.version ?? 0,
			anchor: anchorOf(v.variable.key)
		})),
		values: form.variables.map((v) => deskValuesOf(v.variable.key, v.answer)),
		answerScale: form.answerScale,
		evidenceTypes: form.evidenceTypes,
		progress: form.progress,
		canAnswer: form.canAnswer,
		canCheck: form.canCheck,
		saved: saved !== null && /^\d{1,3}$/.test(saved) ? Number(saved) : null,
		checked: checked && form.variables.some((v) => v.variable.key === checked) ? checked : null
	};
};

export const actions: Actions = {
	/**
	 * Saves the variables of this objective that were changed on the page, each at the version the
	 * page showed. "Add another evidence row" re-renders with one more row and saves nothing.
	 */
	save: async (event) => {
		const { req, form: deskPage, n } = await deskForm(event);
		const { viewer, ctx, services } = req;
		const id = event.params.id;
		const posted = await event.request.formData();
		const keys = deskPage.variables.map((v) => v.variable.key);
		const values = deskValuesFromForm(posted, keys);
		const intent = field(posted, 'intent', 40);
		const more = /^more-(\d+)$/.exec(intent);
		if (more) {
			const i = Number(more[1]);
			const v = values[i];
			if (v && v.evidence.length < EVIDENCE_ROWS_MAX) {
				v.evidence.push({ title: '', type: '', issuingBody: '', date: '', url: '', excerpt: '', remove: false });
			}
			return { kind: 'save' as const, values, issues: [] as FieldIssue[], conflicts: {}, saved: 0 };
		}
		const issues: FieldIssue[] = [];
		const conflicts: Record<number, DeskConflict> = {};
		let saved = 0;
		const after: DeskVariableValues[] = [];
		for (const [i, v] of values.entries()) {
			if (!deskChanged(v)) {
				after.push(v);
				continue;
			}
			const { input, rowOf } = deskInputOf(v);
			try {
				const record = await services.assessments.saveDeskAnswer(ctx, viewer, id, input);
				saved += 1;
				// Saved: shown as stored now (new version and fingerprint), keeping the rows typed.
				after.push(deskValuesOf(v.variableKey, record));
			} catch (err) {
				if (!(err instanceof DomainError)) throw err;
				if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
				after.push(v);
				if (err.code === 'VALIDATION_FAILED') {
					for (const issue of err.issues) {
						issues.push({ field: deskFieldOf(issue.field, i, rowOf) ?? `q${i}`, message: issue.message });
					}
				} else if (err.code === 'CONFLICT') {
					const current = (err.current ?? null) as DeskAnswerRecord | null;
					conflicts[i] = {
						version: current?.version ?? 0,
						answer: current?.answer ?? null,
						note: current?.note ?? '',
						evidence: current?.evidence.length ?? 0
					};
					// Saving again applies the typed text over theirs, deliberately.
					const theirs = deskValuesOf(v.variableKey, current);
					v.version = theirs.version;
					v.base = theirs.base;
				} else if (err.code === 'FORBIDDEN') {
					issues.push({ field: `q${i}`, message: err.message });
				} else {
					throw err;
				}
			}
		}
		if (issues.length === 0 && Object.keys(conflicts).length === 0) {
			const at = /^save-(\d+)$/.exec(intent);
			const key = at ? keys[Number(at[1])] : undefined;
			redirect(303, `/workspace/assessments/${id}/desk/${n}?saved=${saved}${key ? `#${anchorOf(key)}` : ''}`);
		}
		return fail(Object.keys(conflicts).length > 0 ? 409 : 400, {
			kind: 'save' as const,
			values: after,
			issues,
			conflicts,
			saved
		});
	},

	/** The second check of one answer (agreed, or disputed with a note). */
	check: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const id = event.params.id;
		const posted = await event.request.formData();
		const variableKey = field(posted, 'variableKey', 50);
		const status = field(posted, 'status', 20);
		const note = field(posted, 'note', 12_000).replace(/\r\n?/g, '\n');
		try {
			await services.assessments.checkDeskAnswer(ctx, viewer, id, {
				variableKey,
				status,
				note,
				expectedVersion: Number(field(posted, 'expectedVersion', 12))
			});
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			if (err.code === 'ASSESSMENT_NOT_FOUND') error(404, 'Not found');
			if (err.code === 'VALIDATION_FAILED' || err.code === 'CONFLICT' || err.code === 'FORBIDDEN') {
				const message =
					err.code === 'VALIDATION_FAILED' ? err.issues.map((i) => `${i.field}: ${i.message}`).join('; ') : err.message;
				return fail(err.code === 'CONFLICT' ? 409 : err.code === 'FORBIDDEN' ? 403 : 400, {
					kind: 'check' as const,
					variableKey,
					status,
					note,
					message
				});
			}
			throw err;
		}
		redirect(
			303,
			`/workspace/assessments/${id}/desk/${event.params.n}?checked=${encodeURIComponent(variableKey)}#check-${anchorOf(variableKey)}`
		);
	}
};
