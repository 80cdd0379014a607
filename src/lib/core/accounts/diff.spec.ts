import { describe, expect, it } from 'vitest';
import { diffFields } from './diff';

describe('diffFields', () => {
	it('lists only the changed fields with before and after', () => {
		expect(diffFields({ role: 'editor', email: 'a@x.org' }, { role: 'admin', email: 'a@x.org' })).toEqual({
			role: { before: 'editor', after: 'admin' }
		});
	});

	it('treats a missing field as null on that side (creation and deletion)', () => {
		expect(diffFields(null, { role: 'admin' })).toEqual({ role: { before: null, after: 'admin' } });
		expect(diffFields({ role: 'admin' }, null)).toEqual({ role: { before: 'admin', after: null } });
		expect(diffFields({ a: undefined }, { a: null })).toEqual({});
	});

	it('compares dates, arrays and objects by value', () => {
		expect(diffFields({ d: new Date(5), l: [1, { x: 2 }] }, { d: new Date(5), l: [1, { x: 2 }] })).toEqual({});
		expect(diffFields({ l: [1, 2] }, { l: [2, 1] })).toEqual({ l: { before: [1, 2], after: [2, 1] } });
		expect(diffFields({ o: { a: 1 } }, { o: { a: 1, b: 2 } })).toEqual({
			o: { before: { a: 1 }, after: { a: 1, b: 2 } }
		});
		expect(diffFields({ v: '1' }, { v: 1 })).toEqual({ v: { before: '1', after: 1 } });
	});

	it('is empty for identical records', () => {
		expect(diffFields({}, {})).toEqual({});
		expect(diffFields({ a: 1, b: 'x' }, { b: 'x', a: 1 })).toEqual({});
	});
});
