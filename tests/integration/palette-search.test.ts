import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { content, emailCampaigns, leads } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/**
 * The command palette's one search: pages the caller may open (role and ENABLE_* flags), then the
 * workspace's own leads, content and campaigns, a few of each — never another workspace's rows.
 */
const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  const a = f.ws.id;
  const b = f.other.id;
  await h.db.insert(leads).values([
    { workspaceId: a, email: "zelda.hart@example.test", name: "Zelda Hart" },
    { workspaceId: a, email: "zeke@example.test", name: null },
    { workspaceId: b, email: "zelda.other@example.test", name: "Zelda Other" },
    ...Array.from({ length: 8 }, (_, i) => ({
      workspaceId: a,
      email: `bulk${i}@many.test`,
      name: `Bulk ${i}`,
    })),
  ]);
  await h.db.insert(content).values([
    { workspaceId: a, type: "blog", title: "Zelda's spring launch" },
    { workspaceId: a, type: "email", title: "Zelda newsletter draft" },
    { workspaceId: b, type: "blog", title: "Zelda in B" },
  ]);
  await h.db.insert(emailCampaigns).values([
    { workspaceId: a, name: "Zelda welcome series", type: "one-time", content: {} },
    { workspaceId: b, name: "Zelda B campaign", type: "one-time", content: {} },
  ]);
});

const saved = { ...process.env };
afterEach(() => {
  for (const k of ["ENABLE_EMAIL_MARKETING", "ENABLE_ANALYTICS"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
});

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe("palette.search", () => {
  it("finds pages, leads by name or email, content by title and campaigns by name", async () => {
    const r = await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id, query: "zel" });
    expect(labels(r.leads)).toEqual(["Zelda Hart"]);
    expect(r.leads[0]).toMatchObject({ detail: "zelda.hart@example.test", path: `/leads/${r.leads[0]!.id}` });
    expect(labels(r.content).sort()).toEqual(["Zelda newsletter draft", "Zelda's spring launch"]);
    expect(r.content.every((c) => c.path === `/content/${c.id}`)).toBe(true);
    expect(labels(r.campaigns)).toEqual(["Zelda welcome series"]);
    expect(r.campaigns[0]!.path).toBe(`/email/${r.campaigns[0]!.id}`);

    const byEmail = await callerFor(h.db, f.viewer).palette.search({ workspaceId: f.ws.id, query: "ZEKE@" });
    expect(byEmail.leads).toEqual([expect.objectContaining({ label: "zeke@example.test", detail: null })]);

    const segments = await callerFor(h.db, f.viewer).palette.search({
      workspaceId: f.ws.id,
      query: "segments",
    });
    expect(segments.pages).toEqual([expect.objectContaining({ label: "Segments", path: "/leads/segments" })]);
  });

  it("lists only pages for an empty query and caps each kind", async () => {
    const empty = await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id, query: "  " });
    expect(empty.pages.map((p) => p.path)).toEqual(
      expect.arrayContaining(["", "/leads", "/settings/members"]),
    );
    expect([empty.leads, empty.content, empty.campaigns]).toEqual([[], [], []]);
    const many = await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id, query: "many.test" });
    expect(many.leads).toHaveLength(5);
  });

  it("treats % and _ as plain characters", async () => {
    const r = await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id, query: "%" });
    expect([r.leads, r.content, r.campaigns]).toEqual([[], [], []]);
    const u = await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id, query: "_" });
    expect(u.leads).toEqual([]);
  });

  it("shows admin-only pages to admins only", async () => {
    const paths = async (user: typeof f.owner) =>
      (await callerFor(h.db, user).palette.search({ workspaceId: f.ws.id })).pages.map((p) => p.path);
    for (const user of [f.owner, f.admin]) {
      expect(await paths(user)).toEqual(expect.arrayContaining(["/settings/api-keys", "/settings/webhooks"]));
    }
    for (const user of [f.member, f.viewer]) {
      const seen = await paths(user);
      expect(seen).toContain("/settings/members");
      for (const p of ["/settings/api-keys", "/settings/webhooks", "/email/outbox"])
        expect(seen).not.toContain(p);
    }
  });

  it("leaves out the pages and rows of a switched-off part", async () => {
    process.env.ENABLE_EMAIL_MARKETING = "false";
    process.env.ENABLE_ANALYTICS = "false";
    resetEnvCache();
    const r = await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id, query: "zelda" });
    expect(r.campaigns).toEqual([]);
    expect(labels(r.content)).toEqual(["Zelda's spring launch"]);
    const pages = (await callerFor(h.db, f.owner).palette.search({ workspaceId: f.ws.id })).pages.map(
      (p) => p.path,
    );
    for (const p of ["/email", "/email/new", "/settings/sending", "/analytics"])
      expect(pages).not.toContain(p);
    // The app-mail outbox stays with email off (lib/features.ts PAGES_KEPT).
    expect(pages).toContain("/email/outbox");
  });

  it("refuses another workspace with NOT_FOUND, and bad input with BAD_REQUEST", async () => {
    const owner = callerFor(h.db, f.owner);
    await expect(owner.palette.search({ workspaceId: f.other.id, query: "zelda" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(h.db, null).palette.search({ workspaceId: f.ws.id, query: "zelda" }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(
      owner.palette.search({ workspaceId: f.ws.id, query: "x".repeat(101) }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const b = await callerFor(h.db, f.otherOwner).palette.search({ workspaceId: f.other.id, query: "zelda" });
    expect(labels(b.leads)).toEqual(["Zelda Other"]);
    expect(labels(b.campaigns)).toEqual(["Zelda B campaign"]);
  });
});
