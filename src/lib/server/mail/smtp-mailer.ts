/**
 * The SMTP adapter of the mail port, on nodemailer. TLS policy: smtps:// is TLS from the first
 * byte; smtp:// must upgrade with STARTTLS (requireTLS), unless SMTP_ALLOW_INSECURE=true for a
 * local relay that offers none. Certificates are always verified (TLS 1.2 or newer). Timeouts are
 * short because an admin's request waits for the send.
 */
import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '../config';
import { MailError, type Mailer, type MailFailure, type MailMessage } from './mailer';

export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/** Maps a nodemailer error to a reason; the server's text is kept out (it may echo addresses or secrets). */
export function classifySmtpError(err: unknown): MailFailure {
	const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
	const code = typeof e.code === 'string' ? e.code : '';
	const message = typeof e.message === 'string' ? e.message : '';
	if (code === 'EAUTH' || code === 'ENOAUTH' || e.responseCode === 535) return 'auth';
	if (code === 'ETLS' || /STARTTLS|TLS|certificate|self.signed/i.test(message)) return 'tls';
	if (code === 'ETIMEDOUT' || /timeout/i.test(message)) return 'timeout';
	if (code === 'ECONNECTION' || code === 'ESOCKET' || code === 'EDNS' || /ECONNREFUSED|ENOTFOUND/.test(message)) {
		return 'connection';
	}
	if (code === 'EENVELOPE' || code === 'EMESSAGE' || typeof e.responseCode === 'number') return 'rejected';
	return 'other';
}

export function createSmtpMailer(smtp: SmtpConfig): Mailer {
	const transport = createTransport({
		host: smtp.host,
		port: smtp.port,
		secure: smtp.implicitTls,
		requireTLS: !smtp.implicitTls && !smtp.allowInsecure,
		auth: smtp.user && smtp.password ? { user: smtp.user, pass: smtp.password } : undefined,
		tls: { minVersion: 'TLSv1.2', rejectUnauthorized: true },
		...SMTP_TIMEOUTS
	});
	return {
		async send(message: MailMessage): Promise<void> {
			try {
				await transport.sendMail({
					from: smtp.from,
					to: message.to,
					subject: message.subject,
					text: message.text,
					html: message.html,
					// The link is a secret: ask relays not to keep or rewrite it where they honour this.
					headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' }
				});
			} catch (err) {
				const reason = classifySmtpError(err);
				throw new MailError(reason, `The email could not be sent (${reason}).`);
			}
		}
	};
}
