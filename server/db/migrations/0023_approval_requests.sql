CREATE TABLE "approval_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"entity_type" varchar(20) NOT NULL,
	"entity_id" uuid NOT NULL,
	"action" varchar(20) NOT NULL,
	"scheduled_at" timestamp with time zone,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"requested_by" uuid,
	"decided_by" uuid,
	"reason" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_requests_entity_type" CHECK ("approval_requests"."entity_type" in ('content', 'campaign')),
	CONSTRAINT "approval_requests_action" CHECK ("approval_requests"."action" in ('publish', 'schedule', 'send')),
	CONSTRAINT "approval_requests_status" CHECK ("approval_requests"."status" in ('pending', 'approved', 'rejected', 'withdrawn')),
	CONSTRAINT "approval_requests_schedule_time" CHECK (("approval_requests"."action" = 'schedule') = ("approval_requests"."scheduled_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_approval_requests_pending" ON "approval_requests" USING btree ("workspace_id","entity_type","entity_id") WHERE "approval_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_approval_requests_workspace" ON "approval_requests" USING btree ("workspace_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_approval_requests_entity" ON "approval_requests" USING btree ("workspace_id","entity_type","entity_id","created_at" DESC NULLS LAST);