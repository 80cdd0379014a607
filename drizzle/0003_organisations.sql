CREATE TABLE "initiative_revision" (
	"initiative_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"comment" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "initiative_revision_initiative_id_version_pk" PRIMARY KEY("initiative_id","version")
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"user_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "membership_user_id_organisation_id_pk" PRIMARY KEY("user_id","organisation_id"),
	CONSTRAINT "membership_role_check" CHECK ("membership"."role" IN ('member', 'manager'))
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"actor_id" uuid,
	"country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_country_check" CHECK ("organisation"."country" IS NULL OR "organisation"."country" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "user_scope" (
	"user_id" uuid NOT NULL,
	"country" text NOT NULL,
	CONSTRAINT "user_scope_user_id_country_pk" PRIMARY KEY("user_id","country"),
	CONSTRAINT "user_scope_country_check" CHECK ("user_scope"."country" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "initiative" ADD COLUMN "owner_organisation_id" uuid;--> statement-breakpoint
ALTER TABLE "initiative" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "initiative_revision" ADD CONSTRAINT "initiative_revision_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_actor_id_actor_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actor"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_scope" ADD CONSTRAINT "user_scope_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "membership_organisation_idx" ON "membership" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "organisation_actor_idx" ON "organisation" USING btree ("actor_id");--> statement-breakpoint
ALTER TABLE "initiative" ADD CONSTRAINT "initiative_owner_organisation_id_organisation_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative" ADD CONSTRAINT "initiative_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE set null ON UPDATE no action;