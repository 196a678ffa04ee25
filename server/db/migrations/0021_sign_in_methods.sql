CREATE TABLE "passkeys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text,
	"public_key" text NOT NULL,
	"user_id" uuid NOT NULL,
	"credential_id" text NOT NULL,
	"counter" integer NOT NULL,
	"device_type" text NOT NULL,
	"backed_up" boolean NOT NULL,
	"transports" text,
	"aaguid" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "passkeys_credential_id_unique" UNIQUE("credential_id")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "sign_in_method" varchar(50);--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "sso_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "auto_join_domain" varchar(255);--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "auto_join_role" varchar(50) DEFAULT 'member' NOT NULL;--> statement-breakpoint
ALTER TABLE "passkeys" ADD CONSTRAINT "passkeys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_passkeys_user_id" ON "passkeys" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_workspaces_auto_join_domain" ON "workspaces" USING btree ("auto_join_domain") WHERE "workspaces"."auto_join_domain" is not null;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_auto_join_role" CHECK ("workspaces"."auto_join_role" in ('admin', 'member', 'viewer'));--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_auto_join_domain_lower" CHECK ("workspaces"."auto_join_domain" = lower("workspaces"."auto_join_domain"));