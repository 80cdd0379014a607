/**
 * The `gcm` command: thin adapters over the same services as the web app.
 *   gcm serve | migrate | seed | import FILE | export | user create|invite|reset-password
 *       | benchmark verify-scores
 */
import { readFileSync, createWriteStream, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { isCountryCode } from '../src/lib/core/reference';
import { parseInitiativeQuery } from '../src/lib/core/registry/query';
import { DomainError } from '../src/lib/core/shared/errors';
import { parseConfig, type Config } from '../src/lib/server/config';
import { BULK_PGLITE_TUNING, openDatabase, type Database } from '../src/lib/server/db/client';
import { fileChunks } from '../src/lib/server/io/csv';
import { createLogger } from '../src/lib/server/logger';
import { deliverLink, linkMailerFromConfig, type LinkDelivery } from '../src/lib/server/mail/link-mail';
import type { LinkPurpose } from '../src/lib/server/mail/templates';
import { bundledDataDir, migrationsDir, setProjectRoot } from '../src/lib/server/paths';
import { createServices, setRuntime, startRuntime } from '../src/lib/server/runtime';
import { CLI_ACTOR, type IssuedLink } from '../src/lib/server/services/account.service';
import { seedDemoBenchmark, verifyPublishedScores } from '../src/lib/server/services/assessment.service';
import { ensureDefaultMethodology } from '../src/lib/server/services/methodology.service';
import { seedBundledData } from '../src/lib/server/services/seed.service';
import { createUserScopeService } from '../src/lib/server/services/user-scope.service';
import { PUBLIC_API, SYSTEM_CLI } from '../src/lib/server/services/viewer';
import { buildApp, buildIsCurrent } from './build';
import { useBulkHeap } from './bulk-heap';
import { serve } from './serve';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
setProjectRoot(root);

function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
	return parseConfig({ ...process.env, ...overrides });
}

/**
 * Opens the configured database with the exclusive lock, migrated to the latest schema. `bulk` (import,
 * export) opens PGlite with small shared buffers: its WebAssembly memory never shrinks, and a one-off
 * streaming job gains nothing from a large cache (bench/README.md, PGlite memory); and, on PGlite, has
 * V8 collect garbage sooner (cli/bulk-heap.ts).
 */
async function withDatabase<T>(
	config: Config,
	fn: (db: Database) => Promise<T>,
	options: { bulk?: boolean } = {}
): Promise<T> {
	if (options.bulk && config.engine === 'pglite') useBulkHeap();
	const database = await openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.engine === 'pglite' ? config.dataDir : null,
		lock: true,
		...(options.bulk ? { pgliteTuning: BULK_PGLITE_TUNING } : {})
	});
	try {
		await database.migrate(migrationsDir());
		await ensureDefaultMethodology(database);
		return await fn(database);
	} finally {
		await database.close();
	}
}

const program = new Command()
	.name('gcm')
	.description('GCM Observatory: follow how the Global Compact for Migration is implemented, country by country.')
	.showHelpAfterError()
	.addHelpText(
		'after',
		`
Configuration comes from the environment: GCM_DATA_DIR (embedded database dir, default .data),
DATABASE_URL (postgres://… to use a PostgreSQL server instead), HOST, PORT, LOG_LEVEL;
SMTP_URL, SMTP_FROM and GCM_PUBLIC_ORIGIN to also send one-time links by email.`
	);

program
	.command('serve')
	.description('Start the web app and API (migrates, and loads the bundled data into an empty database).')
	.option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
	.option('--port <port>', 'port to listen on (env PORT, default 3000)')
	.option('--build-if-needed', 'build the web app first when it is missing or out of date')
	.action(async (opts: { host?: string; port?: string; buildIfNeeded?: boolean }) => {
		const config = loadConfig({ HOST: opts.host ?? process.env['HOST'], PORT: opts.port ?? process.env['PORT'] });
		const logger = createLogger(config.logLevel);
		if (opts.buildIfNeeded && !buildIsCurrent(root)) buildApp(root, (m) => logger.info(m));
		if (!buildIsCurrent(root) && !opts.buildIfNeeded) {
			throw new Error(
				'The web app is not built or is older than its sources. Run `npm run build`, or start with `npm start`.'
			);
		}
		const runtime = await startRuntime(config, logger);
		setRuntime(runtime);
		await serve(runtime, root);
	});

