import { error, fail, redirect } from '@sveltejs/kit';
import {
	changedFields,
	displayValue,
	FORM_FIELDS,
	formValuesFromForm,
	formValuesOf,
	inputFromFormValues,
	postedSourceRows,
	sourceRowsFor,
	SOURCE_ROWS_STEP,
	type FormField,
	type InitiativeFormValues
} from '$lib/components/forms/initiative-form';
import { DomainError } from '$lib/core/shared/errors';
import { field } from '$lib/server/http/request-context';
import { requireWorkspace } from '$lib/server/http/workspace';
import type { WorkflowInitiative } from '$lib/server/services/initiative-workflow.service';
import type { Actions, PageServerLoad } from './$types';

function notFound(err: unknown): never {
	if (err instanceof DomainError && err.code === 'INITIATIVE_NOT_FOUND') error(404, 'Not found');
	throw err;
}

export const load: PageServerLoad = async (event) => {
	const { viewer, services } = await requireWorkspace(event);
	const record = await services.workflow.get(viewer, event.params.id).catch(notFound);
	const values = formValuesOf(record);
	return {
		record: { id: record.id, title: record.title, version: record.version, status: record.status },
		canEdit: services.workspace.canEdit(viewer, record),
		values,
		sourceRows: sourceRowsFor(values)
	};
};

export const actions: Actions = {
	/**
	 * Saves the fields this person changed (a PATCH against the version the form was based on, so
	 * untouched fields never overwrite someone else's newer text). A stale version is a conflict:
	 * the form comes back with the person's changes on top of the current record, and the current
	 * value beside every field the other person changed; saving again applies them deliberately.
	 */
	save: async (event) => {
		const { viewer, ctx, services } = await requireWorkspace(event);
		const id = event.params.id;
		const form = await event.request.formData();
		const values = formValuesFromForm(form);
		const version = Number(field(form, 'version', 12));
		const rows = postedSourceRows(form);
		if (form.get('intent') === 'more_sources') {
			return {
				values,
				issues: [],
				conflicts: null,
				conflictVersion: null,
				version,
				sourceRows: sourceRowsFor(values, rows + SOURCE_ROWS_STEP)
			};
		}
		const base = Number.isInteger(version)
			? await services.workspace.snapshotAt(viewer, id, version).catch(notFound)
			: null;
		const baseValues = base ? formValuesOf(base) : null;
		const mine: readonly FormField[] = baseValues ? changedFields(baseValues, values) : FORM_FIELDS;
		const patch = inputFromFormValues(values, mine);
		try {
			await services.workflow.update(ctx, viewer, id, version, patch);
		} catch (err) {
			if (!(err instanceof DomainError)) throw err;
			if (err.code === 'INITIATIVE_NOT_FOUND') error(404, 'Not found');
			if (err.code === 'VALIDATION_FAILED') {
				return fail(400, {
					values,
					issues: err.issues,
					conflicts: null,
					conflictVersion: null,
					version,
					sourceRows: sourceRowsFor(values, rows)
				});
			}
			if (err.code === 'FORBIDDEN') {
				return fail(403, {
					values,
					issues: [{ field: 'form', message: err.message }],
					conflicts: null,
					conflictVersion: null,
					version,
					sourceRows: sourceRowsFor(values, rows)
				});
			}
			if (err.code === 'CONFLICT' && err.current) {
				const current = err.current as WorkflowInitiative;
				const now = formValuesOf(current);
				const theirs = changedFields(baseValues ?? values, now);
				const merged = Object.fromEntries(
					FORM_FIELDS.map((f) => [f, mine.includes(f) ? values[f] : now[f]])
				) as unknown as InitiativeFormValues;
				return fail(409, {
					values: merged,
					issues: [],
					conflicts: Object.fromEntries(theirs.map((f) => [f, displayValue(now, f)])) as Partial<
						Record<FormField, string>
					>,
					conflictVersion: current.version,
					version: current.version,
					sourceRows: sourceRowsFor(merged, rows)
				});
			}
			throw err;
		}
		redirect(303, `/workspace/initiatives/${id}?done=saved`);
	}
};
