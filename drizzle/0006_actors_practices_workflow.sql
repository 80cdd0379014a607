CREATE TABLE "record_revision" (
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"comment" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "record_revision_record_type_record_id_version_pk" PRIMARY KEY("record_type","record_id","version"),
	CONSTRAINT "record_revision_type_check" CHECK ("record_revision"."record_type" IN ('actor', 'practice'))
);
--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "status" text DEFAULT 'published' NOT NULL;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "owner_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "actor" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "practice" ADD COLUMN "owner_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "practice" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "actor" ADD CONSTRAINT "actor_owner_organisation_id_organisation_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actor" ADD CONSTRAINT "actor_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice" ADD CONSTRAINT "practice_owner_organisation_id_organisation_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice" ADD CONSTRAINT "practice_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actor_status_idx" ON "actor" USING btree ("status","name");--> statement-breakpoint
CREATE INDEX "practice_status_idx" ON "practice" USING btree ("status");--> statement-breakpoint
ALTER TABLE "actor" ADD CONSTRAINT "actor_country_check" CHECK ("actor"."country" IS NULL OR "actor"."country" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "actor" ADD CONSTRAINT "actor_status_check" CHECK ("actor"."status" IN ('draft', 'in_review', 'published', 'archived'));