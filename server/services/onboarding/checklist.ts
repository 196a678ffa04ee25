import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
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

/** Whether a query has at least one row (a `select 1 … limit 1`, never a count). */
async function exists(q: Promise<unknown[]>) {
  return (await q).length > 0;
}

/**
 * What a new workspace has set up so far, each step read from its own rows: a sender identity or
 * a mail server of its own, a lead or a lead import, a signup form, a connected TikTok or Amazon,
 * and content that is scheduled or already out.
 */
export async function getOnboardingChecklist(db: Db, workspaceId: string): Promise<OnboardingChecklist> {
  const one = { one: sql`1` };
  /** Whether one of these providers is connected in this workspace. */
  const connected = (providers: IntegrationProvider[]) =>
    exists(
      db
        .select(one)
        .from(integrations)
        .where(
          and(
            eq(integrations.workspaceId, workspaceId),
            inArray(integrations.provider, providers),
            eq(integrations.status, "connected"),
          ),
        )
        .limit(1),
    );
  const [settings, mailServer, lead, imported, form, integration, post] = await Promise.all([
    readWorkspaceSettings(db, workspaceId),
    connected(["smtp", "gmail"]),
    exists(db.select(one).from(leads).where(eq(leads.workspaceId, workspaceId)).limit(1)),
    exists(
      db
        .select(one)
        .from(jobRuns)
        .where(and(eq(jobRuns.workspaceId, workspaceId), eq(jobRuns.kind, IMPORT_LEADS_KIND)))
        .limit(1),
    ),
    exists(db.select(one).from(signupForms).where(eq(signupForms.workspaceId, workspaceId)).limit(1)),
    connected(["tiktok", "amazon"]),
    exists(
      db
        .select(one)
        .from(content)
        .where(
          and(
            eq(content.workspaceId, workspaceId),
            inArray(content.status, ["scheduled", "publishing", "published", "sent_to_inbox"]),
          ),
        )
        .limit(1),
    ),
  ]);
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
