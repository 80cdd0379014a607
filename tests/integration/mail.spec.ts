/**
 * Email delivery of one-time links (issue #3) against a real SMTP server (smtp-server, in this
 * process, on 127.0.0.1 with authentication): invitations and reset links from the admin service
 * arrive with the right To/From/Subject and a link that works; a refused connection, wrong
 * credentials or a server without STARTTLS never lose the link or the account, and are audited
 * without the token; `gcm user invite` with SMTP in the environment says "sent" and still prints
 * the link.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpConfig } from '../../src/lib/server/config';
import type { Database } from '../../src/lib/server/db/client';
import { rows } from '../../src/lib/server/db/sql';
import { createLinkMailer, type LinkMailer } from '../../src/lib/server/mail/link-mail';
import { createSmtpMailer } from '../../src/lib/server/mail/smtp-mailer';
import { createServices } from '../../src/lib/server/runtime';
import { CLI_ACTOR, type RequestContext } from '../../src/lib/server/services/account.service';
import { openTestDatabase, runGcm, testEngines } from './harness';

const WEB: RequestContext = { channel: 'web', requestId: 'req-mail', clientAddress: '198.51.100.7' };
const ORIGIN = 'https://observatory.example.org';
const FROM = 'GCM Observatory <noreply@observatory.example.org>';
const SMTP_USER = 'relay-user';
const SMTP_PASS = 'relay-pass-<script>-كلمة';
const HOSTILE = `<script>alert(1)</script> أمينة 移民 ${'y'.repeat(60)}`;
const PASSWORD = 'tq3-vintage-lamp-orbit';

interface Received {
	from: string;
	to: string[];
	raw: string;
}

/** A real SMTP server requiring AUTH PLAIN/LOGIN (clear text, loopback only), recording messages. */
async function startSmtp(opts: { starttls: boolean } = { starttls: false }) {
	const inbox: Received[] = [];
	const server = new SMTPServer({
		secure: false,
		// No certificate in tests: STARTTLS is not offered (the client must opt in to clear text).
		disabledCommands: opts.starttls ? [] : ['STARTTLS'],
		allowInsecureAuth: true,
		authMethods: ['PLAIN', 'LOGIN'],
		logger: false,
		onAuth(auth, _session, cb) {
			if (auth.username === SMTP_USER && auth.password === SMTP_PASS) cb(null, { user: auth.username });
			else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
		},
		onData(stream, session, cb) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				inbox.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				cb();
			});
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.server.address() as AddressInfo).port;
	return { inbox, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
	const s = createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
	const port = (s.address() as AddressInfo).port;
	await new Promise<void>((r) => s.close(() => r()));
	return port;
}

function decodeWords(v: string): string {
	// RFC 2047: whitespace between two adjacent encoded words is not part of the text.
	return v
		.replace(/(\?=)\s+(?==\?)/g, '$1')
		.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
			enc.toLowerCase() === 'b'
				? Buffer.from(data, 'base64').toString('utf8')
				: Buffer.from(
						data
							.replace(/_/g, ' ')
							.replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
						'latin1'
					).toString('utf8')
		);
}

/** The headers and the decoded text/plain part of a raw message (enough MIME for nodemailer's output). */
function parseMessage(raw: string): { headers: Record<string, string>; text: string; html: string } {
	const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const i = line.indexOf(':');
		if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
	}
	const body = rest.join('\r\n\r\n');
	const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
	const parts = boundary ? body.split(`--${boundary}`) : [body];
	const decode = (part: string) => {
		const [ph = '', ...pb] = part.split(/\r?\n\r?\n/);
		const content = pb.join('\r\n\r\n');
		if (/content-transfer-encoding:\s*base64/i.test(ph)) return Buffer.from(content, 'base64').toString('utf8');
		if (/content-transfer-encoding:\s*quoted-printable/i.test(ph)) {
			const bytes = content
				.replace(/=\r?\n/g, '')
				.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
			return Buffer.from(bytes, 'latin1').toString('utf8');
		}
		return content;
	};
	const text = parts.find((p) => /content-type:\s*text\/plain/i.test(p)) ?? '';
	const html = parts.find((p) => /content-type:\s*text\/html/i.test(p)) ?? '';
	return { headers, text: decode(text), html: decode(html) };
}

function linkIn(text: string): { url: string; token: string } {
	const urls = text.match(/https?:\/\/\S+/g) ?? [];
	expect(urls).toHaveLength(1);
	const url = urls[0] ?? '';
	return { url, token: new URL(url).searchParams.get('token') ?? '' };
}

function smtpConfig(port: number, over: Partial<SmtpConfig> = {}): SmtpConfig {
	return {
		host: '127.0.0.1',
		port,
		implicitTls: false,
		allowInsecure: true,
		user: SMTP_USER,
		password: SMTP_PASS,
		from: FROM,
		...over
	};
}

