CREATE TABLE "domain_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"type" varchar(64) NOT NULL,
	"payload" jsonb NOT NULL,
	"done_consumers" text[] DEFAULT '{}'::text[] NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "domain_event_id" bigint;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "domain_event_id" bigint;--> statement-breakpoint
ALTER TABLE "domain_events" ADD CONSTRAINT "domain_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_domain_events_pending" ON "domain_events" USING btree ("available_at","id") WHERE "domain_events"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "idx_domain_events_processed" ON "domain_events" USING btree ("processed_at") WHERE "domain_events"."processed_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_notifications_event_user" ON "notifications" USING btree ("domain_event_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_webhook_deliveries_event_endpoint" ON "webhook_deliveries" USING btree ("domain_event_id","endpoint_id");