/**
 * The emails that carry one-time links (issue #3), in English and Spanish, as plain text and
 * simple HTML. Pure: no I/O. Rules:
 * - the link is the only URL in the message (no logo, tracking pixel or footer link), so a
 *   recipient can tell at a glance where it leads;
 * - the display name is escaped in HTML; a name that itself looks like an address or a domain
 *   (someone could type "Visit evil.example" as a name) is left out, the greeting stays generic,
 *   so the one link stays the only thing that looks like one;
 * - bidirectional-override and control characters are removed from the name (Arabic letters stay).
 */

export type LinkPurpose = 'invite' | 'password_reset' | 'account_created' | 'expert_invite';
export type MailLocale = 'en' | 'es';

export interface LinkEmailInput {
	purpose: LinkPurpose;
	/** Any locale code: es* gives Spanish, anything else English. */
	locale: string;
	recipientName: string | null;
	/** The absolute set-password address with the token. */
	url: string;
	expiresAt: Date;
}

export interface LinkEmail {
	subject: string;
	text: string;
	html: string;
}

const APP = 'GCM Observatory';

interface Strings {
	subject: string;
	intro: string;
	action: string;
	button: string;
	validUntil: (when: string) => string;
	singleUse: string;
	ignore: string;
	hello: (name: string | null) => string;
}

const COMMON = {
	en: {
		validUntil: (when: string) => `The link works once and until ${when} (UTC).`,
		singleUse: 'Do not forward this email: whoever has the link can use it.',
		ignore: 'If you did not expect this email, ignore it; nothing changes without the link.',
		hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,')
	},
	es: {
		validUntil: (when: string) => `El enlace funciona una sola vez y hasta el ${when} (UTC).`,
		singleUse: 'No reenvíe este correo: quien tenga el enlace puede usarlo.',
		ignore: 'Si no esperaba este correo, ignórelo; nada cambia sin el enlace.',
		hello: (name: string | null) => (name ? `Hola, ${name}:` : 'Hola:')
	}
} as const;

const STRINGS: Record<MailLocale, Record<LinkPurpose, Omit<Strings, keyof (typeof COMMON)['en']>>> = {
	en: {
		invite: {
			subject: `Your invitation to the ${APP}`,
			intro: `An administrator of the ${APP} has created an account for you.`,
			action: 'To accept the invitation, choose your password here:',
			button: 'Accept the invitation'
		},
		expert_invite: {
			subject: `Your invitation to an expert panel of the ${APP}`,
			intro: `A coordinator of the ${APP} has invited you to rate an assessment as an expert.`,
			action: 'To accept the invitation, choose your password here:',
			button: 'Accept the invitation'
		},
		account_created: {
			subject: `Your account on the ${APP}`,
			intro: `An account has been created for you on the ${APP}.`,
			action: 'Choose your password here:',
			button: 'Choose a password'
		},
		password_reset: {
			subject: `Reset your password for the ${APP}`,
			intro: `An administrator of the ${APP} has issued a password-reset link for your account.`,
			action: 'Choose a new password here:',
			button: 'Choose a new password'
		}
	},
	es: {
		invite: {
			subject: `Su invitación al ${APP}`,
			intro: `Una persona administradora del ${APP} ha creado una cuenta para usted.`,
			action: 'Para aceptar la invitación, elija su contraseña aquí:',
			button: 'Aceptar la invitación'
		},
		expert_invite: {
			subject: `Su invitación a un panel de expertos del ${APP}`,
			intro: `Una persona coordinadora del ${APP} le ha invitado a calificar una evaluación como experta o experto.`,
			action: 'Para aceptar la invitación, elija su contraseña aquí:',
			button: 'Aceptar la invitación'
		},
		account_created: {
			subject: `Su cuenta en el ${APP}`,
			intro: `Se ha creado una cuenta para usted en el ${APP}.`,
			action: 'Elija su contraseña aquí:',
			button: 'Elegir una contraseña'
		},
		password_reset: {
			subject: `Restablezca su contraseña del ${APP}`,
			intro: `Una persona administradora del ${APP} ha emitido un enlace para restablecer la contraseña de su cuenta.`,
			action: 'Elija una nueva contraseña aquí:',
			button: 'Elegir una nueva contraseña'
		}
	}
};

export function mailLocale(locale: string): MailLocale {
	return locale.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Something a mail client might turn into a link: a scheme, www., an @, or a dotted domain-like word.
const LOOKS_LINKABLE = /[a-z][a-z0-9+.-]*:|www\.|@|[\p{L}\p{N}-]+\.[\p{L}]{2,}/iu;
// C0/C1 controls, bidi overrides/isolates, zero-width and line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** The name as the greeting uses it, or null (empty, or it looks like a link). At most 80 characters. */
export function greetingName(name: string | null): string | null {
	if (!name) return null;
	const cleaned = name.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
	if (cleaned === '' || LOOKS_LINKABLE.test(cleaned)) return null;
	return cleaned.length > 80 ? `${cleaned.slice(0, 79)}…` : cleaned;
}

function formatWhen(d: Date): string {
	return `${d.toISOString().slice(0, 16).replace('T', ' ')}`;
}

export function linkEmail(input: LinkEmailInput): LinkEmail {
	if (!/^https?:\/\/[^\s"'<>]+$/.test(input.url)) throw new Error('The link must be an absolute http(s) URL.');
	const locale = mailLocale(input.locale);
	const s = { ...COMMON[locale], ...STRINGS[locale][input.purpose] };
	const name = greetingName(input.recipientName);
	// The site's host is not named in the text: a mail client would turn it into a second link.
	const intro = s.intro;
	const when = formatWhen(input.expiresAt);
	const text = [
		s.hello(name),
		'',
		intro,
		s.action,
		'',
		input.url,
		'',
		s.validUntil(when),
		s.singleUse,
		s.ignore,
		'',
		`— ${APP}`,
		''
	].join('\n');
	const dir = 'ltr';
	const p = (t: string) => `<p>${escapeHtml(t)}</p>`;
	const html = [
		`<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(s.subject)}</title></head>`,
		'<body style="font-family:sans-serif;line-height:1.5;max-width:40em">',
		// The name may be right-to-left (Arabic): isolate it so it does not reorder the sentence.
		name
			? `<p>${escapeHtml(s.hello('\u0000')).replace('\u0000', `<bdi>${escapeHtml(name)}</bdi>`)}</p>`
			: p(s.hello(null)),
		p(intro),
		p(s.action),
		`<p><a href="${escapeHtml(input.url)}">${escapeHtml(s.button)}</a></p>`,
		`<p style="word-break:break-all;font-size:90%">${escapeHtml(input.url)}</p>`,
		p(s.validUntil(when)),
		p(s.singleUse),
		p(s.ignore),
		p(`— ${APP}`),
		'</body></html>'
	].join('\n');
	return { subject: s.subject, text, html };
}
