import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activityLogs, emailCampaigns, emailEvents, leads } from "@/server/db/schema";
import { compileSegmentCriteria, countSegment } from "@/server/services/segments/compile";
import { type SegmentCondition, segmentCriteriaSchema } from "@/server/services/segments/criteria-schemas";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let campaignId: string;
let otherCampaignId: string;
const days = (n: number) => new Date(Date.now() - n * 86_400_000);

const HOSTILE = "'; drop table leads; --";

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  const rows = [
    {
      email: "ann@example.test",
      tags: ["vip", "O'Brien"],
      source: "form:Spring 100%",
      status: "active",
      customFields: { plan: "pro", score: 42, company: HOSTILE },
      createdAt: days(2),
    },
    {
      email: "bob@example.test",
      tags: ["100%"],
      source: "import",
      status: "unsubscribed",
      customFields: { plan: "free", score: "7", company: "a_b" },
      createdAt: days(40),
    },
    {
      email: "cy@example.test",
      tags: ["ünï😀"],
      source: null,
      status: "pending",
      customFields: { score: "n/a", company: "axb" },
      createdAt: new Date("2024-06-15T12:00:00Z"),
    },
    {
      email: "dee@example.test",
      tags: [],
      source: "Import",
      status: "active",
      customFields: { score: 1e20, vip: true },
      createdAt: new Date("2020-01-01T00:00:00Z"),
    },
  ] as const;
  for (const r of rows) await h.db.insert(leads).values({ workspaceId: f.ws.id, ...r, tags: [...r.tags] });
  // A twin in the other workspace must never be counted.
  await h.db
    .insert(leads)
    .values({ workspaceId: f.other.id, email: "ann@example.test", tags: ["vip"], status: "active" });
  const [c] = await h.db
    .insert(emailCampaigns)
    .values({ workspaceId: f.ws.id, name: "Launch", type: "one-time", content: {} })
    .returning();
  const [c2] = await h.db
    .insert(emailCampaigns)
    .values({ workspaceId: f.other.id, name: "B", type: "one-time", content: {} })
    .returning();
  campaignId = c!.id;
  otherCampaignId = c2!.id;
  const id = async (email: string) =>
    (
      await h.db
        .select()
        .from(leads)
        .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, email)))
    )[0]!.id;
  await h.db.insert(emailEvents).values([
    { workspaceId: f.ws.id, campaignId, leadId: await id("ann@example.test"), type: "open" },
    { workspaceId: f.ws.id, campaignId, leadId: await id("ann@example.test"), type: "click" },
    // A machine open (image proxy) is not a person opening.
    { workspaceId: f.ws.id, campaignId, leadId: await id("bob@example.test"), type: "open", isMachine: true },
    {
      workspaceId: f.ws.id,
      campaignId,
      leadId: await id("cy@example.test"),
      type: "open",
      createdAt: days(60),
    },
  ]);
});

async function emails(conditions: unknown[], match: "all" | "any" = "all") {
  const criteria = segmentCriteriaSchema.parse({ match, conditions });
  const rows = await h.db
    .select({ email: leads.email })
    .from(leads)
    .where(and(eq(leads.workspaceId, f.ws.id), compileSegmentCriteria(criteria, { workspaceId: f.ws.id })));
  return rows.map((r) => r.email.split("@")[0]).sort();
}