describe.each(testEngines())('email delivery of one-time links (%s)', (engine) => {
	let database: Database;
	let smtp: Awaited<ReturnType<typeof startSmtp>>;
	let seq = 0;

	beforeAll(async () => {
		database = await openTestDatabase(engine);
		smtp = await startSmtp();
	});
	afterAll(async () => {
		await smtp.close();
		await database.close();
	});

	function servicesWith(mail: LinkMailer | null) {
		return createServices(database, { sessionIdleMinutes: 30, sessionAbsoluteHours: 12, mail });
	}
	const mailerFor = (cfg: SmtpConfig) =>
		createLinkMailer(database, { mailer: createSmtpMailer(cfg), publicOrigin: `${ORIGIN}/` });

	async function auditOf(userId: string) {
		return rows<{ action: string; changes: Record<string, unknown>; channel: string; request_id: string | null }>(
			database.db,
			sql`SELECT action, changes, channel, request_id FROM audit_event WHERE object_id = ${userId} ORDER BY id`
		);
	}

	it('emails an admin invitation: To/From/Subject, the link is absolute, works once and is not audited', async () => {
		const s = servicesWith(mailerFor(smtpConfig(smtp.port)));
		const email = `invitee-${++seq}@example.org`;
		const before = smtp.inbox.length;
		const link = await s.admin.inviteUser(WEB, CLI_ACTOR, { email, displayName: HOSTILE, role: 'editor' });
		expect(link.delivery).toEqual({ status: 'sent', to: email });
		expect(smtp.inbox).toHaveLength(before + 1);
		const got = smtp.inbox.at(-1) as Received;
		expect(got.to).toEqual([email]);
		expect(got.from).toBe('noreply@observatory.example.org');
		const m = parseMessage(got.raw);
		expect(m.headers['to']).toBe(email);
		expect(m.headers['from']).toBe(FROM);
		expect(m.headers['subject']).toBe('Your invitation to the GCM Observatory');
		expect(m.headers['auto-submitted']).toBe('auto-generated');
		const { url, token } = linkIn(m.text);
		expect(url).toBe(`${ORIGIN}/account/set-password?token=${encodeURIComponent(link.token)}`);
		expect(m.html).toContain('&#60;script&#62;');
		expect(m.html).not.toContain('<script>');
		// The emailed link is the one the admin sees, and it works (once).
		expect(await s.accounts.checkLink(token, 'invite')).toEqual({ email });
		await s.accounts.setPasswordWithToken(WEB, 'invite', token, PASSWORD);
		expect(await s.accounts.checkLink(token, 'invite')).toBeNull();
		const trail = await auditOf(link.user.id);
		expect(trail.map((r) => r.action)).toEqual(['user.invited', 'user.link_emailed', 'user.password_set']);
		const emailed = trail[1];
		expect(emailed?.changes).toMatchObject({ purpose: 'invite', to: email });
		expect(emailed?.channel).toBe('web');
		expect(emailed?.request_id).toBe('req-mail');
		expect(JSON.stringify(trail)).not.toContain(link.token);
	});

	it('emails a password-reset link (in Spanish when asked) that sets a new password', async () => {
		const s = servicesWith(mailerFor(smtpConfig(smtp.port)));
		const email = `reset-${++seq}@example.org`;
		const created = await s.accounts.createUser(WEB, CLI_ACTOR, { email, displayName: 'Reset Me', role: 'reviewer' });
		await s.accounts.setPasswordWithToken(WEB, 'password_reset', created.token, PASSWORD);
		const link = await s.admin.passwordResetLink(WEB, CLI_ACTOR, created.user.id, { locale: 'es' });
		expect(link.delivery).toEqual({ status: 'sent', to: email });
		const m = parseMessage((smtp.inbox.at(-1) as Received).raw);
		expect(m.headers['to']).toBe(email);
		expect(m.headers['subject']).toBe('Restablezca su contraseña del GCM Observatory');
		expect(m.text).toContain('Hola, Reset Me:');
		const { token } = linkIn(m.text);
		expect(token).toBe(link.token);
		await s.accounts.setPasswordWithToken(WEB, 'password_reset', token, `${PASSWORD}-2`);
		const signedIn = await s.accounts.signIn(WEB, { email, password: `${PASSWORD}-2` });
		expect(signedIn.ok).toBe(true);
		const actions = (await auditOf(created.user.id)).map((r) => r.action);
		expect(actions).toContain('user.link_emailed');
	});

	it('without SMTP nothing is sent and nothing is audited about email', async () => {
		const s = servicesWith(null);
		const before = smtp.inbox.length;
		const link = await s.admin.inviteUser(WEB, CLI_ACTOR, {
			email: `nomail-${++seq}@example.org`,
			displayName: 'No Mail',
			role: 'contributor'
		});
		expect(link.delivery).toEqual({ status: 'off' });
		expect(smtp.inbox).toHaveLength(before);
		expect((await auditOf(link.user.id)).map((r) => r.action)).toEqual(['user.invited']);
	});

	it.each([
		['connection', async () => smtpConfig(await closedPort())],
		['auth', async () => smtpConfig(smtp.port, { password: 'wrong' })],
		// smtp:// must upgrade with STARTTLS; this server offers none and the opt-out is not set.
		['tls', async () => smtpConfig(smtp.port, { allowInsecure: false })]
	] as const)(
		'a %s failure keeps the account and the link, and is audited without the token',
		async (reason, cfg) => {
			const s = servicesWith(mailerFor(await cfg()));
			const email = `fail-${reason}-${++seq}@example.org`;
			const before = smtp.inbox.length;
			const link = await s.admin.inviteUser(WEB, CLI_ACTOR, { email, displayName: HOSTILE, role: 'editor' });
			expect(link.delivery).toEqual({ status: 'failed', to: email, reason });
			expect(smtp.inbox).toHaveLength(before);
			// The account exists and the link (shown to the admin) still works.
			expect((await s.admin.getUser(CLI_ACTOR, link.user.id)).user.email).toBe(email);
			expect(await s.accounts.checkLink(link.token, 'invite')).toEqual({ email });
			const trail = await auditOf(link.user.id);
			expect(trail.map((r) => r.action)).toEqual(['user.invited', 'user.link_email_failed']);
			expect(trail[1]?.changes).toMatchObject({ purpose: 'invite', to: email, reason });
			expect(JSON.stringify(trail)).not.toContain(link.token);
			expect(JSON.stringify(trail)).not.toContain(SMTP_PASS);
		},
		30_000
	);

	it('a reset link whose email fails is still returned', async () => {
		const s = servicesWith(mailerFor(smtpConfig(await closedPort())));
		const email = `reset-fail-${++seq}@example.org`;
		const created = await s.accounts.createUser(WEB, CLI_ACTOR, { email, displayName: 'R', role: 'editor' });
		const link = await s.admin.passwordResetLink(WEB, CLI_ACTOR, created.user.id);
		expect(link.delivery).toMatchObject({ status: 'failed', reason: 'connection' });
		expect(await s.accounts.checkLink(link.token, 'password_reset')).toEqual({ email });
	});
});

