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
		.default([])
});

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
		trustedProxies: e.TRUSTED_PROXIES
	};
}

let cached: Config | undefined;

export function getConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
