import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors';
import { authorize, can, relationsOf, type AccessActor, type AccessSubject } from './authorize';
import {
	actionOf,
	POLICY,
	POLICY_ROLES,
	RECORD_ACTIONS,
	RECORD_STATES,
	RECORD_TYPES,
	recordTypeOf,
	RELATIONS,
	renderPolicyTable,
	type RecordAction,
	type PolicyRole,
	type Relation
} from './policy';
import type { RecordStatus } from '../registry/vocabulary';

/** An actor who created nothing of org-b, belongs to org-a and is scoped to KEN. */
const actorAs = (role: PolicyRole): AccessActor => ({
	id: 'user-1',
	role,
	organisationIds: ['org-a'],
	countries: ['KEN']
});

/** A subject standing in exactly one relation to actorAs(…). */
function subjectIn(relation: Relation, status: RecordStatus): AccessSubject {
	const other = { status, createdBy: 'user-2', ownerOrganisationId: 'org-b', countries: ['UGA'] };
	switch (relation) {
		case 'creator':
			return { ...other, createdBy: 'user-1' };
		case 'organisation':
			return { ...other, ownerOrganisationId: 'org-a' };
		case 'country':
			return { ...other, countries: ['UGA', 'KEN'] };
		case 'other':
			return other;
	}
}

