/**
 * The mail port (issue #3): what the rest of the server needs from an email sender. The SMTP
 * adapter (smtp-mailer.ts) implements it; tests may pass their own. No SMTP means no Mailer at
 * all: links are then only shown to the person who created them.
 */

export interface MailMessage {
	/** One bare address (the account's email). */
	to: string;
	subject: string;
	text: string;
	html: string;
}

export interface Mailer {
	/** Resolves once the server accepted the message; rejects with a MailError otherwise. */
	send(message: MailMessage): Promise<void>;
}

/** Why a send failed, in words safe to show an admin and to store in the audit trail. */
export type MailFailure = 'connection' | 'tls' | 'auth' | 'rejected' | 'timeout' | 'other';

export class MailError extends Error {
	constructor(
		readonly reason: MailFailure,
		message: string
	) {
		super(message);
		this.name = 'MailError';
	}
}
