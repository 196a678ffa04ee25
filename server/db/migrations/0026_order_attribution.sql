CREATE TABLE "order_credits" (
	"workspace_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"shares" smallint NOT NULL,
	"touch" varchar(20) NOT NULL,
	"touched_at" timestamp with time zone NOT NULL,
	"purchased_at" timestamp with time zone NOT NULL,
	"link_id" uuid,
	"content_id" uuid,
	"campaign_id" uuid,
	"campaign_step_id" uuid,
	"form_id" uuid,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL,
	"currency" varchar(3),
	CONSTRAINT "order_credits_order_id_position_pk" PRIMARY KEY("order_id","position"),
	CONSTRAINT "order_credits_touch" CHECK ("order_credits"."touch" in ('link_click', 'email_click', 'form_signup')),
	CONSTRAINT "order_credits_shares" CHECK ("order_credits"."shares" >= 1 and "order_credits"."position" >= 0 and "order_credits"."position" < "order_credits"."shares")
);
--> statement-breakpoint
CREATE TABLE "store_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"platform" varchar(20) NOT NULL,
	"shop" varchar(255) NOT NULL,
	"secret_sealed" text NOT NULL,
	"orders_received" integer DEFAULT 0 NOT NULL,
	"last_order_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_connections_platform" CHECK ("store_connections"."platform" in ('shopify', 'woocommerce'))
);
--> statement-breakpoint
CREATE TABLE "form_signups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"click_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_clicks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"clicked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lead_id" uuid
);
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_source";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "click_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "buyer_email" varchar(255);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "utm" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "form_submissions" ADD COLUMN "click_id" uuid;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_link_id_tracked_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."tracked_links"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_content_id_content_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."content"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_campaign_id_email_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."email_campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_campaign_step_id_campaign_steps_id_fk" FOREIGN KEY ("campaign_step_id") REFERENCES "public"."campaign_steps"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_credits" ADD CONSTRAINT "order_credits_form_id_signup_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."signup_forms"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_connections" ADD CONSTRAINT "store_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_connections" ADD CONSTRAINT "store_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_signups" ADD CONSTRAINT "form_signups_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_signups" ADD CONSTRAINT "form_signups_form_id_signup_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."signup_forms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_signups" ADD CONSTRAINT "form_signups_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "form_signups" ADD CONSTRAINT "form_signups_click_id_link_clicks_id_fk" FOREIGN KEY ("click_id") REFERENCES "public"."link_clicks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_link_id_tracked_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."tracked_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_order_credits_purchased" ON "order_credits" USING btree ("workspace_id","purchased_at");--> statement-breakpoint
CREATE INDEX "idx_order_credits_content" ON "order_credits" USING btree ("workspace_id","content_id");--> statement-breakpoint
CREATE INDEX "idx_order_credits_campaign" ON "order_credits" USING btree ("workspace_id","campaign_id");--> statement-breakpoint
CREATE INDEX "idx_store_connections_workspace" ON "store_connections" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "idx_form_signups_lead" ON "form_signups" USING btree ("workspace_id","lead_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_link_clicks_link" ON "link_clicks" USING btree ("link_id","clicked_at");--> statement-breakpoint
CREATE INDEX "idx_link_clicks_lead" ON "link_clicks" USING btree ("workspace_id","lead_id","clicked_at") WHERE "link_clicks"."lead_id" is not null;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_click_id_link_clicks_id_fk" FOREIGN KEY ("click_id") REFERENCES "public"."link_clicks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_source" CHECK ("orders"."source" in ('amazon', 'manual', 'api', 'shopify', 'woocommerce'));