/** Account roles and what they imply before a policy exists (issue #3: policy-as-data authorize()). */
/**
 * `expert` (issue #5): a panel expert of the benchmarking observatory. Globally they have the
 * public's rights on the registry; what they may do on an assessment comes only from their
 * assessment_member rows (see core/access/assessment-policy.ts).
 */
export const ROLES = ['admin', 'coordinator', 'editor', 'reviewer', 'contributor', 'expert'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Roles whose sessions are unusable until a second factor is checked (ASVS 6.3.3, 4.0.3 §4.3.1). */
export const MFA_REQUIRED_ROLES: readonly Role[] = ['admin', 'coordinator'];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function requiresMfa(role: Role): boolean {
	return MFA_REQUIRED_ROLES.includes(role);
}

/** Emails are compared and stored lower-cased and trimmed. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}
