import { describe, expect, it } from 'vitest';
import { deepFreeze } from './freeze';

describe('deepFreeze', () => {
	it('freezes every nested object and array, and returns the same value', () => {
		const value = { a: [{ b: 1 }], c: { d: { e: 'x' } }, n: null };
		const frozen = deepFreeze(value);
		expect(frozen).toBe(value);
		expect(Object.isFrozen(value)).toBe(true);
		expect(Object.isFrozen(value.a)).toBe(true);
		expect(Object.isFrozen(value.a[0])).toBe(true);
		expect(Object.isFrozen(value.c.d)).toBe(true);
		expect(() => {
			(value.a[0] as { b: number }).b = 2;
		}).toThrow(TypeError);
	});

	it('leaves primitives alone', () => {
		expect(deepFreeze(3)).toBe(3);
		expect(deepFreeze(null)).toBe(null);
	});
});
