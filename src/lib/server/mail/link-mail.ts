/**
 * Sends a one-time link (invitation, first password, password reset) by email when SMTP is
 * configured (issue #3). Runs after the link's own transaction committed: a failed send never
 * rolls back the account or loses the link, the caller still shows it once and says whether the
 * email went out. Each attempt is audited in its own transaction, `user.link_emailed` or
 * `user.link_email_failed` (purpose, recipient, expiry, failure reason), never with the link or token.
 */
import type { Logger } from 'pino';
import { redactSecrets } from '../../core/accounts/redact';
import type { Config } from '../config';
import { insertAuditEvent } from '../db/audit.repository';
import type { Database } from '../db/client';
import type { RequestContext } from '../services/account.service';
import { MailError, type Mailer, type MailFailure } from './mailer';
import { createSmtpMailer } from './smtp-mailer';
import { linkEmail, type LinkPurpose } from './templates';

/** What happened to the email of a link: 'off' when no SMTP server is configured. */
export type LinkDelivery =
	{ status: 'off' } | { status: 'sent'; to: string } | { status: 'failed'; to: string; reason: MailFailure };

export const MAIL_OFF: LinkDelivery = Object.freeze({ status: 'off' });

export interface LinkToSend {
	userId: string;
	email: string;
	displayName: string | null;
	token: string;
	expiresAt: Date;
	purpose: LinkPurpose;
	/** The language of the email (the interface language of whoever created the link); default en. */
	locale?: string;
}

/** Who created the link, as the audit row records it. */
export interface MailActor {
	id: string | null;
	label: string;
	role: string | null;
}

/** The set-password address of a one-time link. */
export function setPasswordUrl(origin: string, token: string): string {
	return `${origin.replace(/\/+$/, '')}/account/set-password?token=${encodeURIComponent(token)}`;
}

export function createLinkMailer(
	database: Database,
	deps: { mailer: Mailer; publicOrigin: string; logger?: Logger; now?: () => Date }
) {
	const now = deps.now ?? (() => new Date());
	const origin = deps.publicOrigin.replace(/\/+$/, '');

	async function audit(ctx: RequestContext, actor: MailActor, link: LinkToSend, failure: MailFailure | null) {
		try {
			await database.db.transaction(async (tx) => {
				await insertAuditEvent(tx, {
					at: now(),
					actorId: actor.id,
					actorLabel: actor.label,
					actorRole: actor.role,
					action: failure ? 'user.link_email_failed' : 'user.link_emailed',
					objectType: 'user',
					objectId: link.userId,
					changes: redactSecrets({
						purpose: link.purpose,
						to: link.email,
						expires_at: link.expiresAt.toISOString(),
						...(failure ? { reason: failure } : {})
					}),
					requestId: ctx.requestId,
					channel: ctx.channel
				});
			});
		} catch (err) {
			// The email's fate is still reported to the caller; only the trail row is missing.
			deps.logger?.error({ err: (err as Error).message, userId: link.userId }, 'could not audit a link email');
		}
	}

	return {
		/** The origin emailed links point to (GCM_PUBLIC_ORIGIN). */
		publicOrigin: origin,

		url(token: string): string {
			return setPasswordUrl(origin, token);
		},

		/** Sends the link; never throws for a mail failure (the result says what happened). */
		async deliver(ctx: RequestContext, actor: MailActor, link: LinkToSend): Promise<LinkDelivery> {
			const message = linkEmail({
				purpose: link.purpose,
				locale: link.locale ?? 'en',
				recipientName: link.displayName,
				url: setPasswordUrl(origin, link.token),
				expiresAt: link.expiresAt
			});
			let failure: MailFailure | null = null;
			try {
				await deps.mailer.send({ to: link.email, ...message });
			} catch (err) {
				failure = err instanceof MailError ? err.reason : 'other';
				deps.logger?.warn({ reason: failure, userId: link.userId, purpose: link.purpose }, 'a link email was not sent');
			}
			await audit(ctx, actor, link, failure);
			return failure ? { status: 'failed', to: link.email, reason: failure } : { status: 'sent', to: link.email };
		}
	};
}

export type LinkMailer = ReturnType<typeof createLinkMailer>;

/** The configured link mailer, or null when SMTP_URL is not set. */
export function linkMailerFromConfig(database: Database, config: Config, logger?: Logger): LinkMailer | null {
	if (!config.smtp || !config.publicOrigin) return null;
	return createLinkMailer(database, {
		mailer: createSmtpMailer(config.smtp),
		publicOrigin: config.publicOrigin,
		logger
	});
}

/** Sends when a mailer is configured, else reports 'off'. */
export function deliverLink(
	mail: LinkMailer | null | undefined,
	ctx: RequestContext,
	actor: MailActor,
	link: LinkToSend
): Promise<LinkDelivery> {
	return mail ? mail.deliver(ctx, actor, link) : Promise.resolve(MAIL_OFF);
}
