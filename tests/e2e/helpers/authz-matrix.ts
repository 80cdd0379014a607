/**
 * The authorization matrix replayed on the live app (issue #3), generated from the policy rows
 * (`POLICY` in src/lib/core/access/policy.ts) and the workflow's state machine (`RECORD_STEPS`):
 * no expectation is written by hand. Pure data: tests/e2e/authz-matrix.spec.ts replays the cases
 * over HTTP, tests/integration/authz-coverage.spec.ts checks that every policy row is exercised.
 *
 * The accounts: one per policy role (plus `author`, a second editor of organisation A who writes
 * the organisation's records). The fixtures: records of each type and state whose creator, owner
 * and country put them in a known relation to each account. For every role, fixtures the role's
 * rows cannot tell apart (same relations, as far as the scopes of that role's rows go) are one
 * equivalence class; one member per class is replayed (rotated across types and states), so each
 * role is tested on its own records and on other people's, in every state, for every action.
 */
import type { RecordStatus } from '../../../src/lib/core/registry/vocabulary';
import {
	actionOf,
	POLICY,
	POLICY_ROLES,
	RECORD_STATES,
	RECORD_TYPES,
	type PolicyRole,
	type PolicyRow,
	type RecordType,
	type RecordVerb,
	type Relation
} from '../../../src/lib/core/access/policy';
import { EDITABLE_STATES, RECORD_STEPS, type RecordStep } from '../../../src/lib/server/services/record-workflow';

export type Surface = 'api' | 'pages';
export const SURFACES: readonly Surface[] = ['api', 'pages'];

/** The accounts of the replay: one per signed-in policy role, and `author` (writes organisation A's records). */
export type AccountName = Exclude<PolicyRole, 'public'> | 'author';
export type OrganisationName = 'A' | 'B';

export interface AccountProfile {
	role: Exclude<PolicyRole, 'public'>;
	organisation: OrganisationName | null;
	countries: readonly string[];
}

export const ACCOUNTS: Record<AccountName, AccountProfile> = {
	expert: { role: 'expert', organisation: null, countries: [] },
	contributor: { role: 'contributor', organisation: null, countries: [] },
	editor: { role: 'editor', organisation: 'A', countries: [] },
	author: { role: 'editor', organisation: 'A', countries: [] },
	reviewer: { role: 'reviewer', organisation: null, countries: ['KEN'] },
	coordinator: { role: 'coordinator', organisation: null, countries: ['KEN'] },
	admin: { role: 'admin', organisation: null, countries: [] }
};

/** Who replays each policy role (`public`: no account, no token, no cookie). */
export const ACCOUNT_OF: Record<PolicyRole, AccountName | null> = {
	public: null,
	expert: 'expert',
	contributor: 'contributor',
	editor: 'editor',
	reviewer: 'reviewer',
	coordinator: 'coordinator',
	admin: 'admin'
};

/** The roles replayed (the coverage check fails when the policy grows a role that is not here). */
export const MATRIX_ROLES: readonly PolicyRole[] = [
	'public',
	'expert',
	'contributor',
	'editor',
	'reviewer',
	'coordinator',
	'admin'
];

/** How a fixture record is made: who creates it, which organisation owns it, which country it concerns. */
export interface FixtureKind {
	author: AccountName;
	/** The owner; for an admin author it is set explicitly, otherwise it is the author's only organisation. */
	owner: OrganisationName | null;
	country: 'KEN' | 'UGA';
}

export const FIXTURE_KINDS = {
	/** Someone else's record about another country, owned by another organisation. */
	other: { author: 'admin', owner: 'B', country: 'UGA' },
	/** About Kenya (the reviewer's and coordinator's country), written by someone else. */
	country: { author: 'admin', owner: 'B', country: 'KEN' },
	/** Organisation A's record (the editor's), written by another member of A. */
	organisation: { author: 'author', owner: 'A', country: 'UGA' },
	/** The contributor's own draft. */
	contributor: { author: 'contributor', owner: null, country: 'UGA' },
	/** The coordinator's own draft (coordinators create only for their countries). */
	coordinator: { author: 'coordinator', owner: null, country: 'KEN' }
} as const satisfies Record<string, FixtureKind>;
export type FixtureKindName = keyof typeof FIXTURE_KINDS;
export const FIXTURE_KIND_NAMES = Object.keys(FIXTURE_KINDS) as FixtureKindName[];

/** What is done to an existing record: read it, read its history, edit it, or one workflow step. */
export type Op = 'read' | 'history' | 'update' | RecordStep;
export const STEP_OPS = Object.keys(RECORD_STEPS) as RecordStep[];
export const OPS_BY_SURFACE: Record<Surface, readonly Op[]> = {
	api: ['read', 'history', 'update', ...STEP_OPS],
	// The workspace record page shows the record and its history (full or published-only): its GET is `read`.
	pages: ['read', 'update', ...STEP_OPS]
};

/** The policy verb an operation is checked against. */
export function verbOf(op: Op): RecordVerb {
	if (op === 'read' || op === 'history') return 'read';
	if (op === 'update') return 'update';
	return RECORD_STEPS[op].verb;
}

