CREATE TABLE "initiative_search" (
	"initiative_id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"date_from" date,
	"date_to" date,
	"action_type" text NOT NULL,
	"scope" text NOT NULL,
	"regional_scope" boolean NOT NULL,
	"predates_gcm" boolean NOT NULL,
	"country_codes" text[] NOT NULL,
	"objective_numbers" smallint[] NOT NULL,
	"initiator_kind_keys" text[] NOT NULL,
	"search_vector" "tsvector" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "initiative_search" ADD CONSTRAINT "initiative_search_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written (drizzle-kit does not manage triggers): initiative_search holds exactly the published
-- initiatives, kept in the writing statement's own transaction by statement-level triggers (one
-- INSERT ... SELECT per statement, so a bulk import's chunk costs one statement, not one per row).
-- Deleting an initiative deletes its row through the foreign key. docs/adr/0008.
CREATE FUNCTION "initiative_search_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM initiative_search s USING changed_rows c
		WHERE s.initiative_id = c.id AND c.status <> 'published';
	END IF;
	INSERT INTO initiative_search (initiative_id, key, date_from, date_to, action_type, scope, regional_scope,
		predates_gcm, country_codes, objective_numbers, initiator_kind_keys, search_vector)
	SELECT c.id, c.key, c.date_from, c.date_to, c.action_type, c.scope, c.regional_scope, c.predates_gcm,
		c.country_codes, c.objective_numbers, c.initiator_kind_keys, c.search_vector
	FROM changed_rows c WHERE c.status = 'published'
	ON CONFLICT (initiative_id) DO UPDATE SET key = EXCLUDED.key, date_from = EXCLUDED.date_from,
		date_to = EXCLUDED.date_to, action_type = EXCLUDED.action_type, scope = EXCLUDED.scope,
		regional_scope = EXCLUDED.regional_scope, predates_gcm = EXCLUDED.predates_gcm,
		country_codes = EXCLUDED.country_codes, objective_numbers = EXCLUDED.objective_numbers,
		initiator_kind_keys = EXCLUDED.initiator_kind_keys, search_vector = EXCLUDED.search_vector
	WHERE (initiative_search.key, initiative_search.date_from, initiative_search.date_to, initiative_search.action_type,
		initiative_search.scope, initiative_search.regional_scope, initiative_search.predates_gcm,
		initiative_search.country_codes, initiative_search.objective_numbers, initiative_search.initiator_kind_keys,
		initiative_search.search_vector)
	IS DISTINCT FROM (EXCLUDED.key, EXCLUDED.date_from, EXCLUDED.date_to, EXCLUDED.action_type, EXCLUDED.scope,
		EXCLUDED.regional_scope, EXCLUDED.predates_gcm, EXCLUDED.country_codes, EXCLUDED.objective_numbers,
		EXCLUDED.initiator_kind_keys, EXCLUDED.search_vector);
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "initiative_search_inserted" AFTER INSERT ON "initiative" REFERENCING NEW TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "initiative_search_sync"();--> statement-breakpoint
CREATE TRIGGER "initiative_search_updated" AFTER UPDATE ON "initiative" REFERENCING NEW TABLE AS changed_rows
	FOR EACH STATEMENT EXECUTE FUNCTION "initiative_search_sync"();--> statement-breakpoint
INSERT INTO "initiative_search" ("initiative_id", "key", "date_from", "date_to", "action_type", "scope",
	"regional_scope", "predates_gcm", "country_codes", "objective_numbers", "initiator_kind_keys", "search_vector")
SELECT "id", "key", "date_from", "date_to", "action_type", "scope", "regional_scope", "predates_gcm",
	"country_codes", "objective_numbers", "initiator_kind_keys", "search_vector"
FROM "initiative" WHERE "status" = 'published';--> statement-breakpoint
CREATE INDEX "initiative_search_vector_idx" ON "initiative_search" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "initiative_search_country_codes_idx" ON "initiative_search" USING gin ("country_codes");
--> statement-breakpoint
-- PGlite has no autovacuum: plan the first searches with statistics of the copied rows.
ANALYZE "initiative_search";