program
	.command('migrate')
	.description('Apply database migrations (idempotent).')
	.action(async () => {
		const config = loadConfig();
		await withDatabase(config, async () => {
			console.log(`Migrations applied (${config.engine}).`);
		});
	});

program
	.command('seed')
	.description('Load the bundled datasets (the 2019 mapping, Annex 2 and 3 of the MMC report).')
	.option('--force', 'load even when the database already has initiatives (updates records by key)')
	.option(
		'--demo',
		'also load the benchmarking demo: published assessments of the fictional country Demoland (XDM), labelled fictional (skips what exists)'
	)
	.action(async (opts: { force?: boolean; demo?: boolean }) => {
		const config = loadConfig();
		await withDatabase(config, async (database) => {
			const report = await seedBundledData(database, bundledDataDir(), { onlyIfEmpty: !opts.force });
			if (report.skipped)
				console.log('The database already has initiatives; nothing loaded (use --force to update by key).');
			else console.log(`Loaded ${report.initiatives} initiatives and ${report.practices} practices.`);
			// Only on explicit request: the demo is never loaded at start-up or by a plain `gcm seed`.
			if (opts.demo) {
				const demo = await seedDemoBenchmark(database);
				console.log(
					`Demo benchmark (fictional country XDM): ${demo.created} assessment(s) loaded, ${demo.skipped} already present.`
				);
			}
		});
	});

program
	.command('import')
	.description(
		'Import a CSV file of initiatives (or practices). The whole file is validated first; all rows are written or none.'
	)
	.argument('<file>', 'CSV file, UTF-8, with a header row using the export column names')
	.addOption(
		new Option('--type <type>', 'what the file holds').choices(['initiatives', 'practices']).default('initiatives')
	)
	.option('--as-draft', 'import as drafts (not public) instead of published')
	.option('--dry-run', 'validate only; write nothing')
	.action(async (file: string, opts: { type: string; asDraft?: boolean; dryRun?: boolean }) => {
		const config = loadConfig();
		statSync(file); // a missing file fails here (ENOENT), before the database is opened
		// Read in chunks as the import goes (memory stays flat however large the file).
		const source = () => fileChunks(file);
		const status = opts.asDraft ? 'draft' : 'published';
		await withDatabase(
			config,
			async (database) => {
				const { transfer } = createServices(database);
				const type = opts.type === 'practices' ? 'practices' : 'initiatives';
				if (opts.dryRun) {
					const n = await transfer.validate(SYSTEM_CLI, source(), type);
					console.log(`Valid: ${n} ${type}. Nothing written (--dry-run).`);
					return;
				}
				if (type === 'practices') {
					const n = await transfer.importPractices(SYSTEM_CLI, readFileSync(file), status);
					console.log(`Imported ${n} practices as ${status}.`);
					return;
				}
				const report = await transfer.importInitiatives(SYSTEM_CLI, source(), status);
				console.log(
					`Imported ${report.rows} initiatives as ${status}: ${report.created} created, ${report.updated} updated.`
				);
			},
			{ bulk: true }
		);
	});

program
	.command('export')
	.description('Export published initiatives under a filter as CSV or JSON.')
	.addOption(new Option('--format <format>', 'file format').choices(['csv', 'json']).default('csv'))
	.option('--out <file>', 'write to a file instead of standard output')
	.option('--filter <query>', 'filter in the API query syntax, e.g. "country=CHL&action_type=meeting"', '')
	.option('--include-unpublished', 'include drafts and archived records (operators only)')
	.action(async (opts: { format: string; out?: string; filter: string; includeUnpublished?: boolean }) => {
		const config = loadConfig();
		const params = new URLSearchParams(opts.filter);
		params.delete('limit');
		params.delete('offset');
		const query = parseInitiativeQuery(params, { strict: true });
		const viewer = opts.includeUnpublished ? SYSTEM_CLI : PUBLIC_API;
		await withDatabase(
			config,
			async (database) => {
				const { transfer } = createServices(database);
				const out = opts.out ? createWriteStream(opts.out) : process.stdout;
				const chunks =
					opts.format === 'json'
						? transfer.exportInitiativesJson(viewer, query, new Date().toISOString())
						: transfer.exportInitiativesCsv(viewer, query);
				for await (const chunk of chunks) {
					if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
				}
				if (opts.out) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(r));
			},
			{ bulk: true }
		);
	});

