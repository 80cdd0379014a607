CREATE TABLE "registry_count_snapshot" (
	"scope" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL,
	"counts" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
