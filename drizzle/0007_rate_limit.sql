CREATE TABLE "rate_limit" (
	"scope" text NOT NULL,
	"key_hash" text NOT NULL,
	"failures" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"lockouts" integer DEFAULT 0 NOT NULL,
	"locked_until" bigint DEFAULT 0 NOT NULL,
	"last_failure_at" bigint NOT NULL,
	CONSTRAINT "rate_limit_scope_key_hash_pk" PRIMARY KEY("scope","key_hash")
);
--> statement-breakpoint
CREATE INDEX "rate_limit_scope_last_failure_idx" ON "rate_limit" USING btree ("scope","last_failure_at");