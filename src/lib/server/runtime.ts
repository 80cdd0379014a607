/**
 * The process-wide application context: config, logger, database and services. The `gcm serve`
 * command builds it (lock, migrate, seed) before loading the SvelteKit handler; in `vite dev`
 * it is built lazily on the first request. It is kept on globalThis because the CLI and the
 * bundled server each load their own copy of this module.
 */
import type { Logger } from 'pino';
import { getConfig, type Config } from './config';
import { openDatabase, type Database } from './db/client';
import { createDatabaseRateLimitStore } from './db/rate-limit.repository';
import { createMemoryRateLimitStore, type RateLimitStore } from './http/rate-limit';
import { createLogger } from './logger';
import { linkMailerFromConfig, type LinkMailer } from './mail/link-mail';
import { bundledDataDir, migrationsDir } from './paths';
import { createAccountService } from './services/account.service';
import { createAdminService } from './services/admin.service';
import { createAssessmentService } from './services/assessment.service';
import { createBenchmarkPublicService } from './services/benchmark-public.service';
import { createApiTokenService } from './services/api-token.service';
import { createInitiativeWorkflowService } from './services/initiative-workflow.service';
import { createActorWorkflowService } from './services/actor-workflow.service';
import { createPracticeWorkflowService } from './services/practice-workflow.service';
import { createRecordApiService } from './services/record-api.service';
import { createMethodologyService, ensureDefaultMethodology } from './services/methodology.service';
import { createRegistryService } from './services/registry.service';
import { createSuggestionService } from './services/suggestion.service';
import { createWorkspaceService } from './services/workspace.service';
import { seedBundledData } from './services/seed.service';
import { createTransferService } from './services/transfer.service';

export interface Runtime {
	config: Config;
	logger: Logger;
	database: Database;
	services: ReturnType<typeof createServices>;
}

export interface ServiceOptions {
	sessionIdleMinutes: number;
	sessionAbsoluteHours: number;
	/** Emails one-time links when SMTP is configured (issue #3); absent: links are only shown. */
	mail?: LinkMailer | null;
	/**
	 * Where the rate limiters keep their state. Default: in memory on PGlite (one process), the
	 * database's rate_limit table on a PostgreSQL server (several processes may serve it).
	 */
	rateLimitStore?: RateLimitStore;
}

/** The configuration defaults (30 minutes idle, 12 hours absolute). */
export const DEFAULT_SERVICE_OPTIONS: ServiceOptions = { sessionIdleMinutes: 30, sessionAbsoluteHours: 12 };

export function createServices(database: Database, options: ServiceOptions = DEFAULT_SERVICE_OPTIONS) {
	const rateLimitStore =
		options.rateLimitStore ??
		(database.engine === 'postgres' ? createDatabaseRateLimitStore(database.db) : createMemoryRateLimitStore());
	return {
		registry: createRegistryService(database.db),
		transfer: createTransferService(database),
		accounts: createAccountService(database, { ...options, rateLimitStore }),
		apiTokens: createApiTokenService(database, { rateLimitStore }),
		// Benchmarking (issue #5): the workflow, methodology versions and the public read models.
		assessments: createAssessmentService(database, { mail: options.mail ?? null }),
		methodologies: createMethodologyService(database),
		benchmark: createBenchmarkPublicService(database),
		workflow: createInitiativeWorkflowService(database),
		// The same editing workflow for practices and actors (plus the public actor pages' reads).
		practices: createPracticeWorkflowService(database),
		actors: createActorWorkflowService(database),
		recordApi: createRecordApiService(database, {
			practice: { notFound: 'PRACTICE_NOT_FOUND', workflow: createPracticeWorkflowService(database) },
			actor: { notFound: 'ACTOR_NOT_FOUND', workflow: createActorWorkflowService(database) }
		}),
		// The workflow service is stateless: the suggestion and workspace services get their own instance.
		suggestions: createSuggestionService(database, createInitiativeWorkflowService(database), { rateLimitStore }),
		workspace: createWorkspaceService(database, createInitiativeWorkflowService(database)),
		// The admin workspace (users, organisations, audit browser) and the access.denied rows of the hook.
		admin: createAdminService(database, {
			accounts: createAccountService(database, { ...options, rateLimitStore }),
			mail: options.mail ?? null
		}),
		// Email delivery of one-time links (issue #3); null when SMTP_URL is not set.
		mail: options.mail ?? null
	};
}

const KEY = Symbol.for('gcm-observatory.runtime');
type Holder = { [KEY]?: Promise<Runtime> };
const holder = globalThis as unknown as Holder;

/** Opens the database, applies migrations and loads the bundled data when the database is empty. */
export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
	const database = await openDatabase({
		databaseUrl: config.databaseUrl,
		dataDir: config.engine === 'pglite' ? config.dataDir : null,
		lock: true
	});
	try {
		await database.migrate(migrationsDir());
		// The default methodology is reference data: present in every database (idempotent).
		await ensureDefaultMethodology(database);
		if (config.seedWhenEmpty) {
			const seeded = await seedBundledData(database, bundledDataDir(), { onlyIfEmpty: true });
			if (!seeded.skipped) logger.info({ ...seeded }, 'loaded the bundled datasets into the empty database');
		}
	} catch (err) {
		await database.close();
		throw err;
	}
	const mail = linkMailerFromConfig(database, config, logger);
	if (mail) logger.info({ smtpHost: config.smtp?.host }, 'one-time links are also sent by email');
	return { config, logger, database, services: createServices(database, { ...config, mail }) };
}

export function setRuntime(runtime: Runtime): void {
	holder[KEY] = Promise.resolve(runtime);
}

export function getRuntime(): Promise<Runtime> {
	holder[KEY] ??= (async () => {
		const config = getConfig();
		const logger = createLogger(config.logLevel);
		return startRuntime(config, logger);
	})();
	return holder[KEY];
}

export function clearRuntime(): void {
	delete holder[KEY];
}
