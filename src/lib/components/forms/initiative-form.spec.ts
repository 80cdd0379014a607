import { describe, expect, it } from 'vitest';
import type { InitiativeInput } from '../../core/registry/initiative';
import {
	changedFields,
	displayValue,
	fieldIdOf,
	formValuesFromForm,
	formValuesOf,
	inputFromFormValues,
	sourceRowsFor
} from './initiative-form';

const record: InitiativeInput = {
	key: 'k-1',
	title: 'Title <script>x</script> الهجرة',
	description: 'Text',
	actionType: 'project',
	initiatorKinds: ['un', 'government'],
	initiators: ['IOM', 'Ministry'],
	scope: 'national',
	regionalScope: false,
	region: null,
	countries: ['KEN', 'UGA'],
	dateStart: '2021-03',
	dateEnd: null,
	datePrecision: 'month',
	dateText: null,
	predatesGcm: false,
	objectives: [2, 23],
	principles: ['people_centred'],
	sources: [{ citation: 'Report', url: 'https://example.org' }],
	verificationStatus: 'reported',
	reportTable: null,
	reportRow: 7,
	originalText: null
};

function formOf(entries: [string, string][]): FormData {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
}

describe('initiative form values', () => {
	it('round-trips a record through the form values to the same service input', () => {
		expect(inputFromFormValues(formValuesOf(record))).toEqual(record);
	});

	it('reads exactly what was typed, including empty source rows and unchecked boxes', () => {
		const v = formValuesFromForm(
			formOf([
				['title', '  Typed  '],
				['countries', 'UGA'],
				['countries', 'KEN'],
				['objectives', '23'],
				['source_rows', '3'],
				['sources.0.citation', ''],
				['sources.0.url', ''],
				['sources.1.citation', 'Cited'],
				['sources.1.url', ''],
				['reportRow', 'seven']
			])
		);
		expect(v.title).toBe('  Typed  ');
		expect(v.sources).toHaveLength(3);
		expect(v.regionalScope).toBe(false);
		const input = inputFromFormValues(v);
		expect(input.sources).toEqual([{ citation: 'Cited', url: null }]);
		expect(input.objectives).toEqual([23]);
		// Not a number: passed on as text so the service names the field.
		expect(input.reportRow).toBe('seven');
		expect(input.dateStart).toBeNull();
	});

	it('compares fields by meaning: order of sets and blank source rows do not count as changes', () => {
		const a = formValuesOf(record);
		const b = { ...a, countries: ['UGA', 'KEN'], sources: [...a.sources, { citation: '', url: '' }] };
		expect(changedFields(a, b)).toEqual([]);
		expect(changedFields(a, { ...a, title: 'Other', predatesGcm: true })).toEqual(['title', 'predatesGcm']);
	});

	it('points issues at form elements and shows values as text', () => {
		expect(fieldIdOf('sources.1.url')).toBe('sources-1-url');
		expect(fieldIdOf('countries.0')).toBe('countries');
		expect(fieldIdOf('expectedVersion')).toBeNull();
		const v = formValuesOf(record);
		expect(displayValue(v, 'sources')).toBe('Report — https://example.org');
		expect(displayValue(v, 'countries')).toBe('KEN, UGA');
		expect(sourceRowsFor(v)).toBe(3);
		expect(sourceRowsFor(v, 6)).toBe(6);
		expect(sourceRowsFor(v, 500)).toBe(20);
	});
});
