/**
 * The database schema (PostgreSQL, identical on PGlite and a PostgreSQL server).
 * Migrations are generated from this file by drizzle-kit into drizzle/ and checked in.
 * Tables are singular snake_case; every editable record has a `version` for optimistic
 * concurrency and a workflow `status` (the public sees only `published`).
 */
import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigint,
	bigserial,
	boolean,
	check,
	customType,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({
	dataType() {
		return 'tsvector';
	}
});

const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
};

/** An organisation that initiates or implements initiatives (reusable across records). */
export const actor = pgTable(
	'actor',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		/** Normalised name (lower case, single spaces) used to reuse actors across records. */
		nameKey: text('name_key').notNull(),
		description: text('description').notNull().default(''),
		website: text('website'),
		/** ISO 3166-1 alpha-3 of the actor's home country; null for international or unknown. */
		country: text('country'),
		/** An initiator kind (core/registry/vocabulary INITIATOR_KINDS); null when not stated (imports). */
		kind: text('kind'),
		/**
		 * Workflow status. Defaults to 'published' so actors created by imports and by initiative edits
		 * (named as initiators) stay public through the published initiatives that name them; the public
		 * actor pages show a published actor when it was published through the workflow (`published_at`)
		 * or a published initiative names it (see actor.repository.ts).
		 */
		status: text('status').notNull().default('published'),
		version: integer('version').notNull().default(1),
		publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }),
		ownerOrganisationId: uuid('owner_organisation_id').references((): AnyPgColumn => organisation.id, {
			onDelete: 'set null'
		}),
		createdBy: uuid('created_by').references((): AnyPgColumn => appUser.id, { onDelete: 'set null' }),
		...timestamps
	},
	(t) => [
		uniqueIndex('actor_name_key_idx').on(t.nameKey),
		index('actor_status_idx').on(t.status, t.name),
		check('actor_country_check', sql`${t.country} IS NULL OR ${t.country} ~ '^[A-Z]{3}$'`),
		check('actor_status_check', sql`${t.status} IN ('draft', 'in_review', 'published', 'archived')`)
	]
);

export const initiative = pgTable(
	'initiative',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		key: text('key').notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		actionType: text('action_type').notNull(),
		scope: text('scope').notNull(),
		regionalScope: boolean('regional_scope').notNull().default(false),
		region: text('region'),
		/** Partial dates as written: YYYY, YYYY-MM or YYYY-MM-DD. */
		dateStart: text('date_start'),
		dateEnd: text('date_end'),
		datePrecision: text('date_precision').notNull().default('unknown'),
		dateText: text('date_text'),
		/** Day interval covered by the partial dates, for range filters and sorting. */
		dateFrom: date('date_from', { mode: 'string' }),
		dateTo: date('date_to', { mode: 'string' }),
		predatesGcm: boolean('predates_gcm').notNull().default(false),
		verificationStatus: text('verification_status').notNull().default('reported'),
		reportTable: text('report_table'),
		reportRow: integer('report_row'),
		originalText: text('original_text'),
		status: text('status').notNull().default('draft'),
		version: integer('version').notNull().default(1),
		publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }),
		/**
		 * Denormalised copies of the child lists, written in the same statement as the record, so
		 * filters and facet counts need no joins (GIN-indexed). The child tables stay the source
		 * for relations (actors) and ordering.
		 */
		countryCodes: text('country_codes')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		objectiveNumbers: smallint('objective_numbers')
			.array()
			.notNull()
			.default(sql`'{}'::smallint[]`),
		initiatorKindKeys: text('initiator_kind_keys')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** Initiator names, country names and region, kept by the service for full-text search. */
		searchExtra: text('search_extra').notNull().default(''),
		/** The organisation responsible for the record (editors of it may change it); null for imports. */
		ownerOrganisationId: uuid('owner_organisation_id').references((): AnyPgColumn => organisation.id, {
			onDelete: 'set null'
		}),
		/** The account that created the record (contributors may change their own drafts); null for imports. */
		createdBy: uuid('created_by').references((): AnyPgColumn => appUser.id, { onDelete: 'set null' }),
		searchVector: tsvector('search_vector').generatedAlwaysAs(
			sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(search_extra, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')`
		),
		...timestamps
	},
	(t) => [
		uniqueIndex('initiative_key_idx').on(t.key),
		index('initiative_status_date_idx').on(t.status, t.dateFrom.desc().nullsLast(), t.id),
		index('initiative_country_codes_idx').using('gin', t.countryCodes),
		index('initiative_objective_numbers_idx').using('gin', t.objectiveNumbers),
		index('initiative_initiator_kind_keys_idx').using('gin', t.initiatorKindKeys),
		index('initiative_search_idx').using('gin', t.searchVector)
	]
);

