/**
 * The rate limiters' state in the database (`rate_limit`), for a deployment where several processes
 * serve one PostgreSQL database: they share one budget per key. Each failure is ONE statement, an
 * upsert whose SET clause applies `afterFailure` (http/rate-limit.ts) to the row as locked by the
 * upsert itself, so parallel failures from any number of processes all count (no read-modify-write).
 * Keys are stored as SHA-256 (no email or client IP in the table). Old keys are deleted, and each
 * scope trimmed to its `maxKeys`, after every `trimEvery` new keys or `trimIntervalMs`, whichever
 * comes first: the table holds at most maxKeys + trimEvery rows per scope and process.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { afterFailure, type RateLimitPolicy, type RateLimitStore } from '../http/rate-limit';
import type { Db } from './client';
import { rows } from './sql';

export interface DatabaseRateLimitStoreOptions {
	/** Trim a scope after this many new keys (default 100). */
	trimEvery?: number;
	/** …or when this long has passed since its last trim and a new key arrives (default 60 s). */
	trimIntervalMs?: number;
}

function keyHash(scope: string, key: string): string {
	return createHash('sha256').update(`${scope}\u0000${key}`, 'utf8').digest('hex');
}

const big = (n: number): SQL => sql`${Math.trunc(n)}::bigint`;

/**
 * The SET clause of the upsert: afterFailure in SQL, over the existing row `r` (as locked by the
 * upsert). Every column is computed from the old values at once, as PostgreSQL evaluates SET.
 */
function failureUpdate(now: number, p: RateLimitPolicy): SQL {
	const t = big(now);
	const forgotten = sql`(${t} - r.last_failure_at > ${big(p.forgetAfterMs)} AND ${t} >= r.locked_until)`;
	const locked = sql`(${t} < r.locked_until)`;
	const kept = sql`(CASE WHEN ${forgotten} THEN '{}'::bigint[]
		ELSE ARRAY(SELECT f FROM unnest(r.failures) AS f WHERE ${t} - f < ${big(p.windowMs)} ORDER BY f) END)`;
	const lockouts = sql`(CASE WHEN ${forgotten} THEN 0 ELSE r.lockouts END)`;
	const trips = sql`(cardinality(${kept}) + 1 >= ${Math.trunc(p.maxFailures)}::int)`;
	const lockout = sql`LEAST(${big(p.baseLockoutMs)}::float8 * power(2::float8, ${lockouts}), ${big(p.maxLockoutMs)}::float8)::bigint`;
	return sql`
		failures = CASE WHEN ${locked} THEN r.failures WHEN ${trips} THEN '{}'::bigint[] ELSE ${kept} || ${t} END,
		lockouts = CASE WHEN ${locked} THEN r.lockouts WHEN ${trips} THEN ${lockouts} + 1 ELSE ${lockouts} END,
		locked_until = CASE WHEN ${locked} THEN r.locked_until WHEN ${trips} THEN ${t} + ${lockout}
			WHEN ${forgotten} THEN 0 ELSE r.locked_until END,
		last_failure_at = ${t}`;
}

export function createDatabaseRateLimitStore(db: Db, options: DatabaseRateLimitStoreOptions = {}): RateLimitStore {
	const trimEvery = options.trimEvery ?? 100;
	const trimIntervalMs = options.trimIntervalMs ?? 60_000;
	const trims = new Map<string, { newKeys: number; at: number }>();

	async function trim(scope: string, now: number, p: RateLimitPolicy): Promise<void> {
		await db.execute(sql`DELETE FROM rate_limit
			WHERE scope = ${scope} AND ${big(now)} - last_failure_at > ${big(p.forgetAfterMs)} AND ${big(now)} >= locked_until`);
		await db.execute(sql`DELETE FROM rate_limit WHERE scope = ${scope} AND key_hash IN (
			SELECT key_hash FROM rate_limit WHERE scope = ${scope}
			ORDER BY last_failure_at DESC, key_hash OFFSET ${Math.trunc(p.maxKeys)}::int)`);
	}

	return {
		kind: 'database',
		async lockedUntil(scope, key) {
			const [r] = await rows<{ locked_until: string | number }>(
				db,
				sql`SELECT locked_until FROM rate_limit WHERE scope = ${scope} AND key_hash = ${keyHash(scope, key)}`
			);
			return r ? Number(r.locked_until) : 0;
		},
		async recordFailure(scope, key, now, policy) {
			const first = afterFailure(undefined, now, policy);
			const failures = `{${first.failures.map((f) => Math.trunc(f)).join(',')}}`;
			const [r] = await rows<{ locked_until: string | number; inserted: boolean }>(
				db,
				sql`INSERT INTO rate_limit AS r (scope, key_hash, failures, lockouts, locked_until, last_failure_at)
					VALUES (${scope}, ${keyHash(scope, key)}, ${failures}::bigint[], ${first.lockouts}::int,
						${big(first.lockedUntil)}, ${big(now)})
					ON CONFLICT (scope, key_hash) DO UPDATE SET ${failureUpdate(now, policy)}
					RETURNING r.locked_until, (r.xmax = 0) AS inserted`
			);
			if (!r) throw new Error('rate_limit upsert returned no row');
			if (r.inserted) {
				const state = trims.get(scope) ?? { newKeys: 0, at: now };
				state.newKeys += 1;
				trims.set(scope, state);
				if (state.newKeys >= trimEvery || now - state.at >= trimIntervalMs) {
					trims.set(scope, { newKeys: 0, at: now });
					await trim(scope, now, policy);
				}
			}
			return Number(r.locked_until);
		},
		async clear(scope, key) {
			await db.execute(sql`DELETE FROM rate_limit WHERE scope = ${scope} AND key_hash = ${keyHash(scope, key)}`);
		},
		async size(scope) {
			const [r] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM rate_limit WHERE scope = ${scope}`);
			return Number(r?.n ?? 0);
		}
	};
}
