CREATE TABLE "analytics_freshness" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"rolled_up_at" timestamp with time zone DEFAULT now() NOT NULL,
	"content_synced_at" timestamp with time zone,
	"email_event_at" timestamp with time zone,
	"lead_at" timestamp with time zone,
	"order_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "analytics_watermarks" (
	"source" varchar(50) PRIMARY KEY NOT NULL,
	"watermark" timestamp with time zone NOT NULL,
	"full_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rollup_content_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"platform" varchar(50) NOT NULL,
	"published" integer DEFAULT 0 NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"revenue" numeric(16, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_content_daily_workspace_id_day_platform_pk" PRIMARY KEY("workspace_id","day","platform")
);
--> statement-breakpoint
CREATE TABLE "rollup_content_item_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"content_id" uuid NOT NULL,
	"platform" varchar(50) NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"revenue" numeric(16, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_content_item_daily_workspace_id_day_content_id_pk" PRIMARY KEY("workspace_id","day","content_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_email_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"campaign_id" uuid NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered_events" integer DEFAULT 0 NOT NULL,
	"opens" integer DEFAULT 0 NOT NULL,
	"unique_opens" integer DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"unique_clicks" integer DEFAULT 0 NOT NULL,
	"unsubscribes" integer DEFAULT 0 NOT NULL,
	"bounces" integer DEFAULT 0 NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_email_daily_workspace_id_day_campaign_id_pk" PRIMARY KEY("workspace_id","day","campaign_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_lead_tags_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"tag" varchar(255) NOT NULL,
	"leads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_lead_tags_daily_workspace_id_day_tag_pk" PRIMARY KEY("workspace_id","day","tag")
);
--> statement-breakpoint
CREATE TABLE "rollup_leads_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"source" varchar(255) NOT NULL,
	"status" varchar(50) NOT NULL,
	"leads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rollup_leads_daily_workspace_id_day_source_status_pk" PRIMARY KEY("workspace_id","day","source","status")
);
--> statement-breakpoint
CREATE TABLE "rollup_orders_daily" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" varchar(50) NOT NULL,
	"currency" varchar(3) NOT NULL,
	"orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(16, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_orders_daily_workspace_id_day_channel_currency_pk" PRIMARY KEY("workspace_id","day","channel","currency")
);
--> statement-breakpoint
ALTER TABLE "analytics_freshness" ADD CONSTRAINT "analytics_freshness_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_content_daily" ADD CONSTRAINT "rollup_content_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_content_item_daily" ADD CONSTRAINT "rollup_content_item_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_email_daily" ADD CONSTRAINT "rollup_email_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_lead_tags_daily" ADD CONSTRAINT "rollup_lead_tags_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_leads_daily" ADD CONSTRAINT "rollup_leads_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_orders_daily" ADD CONSTRAINT "rollup_orders_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_email_sends_workspace_sent_at" ON "email_sends" ("workspace_id","sent_at") WHERE "sent_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_leads_workspace_updated_at" ON "leads" ("workspace_id","updated_at");