/**
 * The public full-text search reads this narrow copy of the PUBLISHED initiatives instead of the
 * wide `initiative` rows (~1.3 KB, about 7 per page, large search vectors toasted): only the
 * columns the registry filters read, the key and date the relevance order breaks ties on, and the
 * stored `search_vector` (no toast, ~1.5x fewer pages, so broad words stay in PGlite's shared
 * buffers). It is index maintenance, not data: statement-level triggers of migration 0009 keep
 * it equal to `initiative` (rows inserted, updated, published or unpublished), the foreign key
 * deletes a row with its initiative (bench/fulltext-side-table.ts; docs/adr/0008).
 */
export const initiativeSearch = pgTable(
	'initiative_search',
	{
		initiativeId: uuid('initiative_id')
			.primaryKey()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		dateFrom: date('date_from', { mode: 'string' }),
		dateTo: date('date_to', { mode: 'string' }),
		actionType: text('action_type').notNull(),
		scope: text('scope').notNull(),
		regionalScope: boolean('regional_scope').notNull(),
		predatesGcm: boolean('predates_gcm').notNull(),
		countryCodes: text('country_codes').array().notNull(),
		objectiveNumbers: smallint('objective_numbers').array().notNull(),
		initiatorKindKeys: text('initiator_kind_keys').array().notNull(),
		searchVector: tsvector('search_vector').notNull()
	},
	(t) => [
		index('initiative_search_vector_idx').using('gin', t.searchVector),
		index('initiative_search_country_codes_idx').using('gin', t.countryCodes),
		// A text AND an action type: the planner ANDs this bitmap with the text's, so only rows
		// matching both are read and ranked (bench/README.md, "Full text at 1M").
		index('initiative_search_action_type_idx').on(t.actionType)
	]
);

export const initiativeInitiatorKind = pgTable(
	'initiative_initiator_kind',
	{
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.initiativeId, t.kind] }),
		index('initiative_initiator_kind_kind_idx').on(t.kind, t.initiativeId)
	]
);

export const initiativeActor = pgTable(
	'initiative_actor',
	{
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		actorId: uuid('actor_id')
			.notNull()
			.references(() => actor.id, { onDelete: 'restrict' }),
		role: text('role').notNull().default('initiator'),
		position: smallint('position').notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.initiativeId, t.actorId, t.role] }),
		index('initiative_actor_actor_idx').on(t.actorId)
	]
);

export const initiativeCountry = pgTable(
	'initiative_country',
	{
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		iso3: text('iso3').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.initiativeId, t.iso3] }),
		index('initiative_country_iso3_idx').on(t.iso3, t.initiativeId)
	]
);

export const initiativeObjective = pgTable(
	'initiative_objective',
	{
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		objective: smallint('objective').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.initiativeId, t.objective] }),
		index('initiative_objective_objective_idx').on(t.objective, t.initiativeId)
	]
);

export const initiativePrinciple = pgTable(
	'initiative_principle',
	{
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		principle: text('principle').notNull()
	},
	(t) => [primaryKey({ columns: [t.initiativeId, t.principle] })]
);

