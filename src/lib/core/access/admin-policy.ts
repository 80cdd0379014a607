/**
 * Who may administer the observatory, as data: one row per grant of { role, action }. Anything not
 * granted is denied (FORBIDDEN). Only admins administer; the operator at the command line
 * (`system`) acts as an admin. docs/security.md embeds `renderAdminPolicyTable()` and a unit test
 * keeps the two identical.
 *
 * Decision: coordinators do not read the audit trail, not even for records of their countries.
 * The trail mixes record changes with account events (sign-ins, role changes, denied requests) of
 * people in other countries, and a coordinator already sees who changed a record of their countries
 * in its revision history (`initiative.read_history`). Opening a country-filtered audit view is a
 * new policy row plus a filter, once someone needs it.
 */
import type { Role } from '../accounts/roles';
import { DomainError } from '../shared/errors';

export const ADMIN_ACTIONS = [
	/** List and read accounts, their memberships and country scopes, and every account's API tokens. */
	'user.read',
	/**
	 * Invite, reset-password links, role changes, disable/enable, memberships, country scopes, ending
	 * an account's sessions, revoking anyone's API token.
	 */
	'user.manage',
	'organisation.read',
	/** Create and edit organisations, add and remove members. */
	'organisation.manage',
	/** Browse the audit trail. */
	'audit.read',
	/** Download the filtered audit trail as CSV or JSON (itself audited: `audit.exported`). */
	'audit.export'
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export type AdminRole = Role | 'system';

export interface AdminPolicyRow {
	role: AdminRole;
	action: AdminAction;
}

export const ADMIN_POLICY: readonly AdminPolicyRow[] = ADMIN_ACTIONS.map((action): AdminPolicyRow => ({
	role: 'admin',
	action
}));

export function isAdminAction(value: string): value is AdminAction {
	return (ADMIN_ACTIONS as readonly string[]).includes(value);
}

/** Whether a row grants the action; the operator at the command line acts as an admin. */
export function canAdminister(role: AdminRole | null, action: AdminAction): boolean {
	if (!isAdminAction(action)) throw new Error(`undeclared action ${String(action)}`);
	const effective = role === 'system' ? 'admin' : role;
	return ADMIN_POLICY.some((row) => row.role === effective && row.action === action);
}

/** Throws FORBIDDEN unless a row grants the action. */
export function authorizeAdmin(role: AdminRole | null, action: AdminAction): void {
	if (!canAdminister(role, action)) throw new DomainError('FORBIDDEN', `Only administrators may do ${action}.`);
}

/** The policy as a Markdown table (docs/security.md embeds exactly this text). */
export function renderAdminPolicyTable(rows: readonly AdminPolicyRow[] = ADMIN_POLICY): string {
	const lines = ['| Role | Action |', '| --- | --- |'];
	for (const r of rows) lines.push(`| ${r.role} | \`${r.action}\` |`);
	return lines.join('\n');
}
