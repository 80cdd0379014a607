/** Configuration: the environment parsed once with zod. Nothing else reads process.env. */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../core/shared/errors';

const boolish = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
	HOST: z.string().min(1).default('127.0.0.1'),
	PORT: z.coerce
		.number({ message: 'must be a number' })
		.int({ message: 'must be an integer' })
		.min(0, { message: 'must be between 0 and 65535' })
		.max(65535, { message: 'must be between 0 and 65535' })
		.default(3000),
	GCM_DATA_DIR: z.string().min(1).default('.data'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, { message: 'must start with postgres:// or postgresql://' })
		.optional(),
	GCM_SEED: boolish.default(true),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	GCM_PUBLIC_ORIGIN: z.url({ message: 'must be a URL such as https://observatory.example.org' }).optional(),
	SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
	SESSION_IDLE_MINUTES: z.coerce
		.number({ message: 'must be a number of minutes' })
		.int({ message: 'must be a whole number of minutes' })
		.min(1, { message: 'must be between 1 and 1440' })
		.max(1440, { message: 'must be between 1 and 1440' })
		.default(30),
	SESSION_ABSOLUTE_HOURS: z.coerce
		.number({ message: 'must be a number of hours' })
		.int({ message: 'must be a whole number of hours' })
		.min(1, { message: 'must be between 1 and 720' })
		.max(720, { message: 'must be between 1 and 720' })
		.default(12),
	TRUSTED_PROXIES: z
		.string()
		.transform((v) =>
			v
				.split(',')
				.map((s) => s.trim())
				.filter((s) => s !== '')
		)
		.pipe(z.array(z.union([z.ipv4(), z.ipv6()], { message: 'must be a comma-separated list of IP addresses' })))
		.default([]),
	// Email delivery of invitation and password links (issue #3): off unless SMTP_URL is set.
	SMTP_URL: z.string().max(2_000).optional(),
	SMTP_USER: z.string().max(500).optional(),
	SMTP_PASSWORD: z.string().max(500).optional(),
	SMTP_FROM: z.string().max(320).optional(),
	SMTP_ALLOW_INSECURE: boolish.default(false)
});

/** How invitation and password links are sent by email (null: not configured, links are only shown). */
export interface SmtpConfig {
	host: string;
	port: number;
	/** smtps://: TLS from the first byte (port 465 by default). */
	implicitTls: boolean;
	/** smtp:// only: true lets the connection stay in clear text when the server offers no STARTTLS. */
	allowInsecure: boolean;
	user: string | null;
	password: string | null;
	/** The From header, as given (`Name <address>` or `address`). */
	from: string;
}

type Issue = { field: string; message: string };

/** A bare address or `Display Name <address>`; no line breaks (header injection). */
function checkFrom(from: string): string | null {
	if (/[\r\n\0]/.test(from)) return 'must be one line';
	const m = /^\s*(?:"?([^"<>]*)"?\s*)?<([^<>\s]+)>\s*$/.exec(from);
	const address = m ? m[2] : from.trim();
	return z.email().safeParse(address).success
		? null
		: 'must be an email address, or a name and an address such as GCM Observatory <noreply@example.org>';
}

/**
 * The SMTP settings, or null when SMTP_URL is unset. The URL's password is never echoed in an
 * error. Credentials come from the URL (`smtp://user:pass@host`) or from SMTP_USER/SMTP_PASSWORD,
 * not both (ambiguous). Emails carry absolute links, so GCM_PUBLIC_ORIGIN is required with SMTP_URL.
 */
