-- A delivery (a mail server's 250) is kept on the send row instead of as an `email_events` row of
-- its own: writing that row (five indexes, four foreign keys) cost the sender as much database work
-- as the send's own update. The existing `delivered` events move onto their sends, then go.
ALTER TABLE "email_sends" ADD COLUMN "delivered" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "email_sends" s SET "delivered" = true
  FROM "email_events" e WHERE e."send_id" = s."id" AND e."type" = 'delivered';--> statement-breakpoint
DELETE FROM "email_events" WHERE "type" = 'delivered';--> statement-breakpoint
ALTER TABLE "email_events" DROP CONSTRAINT "email_events_type";--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_type" CHECK ("email_events"."type" in ('open', 'click', 'bounce', 'unsubscribe', 'complaint', 'reply'));
