DROP INDEX "idx_email_events_lead";--> statement-breakpoint
DROP INDEX "idx_email_sends_lead";--> statement-breakpoint
DROP INDEX "idx_form_signups_lead";--> statement-breakpoint
DROP INDEX "idx_link_clicks_lead";--> statement-breakpoint
CREATE INDEX "idx_orders_lead" ON "orders" USING btree ("lead_id") WHERE "orders"."lead_id" is not null;--> statement-breakpoint
CREATE INDEX "idx_campaign_enrollments_lead" ON "campaign_enrollments" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "idx_email_events_send" ON "email_events" USING btree ("send_id") WHERE "email_events"."send_id" is not null;--> statement-breakpoint
CREATE INDEX "idx_email_suppressions_lead" ON "email_suppressions" USING btree ("lead_id") WHERE "email_suppressions"."lead_id" is not null;--> statement-breakpoint
CREATE INDEX "idx_email_events_lead" ON "email_events" USING btree ("lead_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_email_sends_lead" ON "email_sends" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "idx_form_signups_lead" ON "form_signups" USING btree ("lead_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_link_clicks_lead" ON "link_clicks" USING btree ("lead_id","clicked_at") WHERE "link_clicks"."lead_id" is not null;