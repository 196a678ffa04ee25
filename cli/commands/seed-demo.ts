import { z } from "zod";
import { systemActor } from "@/server/services/context";
import { seedDemo } from "../demo-seed";
import { defineCommand, getWorkspaceBySlugOrThrow, requiredFlag, withDb } from "../util";

const LABELS = {
  leads: ["lead", "leads"],
  content: ["content item", "content items"],
  contentMetrics: ["content metrics row", "content metrics rows"],
  emailCampaigns: ["email campaign", "email campaigns"],
  workspaceInvitations: ["pending invitation", "pending invitations"],
  activityLogs: ["activity entry", "activity entries"],
} as const;

export default defineCommand({
  name: "seed-demo",
  summary: "Fill a workspace with demo leads, content, metrics and campaigns (safe to rerun)",
  usage: "--workspace <slug>",
  options: { workspace: { type: "string" } },
  schema: z.object({ workspace: requiredFlag("workspace").trim().min(1, "--workspace can't be blank") }),
  async run({ workspace }) {
    return withDb(async ({ db }) => {
      const ws = await getWorkspaceBySlugOrThrow(db, workspace);
      const { tables } = await seedDemo(db, { workspaceId: ws.id, actor: systemActor });
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
        json: { workspaceId: ws.id, slug: ws.slug, inserted, skipped },
        human:
          `Seeded demo data into ${ws.slug}: ${list("inserted") || "nothing new"}.` +
          (skippedLine ? `\nSkipped (already there): ${skippedLine}.` : ""),
      };
    });
  },
});
