import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportGET } from "@/app/api/leads/export/route";
import { createAuth } from "@/server/auth";
import { emailCampaigns, leads, segments, users, workspaceMembers } from "@/server/db/schema";
import { enrollSequenceAudience } from "@/server/services/email/sequences";
import { exportLeadsCsv } from "@/server/services/leads/export";
import { leadFiltersSchema } from "@/server/services/leads/schemas";
import { criteriaProblems } from "@/server/services/segments/schemas";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { callerFor, uniqueEmail } from "../helpers/fixtures";
import { call, setupRest } from "./rest-helpers";

/**
 * Issue #12 item 7: an impossible date (2026-02-30) in a segment rule was saved, after which every
 * query that compiled it failed with a 500 (Postgres refuses the `::date` cast), taking the whole
 * segments list, the leads filter, exports and audience counts down with it.
 */
const { h, f, keyA } = await setupRest();
const BAD = "2026-02-30";
const badRule = {
  match: "all" as const,
  conditions: [{ field: "created" as const, op: "before" as const, value: BAD }],
};
const goodRule = {
  match: "all" as const,
  conditions: [{ field: "tag" as const, op: "has" as const, value: "vip" }],
};
let brokenId: string;
let unreadableId: string;
let goodId: string;

beforeAll(async () => {
  await h.db.insert(leads).values([
    { workspaceId: f.ws.id, email: "vip@x.test", tags: ["vip"] },
    { workspaceId: f.ws.id, email: "plain@x.test", tags: [] },
  ]);
  // Rows as the old code stored them: written straight to the table, past today's validation.
  const [broken] = await h.db
    .insert(segments)
    .values({ workspaceId: f.ws.id, name: "Old broken", criteria: badRule, createdBy: f.owner.id })
    .returning();
  const [unreadable] = await h.db
    .insert(segments)
    .values({
      workspaceId: f.ws.id,
      name: "Unreadable",
      criteria: { match: "all", conditions: "nope" },
      createdBy: f.owner.id,
    })
    .returning();
  const [good] = await h.db
    .insert(segments)
    .values({ workspaceId: f.ws.id, name: "VIPs", criteria: goodRule, createdBy: f.owner.id })
    .returning();
  brokenId = broken!.id;
  unreadableId = unreadable!.id;
  goodId = good!.id;
});

