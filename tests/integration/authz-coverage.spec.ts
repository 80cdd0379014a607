/**
 * Coverage of the authorization replay (issue #3): every row of the policy, in every state it grants,
 * is exercised by at least one case that tests/e2e/authz-matrix.spec.ts replays on the API and on the
 * workspace pages. The cases are generated from the rows (tests/e2e/helpers/authz-matrix.ts), so a
 * new row is replayed automatically — unless it needs something the replay does not have (a new role,
 * scope or action, a relation no fixture stands in): then this test fails until the replay learns it.
 * No database: the generator is pure.
 */
import { describe, expect, it } from 'vitest';
import { POLICY, POLICY_ROLES, RECORD_STATES, RECORD_TYPES, type Relation } from '../../src/lib/core/access/policy';
import {
	ACCOUNT_OF,
	createCases,
	equivalenceClasses,
	expectFor,
	FIXTURE_KIND_NAMES,
	FIXTURE_KINDS,
	MATRIX_ROLES,
	OPS_BY_SURFACE,
	recordCases,
	relationsOf,
	SURFACES,
	uncoveredCells,
	unreplayedRoles,
	verbOf,
	type Surface
} from '../e2e/helpers/authz-matrix';

const describeCell = (c: ReturnType<typeof uncoveredCells>[number]) =>
	`${c.row.role} ${c.row.action} ${c.state} (${c.row.scope}) — replayed on: ${c.surfaces.join(', ') || 'nothing'}`;

describe('authorization replay coverage', () => {
	const cases = SURFACES.flatMap((s: Surface) => [...recordCases(s), ...createCases(s)]);

	it('replays every role of the policy', () => {
		expect(unreplayedRoles()).toEqual([]);
		expect([...MATRIX_ROLES].sort()).toEqual([...POLICY_ROLES].sort());
	});

	it('every policy row, in every state it grants, is exercised on the API and on the pages', () => {
		expect(uncoveredCells(cases, SURFACES).map(describeCell)).toEqual([]);
	});

	it('every action of every record type is replayed on each surface (a new verb fails here)', () => {
		for (const surface of SURFACES) {
			const verbs = new Set<string>([...OPS_BY_SURFACE[surface].map(verbOf), 'create']);
			const history =
				surface === 'api' ? OPS_BY_SURFACE.api.includes('history') : OPS_BY_SURFACE.pages.includes('read');
			expect(history).toBe(true);
			for (const row of POLICY) {
				const verb = row.action.slice(row.action.indexOf('.') + 1);
				if (verb === 'read_history') continue; // shown by `history` (API) and the record page (pages)
				expect(verbs.has(verb), `${surface} replays ${row.action}`).toBe(true);
			}
		}
	});

	it('the fixtures stand in every relation a row requires, for each role', () => {
		for (const row of POLICY.filter((r) => r.scope !== 'any')) {
			const stands = FIXTURE_KIND_NAMES.some((k) =>
				relationsOf(ACCOUNT_OF[row.role], FIXTURE_KINDS[k]).includes(row.scope as Relation)
			);
			expect(stands, `${row.role} ${row.action} needs a record in relation ${row.scope}`).toBe(true);
		}
	});

	it('each role is replayed on records it owns (where it can own any) and on records of others', () => {
		for (const role of MATRIX_ROLES) {
			const classes = equivalenceClasses(role);
			const hasOther = classes.some((members) =>
				members.some((k) => relationsOf(ACCOUNT_OF[role], FIXTURE_KINDS[k]).includes('other'))
			);
			expect(hasOther, `${role} on other people's records`).toBe(true);
			const scoped = POLICY.some((r) => r.role === role && r.scope !== 'any');
			if (scoped) expect(classes.length, `${role} on its own and on others' records`).toBeGreaterThan(1);
		}
	});

	it('the cases span every type and state, and both allow and deny on every surface', () => {
		for (const surface of SURFACES) {
			const mine = cases.filter((c) => c.surface === surface);
			for (const type of RECORD_TYPES) {
				for (const state of RECORD_STATES) {
					expect(mine.some((c) => c.type === type && 'state' in c && c.state === state)).toBe(true);
				}
			}
			for (const kind of ['ok', 'conflict', 'forbidden', 'not_found', 'unauthenticated'] as const) {
				expect(
					mine.some((c) => c.expect.kind === kind),
					`${surface} has ${kind} cases`
				).toBe(true);
			}
		}
		// Hundreds of requests per surface, not tens of thousands.
		expect(cases.length).toBeLessThan(4_000);
	});

	it('expectations follow the rows (spot checks that the generator reads the policy, not a copy)', () => {
		// A reviewer of Kenya approves a Kenyan record in review, cannot touch another country's draft (404)
		// and cannot edit a published record it may read (403).
		expect(expectFor('api', 'reviewer', 'practice', 'approve', 'in_review', ['country'])).toMatchObject({
			kind: 'ok',
			to: 'published'
		});
		expect(expectFor('api', 'reviewer', 'actor', 'update', 'draft', ['other']).kind).toBe('not_found');
		expect(expectFor('api', 'reviewer', 'initiative', 'update', 'published', ['other']).kind).toBe('forbidden');
		// The admin may "approve" a draft by policy; the state machine refuses it.
		expect(expectFor('api', 'admin', 'initiative', 'approve', 'draft', ['other']).kind).toBe('conflict');
		// The public never writes and never opens the workspace.
		expect(expectFor('pages', 'public', 'initiative', 'update', 'draft', ['other']).kind).toBe('unauthenticated');
		expect(expectFor('pages', 'public', 'actor', 'read', 'draft', ['other']).kind).toBe('not_found');
		expect(expectFor('api', 'public', 'initiative', 'read', 'published', ['other']).kind).toBe('ok');
	});
});
