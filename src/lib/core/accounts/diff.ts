/**
 * Field-level before/after for audit rows: only the fields that changed, compared by value
 * (dates by instant, arrays and objects structurally). A field missing on one side is `null` there.
 */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

type Fields = Record<string, unknown>;

export function diffFields(before: Fields | null, after: Fields | null): FieldChanges {
	const changes: FieldChanges = {};
	const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
	for (const key of [...keys].sort()) {
		const b = before?.[key] ?? null;
		const a = after?.[key] ?? null;
		if (!sameValue(b, a)) changes[key] = { before: b, after: a };
	}
	return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (a instanceof Date || b instanceof Date) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	if (ka.length !== kb.length) return false;
	return ka.every((k) => sameValue((a as Fields)[k], (b as Fields)[k]));
}
