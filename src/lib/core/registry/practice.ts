/** A promising multi-stakeholder practice (seed report Annex 3), and its CSV format. */
import { z } from 'zod';
import { isCountryCode, isObjectiveNumber } from '../reference';
import type { FieldIssue } from '../shared/errors';
import { cleanText } from './initiative';
import type { RecordStatus } from './vocabulary';

export interface PracticeInput {
	key: string;
	name: string;
	implementingPartners: string;
	periodStart: number | null;
	periodEnd: number | null;
	periodText: string | null;
	description: string;
	moreInformation: string | null;
	countries: string[];
	objectives: number[];
	reportRow: number | null;
	originalText: string | null;
}

export interface Practice extends PracticeInput {
	id: string;
	status: RecordStatus;
	version: number;
	createdAt: string;
	updatedAt: string;
}

const year = z.number().int().min(1900).max(2100);

export const practiceInputSchema = z
	.object({
		key: z
			.string()
			.regex(/^[a-z0-9][a-z0-9._-]*$/)
			.max(80),
		name: cleanText(300).refine((s) => s.trim() !== '', { message: 'is required' }),
		implementingPartners: cleanText(5_000),
		periodStart: year.nullable(),
		periodEnd: year.nullable(),
		periodText: cleanText(100).nullable(),
		description: cleanText(20_000),
		moreInformation: cleanText(2_000).nullable(),
		countries: z.array(z.string().refine(isCountryCode, { message: 'is not an ISO 3166-1 alpha-3 code' })).max(300),
		objectives: z
			.array(z.number().int().refine(isObjectiveNumber, { message: 'is not a GCM objective (1-23)' }))
			.max(23),
		reportRow: z.number().int().positive().nullable(),
		originalText: cleanText(40_000).nullable()
	})
	.strict()
	.refine((p) => p.periodStart === null || p.periodEnd === null || p.periodEnd >= p.periodStart, {
		path: ['periodEnd'],
		message: 'is before the start year'
	});

export const PRACTICE_CSV_COLUMNS = [
	'key',
	'name',
	'implementing_partners',
	'period_start',
	'period_end',
	'period_text',
	'description',
	'more_information',
	'countries',
	'objectives',
	'report_row',
	'original_text'
] as const;

const COLUMN_OF: Record<string, string> = {
	implementingPartners: 'implementing_partners',
	periodStart: 'period_start',
	periodEnd: 'period_end',
	periodText: 'period_text',
	moreInformation: 'more_information',
	reportRow: 'report_row',
	originalText: 'original_text'
};

export function practiceFromCsvRecord(
	record: Record<string, string>,
	row: number
): { ok: true; input: PracticeInput } | { ok: false; issues: FieldIssue[] } {
	const issues: FieldIssue[] = [];
	const get = (c: string) => record[c] ?? '';
	const int = (c: string): number | null => {
		const v = get(c).trim();
		if (v === '') return null;
		if (/^-?\d{1,6}$/.test(v)) return Number(v);
		issues.push({ row, field: c, message: 'must be a whole number' });
		return null;
	};
	const list = (c: string) =>
		get(c)
			.split(';')
			.map((s) => s.trim())
			.filter(Boolean);
	const candidate = {
		key: get('key').trim(),
		name: get('name'),
		implementingPartners: get('implementing_partners'),
		periodStart: int('period_start'),
		periodEnd: int('period_end'),
		periodText: get('period_text') || null,
		description: get('description'),
		moreInformation: get('more_information') || null,
		countries: list('countries').map((c) => c.toUpperCase()),
		objectives: list('objectives').map(Number),
		reportRow: int('report_row'),
		originalText: get('original_text') || null
	};
	const result = practiceInputSchema.safeParse(candidate);
	if (!result.success) {
		for (const i of result.error.issues) {
			const f = String(i.path[0] ?? 'row');
			issues.push({ row, field: COLUMN_OF[f] ?? f, message: i.message });
		}
	}
	if (issues.length > 0 || !result.success) return { ok: false, issues };
	return { ok: true, input: result.data };
}
