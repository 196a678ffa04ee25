CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"source" varchar(20) NOT NULL,
	"external_id" varchar(100) NOT NULL,
	"purchase_date" timestamp with time zone NOT NULL,
	"last_updated_at" timestamp with time zone,
	"status" varchar(50) NOT NULL,
	"channel" varchar(50) NOT NULL,
	"marketplace_id" varchar(50),
	"total" numeric(14, 2),
	"currency" varchar(3),
	"lead_id" uuid,
	"content_id" uuid,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_source" CHECK ("orders"."source" in ('amazon', 'manual', 'api')),
	CONSTRAINT "orders_total_non_negative" CHECK ("orders"."total" is null or "orders"."total" >= 0),
	CONSTRAINT "orders_currency" CHECK ("orders"."currency" is null or "orders"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "content_metric_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"content_id" uuid NOT NULL,
	"captured_at" timestamp with time zone DEFAULT now() NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"provider" varchar(20) NOT NULL,
	"status" varchar(30) DEFAULT 'connected' NOT NULL,
	"account_name" varchar(255),
	"account_id" varchar(255),
	"secrets" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"token_expires_at" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"last_sync_status" varchar(20),
	"last_error" text,
	"connected_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrations_provider" CHECK ("integrations"."provider" in ('tiktok', 'gmail', 'amazon', 'openai', 'smtp')),
	CONSTRAINT "integrations_status" CHECK ("integrations"."status" in ('connected', 'needs_attention', 'disconnected'))
);
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_content_id_content_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_metric_snapshots" ADD CONSTRAINT "content_metric_snapshots_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_metric_snapshots" ADD CONSTRAINT "content_metric_snapshots_content_id_content_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_connected_by_users_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_orders_workspace_source_external" ON "orders" USING btree ("workspace_id","source","external_id");--> statement-breakpoint
CREATE INDEX "idx_orders_workspace_purchase_date" ON "orders" USING btree ("workspace_id","purchase_date");--> statement-breakpoint
CREATE INDEX "idx_content_metric_snapshots_workspace_captured" ON "content_metric_snapshots" USING btree ("workspace_id","captured_at");--> statement-breakpoint
CREATE INDEX "idx_content_metric_snapshots_content_captured" ON "content_metric_snapshots" USING btree ("content_id","captured_at");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_integrations_workspace_provider" ON "integrations" USING btree ("workspace_id","provider");--> statement-breakpoint
CREATE INDEX "idx_integrations_provider" ON "integrations" USING btree ("provider");--> statement-breakpoint
CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();--> statement-breakpoint
CREATE TRIGGER integrations_set_updated_at BEFORE UPDATE ON integrations FOR EACH ROW EXECUTE FUNCTION set_updated_at();
