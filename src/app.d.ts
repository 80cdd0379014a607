import type { Locale } from '$lib/i18n';
import type { AccountUser, MfaState } from '$lib/server/services/account.service';
import type { ApiPrincipal } from '$lib/server/services/api-token.service';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}
		interface Locals {
			requestId: string;
			locale: Locale;
			/** The client's IP (X-Forwarded-For only from a trusted proxy). */
			clientAddress: string;
			/** The signed-in user, only once the session is fully usable (second factor checked where needed). */
			user: AccountUser | null;
			/** The session behind the cookie in any state (e.g. waiting for the second factor), or null. */
			session: { user: AccountUser; mfa: MfaState } | null;
			/** On /api requests with `Authorization: Bearer …`: the valid token (cookies are then never read). */
			apiToken: ApiPrincipal | null;
		}
	}
}

export {};