export const initiativeSource = pgTable(
	'initiative_source',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		position: smallint('position').notNull().default(0),
		citation: text('citation').notNull(),
		url: text('url')
	},
	(t) => [index('initiative_source_initiative_idx').on(t.initiativeId, t.position)]
);

/** A promising multi-stakeholder practice (seed report Annex 3). */
export const practice = pgTable(
	'practice',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		key: text('key').notNull(),
		name: text('name').notNull(),
		implementingPartners: text('implementing_partners').notNull().default(''),
		periodStart: smallint('period_start'),
		periodEnd: smallint('period_end'),
		periodText: text('period_text'),
		description: text('description').notNull().default(''),
		moreInformation: text('more_information'),
		reportRow: integer('report_row'),
		originalText: text('original_text'),
		status: text('status').notNull().default('draft'),
		version: integer('version').notNull().default(1),
		publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }),
		/** The organisation responsible for the record; null for imports. */
		ownerOrganisationId: uuid('owner_organisation_id').references((): AnyPgColumn => organisation.id, {
			onDelete: 'set null'
		}),
		/** The account that created the record; null for imports. */
		createdBy: uuid('created_by').references((): AnyPgColumn => appUser.id, { onDelete: 'set null' }),
		...timestamps
	},
	(t) => [uniqueIndex('practice_key_idx').on(t.key), index('practice_status_idx').on(t.status)]
);

export const practiceCountry = pgTable(
	'practice_country',
	{
		practiceId: uuid('practice_id')
			.notNull()
			.references(() => practice.id, { onDelete: 'cascade' }),
		iso3: text('iso3').notNull()
	},
	(t) => [primaryKey({ columns: [t.practiceId, t.iso3] })]
);

export const practiceObjective = pgTable(
	'practice_objective',
	{
		practiceId: uuid('practice_id')
			.notNull()
			.references(() => practice.id, { onDelete: 'cascade' }),
		objective: smallint('objective').notNull()
	},
	(t) => [primaryKey({ columns: [t.practiceId, t.objective] })]
);

// ---------------------------------------------------------------------------------------------
// Accounts, sessions and the audit trail (issue #3, first slice). See docs/security.md.

/** A person who signs in. `email` is stored lower-cased; `password_hash` is null until set. */
export const appUser = pgTable(
	'app_user',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		email: text('email').notNull(),
		displayName: text('display_name').notNull(),
		/** Argon2id PHC string. */
		passwordHash: text('password_hash'),
		/** Base32 TOTP secret (RFC 6238); set at enrolment, enabled after the first valid code. */
		totpSecret: text('totp_secret'),
		totpEnabled: boolean('totp_enabled').notNull().default(false),
		/** The last accepted TOTP time step (RFC 6238 §5.2): a code for this step or earlier is refused (replay). */
		totpLastStep: bigint('totp_last_step', { mode: 'number' }),
		/** 'admin' | 'coordinator' | 'editor' | 'reviewer' | 'contributor' | 'expert' */
		role: text('role').notNull(),
		/** 'active' | 'disabled' */
		status: text('status').notNull().default('active'),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('app_user_email_idx').on(t.email),
		check('app_user_email_lower', sql`${t.email} = lower(${t.email})`),
		check(
			'app_user_role_check',
			sql`${t.role} IN ('admin', 'coordinator', 'editor', 'reviewer', 'contributor', 'expert')`
		),
		check('app_user_status_check', sql`${t.status} IN ('active', 'disabled')`)
	]
);

/** A signed-in browser. `id` is the SHA-256 (hex) of the cookie token: the token itself is never stored. */
export const userSession = pgTable(
	'user_session',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
		/** Absolute end of the session, whatever the activity. */
		expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
		/** The second factor was checked in this session (or the user has none). */
		mfaVerified: boolean('mfa_verified').notNull().default(false)
	},
	(t) => [index('user_session_user_idx').on(t.userId)]
);

