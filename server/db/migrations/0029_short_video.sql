CREATE TABLE "platform_quota_usage" (
	"provider" varchar(20) NOT NULL,
	"project" varchar(64) NOT NULL,
	"day" date NOT NULL,
	"units" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "platform_quota_usage_provider_project_day_pk" PRIMARY KEY("provider","project","day")
);
--> statement-breakpoint
ALTER TABLE "content" DROP CONSTRAINT "content_type";--> statement-breakpoint
ALTER TABLE "integrations" DROP CONSTRAINT "integrations_provider";--> statement-breakpoint
ALTER TABLE "content" ADD COLUMN "group_id" uuid;--> statement-breakpoint
CREATE INDEX "idx_content_group" ON "content" USING btree ("workspace_id","group_id") WHERE "content"."group_id" is not null;--> statement-breakpoint
ALTER TABLE "content" ADD CONSTRAINT "content_type" CHECK ("content"."type" in ('tiktok', 'youtube', 'instagram', 'blog', 'email'));--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_provider" CHECK ("integrations"."provider" in ('tiktok', 'youtube', 'instagram', 'gmail', 'amazon', 'openai', 'smtp'));