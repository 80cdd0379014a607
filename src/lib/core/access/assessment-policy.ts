/**
 * Who may do what to a benchmarking assessment (issue #5), as data like policy.ts: one row per
 * grant of { role, action, states, scope }; anything not granted is denied. The scope is the
 * relation of the person to the assessment. Three relations come from assessment_member rows
 * (`coordinator`, `researcher`, `expert`): they are what makes someone part of one assessment's
 * team, whatever their account role, so their rows use the role `account` (any signed-in account).
 * docs/security.md shows this table, rendered by `renderAssessmentPolicyTable` (a unit test keeps
 * the two identical).
 */
import { ASSESSMENT_STATUSES, type AssessmentMemberRole, type AssessmentStatus } from '../benchmarking/types';
import { DomainError } from '../shared/errors';
import type { AccessActor } from './authorize';
import type { PolicyRole } from './policy';

export const ASSESSMENT_ACTIONS = [
	'assessment.read',
	'assessment.create',
	/** Title, summary, lead organisation, team (researchers) and the setup steps of the status machine. */
	'assessment.update',
	/** Desk answers and their evidence. */
	'assessment.answer',
	/** The optional second researcher check of a desk answer. */
	'assessment.check',
	'assessment.invite_expert',
	/** Own ratings, own conflict-of-interest declaration, own submission. */
	'assessment.rate',
	/**
	 * Upload one expert's ratings file on their behalf (an expert working offline sends it to the
	 * coordinator) while the panel is open. Never reads ratings, never declares conflicts or submits.
	 */
	'assessment.rate_on_behalf',
	/** Every expert's ratings and identities. */
	'assessment.read_ratings',
	'assessment.close_panel',
	/** The validation phase: missing items, flags, live scores, and sending it back to the panel. */
	'assessment.validate',
	'assessment.publish',
	'assessment.unpublish'
] as const;
export type AssessmentAction = (typeof ASSESSMENT_ACTIONS)[number];

/**
 * How the person relates to the assessment: a member of its team in one of the three roles, a
 * member of its lead organisation, scoped to its country, or `other`. Several at once are possible.
 */
export const ASSESSMENT_RELATIONS = [
	'coordinator',
	'researcher',
	'expert',
	'lead_organisation',
	'country',
	'other'
] as const;
export type AssessmentRelation = (typeof ASSESSMENT_RELATIONS)[number];

export type AssessmentScope = Exclude<AssessmentRelation, 'other'> | 'any';

/** A policy role, or `account`: any signed-in account, whatever its role (never the public). */
export type AssessmentPolicyRole = PolicyRole | 'account';

export interface AssessmentPolicyRow {
	role: AssessmentPolicyRole;
	action: AssessmentAction;
	states: readonly AssessmentStatus[];
	scope: AssessmentScope;
}

export const ASSESSMENT_STATES = ASSESSMENT_STATUSES;

const ALL: readonly AssessmentStatus[] = ASSESSMENT_STATUSES;
/** Every state but `published`: a published assessment is read-only (unpublish to correct it). */
const OPEN: readonly AssessmentStatus[] = ['draft', 'desk_research', 'expert_panel', 'validation'];
/** Desk answers are written in the desk-research phase and corrected until publication. */
const DESK_COORDINATOR: readonly AssessmentStatus[] = ['desk_research', 'expert_panel', 'validation'];
const DESK_RESEARCHER: readonly AssessmentStatus[] = ['desk_research', 'expert_panel'];
/** Experts see an assessment once its panel is open, and never before. */
const PANEL_AND_LATER: readonly AssessmentStatus[] = ['expert_panel', 'validation', 'published'];
/** The panel is closed in these states (moving to validation closes it). */
const PANEL_CLOSED: readonly AssessmentStatus[] = ['validation', 'published'];

const row = (
	role: AssessmentPolicyRole,
	action: AssessmentAction,
	states: readonly AssessmentStatus[],
	scope: AssessmentScope
): AssessmentPolicyRow => ({ role, action, states, scope });