/** Single-use, purpose-bound tokens ('invite' | 'password_reset'); only the SHA-256 is stored. */
export const userToken = pgTable(
	'user_token',
	{
		hash: text('hash').primaryKey(),
		purpose: text('purpose').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
		usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' })
	},
	(t) => [
		index('user_token_user_idx').on(t.userId),
		check('user_token_purpose_check', sql`${t.purpose} IN ('invite', 'password_reset')`)
	]
);

/** Two-factor recovery codes, shown once and stored as SHA-256 (they are high-entropy). */
export const recoveryCode = pgTable(
	'recovery_code',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		hash: text('hash').notNull(),
		usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' })
	},
	(t) => [primaryKey({ columns: [t.userId, t.hash] })]
);

/**
 * The append-only audit trail: one row per state change, written in the change's transaction.
 * A trigger (hand-written in the migration) rejects UPDATE and DELETE.
 */
export const auditEvent = pgTable(
	'audit_event',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		/** No foreign key: the trail outlives the accounts it mentions. */
		actorId: uuid('actor_id'),
		/** Snapshot of who acted (email or 'cli'), as it was at the time. */
		actorLabel: text('actor_label').notNull(),
		actorRole: text('actor_role'),
		/** `area.past_tense`, e.g. 'user.signed_in'. */
		action: text('action').notNull(),
		objectType: text('object_type').notNull(),
		objectId: text('object_id'),
		/** Field-level { field: { before, after } }, secrets redacted. */
		changes: jsonb('changes').notNull().default({}),
		requestId: text('request_id'),
		/** 'web' | 'api' | 'cli' */
		channel: text('channel').notNull()
	},
	(t) => [
		index('audit_event_object_idx').on(t.objectType, t.objectId, t.at),
		index('audit_event_actor_idx').on(t.actorId, t.at),
		check('audit_event_channel_check', sql`${t.channel} IN ('web', 'api', 'cli')`)
	]
);

/**
 * A counter bumped in the same transaction as every write to published-facing data, so caches
 * of public results (facet counts) can tell whether they are stale, across processes too.
 */
export const dataVersion = pgTable('data_version', {
	scope: text('scope').primaryKey(),
	version: bigint('version', { mode: 'number' }).notNull().default(0)
});

// ---------------------------------------------------------------------------------------------
// Organisations, memberships, country scopes and revisions (issue #3, workflow slice).

/**
 * An organisation people work for. `actor_id` links it to the registry actor with the same
 * identity, so records naming that actor can be traced to the accounts that speak for it.
 */
export const organisation = pgTable(
	'organisation',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		actorId: uuid('actor_id').references(() => actor.id, { onDelete: 'set null' }),
		/** ISO 3166-1 alpha-3 of the organisation's home country, if it has one. */
		country: text('country'),
		...timestamps
	},
	(t) => [
		index('organisation_actor_idx').on(t.actorId),
		check('organisation_country_check', sql`${t.country} IS NULL OR ${t.country} ~ '^[A-Z]{3}$'`)
	]
);

/** A person's membership of an organisation. `role`: 'member' | 'manager' (not yet used by the policy). */
export const membership = pgTable(
	'membership',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		organisationId: uuid('organisation_id')
			.notNull()
			.references(() => organisation.id, { onDelete: 'cascade' }),
		role: text('role').notNull().default('member'),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.organisationId] }),
		index('membership_organisation_idx').on(t.organisationId),
		check('membership_role_check', sql`${t.role} IN ('member', 'manager')`)
	]
);

/** The countries a country-scoped role (coordinator, reviewer) acts for. */
export const userScope = pgTable(
	'user_scope',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		country: text('country').notNull()
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.country] }),
		check('user_scope_country_check', sql`${t.country} ~ '^[A-Z]{3}$'`)
	]
);

/**
 * Every version of an initiative, written in the transaction that made it: the full record as
 * it was (`snapshot`), its status, who changed it and, for review decisions, the comment.
 */
