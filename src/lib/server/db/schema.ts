/**
 * The database schema (PostgreSQL, identical on PGlite and a PostgreSQL server).
 * Migrations are generated from this file by drizzle-kit into drizzle/ and checked in.
 * Tables are singular snake_case; every editable record has a `version` for optimistic
 * concurrency and a workflow `status` (the public sees only `published`).
 */
import { sql } from 'drizzle-orm';
import {
	boolean,
	customType,
	date,
	index,
	integer,
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
		...timestamps
	},
	(t) => [uniqueIndex('actor_name_key_idx').on(t.nameKey)]
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
		/** Initiator names, country names and region, kept by the service for full-text search. */
		searchExtra: text('search_extra').notNull().default(''),
		searchVector: tsvector('search_vector').generatedAlwaysAs(
			sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(search_extra, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')`
		),
		...timestamps
	},
	(t) => [
		uniqueIndex('initiative_key_idx').on(t.key),
		index('initiative_status_date_idx').on(t.status, t.dateFrom.desc(), t.id),
		index('initiative_search_idx').using('gin', t.searchVector)
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
		...timestamps
	},
	(t) => [uniqueIndex('practice_key_idx').on(t.key)]
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
