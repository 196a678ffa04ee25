import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import {
  content,
  contentMetrics,
  emailCampaigns,
  leads,
  workspaceInvitations,
  workspaces,
} from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { record } from "@/server/services/activity";
import type { Actor } from "@/server/services/context";
import { campaignTemplates, matchesSegment } from "./campaigns";
import { buildContent, contentMetricsFor } from "./content";
import { CONTENT } from "./content-templates";
import { buildInvitations } from "./invitations";
import { buildLeads } from "./leads";
import { createRng, DAY, type Rng, SEED } from "./rng";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface SeedTableCount {
  inserted: number;
  skipped: number;
}

export interface SeedDemoResult {
  workspaceId: string;
  tables: {
    leads: SeedTableCount;
    content: SeedTableCount;
    contentMetrics: SeedTableCount;
    emailCampaigns: SeedTableCount;
    workspaceInvitations: SeedTableCount;
    activityLogs: SeedTableCount;
  };
}

interface SeedStep {
  tx: Tx;
  rng: Rng;
  workspaceId: string;
  author: string | null;
  now: number;
}

/** Leads, generated in full even when skipped, so the random sequence (and every later value) is the same on every run. */
async function seedLeads({ tx, rng, workspaceId, now }: SeedStep) {
  const rows = buildLeads(rng, workspaceId, now);
  const inserted = await tx
    .insert(leads)
    .values(rows)
    .onConflictDoNothing({ target: [leads.workspaceId, leads.email] })
    .returning({ id: leads.id });
  return { rows, count: { inserted: inserted.length, skipped: rows.length - inserted.length } };
}

/** Content and its metrics, skipped as a whole when the workspace already has demo content. */
async function seedContent({ tx, rng, workspaceId, author, now }: SeedStep) {
  const slugs = CONTENT.flatMap((t) => (t.slug ? [t.slug] : []));
  const takenSlugs = new Set(
    (
      await tx
        .select({ slug: content.slug })
        .from(content)
        .where(and(eq(content.workspaceId, workspaceId), inArray(content.slug, slugs)))
    ).map((r) => r.slug!),
  );
  const contentRows = buildContent(rng, { workspaceId, createdBy: author, now, takenSlugs });
  const metricRows = contentRows.map((c) =>
    c.status === "published" ? contentMetricsFor(rng, c.type) : null,
  );
  const [existingDemo] = await tx
    .select({ id: content.id })
    .from(content)
    .where(and(eq(content.workspaceId, workspaceId), sql`${content.metadata} @> '{"demo": true}'::jsonb`))
    .limit(1);
  let insertedContent = 0;
  let insertedMetrics = 0;
  if (!existingDemo) {
    const rows = await tx.insert(content).values(contentRows).returning({ id: content.id });
    insertedContent = rows.length;
    // RETURNING follows the VALUES order for a single multi-row INSERT.
    const metrics = rows.flatMap((r, i) => {
      const m = metricRows[i];
      return m ? [{ contentId: r.id, ...m }] : [];
    });
    if (metrics.length) {
      insertedMetrics = (await tx.insert(contentMetrics).values(metrics).returning({ id: contentMetrics.id }))
        .length;
    }
  }
  const plannedMetrics = metricRows.filter(Boolean).length;
  return {
    content: { inserted: insertedContent, skipped: contentRows.length - insertedContent },
    contentMetrics: { inserted: insertedMetrics, skipped: plannedMetrics - insertedMetrics },
  };
}

/** Campaigns (skipped by name), with numbers consistent with the seeded leads. */
async function seedCampaigns(
  { tx, rng, workspaceId, author, now }: SeedStep,
  leadRows: (typeof leads.$inferInsert)[],
): Promise<SeedTableCount> {
  const templates = campaignTemplates(now);
  const existing = new Set(
    (
      await tx
        .select({ name: emailCampaigns.name })
        .from(emailCampaigns)
        .where(
          and(
            eq(emailCampaigns.workspaceId, workspaceId),
            inArray(
              emailCampaigns.name,
              templates.map((t) => t.name),
            ),
          ),
        )
    ).map((r) => r.name),
  );
  const rows = templates
    .filter((t) => !existing.has(t.name))
    .map((t) => {
      const audience = leadRows.filter((l) => matchesSegment(l, t.segmentCriteria)).length;
      const sent = Math.round(audience * t.reach[0]);
      const createdAt = new Date(now - rng.between(25, 60) * DAY);
      return {
        workspaceId,
        name: t.name,
        type: t.type,
        status: t.status,
        segmentCriteria: t.segmentCriteria,
        content: t.content,
        schedule: t.schedule,
        metrics: {
          sent,
          opened: Math.round(audience * t.reach[1]),
          clicked: Math.round(audience * t.reach[2]),
        },
        createdBy: author,
        createdAt,
        updatedAt: createdAt,
      } satisfies typeof emailCampaigns.$inferInsert;
    });
  const inserted = rows.length
    ? (await tx.insert(emailCampaigns).values(rows).returning({ id: emailCampaigns.id })).length
    : 0;
  return { inserted, skipped: templates.length - inserted };
}

/** Invitations: at most one pending per email and workspace, so a rerun skips them. */
async function seedInvitations({ tx, workspaceId, author, now }: SeedStep): Promise<SeedTableCount> {
  const rows = buildInvitations(workspaceId, author, now);
  const inserted = await tx
    .insert(workspaceInvitations)
    .values(rows)
    .onConflictDoNothing()
    .returning({ id: workspaceInvitations.id });
  return { inserted: inserted.length, skipped: rows.length - inserted.length };
}

/**
 * Fills a workspace with demo leads, content (with metrics), email campaigns, pending invitations and
 * an activity entry. Safe to run again: existing leads (same email), campaigns (same name) and pending
 * invitations (same email) are skipped, and content is skipped as a whole when the workspace already
 * has demo content (`metadata.demo = true`).
 *
 * Left alone on purpose: members (they would need sign-in accounts), API keys (secrets nobody should
 * inherit from a demo) and outbox messages (mail the app itself sent).
 */
export async function seedDemo(db: Db, p: { workspaceId: string; actor: Actor }): Promise<SeedDemoResult> {
  const { workspaceId, actor } = p;
  const now = Date.now();
  const rng = createRng(SEED);

  return db.transaction(async (tx) => {
    // Two seeds of one workspace at once would both see "no demo content yet".
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`organic:demo-seed:${workspaceId}`}))`);

    const [ws] = await tx
      .select({ id: workspaces.id, ownerId: workspaces.ownerId })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!ws) throw new NotFoundError("Workspace not found");
    const step: SeedStep = { tx, rng, workspaceId, author: actor.userId ?? ws.ownerId, now };

    // In this order: each step draws from the one random sequence.
    const seededLeads = await seedLeads(step);
    const seededContent = await seedContent(step);
    const tables: SeedDemoResult["tables"] = {
      leads: seededLeads.count,
      ...seededContent,
      emailCampaigns: await seedCampaigns(step, seededLeads.rows),
      workspaceInvitations: await seedInvitations(step),
      activityLogs: { inserted: 1, skipped: 0 },
    };
    await record(
      tx,
      actor,
      workspaceId,
      "demo.seeded",
      { type: "workspace", id: workspaceId },
      {
        inserted: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.inserted])),
        skipped: Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.skipped])),
      },
    );
    return { workspaceId, tables };
  });
}