export const initiativeRevision = pgTable(
	'initiative_revision',
	{
		initiativeId: uuid('initiative_id')
			.notNull()
			.references(() => initiative.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		status: text('status').notNull(),
		snapshot: jsonb('snapshot').notNull(),
		/** No foreign key: history outlives accounts (like the audit trail). Null for the CLI. */
		changedBy: uuid('changed_by'),
		/** The reviewer's comment (request changes, approve); never shown to the public. */
		comment: text('comment'),
		at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.initiativeId, t.version] })]
);

/**
 * Every version of an actor or a practice (the initiative keeps its own `initiative_revision`),
 * written in the transaction that made it; same columns and meaning as `initiative_revision`.
 * No foreign key on `record_id` (it points into one of two tables); records are never deleted.
 */
export const recordRevision = pgTable(
	'record_revision',
	{
		recordType: text('record_type').notNull(),
		recordId: uuid('record_id').notNull(),
		version: integer('version').notNull(),
		status: text('status').notNull(),
		snapshot: jsonb('snapshot').notNull(),
		changedBy: uuid('changed_by'),
		comment: text('comment'),
		at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.recordType, t.recordId, t.version] }),
		check('record_revision_type_check', sql`${t.recordType} IN ('actor', 'practice')`)
	]
);

// ---------------------------------------------------------------------------------------------
// API tokens and public suggestions (issue #3).

/**
 * A named token for scripts. Only the SHA-256 of the secret is stored; the secret is shown once.
 * `access`: 'read' | 'write'. A token may be narrowed to one organisation and/or one country.
 */
export const apiToken = pgTable(
	'api_token',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		hash: text('hash').notNull(),
		/** First characters of the secret (after its prefix), shown in lists so people can tell tokens apart. */
		hint: text('hint').notNull(),
		access: text('access').notNull(),
		organisationId: uuid('organisation_id').references(() => organisation.id, { onDelete: 'cascade' }),
		country: text('country'),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
		revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' })
	},
	(t) => [
		uniqueIndex('api_token_hash_idx').on(t.hash),
		index('api_token_user_idx').on(t.userId),
		check('api_token_access_check', sql`${t.access} IN ('read', 'write')`),
		check('api_token_country_check', sql`${t.country} IS NULL OR ${t.country} ~ '^[A-Z]{3}$'`)
	]
);

/**
 * An initiative suggested by a member of the public through the open form. It waits in a review
 * queue; accepting it creates a draft initiative (`initiative_id`). The submitter's address is
 * never stored: only a salted hash used for rate limiting.
 */
export const suggestion = pgTable(
	'suggestion',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The submitted fields, validated by the suggestion schema. */
		payload: jsonb('payload').notNull(),
		/** Optional contact the submitter chose to give (never published). */
		contact: text('contact'),
		/** 'new' | 'accepted' | 'rejected' */
		status: text('status').notNull().default('new'),
		initiativeId: uuid('initiative_id').references(() => initiative.id, { onDelete: 'set null' }),
		reviewedBy: uuid('reviewed_by'),
		reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'date' }),
		submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		index('suggestion_status_idx').on(t.status, t.submittedAt),
		check('suggestion_status_check', sql`${t.status} IN ('new', 'accepted', 'rejected')`)
	]
);

// ---------------------------------------------------------------------------------------------
// The benchmarking observatory (issue #5). Domain types: src/lib/core/benchmarking/types.ts.

/**
 * A methodology version: the whole definition (items, variable bank, scales, weights, rules) as
 * one JSON document validated by the core schema. A trigger (hand-written in the migration)
 * refuses any UPDATE or DELETE of a published row, so a published version is immutable.
 */
export const methodology = pgTable(
	'methodology',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		key: text('key').notNull(),
		version: text('version').notNull(),
		/** 'draft' | 'published' */
		status: text('status').notNull().default('draft'),
		definition: jsonb('definition').notNull(),
		publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('methodology_key_version_idx').on(t.key, t.version),
		check('methodology_status_check', sql`${t.status} IN ('draft', 'published')`)
	]
);