describe("real dates at every entry", () => {
  it("criteriaProblems names the impossible date and accepts a leap day", () => {
    expect(criteriaProblems(badRule)).toEqual([`Condition 1: ${BAD} is not a real date`]);
    expect(
      criteriaProblems({
        match: "all",
        conditions: [{ field: "created", op: "after", value: "0000-01-01" }],
      }),
    ).toHaveLength(1);
    expect(
      criteriaProblems({
        match: "all",
        conditions: [{ field: "created", op: "after", value: "2024-02-29" }],
      }),
    ).toEqual([]);
  });

  it("segments.create, update and preview refuse it with the field named", async () => {
    const c = callerFor(h.db, f.member);
    const refused = c.segments.create({ workspaceId: f.ws.id, name: "Feb 30", criteria: badRule });
    await expect(refused).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(refused).rejects.toThrow(/2026-02-30 is not a real date/);
    const ok = await c.segments.create({ workspaceId: f.ws.id, name: "Fine", criteria: goodRule });
    await expect(
      c.segments.update({ workspaceId: f.ws.id, id: ok.id, criteria: badRule }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.segments.preview({ workspaceId: f.ws.id, criteria: badRule })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await c.segments.get({ workspaceId: f.ws.id, id: ok.id })).criteria).toEqual(goodRule);
    await c.segments.delete({ workspaceId: f.ws.id, id: ok.id });
  });

  it("campaign rules refuse it over tRPC and REST", async () => {
    const c = callerFor(h.db, f.member);
    const campaign = {
      workspaceId: f.ws.id,
      type: "one-time" as const,
      name: "Feb 30",
      audience: { segmentId: null, criteria: badRule },
      steps: [{ subject: "Hi", body: "Hello" }],
    };
    await expect(c.email.campaigns.create(campaign)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.email.campaigns.audienceSize({ workspaceId: f.ws.id, audience: campaign.audience }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { workspaceId: _, ...body } = campaign;
    const rest = await call("POST", "/campaigns", { key: keyA, body });
    expect(rest.status).toBeGreaterThanOrEqual(400);
    expect(rest.status).toBeLessThan(500);
    expect(JSON.stringify(rest.body)).toContain("not a real date");
  });
});

describe("a broken segment already stored", () => {
  it("segments.list still answers: the broken ones need fixing, the others are counted", async () => {
    const list = await callerFor(h.db, f.viewer).segments.list({ workspaceId: f.ws.id });
    const by = Object.fromEntries(list.map((s) => [s.id, s]));
    expect(by[goodId]).toMatchObject({ count: 1, needsFixing: false, problems: [] });
    expect(by[brokenId]).toMatchObject({
      count: null,
      needsFixing: true,
      problems: [`Condition 1: ${BAD} is not a real date`],
      criteria: badRule,
    });
    // Unreadable rules never fall back to "every lead".
    expect(by[unreadableId]).toMatchObject({ count: null, needsFixing: true });
  });

  it("segments.get hands the stored rules to the editor so they can be fixed", async () => {
    const c = callerFor(h.db, f.member);
    const got = await c.segments.get({ workspaceId: f.ws.id, id: brokenId });
    expect(got).toMatchObject({ needsFixing: true, criteria: badRule });
    const fixed = await c.segments.update({
      workspaceId: f.ws.id,
      id: brokenId,
      criteria: { match: "all", conditions: [{ field: "created", op: "before", value: "2026-02-28" }] },
    });
    expect(fixed).toMatchObject({ needsFixing: false, problems: [] });
    await h.db.update(segments).set({ criteria: badRule }).where(eq(segments.id, brokenId));
  });

  it("filtering leads by it is a clear 400; other segments still filter", async () => {
    const c = callerFor(h.db, f.viewer);
    for (const id of [brokenId, unreadableId]) {
      const refused = c.leads.list({ workspaceId: f.ws.id, segmentId: id });
      await expect(refused).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(refused).rejects.toThrow(/needs fixing/);
    }
    const good = await c.leads.list({ workspaceId: f.ws.id, segmentId: goodId });
    expect(good.items.map((l) => l.email)).toEqual(["vip@x.test"]);
  });

  it("a campaign's audience count from it is a clear 400", async () => {
    const c = callerFor(h.db, f.member);
    await expect(
      c.email.campaigns.audienceSize({
        workspaceId: f.ws.id,
        audience: { segmentId: brokenId, criteria: goodRule },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(
      (
        await c.email.campaigns.audienceSize({
          workspaceId: f.ws.id,
          audience: { segmentId: goodId, criteria: { match: "all", conditions: [] } },
        })
      ).count,
    ).toBe(1);
  });

  it("a campaign that copied the rules earlier still lists, counts nothing for the bad rule, and enrols without error", async () => {
    const [campaign] = await h.db
      .insert(emailCampaigns)
      .values({
        workspaceId: f.ws.id,
        name: "Copied old rules",
        type: "sequence",
        content: {},
        segmentCriteria: badRule,
      })
      .returning();
    const list = await callerFor(h.db, f.viewer).email.campaigns.list({ workspaceId: f.ws.id });
    expect(list.campaigns.find((x) => x.id === campaign!.id)?.audienceSize).toBe(0);
    expect(
      await enrollSequenceAudience(h.db, {
        id: campaign!.id,
        workspaceId: f.ws.id,
        segmentCriteria: badRule,
      }),
    ).toBe(0);
  });

  it("the export service refuses it with a ValidationError", async () => {
    const ctx = {
      db: h.db,
      workspaceId: f.ws.id,
      actor: { userId: f.owner.id, ip: null, userAgent: "vitest" },
    };
    const chunks = exportLeadsCsv(ctx, leadFiltersSchema.parse({ segmentId: brokenId }));
    await expect(chunks.next()).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("the leads export route", () => {
  const BASE = "http://localhost:3000";
  const appGlobals = globalThis as unknown as { organicAuth?: unknown };
  let cookie: string;

  beforeAll(async () => {
    appGlobals.organicAuth = undefined;
    const email = uniqueEmail("exporter");
    ({ cookie } = await signUpAndSignIn({
      email,
      name: "Exporter",
      ip: "192.0.2.41",
      base: BASE,
      handler: createAuth(h.db).handler,
    }));
    const [user] = await h.db.select().from(users).where(eq(users.email, email));
    await h.db.insert(workspaceMembers).values({ workspaceId: f.ws.id, userId: user!.id, role: "viewer" });
  });
  afterAll(() => {
    appGlobals.organicAuth = undefined;
  });

  const get = (segmentId: string) =>
    exportGET(
      new Request(`${BASE}/api/leads/export?workspaceId=${f.ws.id}&segmentId=${segmentId}`, {
        headers: { cookie },
      }),
    );

  it("answers 400 with a message for a broken segment, and a CSV for a good one", async () => {
    const bad = await get(brokenId);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/needs fixing/);
    const good = await get(goodId);
    expect(good.status).toBe(200);
    expect(await good.text()).toContain("vip@x.test");
  });
});
