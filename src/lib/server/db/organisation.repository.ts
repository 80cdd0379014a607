/** Organisations, memberships and the country scopes of accounts (what the access policy reads). */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { rows } from './sql';

type Executor = Pick<Db, 'execute'>;

export type MembershipRole = 'member' | 'manager';

export interface OrganisationRecord {
	id: string;
	name: string;
	actorId: string | null;
	country: string | null;
}

/** What the policy needs to know about an account beyond its role. */
export interface AccessFacts {
	organisationIds: string[];
	countries: string[];
}

export async function insertOrganisation(
	tx: Executor,
	input: { name: string; actorId?: string | null; country?: string | null }
): Promise<OrganisationRecord> {
	const [row] = await rows<{ id: string; name: string; actor_id: string | null; country: string | null }>(
		tx,
		sql`INSERT INTO organisation (name, actor_id, country) VALUES (${input.name}, ${input.actorId ?? null}::uuid, ${input.country ?? null})
		    RETURNING id, name, actor_id, country`
	);
	if (!row) throw new Error('organisation insert returned no row');
	return { id: row.id, name: row.name, actorId: row.actor_id, country: row.country };
}

/** Adds (or changes the role of) a membership. */
export async function upsertMembership(
	tx: Executor,
	userId: string,
	organisationId: string,
	role: MembershipRole = 'member'
): Promise<void> {
	await tx.execute(
		sql`INSERT INTO membership (user_id, organisation_id, role) VALUES (${userId}::uuid, ${organisationId}::uuid, ${role})
		    ON CONFLICT (user_id, organisation_id) DO UPDATE SET role = EXCLUDED.role`
	);
}

export async function deleteMembership(tx: Executor, userId: string, organisationId: string): Promise<void> {
	await tx.execute(
		sql`DELETE FROM membership WHERE user_id = ${userId}::uuid AND organisation_id = ${organisationId}::uuid`
	);
}

/** Replaces the countries an account is scoped to. */
export async function replaceUserScopes(tx: Executor, userId: string, countries: readonly string[]): Promise<void> {
	await tx.execute(sql`DELETE FROM user_scope WHERE user_id = ${userId}::uuid`);
	for (const c of new Set(countries)) {
		await tx.execute(sql`INSERT INTO user_scope (user_id, country) VALUES (${userId}::uuid, ${c})`);
	}
}

/** The organisations and countries of an account, read fresh (no cache: revocations apply at once). */
export async function findAccessFacts(db: Executor, userId: string): Promise<AccessFacts> {
	const [orgs, scopes] = [
		await rows<{ organisation_id: string }>(
			db,
			sql`SELECT organisation_id FROM membership WHERE user_id = ${userId}::uuid ORDER BY organisation_id`
		),
		await rows<{ country: string }>(
			db,
			sql`SELECT country FROM user_scope WHERE user_id = ${userId}::uuid ORDER BY country`
		)
	];
	return { organisationIds: orgs.map((o) => o.organisation_id), countries: scopes.map((s) => s.country) };
}
