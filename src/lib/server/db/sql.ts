import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';

type Executor = Pick<Db, 'execute'>;

/** Runs raw SQL (built with drizzle's `sql` template: values are always bound parameters). */
export async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown as { rows: T[] };
	return result.rows;
}

/** `(a, b, c)` list of bound parameters, for IN (...). Never empty: callers check length. */
export function list(values: readonly (string | number)[]): SQL {
	return sql`(${sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	)})`;
}

/** UTC ISO 8601 text for a timestamptz column. */
export function isoTimestamp(column: SQL): SQL {
	return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}