describe("compileSegmentCriteria against real rows", () => {
  it.each<[string, SegmentCondition, string[]]>([
    ["tag has", { field: "tag", op: "has", value: "vip" }, ["ann"]],
    ["tag has quote", { field: "tag", op: "has", value: "O'Brien" }, ["ann"]],
    ["tag has % literally", { field: "tag", op: "has", value: "100%" }, ["bob"]],
    ["tag has unicode", { field: "tag", op: "has", value: "ünï😀" }, ["cy"]],
    ["tag has_not", { field: "tag", op: "has_not", value: "vip" }, ["bob", "cy", "dee"]],
    ["status is", { field: "status", op: "is", value: "active" }, ["ann", "dee"]],
    ["status is_not", { field: "status", op: "is_not", value: "active" }, ["bob", "cy"]],
    ["source is (any case)", { field: "source", op: "is", value: "import" }, ["bob", "dee"]],
    ["source is_not (null included)", { field: "source", op: "is_not", value: "import" }, ["ann", "cy"]],
    ["source contains % literally", { field: "source", op: "contains", value: "100%" }, ["ann"]],
    ["source contains _ literally", { field: "source", op: "contains", value: "g_1" }, []],
    ["created before", { field: "created", op: "before", value: "2024-06-15" }, ["dee"]],
    ["created before (day boundary)", { field: "created", op: "before", value: "2024-06-16" }, ["cy", "dee"]],
    ["created after", { field: "created", op: "after", value: "2024-06-14" }, ["ann", "bob", "cy"]],
    ["created within_days", { field: "created", op: "within_days", value: 30 }, ["ann"]],
    ["custom equals text", { field: "custom", key: "plan", op: "equals", value: "pro" }, ["ann"]],
    [
      "custom equals number (json number or text)",
      { field: "custom", key: "score", op: "equals", value: 7 },
      ["bob"],
    ],
    ["custom equals boolean", { field: "custom", key: "vip", op: "equals", value: true }, ["dee"]],
    ["custom equals hostile", { field: "custom", key: "company", op: "equals", value: HOSTILE }, ["ann"]],
    [
      "custom contains _ literally",
      { field: "custom", key: "company", op: "contains", value: "a_b" },
      ["bob"],
    ],
    [
      "custom greater_than skips non-numbers",
      { field: "custom", key: "score", op: "greater_than", value: 10 },
      ["ann", "dee"],
    ],
    ["custom less_than", { field: "custom", key: "score", op: "less_than", value: 10 }, ["bob"]],
    ["custom greater_than huge", { field: "custom", key: "score", op: "greater_than", value: 1e300 }, []],
    ["custom key missing", { field: "custom", key: "nope", op: "equals", value: "x" }, []],
    [
      "opened campaign (humans only)",
      { field: "engagement", op: "opened_campaign", value: "CAMPAIGN" as never },
      ["ann", "cy"],
    ],
    [
      "clicked campaign",
      { field: "engagement", op: "clicked_campaign", value: "CAMPAIGN" as never },
      ["ann"],
    ],
    [
      "not opened in 30 days",
      { field: "engagement", op: "not_opened_in_days", value: 30 },
      ["bob", "cy", "dee"],
    ],
  ])("%s", async (_name, condition, expected) => {
    const c = condition.value === "CAMPAIGN" ? { ...condition, value: campaignId } : condition;
    expect(await emails([c])).toEqual(expected);
  });

  it("combines with all / any", async () => {
    const conds = [
      { field: "tag", op: "has", value: "vip" },
      { field: "status", op: "is", value: "unsubscribed" },
    ];
    expect(await emails(conds, "all")).toEqual([]);
    expect(await emails(conds, "any")).toEqual(["ann", "bob"]);
    expect(await emails([])).toEqual(["ann", "bob", "cy", "dee"]);
  });

  it("never sees another workspace's events or leads", async () => {
    expect(await emails([{ field: "engagement", op: "opened_campaign", value: otherCampaignId }])).toEqual(
      [],
    );
    expect(await countSegment(h.db, f.ws.id, { match: "all", conditions: [] })).toBe(4);
    expect(await countSegment(h.db, f.other.id, { match: "all", conditions: [] })).toBe(1);
  });

  it("leaves the leads table intact after hostile values", async () => {
    await emails(
      [
        { field: "source", op: "is", value: HOSTILE },
        { field: "custom", key: "company", op: "greater_than", value: HOSTILE },
      ],
      "any",
    );
    expect(await countSegment(h.db, f.ws.id, { match: "all", conditions: [] })).toBe(4);
  });
});

describe("segments router", () => {
  const criteria = {
    match: "all" as const,
    conditions: [{ field: "tag" as const, op: "has" as const, value: "vip" }],
  };

  it("creates, lists with counts, gets, updates and deletes, with activity rows", async () => {
    const c = callerFor(h.db, f.member);
    const s = await c.segments.create({ workspaceId: f.ws.id, name: "VIPs", criteria });
    expect(s).toMatchObject({ name: "VIPs", criteria });
    const list = await c.segments.list({ workspaceId: f.ws.id });
    expect(list.find((x) => x.id === s.id)?.count).toBe(1);
    expect(await c.segments.get({ workspaceId: f.ws.id, id: s.id })).toMatchObject({ id: s.id });
    const u = await c.segments.update({ workspaceId: f.ws.id, id: s.id, name: "Very important" });
    expect(u).toMatchObject({ name: "Very important", criteria });
    await c.segments.delete({ workspaceId: f.ws.id, id: s.id });
    await expect(c.segments.get({ workspaceId: f.ws.id, id: s.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const logs = await h.db.select().from(activityLogs).where(eq(activityLogs.entityId, s.id));
    expect(logs.map((l) => l.action).sort()).toEqual([
      "segment.created",
      "segment.deleted",
      "segment.updated",
    ]);
  });

  it("previews a count and a sample of ten", async () => {
    const p = await callerFor(h.db, f.viewer).segments.preview({
      workspaceId: f.ws.id,
      criteria: { match: "any", conditions: [] },
    });
    expect(p.count).toBe(4);
    expect(p.sample).toHaveLength(4);
    expect(p.sample[0]).toHaveProperty("email");
  });

  it("validates names and value kinds", async () => {
    const c = callerFor(h.db, f.member);
    await expect(c.segments.create({ workspaceId: f.ws.id, name: " ", criteria })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      c.segments.create({
        workspaceId: f.ws.id,
        name: "x",
        criteria: { match: "all", conditions: [{ field: "created", op: "before", value: 3 }] },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("keeps viewers read-only and other workspaces out", async () => {
    await expect(
      callerFor(h.db, f.viewer).segments.create({ workspaceId: f.ws.id, name: "x", criteria }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const s = await callerFor(h.db, f.member).segments.create({
      workspaceId: f.ws.id,
      name: "Mine",
      criteria,
    });
    const outsider = callerFor(h.db, f.otherOwner);
    await expect(outsider.segments.get({ workspaceId: f.other.id, id: s.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      outsider.segments.update({ workspaceId: f.other.id, id: s.id, name: "Stolen" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.segments.delete({ workspaceId: f.other.id, id: s.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(outsider.segments.list({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await outsider.segments.list({ workspaceId: f.other.id })).map((x) => x.id)).not.toContain(s.id);
  });
});
