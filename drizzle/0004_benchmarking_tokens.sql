CREATE TABLE "api_token" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"hint" text NOT NULL,
	"access" text NOT NULL,
	"organisation_id" uuid,
	"country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_token_access_check" CHECK ("api_token"."access" IN ('read', 'write')),
	CONSTRAINT "api_token_country_check" CHECK ("api_token"."country" IS NULL OR "api_token"."country" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "assessment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"country" text NOT NULL,
	"edition" smallint NOT NULL,
	"perspective" text NOT NULL,
	"methodology_id" uuid NOT NULL,
	"lead_organisation_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"fictional" boolean DEFAULT false NOT NULL,
	"panel_closed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"published_scores" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_country_check" CHECK ("assessment"."country" ~ '^[A-Z]{3}$'),
	CONSTRAINT "assessment_edition_check" CHECK ("assessment"."edition" BETWEEN 2018 AND 2100),
	CONSTRAINT "assessment_perspective_check" CHECK ("assessment"."perspective" IN ('independent', 'government', 'civil_society')),
	CONSTRAINT "assessment_status_check" CHECK ("assessment"."status" IN ('draft', 'desk_research', 'expert_panel', 'validation', 'published'))
);
--> statement-breakpoint
CREATE TABLE "assessment_member" (
	"assessment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"rater_label" text,
	"coi_declaration" text,
	"coi_declared_at" timestamp with time zone,
	"public_opt_in" boolean DEFAULT false NOT NULL,
	"public_name" text,
	"submitted_at" timestamp with time zone,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_member_assessment_id_user_id_role_pk" PRIMARY KEY("assessment_id","user_id","role"),
	CONSTRAINT "assessment_member_role_check" CHECK ("assessment_member"."role" IN ('coordinator', 'researcher', 'expert'))
);
--> statement-breakpoint
CREATE TABLE "desk_answer" (
	"assessment_id" uuid NOT NULL,
	"variable_key" text NOT NULL,
	"answer" text,
	"note" text DEFAULT '' NOT NULL,
	"answered_by" uuid,
	"check_status" text,
	"check_note" text,
	"checked_by" uuid,
	"checked_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "desk_answer_assessment_id_variable_key_pk" PRIMARY KEY("assessment_id","variable_key"),
	CONSTRAINT "desk_answer_check_status_check" CHECK ("desk_answer"."check_status" IS NULL OR "desk_answer"."check_status" IN ('agreed', 'disputed'))
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"variable_key" text NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"issuing_body" text DEFAULT '' NOT NULL,
	"date" text DEFAULT '' NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"excerpt" text DEFAULT '' NOT NULL,
	CONSTRAINT "evidence_type_check" CHECK ("evidence"."type" IN ('law', 'policy', 'regulation', 'programme', 'practice', 'data'))
);
--> statement-breakpoint
CREATE TABLE "expert_rating" (
	"assessment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"item_type" text NOT NULL,
	"item_key" text NOT NULL,
	"value" smallint,
	"comment" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expert_rating_assessment_id_user_id_item_type_item_key_pk" PRIMARY KEY("assessment_id","user_id","item_type","item_key"),
	CONSTRAINT "expert_rating_item_type_check" CHECK ("expert_rating"."item_type" IN ('objective', 'principle'))
);
--> statement-breakpoint
CREATE TABLE "methodology" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"version" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"definition" jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "methodology_status_check" CHECK ("methodology"."status" IN ('draft', 'published'))
);
--> statement-breakpoint
CREATE TABLE "suggestion" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payload" jsonb NOT NULL,
	"contact" text,
	"status" text DEFAULT 'new' NOT NULL,
	"initiative_id" uuid,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suggestion_status_check" CHECK ("suggestion"."status" IN ('new', 'accepted', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "app_user" DROP CONSTRAINT "app_user_role_check";--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_methodology_id_methodology_id_fk" FOREIGN KEY ("methodology_id") REFERENCES "public"."methodology"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_lead_organisation_id_organisation_id_fk" FOREIGN KEY ("lead_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_member" ADD CONSTRAINT "assessment_member_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_member" ADD CONSTRAINT "assessment_member_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_answer" ADD CONSTRAINT "desk_answer_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_rating" ADD CONSTRAINT "expert_rating_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_rating" ADD CONSTRAINT "expert_rating_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestion" ADD CONSTRAINT "suggestion_initiative_id_initiative_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiative"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_token_hash_idx" ON "api_token" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_token_user_idx" ON "api_token" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_country_edition_perspective_idx" ON "assessment" USING btree ("country","edition","perspective");--> statement-breakpoint
CREATE INDEX "assessment_status_idx" ON "assessment" USING btree ("status","country");--> statement-breakpoint
CREATE INDEX "assessment_member_user_idx" ON "assessment_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "evidence_answer_idx" ON "evidence" USING btree ("assessment_id","variable_key","position");--> statement-breakpoint
CREATE UNIQUE INDEX "methodology_key_version_idx" ON "methodology" USING btree ("key","version");--> statement-breakpoint
CREATE INDEX "suggestion_status_idx" ON "suggestion" USING btree ("status","submitted_at");--> statement-breakpoint
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_role_check" CHECK ("app_user"."role" IN ('admin', 'coordinator', 'editor', 'reviewer', 'contributor', 'expert'));--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers): a published methodology version is
-- immutable. Any UPDATE or DELETE of a row whose status is already 'published' raises; a draft
-- may be edited and published (draft → published is the last permitted change).
CREATE FUNCTION "methodology_published_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD."status" = 'published' THEN
		RAISE EXCEPTION 'methodology %/% is published and cannot be changed (%)', OLD."key", OLD."version", TG_OP USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "methodology_immutable_when_published" BEFORE UPDATE OR DELETE ON "methodology" FOR EACH ROW EXECUTE FUNCTION "methodology_published_immutable"();
