import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUIDING_PRINCIPLES, OBJECTIVES, ROUNDTABLES } from './gcm.data';
import { getObjective, getPrinciple, isObjectiveNumber } from './index';

const reference = JSON.parse(readFileSync('data/reference/gcm-reference.json', 'utf8')) as {
	objectives: { number: number; title: string; imrf_roundtable: number }[];
	guiding_principles: { letter: string; name: string }[];
	imrf: { roundtables: { roundtable: number; objectives: number[] }[] };
};

describe('GCM reference data', () => {
	it('has the 23 objectives with the reviewed titles, in order', () => {
		expect(OBJECTIVES.map((o) => o.number)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
		for (const o of reference.objectives) {
			expect(getObjective(o.number)?.title).toBe(o.title);
			expect(getObjective(o.number)?.roundtable).toBe(o.imrf_roundtable);
		}
	});

	it('has the ten guiding principles of GCM para 15 with stable keys', () => {
		expect(GUIDING_PRINCIPLES).toHaveLength(10);
		expect(GUIDING_PRINCIPLES.map((p) => p.letter).join('')).toBe('abcdefghij');
		expect(getPrinciple('national_sovereignty')?.letter).toBe('c');
		expect(new Set(GUIDING_PRINCIPLES.map((p) => p.key)).size).toBe(10);
	});

	it('puts every objective in exactly one IMRF roundtable, matching Box 15', () => {
		const all = ROUNDTABLES.flatMap((r) => r.objectives).sort((a, b) => a - b);
		expect(all).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
		for (const r of reference.imrf.roundtables) {
			expect(ROUNDTABLES.find((x) => x.number === r.roundtable)?.objectives).toEqual(r.objectives);
		}
		for (const o of OBJECTIVES) {
			expect(ROUNDTABLES.find((r) => r.number === o.roundtable)?.objectives).toContain(o.number);
		}
	});

	it('rejects numbers that are not objectives', () => {
		expect(isObjectiveNumber(0)).toBe(false);
		expect(isObjectiveNumber(24)).toBe(false);
		expect(isObjectiveNumber(23)).toBe(true);
	});
});