/** The cell as the table states it, read straight from the rows. */
function granted(role: PolicyRole, action: RecordAction, state: RecordStatus, relation: Relation): boolean {
	return POLICY.some(
		(r) =>
			r.role === role && r.action === action && r.states.includes(state) && (r.scope === 'any' || r.scope === relation)
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
	RECORD_ACTIONS.flatMap((action) =>
		RECORD_STATES.flatMap((state) =>
			RELATIONS.map((relation) => ({ role, action, state, relation, allowed: granted(role, action, state, relation) }))
		)
	)
);

describe('policy matrix (generated from the policy rows)', () => {
	it('covers every role × action × state × relation cell', () => {
		expect(cells).toHaveLength(POLICY_ROLES.length * RECORD_ACTIONS.length * RECORD_STATES.length * RELATIONS.length);
		expect(cells.some((c) => c.allowed)).toBe(true);
		expect(cells.some((c) => !c.allowed)).toBe(true);
	});

	it.each(RELATIONS)('the fixture for %s stands in exactly that relation', (relation) => {
		expect([...relationsOf(actorAs('editor'), subjectIn(relation, 'draft'))]).toEqual([relation]);
	});

	it.each(cells)(
		'$role $action on $state ($relation) → allowed: $allowed',
		({ role, action, state, relation, allowed }) => {
			const actor = actorAs(role);
			const subject = subjectIn(relation, state);
			expect(can(actor, action, subject)).toBe(allowed);
			const err = errorOf(() => authorize(actor, action, subject));
			if (allowed) {
				expect(err).toBeNull();
				return;
			}
			expect(err).toBeInstanceOf(DomainError);
			// Records one may not read are "not found" (even for other actions); create has no record yet.
			const type = recordTypeOf(action);
			const readable = granted(role, actionOf(type, 'read'), state, relation);
			const notFound = { initiative: 'INITIATIVE_NOT_FOUND', practice: 'PRACTICE_NOT_FOUND', actor: 'ACTOR_NOT_FOUND' }[
				type
			];
			const expected =
				action === actionOf(type, 'create')
					? 'FORBIDDEN'
					: action === actionOf(type, 'read') || !readable
						? notFound
						: 'FORBIDDEN';
			expect((err as DomainError).code).toBe(expected);
		}
	);

	it('an undeclared action throws, whoever asks', () => {
		for (const role of POLICY_ROLES) {
			expect(() => can(actorAs(role), 'initiative.delete' as RecordAction, subjectIn('other', 'draft'))).toThrow(
				/undeclared action initiative\.delete/
			);
			expect(() => authorize(actorAs(role), 'user.read' as RecordAction, subjectIn('creator', 'draft'))).toThrow(
				/undeclared action/
			);
		}
	});

	it('every row names a declared role, action and state', () => {
		for (const row of POLICY) {
			expect(POLICY_ROLES).toContain(row.role);
			expect(RECORD_ACTIONS).toContain(row.action);
			expect(row.states.length).toBeGreaterThan(0);
			for (const s of row.states) expect(RECORD_STATES).toContain(s);
		}
	});
});

describe('policy intent (spot checks of the table itself)', () => {
	const allowedCells = (role: PolicyRole) => cells.filter((c) => c.role === role && c.allowed);

	it('the public reads published records and nothing else', () => {
		const publicCells = allowedCells('public');
		expect(publicCells.every((c) => c.action.endsWith('.read') && c.state === 'published')).toBe(true);
		expect(publicCells).toHaveLength(RELATIONS.length * RECORD_TYPES.length);
	});

	it("panel experts have exactly the public's rights on initiatives", () => {
		const strip = (c: (typeof cells)[number]) => ({ ...c, role: null });
		expect(allowedCells('expert').map(strip)).toEqual(allowedCells('public').map(strip));
	});

	it('nobody but an admin reads or changes an unpublished record of another organisation and country', () => {
		for (const c of cells) {
			if (c.relation === 'other' && c.state !== 'published' && c.role !== 'admin') expect(c.allowed).toBe(false);
		}
	});

	it('contributors and editors never review, publish, unpublish or archive', () => {
		const gated: RecordAction[] = RECORD_TYPES.flatMap((type) =>
			(['review', 'publish', 'unpublish', 'archive'] as const).map((verb) => actionOf(type, verb))
		);
		for (const c of cells) {
			if ((c.role === 'contributor' || c.role === 'editor') && gated.includes(c.action)) expect(c.allowed).toBe(false);
		}
	});

	it('reviewers never edit content, coordinators only their own drafts; only coordinators (and admins) archive', () => {
		for (const c of cells) {
			if (c.role === 'reviewer' && c.action.endsWith('.update')) expect(c.allowed).toBe(false);
			if (c.role === 'coordinator' && c.action.endsWith('.update')) {
				expect(c.allowed).toBe(c.relation === 'creator' && c.state === 'draft');
			}
			if (c.action.endsWith('.archive') && c.allowed) expect(['coordinator', 'admin']).toContain(c.role);
		}
	});

	it('published records are changed by nobody through update (unpublish first)', () => {
		for (const c of cells) {
			if (c.action.endsWith('.update') && c.state === 'published' && c.role !== 'admin') expect(c.allowed).toBe(false);
		}
	});
});

describe('practices and actors', () => {
	it('are granted exactly what initiatives are (one workflow, one set of grants)', () => {
		const shape = (type: string) =>
			POLICY.filter((r) => recordTypeOf(r.action) === type).map((r) => ({
				...r,
				action: r.action.slice(type.length + 1)
			}));
		expect(shape('practice')).toEqual(shape('initiative'));
		expect(shape('actor')).toEqual(shape('initiative'));
		expect(shape('practice').length).toBeGreaterThan(0);
	});

	it('an unreadable practice or actor is its own NOT_FOUND, never an initiative one', () => {
		const editor = actorAs('editor');
		expect(errorOf(() => authorize(editor, 'practice.update', subjectIn('other', 'draft')))).toMatchObject({
			code: 'PRACTICE_NOT_FOUND'
		});
		expect(errorOf(() => authorize(editor, 'actor.submit', subjectIn('other', 'in_review')))).toMatchObject({
			code: 'ACTOR_NOT_FOUND'
		});
		// Readable (published) but not changeable: FORBIDDEN.
		expect(errorOf(() => authorize(editor, 'actor.unpublish', subjectIn('other', 'published')))).toMatchObject({
			code: 'FORBIDDEN'
		});
	});
});

describe('coordinators create drafts for their countries (checked against the record as it would be created)', () => {
	const coordinator: AccessActor = { id: 'coord-1', role: 'coordinator', organisationIds: [], countries: ['KEN'] };
	const draftFor = (countries: string[]): AccessSubject => ({
		status: 'draft',
		ownerOrganisationId: null,
		createdBy: 'coord-1',
		countries
	});

	it('may create a draft concerning one of their countries (alone or among others)', () => {
		expect(can(coordinator, 'initiative.create', draftFor(['KEN']))).toBe(true);
		expect(can(coordinator, 'initiative.create', draftFor(['UGA', 'KEN']))).toBe(true);
	});

	it('may not create one for another country, a global record, or anything but a draft', () => {
		expect(errorOf(() => authorize(coordinator, 'initiative.create', draftFor(['UGA'])))).toMatchObject({
			code: 'FORBIDDEN'
		});
		expect(can(coordinator, 'initiative.create', draftFor([]))).toBe(false);
		expect(can(coordinator, 'initiative.create', { ...draftFor(['KEN']), status: 'published' })).toBe(false);
		expect(can({ ...coordinator, countries: [] }, 'initiative.create', draftFor(['KEN']))).toBe(false);
	});

	it('reviewers still create nothing, whatever the countries', () => {
		const reviewer: AccessActor = { ...coordinator, role: 'reviewer' };
		expect(can(reviewer, 'initiative.create', draftFor(['KEN']))).toBe(false);
		expect(cells.filter((c) => c.role === 'reviewer' && c.action === 'initiative.create' && c.allowed)).toEqual([]);
	});
});

describe('docs/security.md', () => {
	/** Table rows as trimmed cells, whatever the column padding Prettier chose. */
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

	it('shows exactly the policy rows', () => {
		const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/security.md'), 'utf8');
		const section = /<!-- policy-table:start -->([\s\S]*?)<!-- policy-table:end -->/.exec(doc);
		expect(section, 'docs/security.md needs the policy-table markers').not.toBeNull();
		expect(cellsOf(section?.[1] ?? '')).toEqual(cellsOf(renderPolicyTable()));
	});
});
