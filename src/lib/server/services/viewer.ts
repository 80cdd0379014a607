/**
 * Who is asking: the anonymous public (sees only published records), the operator at the command
 * line (`system`, may read and do everything), or a signed-in account with its role, organisations
 * and country scopes (what the access policy in core/access decides on).
 */
import type { AccessActor } from '../../core/access/authorize';
import type { Role } from '../../core/accounts/roles';
import type { Visibility } from '../db/initiative.repository';

export type Channel = 'web' | 'api' | 'cli';

/** A signed-in account as the policy sees it; built per request by the workflow service. */
export interface ViewerUser {
	id: string;
	/** Snapshot for the audit trail (the email). */
	label: string;
	role: Role;
	organisationIds: readonly string[];
	countries: readonly string[];
}

export type Viewer =
	| { kind: 'public'; channel: Channel }
	| { kind: 'system'; channel: 'cli' }
	| { kind: 'user'; channel: Channel; user: ViewerUser };

export const PUBLIC_WEB: Viewer = { kind: 'public', channel: 'web' };
export const PUBLIC_API: Viewer = { kind: 'public', channel: 'api' };
export const SYSTEM_CLI: Viewer = { kind: 'system', channel: 'cli' };

/**
 * What a viewer may read through the registry's search, facets and exports: the public and signed-in
 * accounts see only published records there (unpublished records are reached by id through the
 * workflow service, which checks the policy); the operator sees everything.
 */
export function visibilityFor(viewer: Viewer): Visibility {
	return viewer.kind === 'system' ? 'all' : 'published';
}

/** The viewer as the access policy sees it; the operator at the command line acts as an admin. */
export function accessActorOf(viewer: Viewer): AccessActor {
	switch (viewer.kind) {
		case 'public':
			return { id: null, role: 'public', organisationIds: [], countries: [] };
		case 'system':
			return { id: null, role: 'admin', organisationIds: [], countries: [] };
		case 'user':
			return {
				id: viewer.user.id,
				role: viewer.user.role,
				organisationIds: viewer.user.organisationIds,
				countries: viewer.user.countries
			};
	}
}