/** One assessment: country × edition × perspective, pinned to one methodology version. */
export const assessment = pgTable(
	'assessment',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** ISO 3166-1 alpha-3, or a user-assigned code (XA*-XZ*) for fictional demo countries. */
		country: text('country').notNull(),
		/** The edition year. */
		edition: smallint('edition').notNull(),
		/** 'independent' | 'government' | 'civil_society' */
		perspective: text('perspective').notNull(),
		methodologyId: uuid('methodology_id')
			.notNull()
			.references(() => methodology.id, { onDelete: 'restrict' }),
		leadOrganisationId: uuid('lead_organisation_id').references(() => organisation.id, { onDelete: 'set null' }),
		/** 'draft' | 'desk_research' | 'expert_panel' | 'validation' | 'published' */
		status: text('status').notNull().default('draft'),
		title: text('title').notNull().default(''),
		summary: text('summary').notNull().default(''),
		/** Demo content about a fictional country, labelled as such everywhere it appears. */
		fictional: boolean('fictional').notNull().default(false),
		/** When the expert panel closed (ratings frozen and visible to the coordinator). */
		panelClosedAt: timestamp('panel_closed_at', { withTimezone: true, mode: 'date' }),
		publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
		/** The scores as computed at publication (AssessmentScores), so public pages never recompute drafts. */
		publishedScores: jsonb('published_scores'),
		version: integer('version').notNull().default(1),
		createdBy: uuid('created_by'),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('assessment_country_edition_perspective_idx').on(t.country, t.edition, t.perspective),
		index('assessment_status_idx').on(t.status, t.country),
		check('assessment_country_check', sql`${t.country} ~ '^[A-Z]{3}$'`),
		check('assessment_edition_check', sql`${t.edition} BETWEEN 2018 AND 2100`),
		check('assessment_perspective_check', sql`${t.perspective} IN ('independent', 'government', 'civil_society')`),
		check(
			'assessment_status_check',
			sql`${t.status} IN ('draft', 'desk_research', 'expert_panel', 'validation', 'published')`
		)
	]
);

/**
 * Who works on an assessment: its coordinator(s), desk researchers and panel experts. Expert
 * identities are private unless `public_opt_in`; the conflict-of-interest declaration is kept here.
 */
export const assessmentMember = pgTable(
	'assessment_member',
	{
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		/** 'coordinator' | 'researcher' | 'expert' */
		role: text('role').notNull(),
		/** Opaque label used for this expert in exports before/without opt-in (e.g. 'E3'). */
		raterLabel: text('rater_label'),
		coiDeclaration: text('coi_declaration'),
		coiDeclaredAt: timestamp('coi_declared_at', { withTimezone: true, mode: 'date' }),
		publicOptIn: boolean('public_opt_in').notNull().default(false),
		/** The name shown publicly if the expert opted in. */
		publicName: text('public_name'),
		/** When the expert declared their ratings complete (they may still edit until the panel closes). */
		submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }),
		invitedBy: uuid('invited_by'),
		createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.assessmentId, t.userId, t.role] }),
		index('assessment_member_user_idx').on(t.userId),
		check('assessment_member_role_check', sql`${t.role} IN ('coordinator', 'researcher', 'expert')`)
	]
);

/** Phase 1: the answer to one variable of the variable bank, with its note and optional second check. */
export const deskAnswer = pgTable(
	'desk_answer',
	{
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		variableKey: text('variable_key').notNull(),
		/** An answer-scale option key; null while unanswered. */
		answer: text('answer'),
		note: text('note').notNull().default(''),
		answeredBy: uuid('answered_by'),
		/** 'agreed' | 'disputed' — the optional second researcher check. */
		checkStatus: text('check_status'),
		checkNote: text('check_note'),
		checkedBy: uuid('checked_by'),
		checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }),
		version: integer('version').notNull().default(1),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.assessmentId, t.variableKey] }),
		check('desk_answer_check_status_check', sql`${t.checkStatus} IS NULL OR ${t.checkStatus} IN ('agreed', 'disputed')`)
	]
);

