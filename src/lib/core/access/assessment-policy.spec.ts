import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssessmentStatus } from '../benchmarking/types';
import { DomainError } from '../shared/errors';
import {
	ASSESSMENT_ACTIONS,
	ASSESSMENT_POLICY,
	ASSESSMENT_RELATIONS,
	ASSESSMENT_STATES,
	assessmentRelationsOf,
	authorizeAssessment,
	canOnAssessment,
	renderAssessmentPolicyTable,
	type AssessmentAction,
	type AssessmentRelation,
	type AssessmentSubject
} from './assessment-policy';
import type { AccessActor } from './authorize';
import { POLICY_ROLES, type PolicyRole } from './policy';

/** user-1, member of org-a, scoped to KEN (the public has no id, organisations or countries). */
const actorAs = (role: PolicyRole): AccessActor =>
	role === 'public'
		? { id: null, role, organisationIds: [], countries: [] }
		: { id: 'user-1', role, organisationIds: ['org-a'], countries: ['KEN'] };

/** An assessment standing in exactly one relation to actorAs(…) (for signed-in roles). */
function subjectIn(relation: AssessmentRelation, status: AssessmentStatus): AssessmentSubject {
	const other: AssessmentSubject = {
		status,
		country: 'UGA',
		leadOrganisationId: 'org-b',
		members: [
			{ userId: 'user-2', role: 'coordinator' },
			{ userId: 'user-3', role: 'expert' }
		]
	};
	switch (relation) {
		case 'coordinator':
		case 'researcher':
		case 'expert':
			return { ...other, members: [...other.members, { userId: 'user-1', role: relation }] };
		case 'lead_organisation':
			return { ...other, leadOrganisationId: 'org-a' };
		case 'country':
			return { ...other, country: 'KEN' };
		case 'other':
			return other;
	}
}

/** The cell as the table states it, read straight from the rows. */
function granted(
	role: PolicyRole,
	action: AssessmentAction,
	state: AssessmentStatus,
	relation: AssessmentRelation
): boolean {
	// The public has no account, so it can stand in no relation but `other`.
	if (role === 'public' && relation !== 'other') return granted(role, action, state, 'other');
	return ASSESSMENT_POLICY.some(
		(r) =>
			(r.role === role || (r.role === 'account' && role !== 'public')) &&
			r.action === action &&
			r.states.includes(state) &&
			(r.scope === 'any' || r.scope === relation)
	);
}

function errorOf(fn: () => void): unknown {
	try {
		fn();
		return null;
	} catch (e) {
		return e;
	}
}

const cells = POLICY_ROLES.flatMap((role) =>
	ASSESSMENT_ACTIONS.flatMap((action) =>
		ASSESSMENT_STATES.flatMap((state) =>
			ASSESSMENT_RELATIONS.map((relation) => ({
				role,
				action,
				state,
				relation,
				allowed: granted(role, action, state, relation)
			}))
		)
	)
);

describe('assessment policy matrix (generated from the rows)', () => {
	it('covers every role × action × state × relation cell', () => {
		expect(cells).toHaveLength(
			POLICY_ROLES.length * ASSESSMENT_ACTIONS.length * ASSESSMENT_STATES.length * ASSESSMENT_RELATIONS.length
		);
		expect(cells.some((c) => c.allowed)).toBe(true);
		expect(cells.some((c) => !c.allowed)).toBe(true);
	});

	it.each(ASSESSMENT_RELATIONS)('the fixture for %s stands in exactly that relation', (relation) => {
		expect([...assessmentRelationsOf(actorAs('editor'), subjectIn(relation, 'draft'))]).toEqual([relation]);
	});

	it.each(cells)(
		'$role $action on $state ($relation) → allowed: $allowed',
		({ role, action, state, relation, allowed }) => {
			const actor = actorAs(role);
			const subject = subjectIn(relation, state);
			expect(canOnAssessment(actor, action, subject)).toBe(allowed);
			const err = errorOf(() => authorizeAssessment(actor, action, subject));
			if (allowed) {
				expect(err).toBeNull();
				return;
			}
			expect(err).toBeInstanceOf(DomainError);
			const readable = granted(role, 'assessment.read', state, relation);
			const expected =
				action === 'assessment.create'
					? 'FORBIDDEN'
					: action === 'assessment.read' || !readable
						? 'ASSESSMENT_NOT_FOUND'
						: 'FORBIDDEN';
			expect((err as DomainError).code).toBe(expected);
		}
	);

	it('an undeclared action throws, whoever asks', () => {
		for (const role of POLICY_ROLES) {
			expect(() =>
				canOnAssessment(actorAs(role), 'assessment.delete' as AssessmentAction, subjectIn('coordinator', 'draft'))
			).toThrow(/undeclared action assessment\.delete/);
			expect(() =>
				authorizeAssessment(actorAs(role), 'initiative.read' as AssessmentAction, subjectIn('other', 'published'))
			).toThrow(/undeclared action/);
		}
	});

	it('every row names a declared role, action and state', () => {
		for (const r of ASSESSMENT_POLICY) {
			expect([...POLICY_ROLES, 'account']).toContain(r.role);
			expect(ASSESSMENT_ACTIONS).toContain(r.action);
			expect(r.states.length).toBeGreaterThan(0);
			for (const s of r.states) expect(ASSESSMENT_STATES).toContain(s);
		}
	});

	it('relations add up: a coordinator who is also a country coordinator has both', () => {
		const subject: AssessmentSubject = {
			status: 'draft',
			country: 'KEN',
			leadOrganisationId: 'org-a',
			members: [{ userId: 'user-1', role: 'coordinator' }]
		};
		expect([...assessmentRelationsOf(actorAs('coordinator'), subject)].sort()).toEqual([
			'coordinator',
			'country',
			'lead_organisation'
		]);
		expect([...assessmentRelationsOf(actorAs('public'), subject)]).toEqual(['other']);
	});
});

