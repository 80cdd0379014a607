import { describe, expect, it } from 'vitest';
import {
	ACTOR_FORM,
	changedRecordFields,
	emptyRecordValues,
	keyFromName,
	PRACTICE_FORM,
	recordFieldIdOf,
	recordInputFromValues,
	recordValuesFromForm,
	recordValuesOf
} from './record-form';

describe('record forms (practice, actor)', () => {
	const practice = {
		key: 'p-1',
		name: '<script>alert(1)</script> شراكة',
		implementingPartners: 'IOM',
		periodStart: 2019,
		periodEnd: null,
		periodText: null,
		description: 'Text\nwith lines',
		moreInformation: null,
		countries: ['KEN', 'DEU'],
		objectives: [18, 5],
		reportRow: null,
		originalText: null
	};

	it('round-trips a record through values and back to the same input', () => {
		const values = recordValuesOf(PRACTICE_FORM, practice);
		expect(values.periodEnd).toBe('');
		expect(values.objectives).toEqual(['18', '5']);
		expect(recordInputFromValues(PRACTICE_FORM, values)).toEqual(practice);
	});

	it('reads exactly what the browser sent, lists included', () => {
		const form = new FormData();
		form.append('name', '  Padded  ');
		form.append('countries', 'KEN');
		form.append('countries', 'UGA');
		form.append('periodStart', '20x9');
		const v = recordValuesFromForm(PRACTICE_FORM, form);
		expect(v.name).toBe('  Padded  ');
		expect(v.countries).toEqual(['KEN', 'UGA']);
		const input = recordInputFromValues(PRACTICE_FORM, v);
		// A bad year stays text, so the service's schema names the field.
		expect(input.periodStart).toBe('20x9');
		expect(input.name).toBe('Padded');
		expect(input.moreInformation).toBeNull();
	});

	it('a PATCH holds only the fields whose meaning changed (list order and blanks do not count)', () => {
		const base = recordValuesOf(PRACTICE_FORM, practice);
		const edited = { ...base, countries: ['DEU', 'KEN'], name: ` ${practice.name} `, description: 'New' };
		expect(changedRecordFields(PRACTICE_FORM, base, edited)).toEqual(['description']);
		expect(recordInputFromValues(PRACTICE_FORM, edited, ['description'])).toEqual({ description: 'New' });
	});

	it('actor values: empty optional fields become null', () => {
		const v = { ...emptyRecordValues(ACTOR_FORM), name: 'Network' };
		expect(recordInputFromValues(ACTOR_FORM, v)).toEqual({
			name: 'Network',
			kind: null,
			country: null,
			website: null,
			description: ''
		});
	});

	it('issues point at their field; unknown ones at none', () => {
		expect(recordFieldIdOf(PRACTICE_FORM, 'countries.0')).toBe('countries');
		expect(recordFieldIdOf(ACTOR_FORM, 'status')).toBeNull();
	});

	it('makes keys from names, with a fallback for scripts without ASCII letters', () => {
		expect(keyFromName('Skills Partnership: Kenya–Germany', 'abc12345xyz')).toBe(
			'skills-partnership-kenya-germany-abc12345'
		);
		expect(keyFromName('شراكة المهارات', 'f00dbeef')).toBe('practice-f00dbeef');
	});
});