/** A piece of evidence behind a desk answer. */
export const evidence = pgTable(
	'evidence',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		variableKey: text('variable_key').notNull(),
		position: smallint('position').notNull().default(0),
		title: text('title').notNull(),
		/** 'law' | 'policy' | 'regulation' | 'programme' | 'practice' | 'data' */
		type: text('type').notNull(),
		issuingBody: text('issuing_body').notNull().default(''),
		/** YYYY, YYYY-MM or YYYY-MM-DD, or empty. */
		date: text('date').notNull().default(''),
		url: text('url').notNull().default(''),
		excerpt: text('excerpt').notNull().default('')
	},
	(t) => [
		index('evidence_answer_idx').on(t.assessmentId, t.variableKey, t.position),
		check('evidence_type_check', sql`${t.type} IN ('law', 'policy', 'regulation', 'programme', 'practice', 'data')`)
	]
);

/** Phase 2: one expert's rating of one objective or principle. Null `value` = "cannot rate". */
export const expertRating = pgTable(
	'expert_rating',
	{
		assessmentId: uuid('assessment_id')
			.notNull()
			.references(() => assessment.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => appUser.id, { onDelete: 'cascade' }),
		/** 'objective' | 'principle' */
		itemType: text('item_type').notNull(),
		/** 'O1'…'O23' or a principle key. */
		itemKey: text('item_key').notNull(),
		value: smallint('value'),
		comment: text('comment').notNull().default(''),
		updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.assessmentId, t.userId, t.itemType, t.itemKey] }),
		check('expert_rating_item_type_check', sql`${t.itemType} IN ('objective', 'principle')`)
	]
);

// ---------------------------------------------------------------------------------------------
// Rate limits shared by several processes on one PostgreSQL server (issue #3).

/**
 * Failed-attempt counters of the rate limiters (src/lib/server/http/rate-limit.ts), used when the
 * app runs on a PostgreSQL server (on PGlite the state stays in memory). `scope` names the limiter
 * (sign_in, mfa, bearer, …); `key_hash` is the SHA-256 of the limiter key, so no email or client IP
 * is stored. Times are epoch milliseconds from the app's clock. Each failure is one atomic upsert;
 * old keys are deleted by the store itself (db/rate-limit.repository.ts).
 */
export const rateLimit = pgTable(
	'rate_limit',
	{
		scope: text('scope').notNull(),
		keyHash: text('key_hash').notNull(),
		/** Failures of the current window (epoch ms), fewer than the limiter's maximum. */
		failures: bigint('failures', { mode: 'number' })
			.array()
			.notNull()
			.default(sql`'{}'::bigint[]`),
		lockouts: integer('lockouts').notNull().default(0),
		lockedUntil: bigint('locked_until', { mode: 'number' }).notNull().default(0),
		lastFailureAt: bigint('last_failure_at', { mode: 'number' }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.scope, t.keyHash] }),
		index('rate_limit_scope_last_failure_idx').on(t.scope, t.lastFailureAt)
	]
);

// ---------------------------------------------------------------------------------------------
// Registry counts kept for a fast cold start (issue #4, ADR 0005).

/**
 * The public unfiltered registry counts (total and every facet) of one registry data version,
 * written when computed and read when a server starts, so the first request after a restart costs
 * one indexed read instead of a count over the whole registry. `scope` names the count set
 * ('registry:published'); a row of another version than the current one is ignored, and replaced by
 * the next computation. Holds only counts of published records.
 */
export const registryCountSnapshot = pgTable('registry_count_snapshot', {
	scope: text('scope').primaryKey(),
	version: bigint('version', { mode: 'number' }).notNull(),
	counts: jsonb('counts').notNull(),
	computedAt: timestamp('computed_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow()
});
