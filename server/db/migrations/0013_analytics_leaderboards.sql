CREATE TABLE "rollup_content_item_window" (
	"workspace_id" uuid NOT NULL,
	"window_days" smallint NOT NULL,
	"content_id" uuid NOT NULL,
	"platform" varchar(50) NOT NULL,
	"days" integer DEFAULT 0 NOT NULL,
	"views" bigint DEFAULT 0 NOT NULL,
	"likes" bigint DEFAULT 0 NOT NULL,
	"shares" bigint DEFAULT 0 NOT NULL,
	"saves" bigint DEFAULT 0 NOT NULL,
	"comments" bigint DEFAULT 0 NOT NULL,
	"clicks" bigint DEFAULT 0 NOT NULL,
	"conversions" bigint DEFAULT 0 NOT NULL,
	"revenue" numeric(16, 2) DEFAULT '0' NOT NULL,
	CONSTRAINT "rollup_content_item_window_workspace_id_window_days_content_id_pk" PRIMARY KEY("workspace_id","window_days","content_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_email_first" (
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"type" varchar(20) NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rollup_email_first_workspace_id_campaign_id_lead_id_type_pk" PRIMARY KEY("workspace_id","campaign_id","lead_id","type")
);
--> statement-breakpoint
ALTER TABLE "analytics_freshness" ADD COLUMN "windows_as_of" date;--> statement-breakpoint
ALTER TABLE "rollup_content_item_window" ADD CONSTRAINT "rollup_content_item_window_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_email_first" ADD CONSTRAINT "rollup_email_first_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_rollup_content_item_window_views" ON "rollup_content_item_window" USING btree ("workspace_id","window_days","views" DESC NULLS LAST,"content_id");--> statement-breakpoint
CREATE INDEX "idx_rollup_content_item_window_revenue" ON "rollup_content_item_window" USING btree ("workspace_id","window_days","revenue" DESC NULLS LAST,"content_id");--> statement-breakpoint
CREATE INDEX "idx_rollup_email_first_at" ON "rollup_email_first" USING btree ("workspace_id","first_at");