-- A send's workspace, campaign and step: one foreign key to the step of that campaign in that
-- workspace, instead of three. Each row written checked three keys; resolving a 100,000-lead
-- audience spent over a third of its time in them. Deleting a workspace, a campaign or a step still
-- deletes its sends (through the step), and a send can no longer name a step of another campaign.
-- Adding the key checks every existing send once (about 40 ms per 100,000 on a 2-core machine).
ALTER TABLE "campaign_steps" ADD CONSTRAINT "campaign_steps_workspace_campaign_id" UNIQUE("workspace_id","campaign_id","id");--> statement-breakpoint
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_step_fk" FOREIGN KEY ("workspace_id","campaign_id","step_id") REFERENCES "public"."campaign_steps"("workspace_id","campaign_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_sends" DROP CONSTRAINT "email_sends_workspace_id_workspaces_id_fk";--> statement-breakpoint
ALTER TABLE "email_sends" DROP CONSTRAINT "email_sends_campaign_id_email_campaigns_id_fk";--> statement-breakpoint
ALTER TABLE "email_sends" DROP CONSTRAINT "email_sends_step_id_campaign_steps_id_fk";
