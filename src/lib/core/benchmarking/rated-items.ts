/**
 * The items experts rate in a methodology (issue #5: experts rate "every objective and every scored
 * principle"): every objective in the methodology's order, then the scored principles. One list for
 * the rating form, the "all rated" check on submit, the ratings workbook and the ratings CSV, so an
 * expert working offline fills in exactly what the form asks for.
 */
import type { PrincipleKey } from '../reference/types';
import type { Methodology } from './types';

export type RatedItem =
	{ itemType: 'objective'; itemKey: `O${number}` } | { itemType: 'principle'; itemKey: PrincipleKey };

/** The objective number of an objective item key (`O7` → 7). */
export const objectiveOfItem = (key: `O${number}`): number => Number(key.slice(1));

export function ratingItems(m: Pick<Methodology, 'objectives' | 'principles'>): RatedItem[] {
	return [
		...m.objectives.map((o): RatedItem => ({ itemType: 'objective', itemKey: `O${o.number}` })),
		...m.principles.filter((p) => p.scored).map((p): RatedItem => ({ itemType: 'principle', itemKey: p.key }))
	];
}
