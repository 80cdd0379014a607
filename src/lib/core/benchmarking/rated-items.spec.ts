import { describe, expect, it } from 'vitest';
import { GUIDING_PRINCIPLES, OBJECTIVES } from '../reference';
import { objectiveOfItem, ratingItems } from './rated-items';
import { buildMethodology } from './testing/builders';

describe('ratingItems', () => {
	it('lists every objective, then every scored principle, in the methodology order', () => {
		const items = ratingItems(buildMethodology());
		expect(items).toHaveLength(OBJECTIVES.length + GUIDING_PRINCIPLES.length);
		expect(items[0]).toEqual({ itemType: 'objective', itemKey: 'O1' });
		expect(items.slice(0, OBJECTIVES.length).map((i) => i.itemKey)).toEqual(OBJECTIVES.map((o) => `O${o.number}`));
		expect(items.slice(OBJECTIVES.length).map((i) => i.itemKey)).toEqual(GUIDING_PRINCIPLES.map((p) => p.key));
	});

	it('leaves out unscored principles but keeps unscored objectives (experts still rate them)', () => {
		const base = buildMethodology();
		const [first, second] = GUIDING_PRINCIPLES;
		const m = buildMethodology({
			objectives: base.objectives.map((o) => (o.number === 3 ? { ...o, scored: false } : o)),
			principles: base.principles.map((p) => (p.key === first?.key ? { ...p, scored: false } : p))
		});
		const keys = ratingItems(m).map((i) => i.itemKey);
		expect(keys).toContain('O3');
		expect(keys).not.toContain(first?.key);
		expect(keys).toContain(second?.key);
		expect(keys).toHaveLength(OBJECTIVES.length + GUIDING_PRINCIPLES.length - 1);
	});

	it('follows the methodology, not the reference lists: a reordered or partial methodology', () => {
		const items = ratingItems({
			objectives: [
				{ number: 7, scored: true, weight: 1 },
				{ number: 2, scored: true, weight: 2 }
			],
			principles: [
				{ key: 'national_sovereignty', scored: false, weight: 1 },
				{ key: 'rule_of_law_and_due_process', scored: true, weight: 1 }
			]
		});
		expect(items).toEqual([
			{ itemType: 'objective', itemKey: 'O7' },
			{ itemType: 'objective', itemKey: 'O2' },
			{ itemType: 'principle', itemKey: 'rule_of_law_and_due_process' }
		]);
	});

	it('objectiveOfItem reads the number back from the key', () => {
		expect(objectiveOfItem('O1')).toBe(1);
		expect(objectiveOfItem('O23')).toBe(23);
	});

	it('is empty for a methodology without items', () => {
		expect(ratingItems({ objectives: [], principles: [] })).toEqual([]);
	});
});
