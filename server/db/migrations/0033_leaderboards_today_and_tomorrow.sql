-- The leaderboards gain the day each set ends on (today's and tomorrow's are kept). The old rows are
-- dropped rather than converted: the next rollup run (within a minute) builds both sets, and until
-- then top content is summed from the item rollup as before.
TRUNCATE "rollup_content_item_window";--> statement-breakpoint
UPDATE "analytics_freshness" SET "windows_as_of" = NULL;--> statement-breakpoint
DROP INDEX "idx_rollup_content_item_window_views";--> statement-breakpoint
DROP INDEX "idx_rollup_content_item_window_revenue";--> statement-breakpoint
ALTER TABLE "rollup_content_item_window" DROP CONSTRAINT "rollup_content_item_window_workspace_id_window_days_content_id_pk";--> statement-breakpoint
ALTER TABLE "analytics_freshness" ADD COLUMN "windows_from" date;--> statement-breakpoint
ALTER TABLE "rollup_content_item_window" ADD COLUMN "as_of" date NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_content_item_window" ADD CONSTRAINT "rollup_content_item_window_workspace_id_as_of_window_days_content_id_pk" PRIMARY KEY("workspace_id","as_of","window_days","content_id");--> statement-breakpoint
CREATE INDEX "idx_rollup_content_item_window_views" ON "rollup_content_item_window" USING btree ("workspace_id","as_of","window_days","views" DESC NULLS LAST,"content_id");--> statement-breakpoint
CREATE INDEX "idx_rollup_content_item_window_revenue" ON "rollup_content_item_window" USING btree ("workspace_id","as_of","window_days","revenue" DESC NULLS LAST,"content_id");