/** Where the web app is reached: GCM_PUBLIC_ORIGIN, else http://HOST:PORT (a wildcard host becomes loopback). */
export function publicOrigin(config: Config): string {
	if (config.publicOrigin) return config.publicOrigin.replace(/\/+$/, '');
	const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '[::1]' : config.host;
	return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.port}`;
}

/**
 * Emails the link when SMTP is configured (after the account committed), then prints what
 * happened and the link itself: a failed email never loses the link, the operator passes it on.
 */
async function sendAndPrintLink(
	database: Database,
	config: Config,
	link: IssuedLink,
	what: string,
	mail: { purpose: LinkPurpose; locale: string }
): Promise<void> {
	const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
	const delivery: LinkDelivery = await deliverLink(
		linkMailerFromConfig(database, config, logger),
		CLI_CONTEXT,
		CLI_ACTOR,
		{
			userId: link.user.id,
			email: link.user.email,
			displayName: link.user.displayName,
			token: link.token,
			expiresAt: link.expiresAt,
			purpose: mail.purpose,
			locale: mail.locale
		}
	);
	const url = `${publicOrigin(config)}/account/set-password?token=${encodeURIComponent(link.token)}`;
	console.log(`${what} ${link.user.email} (${link.user.role}).`);
	if (delivery.status === 'sent') console.log(`Sent by email to ${delivery.to}.`);
	if (delivery.status === 'failed') {
		console.log(`The email to ${delivery.to} was NOT sent (${delivery.reason}): pass the link below on by hand.`);
		process.exitCode = 3;
	}
	console.log(`One-time link to set the password (valid until ${link.expiresAt.toISOString()}; shown only now):`);
	console.log(url);
}

const ROLE_CHOICES = ['admin', 'coordinator', 'editor', 'reviewer', 'contributor'];
const CLI_CONTEXT = { channel: 'cli' as const, requestId: null };

const user = program
	.command('user')
	.description('Manage accounts (prints one-time links, and also emails them when SMTP_URL is set).');

// `create` gives a 1-hour set-password link, `invite` a 72-hour invitation; otherwise the same.
for (const kind of [
	{
		name: 'create',
		description: 'Create an account and print a one-time link (valid 1 hour) to set its password.',
		verb: 'Created'
	},
	{
		name: 'invite',
		description: 'Invite someone: create the account and print an invitation link (valid 72 hours).',
		verb: 'Invited'
	}
] as const) {
	user
		.command(kind.name)
		.description(kind.description)
		.requiredOption('--email <email>', 'email address (stored lower-cased)')
		.addOption(new Option('--role <role>', 'role of the account').choices(ROLE_CHOICES).makeOptionMandatory())
		.option('--name <name>', 'display name (default: the part of the email before @)')
		.addOption(
			new Option('--locale <locale>', 'language of the email (with SMTP_URL)').choices(['en', 'es']).default('en')
		)
		.option(
			'--country <iso3...>',
			'countries a reviewer or coordinator acts for (ISO 3166-1 alpha-3, repeatable: --country KEN --country UGA)'
		)
		.action(async (opts: { email: string; role: string; name?: string; country?: string[]; locale: string }) => {
			const countries = (opts.country ?? []).map((c) => c.trim().toUpperCase());
			const unknown = countries.filter((c) => !isCountryCode(c));
			if (unknown.length > 0) {
				throw new DomainError(
					'VALIDATION_FAILED',
					`Not ISO 3166-1 alpha-3 country codes: ${unknown.join(', ')}`,
					unknown.map((c) => ({ field: 'country', message: `${c} is not a country code` }))
				);
			}
			const config = loadConfig();
			await withDatabase(config, async (database) => {
				const { accounts } = createServices(database, config);
				const input = { email: opts.email, role: opts.role, displayName: opts.name };
				const link =
					kind.name === 'create'
						? await accounts.createUser(CLI_CONTEXT, CLI_ACTOR, input)
						: await accounts.inviteUser(CLI_CONTEXT, CLI_ACTOR, input);
				if (countries.length > 0) {
					const scoped = await createUserScopeService(database).setCountries(
						CLI_CONTEXT,
						CLI_ACTOR,
						link.user.id,
						countries
					);
					console.log(`Country scope: ${scoped.join(', ')}.`);
				}
				await sendAndPrintLink(database, config, link, kind.verb, {
					purpose: kind.name === 'create' ? 'account_created' : 'invite',
					locale: opts.locale
				});
			});
		});
}

user
	.command('reset-password')
	.description('Print a one-time password-reset link (valid 1 hour) for an active account.')
	.requiredOption('--email <email>', 'email address of the account')
	.addOption(
		new Option('--locale <locale>', 'language of the email (with SMTP_URL)').choices(['en', 'es']).default('en')
	)
	.action(async (opts: { email: string; locale: string }) => {
		const config = loadConfig();
		await withDatabase(config, async (database) => {
			const { accounts } = createServices(database, config);
			const link = await accounts.requestPasswordReset(CLI_CONTEXT, CLI_ACTOR, opts.email);
			if (!link) throw new DomainError('USER_NOT_FOUND', `No active account has the email ${opts.email}.`);
			await sendAndPrintLink(database, config, link, 'Password reset for', {
				purpose: 'password_reset',
				locale: opts.locale
			});
		});
	});

const benchmark = program.command('benchmark').description('Benchmarking assessments: checks over the published data.');

benchmark
	.command('verify-scores')
	.description(
		'Recompute the scores of every published assessment (all countries and editions) from its stored answers and submitted ratings, and compare them with the stored scores (never writes them). Exit code 1 when any differs.'
	)
	.option('--json', 'print the report as JSON')
	.action(async (opts: { json?: boolean }) => {
		const config = loadConfig();
		await withDatabase(config, async (database) => {
			const result = await verifyPublishedScores(database);
			if (opts.json) console.log(JSON.stringify(result, null, 2));
			else {
				console.log(`Checked ${result.checked} published assessment(s): ${result.matching} match their stored scores.`);
				for (const m of result.mismatches) {
					const more =
						m.differenceCount > m.differences.length ? ` (+${m.differenceCount - m.differences.length} more)` : '';
					console.log(
						`  ${m.country} ${m.edition} ${m.perspective} ${m.methodology} (assessment ${m.id}) differs at: ${m.differences.join(', ')}${more}`
					);
				}
			}
			if (result.mismatches.length > 0) process.exitCode = 1;
		});
	});

function report(err: unknown): number {
	if (err instanceof DomainError) {
		console.error(`Error: ${err.message}`);
		for (const i of err.issues) {
			const where = [i.row !== undefined ? `row ${i.row}` : null, i.field ? `column ${i.field}` : null]
				.filter(Boolean)
				.join(', ');
			console.error(`  - ${where ? `${where}: ` : ''}${i.message}`);
		}
		return err.code === 'CONFIG_INVALID' || err.code === 'VALIDATION_FAILED' ? 2 : 1;
	}
	const e = err as NodeJS.ErrnoException;
	if (e.code === 'ENOENT' && e.path) {
		console.error(`Error: file not found: ${e.path}`);
		return 1;
	}
	if (e.code === 'ECONNREFUSED') {
		console.error('Error: cannot connect to the PostgreSQL server in DATABASE_URL.');
		return 1;
	}
	console.error(`Error: ${e.message ?? String(err)}`);
	return 1;
}

// `gcm export | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
	if (err.code === 'EPIPE') process.exit(0);
	throw err;
});

try {
	await program.parseAsync(process.argv);
} catch (err) {
	process.exitCode = report(err);
}
