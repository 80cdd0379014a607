CREATE TABLE "data_version" (
	"scope" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "initiative" ADD COLUMN "country_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "initiative" ADD COLUMN "objective_numbers" smallint[] DEFAULT '{}'::smallint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "initiative" ADD COLUMN "initiator_kind_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "initiative_country_codes_idx" ON "initiative" USING gin ("country_codes");--> statement-breakpoint
CREATE INDEX "initiative_objective_numbers_idx" ON "initiative" USING gin ("objective_numbers");--> statement-breakpoint
CREATE INDEX "initiative_initiator_kind_keys_idx" ON "initiative" USING gin ("initiator_kind_keys");--> statement-breakpoint
UPDATE "initiative" i SET
	"country_codes" = ARRAY(SELECT c.iso3 FROM initiative_country c WHERE c.initiative_id = i.id ORDER BY c.iso3),
	"objective_numbers" = ARRAY(SELECT o.objective FROM initiative_objective o WHERE o.initiative_id = i.id ORDER BY o.objective),
	"initiator_kind_keys" = ARRAY(SELECT k.kind FROM initiative_initiator_kind k WHERE k.initiative_id = i.id ORDER BY k.kind);--> statement-breakpoint
INSERT INTO "data_version" ("scope", "version") VALUES ('registry', 0) ON CONFLICT DO NOTHING;
