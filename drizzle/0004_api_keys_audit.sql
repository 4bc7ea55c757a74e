DROP INDEX "idx_api_keys_prefix";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rateLimit" integer;--> statement-breakpoint
ALTER TABLE "api_audit_logs" ADD COLUMN "actorId" uuid;--> statement-breakpoint
ALTER TABLE "api_audit_logs" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "api_audit_logs" ADD CONSTRAINT "api_audit_logs_actorId_user_id_fk" FOREIGN KEY ("actorId") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_api_audit_logs_user_id_created_at" ON "api_audit_logs" USING btree ("userId","createdAt");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_api_keys_prefix" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limit" CHECK ("api_keys"."rateLimit" between 1 and 100000);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_not_empty" CHECK (cardinality("api_keys"."scopes") > 0);