/** The relations (policy's sense) of an account to a fixture, or of the public (always `other`). */
export function relationsOf(account: AccountName | null, kind: FixtureKind): Relation[] {
	const out: Relation[] = [];
	if (account === null) return ['other'];
	const profile = ACCOUNTS[account];
	if (kind.author === account) out.push('creator');
	if (kind.owner !== null && profile.organisation === kind.owner) out.push('organisation');
	if (profile.countries.includes(kind.country)) out.push('country');
	return out.length > 0 ? out : ['other'];
}

/** The rows that grant the cell (empty: denied). */
export function grantingRows(
	role: PolicyRole,
	type: RecordType,
	verb: RecordVerb,
	state: RecordStatus,
	relations: readonly Relation[]
): PolicyRow[] {
	const action = actionOf(type, verb);
	return POLICY.filter(
		(r) =>
			r.role === role &&
			r.action === action &&
			r.states.includes(state) &&
			(r.scope === 'any' || relations.includes(r.scope))
	);
}

/**
 * What the surface must answer:
 * - `ok`: 2xx (pages: 303 to the record with `?done=`), and the record moved to `to` (or was edited);
 * - `conflict`: the policy allows it but the state machine does not (409), nothing changes;
 * - `forbidden` (403) / `not_found` (404, records one may not read look like missing ones), nothing changes;
 * - `unauthenticated`: the public writing through the API (401) or opening the workspace (303 to sign-in).
 */
export type OutcomeKind = 'ok' | 'conflict' | 'forbidden' | 'not_found' | 'unauthenticated';

export interface Expectation {
	kind: OutcomeKind;
	status: number;
	/** The status the record ends in (ok steps). */
	to?: RecordStatus;
	/** history: whether the full history (who changed it, drafts) is shown, i.e. read_history is granted. */
	fullHistory?: boolean;
	/** The policy rows this case proves (the rows that granted it; none for a denial). */
	rows: PolicyRow[];
}

const STATUS: Record<Surface, Record<OutcomeKind, number>> = {
	api: { ok: 200, conflict: 409, forbidden: 403, not_found: 404, unauthenticated: 401 },
	pages: { ok: 303, conflict: 409, forbidden: 403, not_found: 404, unauthenticated: 303 }
};

function outcome(surface: Surface, kind: OutcomeKind, rest: Omit<Expectation, 'kind' | 'status'>): Expectation {
	const status = surface === 'pages' && kind === 'ok' && rest.to === undefined ? 200 : STATUS[surface][kind];
	return { kind, status, ...rest };
}

/** The expected answer to `op` by `role` on a record of `type` in `state` with these relations. */
export function expectFor(
	surface: Surface,
	role: PolicyRole,
	type: RecordType,
	op: Op,
	state: RecordStatus,
	relations: readonly Relation[]
): Expectation {
	const readRows = grantingRows(role, type, 'read', state, relations);
	const readable = readRows.length > 0;
	const isRead = op === 'read' || op === 'history';
	// The public has no token for API writes and no session for the workspace: it reads the public API
	// and, on the pages surface, the public record pages (`read`); everything else is unauthenticated.
	const publicRead = role === 'public' && (surface === 'api' ? isRead : op === 'read');
	if (role === 'public' && !publicRead) return outcome(surface, 'unauthenticated', { rows: [] });
	if (isRead) {
		if (!readable) return outcome(surface, 'not_found', { rows: [] });
		// The workspace record page shows the history too (all of it with read_history): a page read checks both.
		if (op === 'read' && (surface === 'api' || role === 'public')) return outcome(surface, 'ok', { rows: readRows });
		const historyRows = grantingRows(role, type, 'read_history', state, relations);
		return outcome(surface, 'ok', { rows: [...readRows, ...historyRows], fullHistory: historyRows.length > 0 });
	}
	const rows = grantingRows(role, type, verbOf(op), state, relations);
	if (rows.length === 0) return outcome(surface, readable ? 'forbidden' : 'not_found', { rows: [] });
	if (op === 'update') {
		return EDITABLE_STATES.includes(state)
			? outcome(surface, 'ok', { rows, to: state })
			: outcome(surface, 'conflict', { rows });
	}
	const step = RECORD_STEPS[op];
	return (step.from as readonly RecordStatus[]).includes(state)
		? outcome(surface, 'ok', { rows, to: step.to })
		: outcome(surface, 'conflict', { rows });
}

/** What a created record would be: a draft by this account, with this owner, about this country. */
export interface CreateTarget {
	country: 'KEN' | 'UGA';
	/** Sent as owner_organisation_id (API only); otherwise the account's only organisation. */
	owner?: OrganisationName;
}

/** The relations of a record `account` would create (the creator always; policy checks the would-be record). */
export function createRelations(account: AccountName | null, target: CreateTarget): Relation[] {
	if (account === null) return ['other'];
	const owner = target.owner ?? ACCOUNTS[account].organisation;
	return relationsOf(account, { author: account, owner, country: target.country });
}

