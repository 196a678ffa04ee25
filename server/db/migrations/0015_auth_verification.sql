ALTER TABLE "outbox_messages" ADD COLUMN "sealed_body" text;--> statement-breakpoint
CREATE INDEX "idx_outbox_messages_created_at" ON "outbox_messages" USING btree ("created_at");