import { z } from "zod";
import { systemActor } from "@/server/services/context";
import { described } from "../catalog";
import { defineCommand, getWorkspaceBySlugOrThrow, requiredFlag, withDb } from "../util";

const LABELS = {
  leads: ["lead", "leads"],
  content: ["content item", "content items"],
  contentMetrics: ["content metrics row", "content metrics rows"],
  contentMetricSnapshots: ["metric snapshot", "metric snapshots"],
  orders: ["order", "orders"],
  signupForms: ["signup form", "signup forms"],
  formSubmissions: ["form submission", "form submissions"],
  emailCampaigns: ["email campaign", "email campaigns"],
  campaignSteps: ["campaign step", "campaign steps"],
  campaignEnrollments: ["sequence enrolment", "sequence enrolments"],
  emailSends: ["email sent or queued", "emails sent or queued"],
  emailEvents: ["email open or click", "email opens and clicks"],
  workspaceInvitations: ["pending invitation", "pending invitations"],
  activityLogs: ["activity entry", "activity entries"],
} as const;

export default defineCommand({
  ...described("seed-demo"),
  options: { workspace: { type: "string" } },
  schema: z.object({ workspace: requiredFlag("workspace").trim().min(1, "--workspace can't be blank") }),
  async run({ workspace }) {
    return withDb(async ({ db }) => {
      const ws = await getWorkspaceBySlugOrThrow(db, workspace);
      const { seedDemo } = await import("../demo-seed");
      const { tables, rollup, ms } = await seedDemo(db, { workspaceId: ws.id, actor: systemActor });
      const entries = Object.entries(tables) as [
        keyof typeof LABELS,
        { inserted: number; skipped: number },
      ][];
      const inserted = Object.fromEntries(entries.map(([k, v]) => [k, v.inserted]));
      const skipped = Object.fromEntries(entries.map(([k, v]) => [k, v.skipped]));
      const list = (pick: "inserted" | "skipped") =>
        entries
          .filter(([, v]) => v[pick] > 0)
          .map(([k, v]) => `${v[pick]} ${LABELS[k][v[pick] === 1 ? 0 : 1]}`)
          .join(", ");
      const skippedLine = list("skipped");
      return {
        json: { workspaceId: ws.id, slug: ws.slug, inserted, skipped, rollup, ms },
        human:
          `Seeded demo data into ${ws.slug}: ${list("inserted") || "nothing new"}.` +
          (skippedLine ? `\nSkipped (already there): ${skippedLine}.` : "") +
          `\nAnalytics rolled up over the last 90 days (${rollup.buckets} day buckets) in ${(ms / 1000).toFixed(1)} s.`,
      };
    });
  },
});