export function expectCreate(surface: Surface, role: PolicyRole, type: RecordType, target: CreateTarget): Expectation {
	if (role === 'public') return outcome(surface, 'unauthenticated', { rows: [] });
	const rows = grantingRows(role, type, 'create', 'draft', createRelations(ACCOUNT_OF[role], target));
	return rows.length > 0
		? { kind: 'ok', status: surface === 'api' ? 201 : 303, to: 'draft', rows }
		: outcome(surface, 'forbidden', { rows: [] });
}

export interface RecordCase {
	surface: Surface;
	role: PolicyRole;
	type: RecordType;
	op: Op;
	state: RecordStatus;
	fixture: FixtureKindName;
	relations: Relation[];
	expect: Expectation;
}

export interface CreateCase {
	surface: Surface;
	role: PolicyRole;
	type: RecordType;
	target: CreateTarget;
	relations: Relation[];
	expect: Expectation;
}

/**
 * For one role: the fixture kinds grouped by what that role's rows can see of their relations
 * (the scopes its rows use), with the relations of each kind.
 */
export function equivalenceClasses(role: PolicyRole): FixtureKindName[][] {
	const scopes = new Set(POLICY.filter((r) => r.role === role && r.scope !== 'any').map((r) => r.scope));
	const classes = new Map<string, FixtureKindName[]>();
	for (const name of FIXTURE_KIND_NAMES) {
		const visible = relationsOf(ACCOUNT_OF[role], FIXTURE_KINDS[name])
			.filter((r) => scopes.has(r as Exclude<Relation, 'other'>))
			.sort()
			.join(',');
		classes.set(visible, [...(classes.get(visible) ?? []), name]);
	}
	return [...classes.values()];
}

/** Every replayed case on existing records, per surface (optionally only some record types). */
export function recordCases(surface: Surface, types: readonly RecordType[] = RECORD_TYPES): RecordCase[] {
	const out: RecordCase[] = [];
	for (const [ti, type] of types.entries()) {
		for (const [si, state] of RECORD_STATES.entries()) {
			for (const role of MATRIX_ROLES) {
				for (const members of equivalenceClasses(role)) {
					// One member of the class, rotated so each kind is used somewhere.
					const fixture = members[(ti + si) % members.length]!;
					const relations = relationsOf(ACCOUNT_OF[role], FIXTURE_KINDS[fixture]);
					for (const op of OPS_BY_SURFACE[surface]) {
						out.push({
							surface,
							role,
							type,
							op,
							state,
							fixture,
							relations,
							expect: expectFor(surface, role, type, op, state, relations)
						});
					}
				}
			}
		}
	}
	return out;
}

/** Create cases: every role creates about Kenya and about Uganda; editors and admins also for organisation B (API). */
export function createCases(surface: Surface, types: readonly RecordType[] = RECORD_TYPES): CreateCase[] {
	const out: CreateCase[] = [];
	for (const type of types) {
		for (const role of MATRIX_ROLES) {
			const account = ACCOUNT_OF[role];
			const targets: CreateTarget[] = [{ country: 'KEN' }, { country: 'UGA' }];
			// Only the API takes an owner; a non-admin naming another organisation is the "other organisation" case.
			if (surface === 'api' && (role === 'editor' || role === 'admin')) targets.push({ country: 'UGA', owner: 'B' });
			for (const target of targets) {
				out.push({
					surface,
					role,
					type,
					target,
					relations: createRelations(account, target),
					expect: expectCreate(surface, role, type, target)
				});
			}
		}
	}
	return out;
}

/** A policy cell (row × one of its states) no replayed case exercises. */
export interface UncoveredCell {
	row: PolicyRow;
	state: RecordStatus;
	surfaces: Surface[];
}

/**
 * Which (row, state) cells the cases prove on which surfaces. A record is always created as a draft,
 * so a `create` row is exercised through its `draft` state only (the admin row lists every state).
 */
export function uncoveredCells(
	cases: readonly { surface: Surface; expect: Expectation; state?: RecordStatus }[],
	required: readonly Surface[]
): UncoveredCell[] {
	const seen = new Map<PolicyRow, Map<RecordStatus, Set<Surface>>>();
	for (const c of cases) {
		const state = c.state ?? 'draft';
		for (const row of c.expect.rows) {
			const byState = seen.get(row) ?? new Map<RecordStatus, Set<Surface>>();
			const surfaces = byState.get(state) ?? new Set<Surface>();
			surfaces.add(c.surface);
			byState.set(state, surfaces);
			seen.set(row, byState);
		}
	}
	const out: UncoveredCell[] = [];
	for (const row of POLICY) {
		const states = row.action.endsWith('.create') ? (['draft'] as const) : row.states;
		for (const state of states) {
			const surfaces = [...(seen.get(row)?.get(state) ?? [])];
			if (required.some((s) => !surfaces.includes(s))) out.push({ row, state, surfaces });
		}
	}
	return out;
}

/** Roles of the policy the replay has no account for (must be empty). */
export function unreplayedRoles(): PolicyRole[] {
	return POLICY_ROLES.filter((r) => !MATRIX_ROLES.includes(r));
}
