/**
 * Who may do what to an initiative, a practice or an actor, as data (research b1, R1.1): one row per grant of
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

/** Practices and actors follow the initiative's workflow, with the same rows (see recordRows). */
export const PRACTICE_ACTIONS = [
	'practice.read',
	'practice.create',
	'practice.update',
	'practice.submit',
	'practice.review',
	'practice.publish',
	'practice.unpublish',
	'practice.archive',
	'practice.read_history'
] as const;
export type PracticeAction = (typeof PRACTICE_ACTIONS)[number];

export const ACTOR_ACTIONS = [
	'actor.read',
	'actor.create',
	'actor.update',
	'actor.submit',
	'actor.review',
	'actor.publish',
	'actor.unpublish',
	'actor.archive',
	'actor.read_history'
] as const;
export type ActorAction = (typeof ACTOR_ACTIONS)[number];

/** The kinds of record the editing workflow covers, and every action on them. */
export const RECORD_TYPES = ['initiative', 'practice', 'actor'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const RECORD_ACTIONS = [...INITIATIVE_ACTIONS, ...PRACTICE_ACTIONS, ...ACTOR_ACTIONS] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];
/** The verbs shared by the three record types (`read`, `create`, …). */
export type RecordVerb = InitiativeAction extends `initiative.${infer V}` ? V : never;

/** `practice` + `read` → `practice.read` (typed). */
export function actionOf<T extends RecordType>(type: T, verb: RecordVerb): `${T}.${RecordVerb}` & RecordAction {
	return `${type}.${verb}` as `${T}.${RecordVerb}` & RecordAction;
}

/** The record type an action is about. */
export function recordTypeOf(action: RecordAction): RecordType {
	return action.slice(0, action.indexOf('.')) as RecordType;
}

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
	action: RecordAction;
	states: readonly RecordStatus[];
	scope: Scope;
}

const ALL: readonly RecordStatus[] = RECORD_STATUSES;
const UNPUBLISHED: readonly RecordStatus[] = ['draft', 'in_review', 'archived'];

/**
 * The rows of one record type. Initiatives, practices and actors share one workflow and one set of
 * grants (issue #3): contributors their own drafts, editors their organisation's records, reviewers
 * and coordinators the records concerning their countries (a practice concerns its countries, an
 * actor its home country — so an actor without a country is reviewed and published by an admin).
 */
function recordRows(type: RecordType): PolicyRow[] {
	const a = (verb: RecordVerb): RecordAction => actionOf(type, verb);
	/** Reviewer rights, shared by reviewers and coordinators: both act for the countries they are scoped to. */
	const reviewerRows = (role: 'reviewer' | 'coordinator'): PolicyRow[] => [
		{ role, action: a('read'), states: ['published'], scope: 'any' },
		{ role, action: a('read'), states: UNPUBLISHED, scope: 'country' },
		{ role, action: a('review'), states: ['in_review'], scope: 'country' },
		{ role, action: a('publish'), states: ['in_review'], scope: 'country' },
		{ role, action: a('unpublish'), states: ['published'], scope: 'country' },
		{ role, action: a('read_history'), states: ALL, scope: 'country' }
	];
	return [
		{ role: 'public', action: a('read'), states: ['published'], scope: 'any' },

		// Panel experts (issue #5) have exactly the public's rights on registry records.
		{ role: 'expert', action: a('read'), states: ['published'], scope: 'any' },

		{ role: 'contributor', action: a('read'), states: ['published'], scope: 'any' },
		{ role: 'contributor', action: a('read'), states: UNPUBLISHED, scope: 'creator' },
		{ role: 'contributor', action: a('create'), states: ['draft'], scope: 'creator' },
		{ role: 'contributor', action: a('update'), states: ['draft'], scope: 'creator' },
		{ role: 'contributor', action: a('submit'), states: ['draft'], scope: 'creator' },
		{ role: 'contributor', action: a('read_history'), states: ALL, scope: 'creator' },

		{ role: 'editor', action: a('read'), states: ['published'], scope: 'any' },
		{ role: 'editor', action: a('read'), states: UNPUBLISHED, scope: 'organisation' },
		{ role: 'editor', action: a('create'), states: ['draft'], scope: 'organisation' },
		{ role: 'editor', action: a('update'), states: ['draft', 'in_review'], scope: 'organisation' },
		{ role: 'editor', action: a('submit'), states: ['draft'], scope: 'organisation' },
		{ role: 'editor', action: a('read_history'), states: ALL, scope: 'organisation' },

		...reviewerRows('reviewer'),

		...reviewerRows('coordinator'),
		{ role: 'coordinator', action: a('archive'), states: ['draft', 'in_review', 'published'], scope: 'country' },
		// Coordinators create drafts concerning their countries (e.g. by accepting a public suggestion); the
		// record is checked as it would be created. They may edit and submit the drafts they created (so an
		// accepted suggestion can be tidied and moved on without an editor), not other people's content.
		// Reviewers only review: no create.
		{ role: 'coordinator', action: a('create'), states: ['draft'], scope: 'country' },
		{ role: 'coordinator', action: a('update'), states: ['draft'], scope: 'creator' },
		{ role: 'coordinator', action: a('submit'), states: ['draft'], scope: 'creator' },

		...RECORD_ACTIONS.filter((x) => recordTypeOf(x) === type).map((action): PolicyRow => ({
			role: 'admin',
			action,
			states: ALL,
			scope: 'any'
		}))
	];
}

export const POLICY: readonly PolicyRow[] = [
	...recordRows('initiative'),
	...recordRows('practice'),
	...recordRows('actor')
];

export function isInitiativeAction(value: string): value is InitiativeAction {
	return (INITIATIVE_ACTIONS as readonly string[]).includes(value);
}

export function isRecordAction(value: string): value is RecordAction {
	return (RECORD_ACTIONS as readonly string[]).includes(value);
}

/** The policy as a Markdown table (docs/security.md embeds exactly this text). */
export function renderPolicyTable(rows: readonly PolicyRow[] = POLICY): string {
	const lines = ['| Role | Action | States | Scope |', '| --- | --- | --- | --- |'];
	for (const r of rows) {
		lines.push(`| ${r.role} | \`${r.action}\` | ${r.states.join(', ')} | ${r.scope} |`);
	}
	return lines.join('\n');
}
