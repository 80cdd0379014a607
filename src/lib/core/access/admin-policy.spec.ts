import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../accounts/roles';
import { DomainError } from '../shared/errors';
import {
	ADMIN_ACTIONS,
	ADMIN_POLICY,
	authorizeAdmin,
	canAdminister,
	renderAdminPolicyTable,
	type AdminAction
} from './admin-policy';

describe('admin policy', () => {
	// Generated from the rows: every role × action cell is allowed exactly when a row grants it.
	for (const role of [...ROLES, 'system' as const, null]) {
		for (const action of ADMIN_ACTIONS) {
			const expected = ADMIN_POLICY.some((r) => r.action === action && r.role === (role === 'system' ? 'admin' : role));
			it(`${String(role)} ${expected ? 'may' : 'may not'} ${action}`, () => {
				expect(canAdminister(role, action)).toBe(expected);
				if (expected) expect(() => authorizeAdmin(role, action)).not.toThrow();
				else {
					let caught: unknown = null;
					try {
						authorizeAdmin(role, action);
					} catch (err) {
						caught = err;
					}
					expect(caught).toBeInstanceOf(DomainError);
					expect((caught as DomainError).code).toBe('FORBIDDEN');
				}
			});
		}
	}

	it('grants administration to admins (and the operator) only', () => {
		expect(new Set(ADMIN_POLICY.map((r) => r.role))).toEqual(new Set(['admin']));
		for (const role of ROLES.filter((r) => r !== 'admin')) {
			expect(ADMIN_ACTIONS.some((a) => canAdminister(role, a))).toBe(false);
		}
		expect(ADMIN_ACTIONS.every((a) => canAdminister('system', a))).toBe(true);
	});

	it('throws on an undeclared action', () => {
		expect(() => canAdminister('admin', 'user.delete' as AdminAction)).toThrow(/undeclared/);
	});

	it('is the table docs/security.md shows', () => {
		const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/security.md'), 'utf8');
		const section = /<!-- admin-policy-table:start -->([\s\S]*?)<!-- admin-policy-table:end -->/.exec(doc);
		expect(section, 'docs/security.md needs the admin-policy-table markers').not.toBeNull();
		const cells = (md: string) =>
			md
				.split('\n')
				.filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
				.map((l) =>
					l
						.split('|')
						.slice(1, -1)
						.map((c) => c.trim())
				);
		expect(cells(section?.[1] ?? '')).toEqual(cells(renderAdminPolicyTable()));
	});
});