describe('assessment policy intent (spot checks of the table itself)', () => {
	const allowed = (pred: (c: (typeof cells)[number]) => boolean) => cells.filter((c) => c.allowed && pred(c));

	it('the public and strangers to an assessment can do nothing to it (public pages read published scores)', () => {
		expect(allowed((c) => c.role === 'public')).toEqual([]);
		expect(allowed((c) => c.relation === 'other' && c.role !== 'admin')).toEqual([]);
	});

	it('experts read an assessment only from the panel on, and rate only while the panel is open', () => {
		for (const c of allowed((c) => c.relation === 'expert' && c.role !== 'admin')) {
			expect(['expert_panel', 'validation', 'published']).toContain(c.state);
			expect(['assessment.read', 'assessment.rate']).toContain(c.action);
			if (c.action === 'assessment.rate') expect(c.state).toBe('expert_panel');
		}
		expect(granted('expert', 'assessment.read', 'desk_research', 'expert')).toBe(false);
	});

	it("all experts' ratings are read by coordinators (and admins) only, and only once the panel is closed", () => {
		for (const c of allowed((c) => c.action === 'assessment.read_ratings')) {
			expect(c.role === 'admin' || c.relation === 'coordinator').toBe(true);
			if (c.role !== 'admin') expect(['validation', 'published']).toContain(c.state);
		}
		expect(granted('coordinator', 'assessment.read_ratings', 'expert_panel', 'coordinator')).toBe(false);
	});

	it("ratings are uploaded on an expert's behalf by coordinators (and admins) only, and only while the panel is open", () => {
		for (const c of allowed((c) => c.action === 'assessment.rate_on_behalf')) {
			expect(c.role === 'admin' || c.relation === 'coordinator').toBe(true);
			if (c.role !== 'admin') expect(c.state).toBe('expert_panel');
		}
		expect(granted('coordinator', 'assessment.rate_on_behalf', 'expert_panel', 'coordinator')).toBe(true);
		expect(granted('editor', 'assessment.rate_on_behalf', 'expert_panel', 'expert')).toBe(false);
		expect(granted('editor', 'assessment.rate_on_behalf', 'expert_panel', 'researcher')).toBe(false);
		expect(granted('coordinator', 'assessment.rate_on_behalf', 'expert_panel', 'country')).toBe(false);
		expect(granted('coordinator', 'assessment.rate_on_behalf', 'validation', 'coordinator')).toBe(false);
	});

	it('a published assessment is read-only: only unpublish (and reading) is possible on it', () => {
		for (const c of allowed((c) => c.state === 'published' && c.role !== 'admin')) {
			expect(['assessment.read', 'assessment.read_ratings', 'assessment.unpublish']).toContain(c.action);
		}
	});

	it('only coordinators of the country (and admins) create assessments', () => {
		for (const c of allowed((c) => c.action === 'assessment.create')) {
			expect(c.role === 'admin' || (c.role === 'coordinator' && c.relation === 'country')).toBe(true);
		}
	});

	it('publishing happens only from validation', () => {
		for (const c of allowed((c) => c.action === 'assessment.publish' && c.role !== 'admin')) {
			expect(c.state).toBe('validation');
		}
	});
});

describe('docs/security.md', () => {
	const cellsOf = (markdown: string) =>
		markdown
			.split('\n')
			.filter((l) => l.trim().startsWith('|') && !/^\|[\s:|-]+\|$/.test(l.trim()))
			.map((l) =>
				l
					.trim()
					.slice(1, -1)
					.split('|')
					.map((c) => c.trim())
			);

	it('shows exactly the assessment policy rows', () => {
		const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/security.md'), 'utf8');
		const section = /<!-- assessment-policy-table:start -->([\s\S]*?)<!-- assessment-policy-table:end -->/.exec(doc);
		expect(section, 'docs/security.md needs the assessment-policy-table markers').not.toBeNull();
		expect(cellsOf(section?.[1] ?? '')).toEqual(cellsOf(renderAssessmentPolicyTable()));
	});
});
