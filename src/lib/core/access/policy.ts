/**
 * Who may do what to an initiative, as data (research b1, R1.1): one row per grant of
 * { role, action, states, scope }. Anything not granted by a row is denied. docs/security.md shows
 * this table, rendered by `renderPolicyTable` (a unit test keeps the two identical).
 */
import { RECORD_STATUSES, type RecordStatus } from '../registry/vocabulary';

/** Account roles plus `public` (anyone without an account, or signed out). */
export const POLICY_ROLES = ['public', 'expert', 'contributor', 'editor', 'reviewer', 'coordinator', 'admin'] as const;
export type PolicyRole = (typeof POLICY_ROLES)[number];

/** Permissions are `resource.action`. An action missing from this list makes authorize() throw. */
export const INITIATIVE_ACTIONS = [
	'initiative.read',
	'initiative.create',
	'initiative.update',
	'initiative.submit',
	'initiative.review',
	'initiative.publish',
	'initiative.unpublish',
	'initiative.archive',
	'initiative.read_history'
] as const;
export type InitiativeAction = (typeof INITIATIVE_ACTIONS)[number];

export const RECORD_STATES = RECORD_STATUSES;

/**
 * How the person relates to the record: `creator` (they created it), `organisation` (it belongs to
 * an organisation they are a member of), `country` (it concerns a country they are scoped to), or
 * `other` (none of these). A record can be in several relations to one person at once.
 */
export const RELATIONS = ['creator', 'organisation', 'country', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** What a row requires: one relation, or `any` (whatever the relation). */
export type Scope = Exclude<Relation, 'other'> | 'any';

export interface PolicyRow {
	role: PolicyRole;
	action: InitiativeAction;
	states: readonly RecordStatus[];
	scope: Scope;
}

const ALL: readonly RecordStatus[] = RECORD_STATUSES;
const UNPUBLISHED: readonly RecordStatus[] = ['draft', 'in_review', 'archived'];

/** Reviewer rights, shared by reviewers and coordinators: both act for the countries they are scoped to. */
function reviewerRows(role: 'reviewer' | 'coordinator'): PolicyRow[] {
	return [
		{ role, action: 'initiative.read', states: ['published'], scope: 'any' },
		{ role, action: 'initiative.read', states: UNPUBLISHED, scope: 'country' },
		{ role, action: 'initiative.review', states: ['in_review'], scope: 'country' },
		{ role, action: 'initiative.publish', states: ['in_review'], scope: 'country' },
		{ role, action: 'initiative.unpublish', states: ['published'], scope: 'country' },
		{ role, action: 'initiative.read_history', states: ALL, scope: 'country' }
	];
}

export const POLICY: readonly PolicyRow[] = [
	{ role: 'public', action: 'initiative.read', states: ['published'], scope: 'any' },

	// Panel experts (issue #5) have exactly the public's rights on initiatives.
	{ role: 'expert', action: 'initiative.read', states: ['published'], scope: 'any' },

	{ role: 'contributor', action: 'initiative.read', states: ['published'], scope: 'any' },
	{ role: 'contributor', action: 'initiative.read', states: UNPUBLISHED, scope: 'creator' },
	{ role: 'contributor', action: 'initiative.create', states: ['draft'], scope: 'creator' },
	{ role: 'contributor', action: 'initiative.update', states: ['draft'], scope: 'creator' },
	{ role: 'contributor', action: 'initiative.submit', states: ['draft'], scope: 'creator' },
	{ role: 'contributor', action: 'initiative.read_history', states: ALL, scope: 'creator' },

	{ role: 'editor', action: 'initiative.read', states: ['published'], scope: 'any' },
	{ role: 'editor', action: 'initiative.read', states: UNPUBLISHED, scope: 'organisation' },
	{ role: 'editor', action: 'initiative.create', states: ['draft'], scope: 'organisation' },
	{ role: 'editor', action: 'initiative.update', states: ['draft', 'in_review'], scope: 'organisation' },
	{ role: 'editor', action: 'initiative.submit', states: ['draft'], scope: 'organisation' },
	{ role: 'editor', action: 'initiative.read_history', states: ALL, scope: 'organisation' },

	...reviewerRows('reviewer'),

	...reviewerRows('coordinator'),
	{ role: 'coordinator', action: 'initiative.archive', states: ['draft', 'in_review', 'published'], scope: 'country' },
	// Coordinators create drafts concerning their countries (e.g. by accepting a public suggestion); the
	// record is checked as it would be created. They do not edit content afterwards (no update row), so
	// an editor or contributor, or a request for changes, carries it on. Reviewers only review: no create.
	{ role: 'coordinator', action: 'initiative.create', states: ['draft'], scope: 'country' },

	...INITIATIVE_ACTIONS.map((action): PolicyRow => ({ role: 'admin', action, states: ALL, scope: 'any' }))
];

export function isInitiativeAction(value: string): value is InitiativeAction {
	return (INITIATIVE_ACTIONS as readonly string[]).includes(value);
}

/** The policy as a Markdown table (docs/security.md embeds exactly this text). */
export function renderPolicyTable(rows: readonly PolicyRow[] = POLICY): string {
	const lines = ['| Role | Action | States | Scope |', '| --- | --- | --- | --- |'];
	for (const r of rows) {
		lines.push(`| ${r.role} | \`${r.action}\` | ${r.states.join(', ')} | ${r.scope} |`);
	}
	return lines.join('\n');
}
