CREATE TABLE "campaign_step_variants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"step_id" uuid NOT NULL,
	"label" varchar(1) NOT NULL,
	"subject" varchar(998) NOT NULL,
	"preheader" varchar(255) DEFAULT '' NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"format" varchar(20) DEFAULT 'markdown' NOT NULL,
	"blocks" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_step_variants_step_label" UNIQUE("step_id","label"),
	CONSTRAINT "campaign_step_variants_label" CHECK ("campaign_step_variants"."label" in ('A', 'B', 'C', 'D')),
	CONSTRAINT "campaign_step_variants_format" CHECK ("campaign_step_variants"."format" in ('markdown', 'blocks'))
);
--> statement-breakpoint
CREATE TABLE "email_suppressions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" varchar(10) NOT NULL,
	"value" varchar(320) NOT NULL,
	"reason" varchar(20) NOT NULL,
	"note" text,
	"lead_id" uuid,
	"campaign_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_suppressions_workspace_value" UNIQUE("workspace_id","kind","value"),
	CONSTRAINT "email_suppressions_kind" CHECK ("email_suppressions"."kind" in ('address', 'domain')),
	CONSTRAINT "email_suppressions_reason" CHECK ("email_suppressions"."reason" in ('bounced', 'complained', 'unsubscribed', 'imported', 'manual')),
	CONSTRAINT "email_suppressions_value" CHECK ("email_suppressions"."value" = lower("email_suppressions"."value"))
);
--> statement-breakpoint
CREATE TABLE "email_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" varchar(255) NOT NULL,
	"subject" varchar(998) DEFAULT '' NOT NULL,
	"preheader" varchar(255) DEFAULT '' NOT NULL,
	"format" varchar(20) DEFAULT 'blocks' NOT NULL,
	"blocks" jsonb,
	"body" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_templates_workspace_name" UNIQUE("workspace_id","name"),
	CONSTRAINT "email_templates_format" CHECK ("email_templates"."format" in ('markdown', 'blocks'))
);
--> statement-breakpoint
ALTER TABLE "email_events" DROP CONSTRAINT "email_events_type";--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD COLUMN "exit_reason" varchar(20);--> statement-breakpoint
ALTER TABLE "campaign_steps" ADD COLUMN "format" varchar(20) DEFAULT 'markdown' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_steps" ADD COLUMN "blocks" jsonb;--> statement-breakpoint
ALTER TABLE "email_campaigns" ADD COLUMN "goals" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "email_campaigns" ADD COLUMN "ab_test" jsonb;--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "bounce_type" varchar(10);--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "source" varchar(20);--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "provider_event_id" varchar(255);--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "detail" text;--> statement-breakpoint
ALTER TABLE "email_sends" ADD COLUMN "variant_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "time_zone" varchar(64);--> statement-breakpoint
ALTER TABLE "sender_domains" ADD COLUMN "dkim_selector" varchar(63);--> statement-breakpoint
ALTER TABLE "sender_domains" ADD COLUMN "dkim_public_key" text;--> statement-breakpoint
ALTER TABLE "sender_domains" ADD COLUMN "dkim_private_key_sealed" text;--> statement-breakpoint
ALTER TABLE "sender_domains" ADD COLUMN "record_checks" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "campaign_step_variants_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "campaign_step_variants_campaign_id_email_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."email_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_step_variants" ADD CONSTRAINT "campaign_step_variants_step_id_campaign_steps_id_fk" FOREIGN KEY ("step_id") REFERENCES "public"."campaign_steps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_suppressions" ADD CONSTRAINT "email_suppressions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_suppressions" ADD CONSTRAINT "email_suppressions_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_suppressions" ADD CONSTRAINT "email_suppressions_campaign_id_email_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."email_campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_suppressions" ADD CONSTRAINT "email_suppressions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_templates" ADD CONSTRAINT "email_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_campaign_step_variants_workspace" ON "campaign_step_variants" USING btree ("workspace_id","campaign_id");--> statement-breakpoint
CREATE INDEX "idx_email_suppressions_list" ON "email_suppressions" USING btree ("workspace_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
ALTER TABLE "email_sends" ADD CONSTRAINT "email_sends_variant_id_campaign_step_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."campaign_step_variants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_events_provider_event" ON "email_events" USING btree ("workspace_id","source","provider_event_id") WHERE "email_events"."provider_event_id" is not null;--> statement-breakpoint
ALTER TABLE "campaign_enrollments" ADD CONSTRAINT "campaign_enrollments_exit_reason" CHECK ("campaign_enrollments"."exit_reason" is null or "campaign_enrollments"."exit_reason" in ('converted', 'replied', 'unsubscribed', 'bounced', 'complained', 'removed'));--> statement-breakpoint
ALTER TABLE "campaign_steps" ADD CONSTRAINT "campaign_steps_format" CHECK ("campaign_steps"."format" in ('markdown', 'blocks'));--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_bounce_type" CHECK ("email_events"."bounce_type" is null or "email_events"."bounce_type" in ('hard', 'soft'));--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_type" CHECK ("email_events"."type" in ('delivered', 'open', 'click', 'bounce', 'unsubscribe', 'complaint', 'reply'));