import "server-only";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import {
  content,
  type IntegrationProvider,
  integrations,
  jobRuns,
  leads,
  signupForms,
} from "@/server/db/schema";
import { type Feature, featureEnabled } from "@/server/features";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { IMPORT_LEADS_KIND } from "../leads-import/common";
import { readWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";

export type OnboardingStepKey = "sending" | "leads" | "form" | "integration" | "post";

export interface OnboardingStep {
  key: OnboardingStepKey;
  label: string;
  hint: string;
  /** Below /<workspace>: the page where the step is done. */
  path: string;
  done: boolean;
}

export interface OnboardingChecklist {
  steps: OnboardingStep[];
  doneCount: number;
  /** An admin hid the checklist (Overview shows it only while this is false and a step is open). */
  hidden: boolean;
  complete: boolean;
}

interface StepDefinition {
  key: OnboardingStepKey;
  label: string;
  hint: string;
  path: string;
  /** Left out while every one of these parts is switched off (its page would be a "turned off" page). */
  needsAnyOf?: Feature[];
}

const STEPS: StepDefinition[] = [
  {
    key: "sending",
    label: "Connect sending",
    hint: "Set who your mail comes from, or connect SMTP or Gmail.",
    path: "/settings/sending",
    needsAnyOf: ["email"],
  },
  {
    key: "leads",
    label: "Import leads",
    hint: "Add a lead or import a CSV.",
    path: "/leads/import",
  },
  {
    key: "form",
    label: "Add a signup form",
    hint: "Collect leads from your site.",
    path: "/settings/forms",
  },
  {
    key: "integration",
    label: "Connect TikTok or Amazon",
    hint: "Publish videos and count orders.",
    path: "/integrations",
    needsAnyOf: ["tiktok", "analytics"],
  },
  {
    key: "post",
    label: "Schedule your first post",
    hint: "Write a post and pick a time.",
    path: "/content/new",
  },
];

/**
 * What a new workspace has set up so far, each step read from its own rows: a sender identity or
 * a mail server of its own, a lead or a lead import, a signup form, a connected TikTok or Amazon,
 * and content that is scheduled or already out.
 */
export async function getOnboardingChecklist(db: Db, workspaceId: string): Promise<OnboardingChecklist> {
  // One statement for every step (the Overview asks on each visit), plus the settings.
  const connected = (providers: IntegrationProvider[]) => sql`exists (
    select 1 from ${integrations} where ${and(
      eq(integrations.workspaceId, workspaceId),
      inArray(integrations.provider, providers),
      eq(integrations.status, "connected"),
    )})`;
  const has = (table: PgTable, where: SQL | undefined) => sql`exists (select 1 from ${table} where ${where})`;
  const [result, settings] = await Promise.all([
    db.execute(sql`
      select ${connected(["smtp", "gmail"])} as mail_server,
        ${has(leads, eq(leads.workspaceId, workspaceId))} as lead,
        ${has(jobRuns, and(eq(jobRuns.workspaceId, workspaceId), eq(jobRuns.kind, IMPORT_LEADS_KIND)))} as imported,
        ${has(signupForms, eq(signupForms.workspaceId, workspaceId))} as form,
        ${connected(["tiktok", "amazon"])} as integration,
        ${has(
          content,
          and(
            eq(content.workspaceId, workspaceId),
            inArray(content.status, ["scheduled", "publishing", "published", "sent_to_inbox"]),
          ),
        )} as post`),
    readWorkspaceSettings(db, workspaceId),
  ]);
  const [found] =
    rowsOf<Record<"mail_server" | "lead" | "imported" | "form" | "integration" | "post", boolean>>(result);
  const { mail_server: mailServer, lead, imported, form, integration, post } = found!;
  const done: Record<OnboardingStepKey, boolean> = {
    sending: Boolean(settings.sender || settings.smtp) || mailServer,
    leads: lead || imported,
    form,
    integration,
    post,
  };
  const steps = STEPS.filter((s) => !s.needsAnyOf || s.needsAnyOf.some(featureEnabled)).map(
    ({ needsAnyOf: _, ...s }) => ({ ...s, done: done[s.key] }),
  );
  const doneCount = steps.filter((s) => s.done).length;
  return {
    steps,
    doneCount,
    hidden: Boolean(settings.onboarding?.checklistHiddenAt),
    complete: doneCount === steps.length,
  };
}

/** Hides the checklist for everyone in the workspace (admins; kept in the settings JSON). */
export async function hideOnboardingChecklist(ctx: WorkspaceServiceContext) {
  await writeSettingsSection(ctx.db, ctx.workspaceId, "onboarding", {
    checklistHiddenAt: new Date().toISOString(),
  });
  await record(ctx.db, ctx.actor, ctx.workspaceId, "workspace.onboarding_hidden", {
    type: "workspace",
    id: ctx.workspaceId,
  });
  return getOnboardingChecklist(ctx.db, ctx.workspaceId);
}
