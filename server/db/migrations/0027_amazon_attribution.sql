CREATE TABLE "amazon_ads_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"status" varchar(30) DEFAULT 'connected' NOT NULL,
	"region" varchar(2) NOT NULL,
	"secrets" text NOT NULL,
	"profile_id" varchar(32),
	"profile_name" varchar(255),
	"country_code" varchar(2),
	"currency" varchar(3),
	"advertiser_id" varchar(64),
	"advertiser_name" varchar(255),
	"publisher_id" varchar(128),
	"publisher_name" varchar(255),
	"tag_template" text,
	"tag_kind" varchar(10),
	"tags_fetched_at" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"last_sync_status" varchar(20),
	"last_sync_summary" jsonb,
	"last_error" text,
	"connected_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "amazon_ads_connections_status" CHECK ("amazon_ads_connections"."status" in ('connected', 'needs_attention')),
	CONSTRAINT "amazon_ads_connections_region" CHECK ("amazon_ads_connections"."region" in ('na', 'eu', 'fe'))
);
--> statement-breakpoint
CREATE TABLE "amazon_attribution_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"report_type" varchar(12) NOT NULL,
	"group_level" varchar(10) NOT NULL,
	"advertiser_id" varchar(64) NOT NULL,
	"campaign_id" varchar(128) DEFAULT '' NOT NULL,
	"ad_group_id" varchar(128) DEFAULT '' NOT NULL,
	"creative_id" varchar(128) DEFAULT '' NOT NULL,
	"product_asin" varchar(20) DEFAULT '' NOT NULL,
	"product_name" text,
	"publisher" varchar(255),
	"content_id" uuid,
	"campaign_step_id" uuid,
	"click_throughs" integer DEFAULT 0 NOT NULL,
	"detail_page_views" integer DEFAULT 0 NOT NULL,
	"add_to_carts" integer DEFAULT 0 NOT NULL,
	"purchases" integer DEFAULT 0 NOT NULL,
	"units_sold" integer DEFAULT 0 NOT NULL,
	"sales" numeric(14, 2) DEFAULT '0' NOT NULL,
	"currency" varchar(3),
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "amazon_attribution_daily_report" CHECK ("amazon_attribution_daily"."report_type" in ('PERFORMANCE', 'PRODUCTS')),
	CONSTRAINT "amazon_attribution_daily_level" CHECK ("amazon_attribution_daily"."group_level" in ('CAMPAIGN', 'ADGROUP', 'CREATIVE'))
);
--> statement-breakpoint
ALTER TABLE "amazon_ads_connections" ADD CONSTRAINT "amazon_ads_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_ads_connections" ADD CONSTRAINT "amazon_ads_connections_connected_by_users_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_attribution_daily" ADD CONSTRAINT "amazon_attribution_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_attribution_daily" ADD CONSTRAINT "amazon_attribution_daily_content_id_content_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_attribution_daily" ADD CONSTRAINT "amazon_attribution_daily_campaign_step_id_campaign_steps_id_fk" FOREIGN KEY ("campaign_step_id") REFERENCES "public"."campaign_steps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_amazon_ads_connections_workspace" ON "amazon_ads_connections" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_amazon_attribution_daily_row" ON "amazon_attribution_daily" USING btree ("workspace_id","day","report_type","group_level","advertiser_id","campaign_id","ad_group_id","creative_id","product_asin");--> statement-breakpoint
CREATE INDEX "idx_amazon_attribution_daily_content" ON "amazon_attribution_daily" USING btree ("workspace_id","content_id","day") WHERE "amazon_attribution_daily"."content_id" is not null;--> statement-breakpoint
CREATE INDEX "idx_amazon_attribution_daily_step" ON "amazon_attribution_daily" USING btree ("workspace_id","campaign_step_id","day") WHERE "amazon_attribution_daily"."campaign_step_id" is not null;--> statement-breakpoint
CREATE TRIGGER amazon_ads_connections_set_updated_at BEFORE UPDATE ON amazon_ads_connections FOR EACH ROW EXECUTE FUNCTION set_updated_at();