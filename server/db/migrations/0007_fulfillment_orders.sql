CREATE TABLE "fulfillment_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"lead_id" uuid,
	"seller_fulfillment_order_id" varchar(40) NOT NULL,
	"displayable_order_id" varchar(40) NOT NULL,
	"displayable_order_comment" varchar(750) NOT NULL,
	"marketplace_id" varchar(50),
	"shipping_speed_category" varchar(30) NOT NULL,
	"status" varchar(40) DEFAULT 'Received' NOT NULL,
	"destination" jsonb NOT NULL,
	"items" jsonb NOT NULL,
	"estimated_fees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"shipments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"last_checked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fulfillment_orders" ADD CONSTRAINT "fulfillment_orders_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fulfillment_orders" ADD CONSTRAINT "fulfillment_orders_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fulfillment_orders" ADD CONSTRAINT "fulfillment_orders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_fulfillment_orders_workspace_seller_id" ON "fulfillment_orders" USING btree ("workspace_id","seller_fulfillment_order_id");--> statement-breakpoint
CREATE INDEX "idx_fulfillment_orders_workspace_created" ON "fulfillment_orders" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_fulfillment_orders_lead" ON "fulfillment_orders" USING btree ("lead_id");
--> statement-breakpoint
CREATE TRIGGER fulfillment_orders_set_updated_at BEFORE UPDATE ON fulfillment_orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();
