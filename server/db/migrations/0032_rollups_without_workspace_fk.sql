ALTER TABLE "rollup_content_daily" DROP CONSTRAINT "rollup_content_daily_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_content_item_daily" DROP CONSTRAINT "rollup_content_item_daily_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_content_item_window" DROP CONSTRAINT "rollup_content_item_window_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_email_daily" DROP CONSTRAINT "rollup_email_daily_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_email_day" DROP CONSTRAINT "rollup_email_day_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_email_first" DROP CONSTRAINT "rollup_email_first_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_lead_tags_daily" DROP CONSTRAINT "rollup_lead_tags_daily_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_leads_daily" DROP CONSTRAINT "rollup_leads_daily_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "rollup_orders_daily" DROP CONSTRAINT "rollup_orders_daily_workspace_id_workspaces_id_fk";