describe('gcm user invite with SMTP configured', () => {
	let smtp: Awaited<ReturnType<typeof startSmtp>>;
	let dataDir: string;

	beforeAll(async () => {
		smtp = await startSmtp();
		dataDir = mkdtempSync(join(tmpdir(), 'gcm-mail-cli-'));
	});
	afterAll(async () => {
		await smtp.close();
		rmSync(dataDir, { recursive: true, force: true });
	});

	const gcm = (args: string[], env: Record<string, string>) => runGcm(args, { GCM_DATA_DIR: dataDir, ...env });

	const smtpEnv = (port: number, password = SMTP_PASS) => ({
		SMTP_URL: `smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
		SMTP_FROM: FROM,
		SMTP_ALLOW_INSECURE: 'true',
		GCM_PUBLIC_ORIGIN: ORIGIN
	});

	it('says it was sent and still prints the link; a failed send says so, prints the link, exit 3', async () => {
		const ok = await gcm(
			['user', 'invite', '--email', 'cli-invitee@example.org', '--role', 'editor', '--name', HOSTILE],
			smtpEnv(smtp.port)
		);
		expect(ok.stderr).toBe('');
		expect(ok.code).toBe(0);
		expect(ok.stdout).toContain('Sent by email to cli-invitee@example.org.');
		const printed = /https:\/\/observatory\.example\.org\/account\/set-password\?token=\S+/.exec(ok.stdout)?.[0];
		expect(printed).toBeDefined();
		expect(smtp.inbox).toHaveLength(1);
		const m = parseMessage(smtp.inbox[0]?.raw ?? '');
		expect(m.headers['to']).toBe('cli-invitee@example.org');
		expect(linkIn(m.text).url).toBe(printed);

		const bad = await gcm(
			['user', 'invite', '--email', 'cli-second@example.org', '--role', 'editor'],
			smtpEnv(smtp.port, 'wrong')
		);
		expect(bad.code).toBe(3);
		expect(bad.stdout).toContain('was NOT sent (auth)');
		expect(bad.stdout).toMatch(/set-password\?token=inv_/);
		expect(smtp.inbox).toHaveLength(1);
	}, 120_000);

	it('refuses to start with SMTP_URL but no GCM_PUBLIC_ORIGIN, creating nothing', async () => {
		const env: Record<string, string> = { ...smtpEnv(smtp.port) };
		delete env.GCM_PUBLIC_ORIGIN;
		const r = await gcm(['user', 'invite', '--email', 'never@example.org', '--role', 'editor'], env);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('GCM_PUBLIC_ORIGIN is required when SMTP_URL is set');
		expect(r.stderr).not.toContain(SMTP_PASS);
		const list = await gcm(['user', 'reset-password', '--email', 'never@example.org'], smtpEnv(smtp.port));
		expect(list.stderr).toContain('No active account has the email never@example.org');
	}, 120_000);
});
