CREATE TABLE "dev_mailbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"createdAt" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "idx_dev_mailbox_to_created_at" ON "dev_mailbox" USING btree ("to","createdAt");--> statement-breakpoint
-- Mail is for its recipient's eyes: no request role may read or write the dev mailbox.
ALTER TABLE "dev_mailbox" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON "dev_mailbox" FROM PUBLIC, anon, authenticated;