export const ASSESSMENT_POLICY: readonly AssessmentPolicyRow[] = [
	// The assessment's coordinator(s): run the whole workflow of their assessment.
	row('account', 'assessment.read', ALL, 'coordinator'),
	row('account', 'assessment.update', OPEN, 'coordinator'),
	row('account', 'assessment.answer', DESK_COORDINATOR, 'coordinator'),
	row('account', 'assessment.check', DESK_COORDINATOR, 'coordinator'),
	row('account', 'assessment.invite_expert', ['draft', 'desk_research', 'expert_panel'], 'coordinator'),
	row('account', 'assessment.rate_on_behalf', ['expert_panel'], 'coordinator'),
	row('account', 'assessment.read_ratings', PANEL_CLOSED, 'coordinator'),
	row('account', 'assessment.close_panel', ['expert_panel'], 'coordinator'),
	row('account', 'assessment.validate', ['validation'], 'coordinator'),
	row('account', 'assessment.publish', ['validation'], 'coordinator'),
	row('account', 'assessment.unpublish', ['published'], 'coordinator'),

	// Desk researchers of the assessment.
	row('account', 'assessment.read', ALL, 'researcher'),
	row('account', 'assessment.answer', DESK_RESEARCHER, 'researcher'),
	row('account', 'assessment.check', DESK_RESEARCHER, 'researcher'),

	// Panel experts: the assessment from the panel on, and their own ratings while it is open.
	row('account', 'assessment.read', PANEL_AND_LATER, 'expert'),
	row('account', 'assessment.rate', ['expert_panel'], 'expert'),

	// Editors of the lead organisation take part in the desk research; its contributors follow it.
	row('editor', 'assessment.read', ALL, 'lead_organisation'),
	row('editor', 'assessment.answer', ['desk_research'], 'lead_organisation'),
	row('editor', 'assessment.check', ['desk_research'], 'lead_organisation'),
	row('contributor', 'assessment.read', ALL, 'lead_organisation'),

	// Country coordinators oversee their countries' assessments and start new ones.
	row('coordinator', 'assessment.read', ALL, 'country'),
	row('coordinator', 'assessment.create', ['draft'], 'country'),

	...ASSESSMENT_ACTIONS.map((action) => row('admin', action, ALL, 'any'))
];

/** The assessment acted on, as the policy sees it (for create: as it would be created). */
export interface AssessmentSubject {
	status: AssessmentStatus;
	country: string;
	leadOrganisationId: string | null;
	members: readonly { userId: string; role: AssessmentMemberRole }[];
}

export function isAssessmentAction(value: string): value is AssessmentAction {
	return (ASSESSMENT_ACTIONS as readonly string[]).includes(value);
}

/** Every relation the actor has to the assessment (`other` when there is none). */
export function assessmentRelationsOf(actor: AccessActor, subject: AssessmentSubject): Set<AssessmentRelation> {
	const out = new Set<AssessmentRelation>();
	if (actor.id !== null) {
		for (const m of subject.members) if (m.userId === actor.id) out.add(m.role);
	}
	if (subject.leadOrganisationId !== null && actor.organisationIds.includes(subject.leadOrganisationId)) {
		out.add('lead_organisation');
	}
	if (actor.countries.includes(subject.country)) out.add('country');
	if (out.size === 0) out.add('other');
	return out;
}

function roleMatches(rowRole: AssessmentPolicyRole, role: PolicyRole): boolean {
	return rowRole === role || (rowRole === 'account' && role !== 'public');
}

/** Whether some row grants the action. Throws on an action the policy does not declare. */
export function canOnAssessment(actor: AccessActor, action: AssessmentAction, subject: AssessmentSubject): boolean {
	if (!isAssessmentAction(action)) throw new Error(`undeclared action ${String(action)}`);
	const relations = assessmentRelationsOf(actor, subject);
	return ASSESSMENT_POLICY.some(
		(r) =>
			roleMatches(r.role, actor.role) &&
			r.action === action &&
			r.states.includes(subject.status) &&
			(r.scope === 'any' || relations.has(r.scope))
	);
}

/**
 * Throws unless the policy grants the action: ASSESSMENT_NOT_FOUND when the actor may not read
 * the assessment (so drafts do not leak, even through other actions), FORBIDDEN when they may
 * read it but not do this, and for creating.
 */
export function authorizeAssessment(actor: AccessActor, action: AssessmentAction, subject: AssessmentSubject): void {
	if (canOnAssessment(actor, action, subject)) return;
	if (action === 'assessment.create') {
		throw new DomainError('FORBIDDEN', 'You may not create an assessment for this country.');
	}
	if (action === 'assessment.read' || !canOnAssessment(actor, 'assessment.read', subject)) {
		throw new DomainError('ASSESSMENT_NOT_FOUND', 'No such assessment');
	}
	throw new DomainError('FORBIDDEN', `You may not do ${action} on this assessment now.`);
}

/** The policy as a Markdown table (docs/security.md embeds exactly this text). */
export function renderAssessmentPolicyTable(rows: readonly AssessmentPolicyRow[] = ASSESSMENT_POLICY): string {
	const lines = ['| Role | Action | States | Scope |', '| --- | --- | --- | --- |'];
	for (const r of rows) {
		lines.push(`| ${r.role} | \`${r.action}\` | ${r.states.join(', ')} | ${r.scope} |`);
	}
	return lines.join('\n');
}
