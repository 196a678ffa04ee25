-- Newest-first lists (ORDER BY created_at DESC, id DESC) could not read these indexes in order: they
-- were built DESC NULLS LAST, while DESC means NULLS FIRST, so PostgreSQL sorted every row of the
-- workspace for each page (the leads list at 1M leads). Rebuilt as DESC NULLS FIRST; the columns are
-- NOT NULL, so only the plans change. (The content list orders NULLS LAST itself: its index stays.)
DROP INDEX "idx_activity_logs_workspace_id";--> statement-breakpoint
DROP INDEX "idx_activity_logs_created_at";--> statement-breakpoint
DROP INDEX "idx_approval_requests_workspace";--> statement-breakpoint
DROP INDEX "idx_approval_requests_entity";--> statement-breakpoint
DROP INDEX "idx_email_campaigns_workspace_id";--> statement-breakpoint
DROP INDEX "idx_email_events_lead";--> statement-breakpoint
DROP INDEX "idx_outbox_messages_workspace_id";--> statement-breakpoint
DROP INDEX "idx_job_runs_workspace";--> statement-breakpoint
DROP INDEX "idx_leads_workspace_id";--> statement-breakpoint
DROP INDEX "idx_segments_workspace_id";--> statement-breakpoint
DROP INDEX "idx_media_assets_workspace_id";--> statement-breakpoint
DROP INDEX "idx_notifications_user";--> statement-breakpoint
DROP INDEX "idx_webhook_deliveries_endpoint";--> statement-breakpoint
DROP INDEX "idx_webhook_endpoints_workspace_id";--> statement-breakpoint
DROP INDEX "idx_workspace_invitations_workspace_id";--> statement-breakpoint
CREATE INDEX "idx_activity_logs_workspace_id" ON "activity_logs" USING btree ("workspace_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_activity_logs_created_at" ON "activity_logs" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_approval_requests_workspace" ON "approval_requests" USING btree ("workspace_id","status","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_approval_requests_entity" ON "approval_requests" USING btree ("workspace_id","entity_type","entity_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_email_campaigns_workspace_id" ON "email_campaigns" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_email_events_lead" ON "email_events" USING btree ("workspace_id","lead_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_outbox_messages_workspace_id" ON "outbox_messages" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_job_runs_workspace" ON "job_runs" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_leads_workspace_id" ON "leads" USING btree ("workspace_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_segments_workspace_id" ON "segments" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_media_assets_workspace_id" ON "media_assets" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_notifications_user" ON "notifications" USING btree ("workspace_id","user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_webhook_deliveries_endpoint" ON "webhook_deliveries" USING btree ("workspace_id","endpoint_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_webhook_endpoints_workspace_id" ON "webhook_endpoints" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_workspace_invitations_workspace_id" ON "workspace_invitations" USING btree ("workspace_id","created_at" DESC NULLS FIRST);