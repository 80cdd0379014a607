CREATE TABLE "actor" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "initiative" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"action_type" text NOT NULL,
	"scope" text NOT NULL,
	"regional_scope" boolean DEFAULT false NOT NULL,
	"region" text,
	"date_start" text,
	"date_end" text,
	"date_precision" text DEFAULT 'unknown' NOT NULL,
	"date_text" text,
	"date_from" date,
	"date_to" date,
	"predates_gcm" boolean DEFAULT false NOT NULL,
	"verification_status" text DEFAULT 'reported' NOT NULL,
	"report_table" text,
	"report_row" integer,
	"original_text" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"published_at" timestamp with time zone,
	"search_extra" text DEFAULT '' NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(search_extra, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "initiative_actor" (
	"initiative_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"role" text DEFAULT 'initiator' NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "initiative_actor_initiative_id_actor_id_role_pk" PRIMARY KEY("initiative_id","actor_id","role")
);
--> statement-breakpoint
CREATE TABLE "initiative_country" (
	"initiative_id" uuid NOT NULL,
	"iso3" text NOT NULL,
	CONSTRAINT "initiative_country_initiative_id_iso3_pk" PRIMARY KEY("initiative_id","iso3")
);
--> statement-breakpoint
CREATE TABLE "initiative_initiator_kind" (
	"initiative_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "initiative_initiator_kind_initiative_id_kind_pk" PRIMARY KEY("initiative_id","kind")
);
--> statement-breakpoint
CREATE TABLE "initiative_objective" (
	"initiative_id" uuid NOT NULL,
	"objective" smallint NOT NULL,
	CONSTRAINT "initiative_objective_initiative_id_objective_pk" PRIMARY KEY("initiative_id","objective")
);
--> statement-breakpoint
CREATE TABLE "initiative_principle" (
	"initiative_id" uuid NOT NULL,
	"principle" text NOT NULL,
	CONSTRAINT "initiative_principle_initiative_id_principle_pk" PRIMARY KEY("initiative_id","principle")
);
--> statement-breakpoint
CREATE TABLE "initiative_source" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"initiative_id" uuid NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	"citation" text NOT NULL,
	"url" text
);
--> statement-breakpoint
CREATE TABLE "practice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"implementing_partners" text DEFAULT '' NOT NULL,
	"period_start" smallint,
	"period_end" smallint,
	"period_text" text,
	"description" text DEFAULT '' NOT NULL,
	"more_information" text,
	"report_row" integer,
	"original_text" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_country" (
	"practice_id" uuid NOT NULL,
	"iso3" text NOT NULL,
	CONSTRAINT "practice_country_practice_id_iso3_pk" PRIMARY KEY("practice_id","iso3")
);
--> statement-breakpoint
CREATE TABLE "practice_objective" (
	"practice_id" uuid NOT NULL,
	"objective" smallint NOT NULL,
	CONSTRAINT "practice_objective_practice_id_objective_pk" PRIMARY KEY("practice_id","objective")
);
--> statement-breakpoint
ALTER TABLE "initiative_actor" ADD CONSTRAINT "initiative_actor_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_actor" ADD CONSTRAINT "initiative_actor_actor_id_actor_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actor"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_country" ADD CONSTRAINT "initiative_country_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_initiator_kind" ADD CONSTRAINT "initiative_initiator_kind_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_objective" ADD CONSTRAINT "initiative_objective_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_principle" ADD CONSTRAINT "initiative_principle_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_source" ADD CONSTRAINT "initiative_source_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_country" ADD CONSTRAINT "practice_country_practice_id_practice_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practice"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_objective" ADD CONSTRAINT "practice_objective_practice_id_practice_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practice"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "actor_name_key_idx" ON "actor" USING btree ("name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "initiative_key_idx" ON "initiative" USING btree ("key");--> statement-breakpoint
CREATE INDEX "initiative_status_date_idx" ON "initiative" USING btree ("status","date_from" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "initiative_search_idx" ON "initiative" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "initiative_actor_actor_idx" ON "initiative_actor" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "initiative_country_iso3_idx" ON "initiative_country" USING btree ("iso3","initiative_id");--> statement-breakpoint
CREATE INDEX "initiative_initiator_kind_kind_idx" ON "initiative_initiator_kind" USING btree ("kind","initiative_id");--> statement-breakpoint
CREATE INDEX "initiative_objective_objective_idx" ON "initiative_objective" USING btree ("objective","initiative_id");--> statement-breakpoint
CREATE INDEX "initiative_source_initiative_idx" ON "initiative_source" USING btree ("initiative_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "practice_key_idx" ON "practice" USING btree ("key");