/**
 * The practice editing workflow (issue #3): the record-workflow engine with the practice adapter.
 * Runs on workspace requests, API calls and `gcm` commands. A practice concerns its countries (the
 * scope of reviewers and coordinators); its key is unique.
 */
import { practiceInputSchema, type PracticeInput } from '../../core/registry/practice';
import type { Database } from '../db/client';
import {
	findWorkflowPractice,
	insertPracticeDraft,
	listPracticeWorkItems,
	practiceKeyTaken,
	transitionPractice,
	updatePracticeContent,
	type WorkflowPractice
} from '../db/practice.repository';
import { createRecordWorkflow, type RecordAdapter, type RecordWorkflowOptions } from './record-workflow';

export type { WorkflowPractice };

export const PRACTICE_FIELDS = Object.keys(practiceInputSchema.shape) as (keyof PracticeInput & string)[];

function normalize(p: PracticeInput): PracticeInput {
	return {
		...p,
		name: p.name.trim(),
		countries: [...new Set(p.countries)].sort(),
		objectives: [...new Set(p.objectives)].sort((a, b) => a - b)
	};
}

export const practiceAdapter: RecordAdapter<WorkflowPractice, PracticeInput> = {
	type: 'practice',
	notFound: 'PRACTICE_NOT_FOUND',
	label: 'practice',
	schema: practiceInputSchema,
	editableFields: PRACTICE_FIELDS,
	normalize,
	countriesOf: (p) => p.countries,
	contentOf: (r) => {
		const out: Record<string, unknown> = {};
		for (const f of PRACTICE_FIELDS) out[f] = r[f];
		return out as unknown as PracticeInput;
	},
	find: findWorkflowPractice,
	async uniqueIssue(db, p, exceptId) {
		const taken = await practiceKeyTaken(db, p.key, exceptId ?? '00000000-0000-0000-0000-000000000000');
		return taken ? { field: 'key', message: 'is already used by another practice' } : null;
	},
	insert: insertPracticeDraft,
	update: updatePracticeContent,
	transition: transitionPractice,
	listWorkItems: listPracticeWorkItems
};

export function createPracticeWorkflowService(database: Database, options: RecordWorkflowOptions = {}) {
	return createRecordWorkflow(database, practiceAdapter, options);
}

export type PracticeWorkflowService = ReturnType<typeof createPracticeWorkflowService>;