function parseSmtp(e: z.infer<typeof envSchema>, issues: Issue[]): SmtpConfig | null {
	if (!e.SMTP_URL) {
		for (const k of ['SMTP_USER', 'SMTP_PASSWORD', 'SMTP_FROM'] as const) {
			if (e[k] !== undefined) issues.push({ field: k, message: 'is set but SMTP_URL is not (email is off)' });
		}
		return null;
	}
	let url: URL;
	try {
		url = new URL(e.SMTP_URL);
	} catch {
		issues.push({ field: 'SMTP_URL', message: 'must be a URL such as smtps://user:password@mail.example.org' });
		return null;
	}
	const before = issues.length;
	if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
		issues.push({ field: 'SMTP_URL', message: 'must start with smtp:// or smtps://' });
	}
	if (url.hostname === '') issues.push({ field: 'SMTP_URL', message: 'must name a host' });
	if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
		issues.push({ field: 'SMTP_URL', message: 'must be only scheme, credentials, host and port (no path or query)' });
	}
	const inUrl = url.username !== '' || url.password !== '';
	const inEnv = e.SMTP_USER !== undefined || e.SMTP_PASSWORD !== undefined;
	if (inUrl && inEnv) {
		issues.push({ field: 'SMTP_USER', message: 'credentials are in SMTP_URL already: give them in one place only' });
	}
	const user = inUrl ? decodeURIComponent(url.username) : (e.SMTP_USER ?? '');
	const password = inUrl ? decodeURIComponent(url.password) : (e.SMTP_PASSWORD ?? '');
	if ((user === '') !== (password === '')) {
		issues.push({
			field: inUrl ? 'SMTP_URL' : 'SMTP_PASSWORD',
			message: 'needs both a user and a password, or neither'
		});
	}
	if (!e.SMTP_FROM) issues.push({ field: 'SMTP_FROM', message: 'is required when SMTP_URL is set' });
	else {
		const problem = checkFrom(e.SMTP_FROM);
		if (problem) issues.push({ field: 'SMTP_FROM', message: problem });
	}
	if (!e.GCM_PUBLIC_ORIGIN) {
		issues.push({
			field: 'GCM_PUBLIC_ORIGIN',
			message: 'is required when SMTP_URL is set: emailed links must be absolute (e.g. https://observatory.example.org)'
		});
	}
	if (issues.length > before) return null;
	const implicitTls = url.protocol === 'smtps:';
	return {
		host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		port: url.port ? Number(url.port) : implicitTls ? 465 : 587,
		implicitTls,
		allowInsecure: e.SMTP_ALLOW_INSECURE,
		user: user || null,
		password: password || null,
		from: (e.SMTP_FROM ?? '').trim()
	};
}

export interface Config {
	host: string;
	port: number;
	dataDir: string;
	databaseUrl: string | null;
	engine: 'pglite' | 'postgres';
	seedWhenEmpty: boolean;
	logLevel: string;
	publicOrigin: string | null;
	shutdownTimeoutMs: number;
	/** Sessions end after this long without a request (ASVS 7.3.1). */
	sessionIdleMinutes: number;
	/** Sessions end this long after sign-in, whatever the activity (ASVS 7.3.2). */
	sessionAbsoluteHours: number;
	/** Direct peers whose X-Forwarded-For is believed (reverse proxies); empty: use the socket address. */
	trustedProxies: string[];
	/** Email delivery of one-time links; null: not configured (links are only shown). */
	smtp: SmtpConfig | null;
}

/** Parses configuration from an environment; throws CONFIG_INVALID naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const result = envSchema.safeParse(cleaned);
	if (!result.success) {
		const issues = result.error.issues.map((i) => ({ field: String(i.path[0] ?? 'env'), message: i.message }));
		throw new DomainError(
			'CONFIG_INVALID',
			`Invalid configuration: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
			issues
		);
	}
	const e = result.data;
	const smtpIssues: Issue[] = [];
	const smtp = parseSmtp(e, smtpIssues);
	if (smtpIssues.length > 0) {
		throw new DomainError(
			'CONFIG_INVALID',
			`Invalid configuration: ${smtpIssues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
			smtpIssues
		);
	}
	return {
		host: e.HOST,
		port: e.PORT,
		dataDir: resolve(e.GCM_DATA_DIR),
		databaseUrl: e.DATABASE_URL ?? null,
		engine: e.DATABASE_URL ? 'postgres' : 'pglite',
		seedWhenEmpty: e.GCM_SEED,
		logLevel: e.LOG_LEVEL,
		publicOrigin: e.GCM_PUBLIC_ORIGIN ?? null,
		shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
		sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
		sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
		trustedProxies: e.TRUSTED_PROXIES,
		smtp
	};
}

let cached: Config | undefined;

export function getConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
