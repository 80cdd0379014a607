/**
 * Country scopes of accounts (the countries a reviewer or coordinator acts for). Runs from
 * `gcm user create|invite --country …`; the admin pages may reuse it. Validate → one transaction
 * with the scope rows and the `user.scopes_changed` audit row.
 */
import { isCountryCode } from '../../core/reference';
import { DomainError, validationError } from '../../core/shared/errors';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database } from '../db/client';
import { findAccessFacts, replaceUserScopes } from '../db/organisation.repository';
import type { Actor, RequestContext } from './account.service';

export function createUserScopeService(database: Database, options: { now?: () => Date } = {}) {
	const now = options.now ?? (() => new Date());
	return {
		/** Replaces the countries of an account (ISO3 codes, upper-cased). Only the operator or an admin calls it. */
		async setCountries(ctx: RequestContext, actor: Actor, userId: string, countries: readonly string[]) {
			const codes = [...new Set(countries.map((c) => c.trim().toUpperCase()))].sort();
			const unknown = codes.filter((c) => !isCountryCode(c));
			if (unknown.length > 0) {
				throw validationError(
					unknown.map((c) => ({ field: 'country', message: `${c} is not an ISO 3166-1 alpha-3 code` }))
				);
			}
			if (actor.role !== 'system' && actor.role !== 'admin') {
				throw new DomainError('FORBIDDEN', 'Only administrators change country scopes.');
			}
			await database.db.transaction(async (tx) => {
				const before = (await findAccessFacts(tx, userId)).countries;
				await replaceUserScopes(tx, userId, codes);
				await insertAuditEvent(tx, {
					at: now(),
					actorId: actor.id,
					actorLabel: actor.label,
					actorRole: actor.role,
					action: 'user.scopes_changed',
					objectType: 'user',
					objectId: userId,
					changes: { countries: { before, after: codes } },
					requestId: ctx.requestId,
					channel: ctx.channel
				});
			});
			return codes;
		}
	};
}
