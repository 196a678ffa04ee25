import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as linkGET, HEAD as linkHEAD } from "@/app/l/[code]/route";
import {
  activityLogs,
  content,
  linkClicks,
  trackedLinkClicks,
  trackedLinks,
  workspaces,
} from "@/server/db/schema";
import { destinationWithUtm } from "@/server/services/links/links";
import { routeHandlersUse } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb();
routeHandlersUse(h);
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let ipSeq = 1;

const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A visit to /l/<code> as the route handler gets it. */
function visit(code: string, headers: Record<string, string> = { "user-agent": CHROME }, method = "GET") {
  const req = new Request(`http://localhost:3000/l/${encodeURIComponent(code)}`, {
    method,
    headers: { "x-forwarded-for": `203.0.113.${ipSeq++}`, ...headers },
  });
  return (method === "HEAD" ? linkHEAD : linkGET)(req, { params: Promise.resolve({ code }) });
}

async function clicksOf(linkId: string) {
  const rows = await h.db.select().from(trackedLinkClicks).where(eq(trackedLinkClicks.linkId, linkId));
  return {
    clicks: rows.reduce((n, r) => n + r.clicks, 0),
    machine: rows.reduce((n, r) => n + r.machineClicks, 0),
    days: rows.map((r) => r.day),
  };
}

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

describe("tracked links", () => {
  it("a link tied to a blog post takes its UTM parameters from it and redirects with them", async () => {
    const member = callerFor(h.db, f.member);
    const post = await member.content.create({
      workspaceId: f.ws.id,
      type: "blog",
      title: "Green Tea Guide",
    });
    const link = await member.links.create({
      workspaceId: f.ws.id,
      destination: "https://www.amazon.com/dp/B000TEST01?th=1",
      label: "Tea on Amazon",
      contentId: post.id,
    });
    expect(link.code).toMatch(/^[A-Za-z0-9]{7}$/);
    expect(link).toMatchObject({ utmSource: "blog", utmMedium: "blog", utmCampaign: "green-tea-guide" });

    const res = await visit(link.code);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://www.amazon.com/dp/B000TEST01");
    const clickId = location.searchParams.get("ocid");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      th: "1",
      utm_source: "blog",
      utm_medium: "blog",
      utm_campaign: "green-tea-guide",
      ocid: clickId,
    });
    // The person's click has its own row, named by the click id the destination received.
    const [click] = await h.db.select().from(linkClicks).where(eq(linkClicks.id, clickId!));
    expect(click).toMatchObject({ workspaceId: f.ws.id, linkId: link.id, leadId: null });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await clicksOf(link.id)).toMatchObject({ clicks: 1, machine: 0 });

    const [created] = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, link.id)));
    expect(created?.action).toBe("link.created");
  });

  it("keeps a UTM parameter the destination already has, and leaves out empty ones", () => {
    expect(
      destinationWithUtm({
        destination: "https://shop.example/p?utm_source=newsletter",
        utmSource: "tiktok",
        utmMedium: "social",
        utmCampaign: null,
      }),
    ).toBe("https://shop.example/p?utm_source=newsletter&utm_medium=social");
  });

  it("counts people, and counts bots, scanners, prefetches and HEAD requests apart", async () => {
    const link = await callerFor(h.db, f.member).links.create({
      workspaceId: f.ws.id,
      destination: "https://shop.example/matcha",
      utmSource: "tiktok",
    });
    for (let i = 0; i < 3; i++) expect((await visit(link.code)).status).toBe(302);
    const machines: Record<string, string>[] = [
      { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
      { "user-agent": "curl/8.5.0" },
      {},
      { "user-agent": CHROME, "sec-purpose": "prefetch" },
    ];
    for (const headers of machines) expect((await visit(link.code, headers)).status).toBe(302);
    expect((await visit(link.code, { "user-agent": CHROME }, "HEAD")).status).toBe(302);
    expect(await clicksOf(link.id)).toMatchObject({ clicks: 3, machine: 5 });
    // Only people's clicks get a click id (a row each); machines' are only counted.
    expect(await h.db.$count(linkClicks, eq(linkClicks.linkId, link.id))).toBe(3);
    const bot = await visit(link.code, machines[0]);
    expect(new URL(bot.headers.get("location")!).searchParams.has("ocid")).toBe(false);

    const [listed] = (await callerFor(h.db, f.viewer).links.list({ workspaceId: f.ws.id })).filter(
      (l) => l.id === link.id,
    );
    expect(listed).toMatchObject({
      clicks30d: 3,
      clicksTotal: 3,
      machineClicksTotal: 6,
      utmSource: "tiktok",
    });
    const days = await callerFor(h.db, f.viewer).links.clicksByDay({
      workspaceId: f.ws.id,
      id: link.id,
      days: 7,
    });
    expect(days).toHaveLength(7);
    expect(days.at(-1)).toMatchObject({ clicks: 3, machineClicks: 6 });
    expect(days.slice(0, -1).every((d) => d.clicks === 0)).toBe(true);
  });

  it("counts a click on the workspace's local day", async () => {
    // UTC+14: for ten hours of every UTC day, it is already tomorrow there.
    const owner = callerFor(h.db, f.otherOwner);
    await h.db
      .update(workspaces)
      .set({ timeZone: "Pacific/Kiritimati" })
      .where(eq(workspaces.id, f.other.id));
    const link = await owner.links.create({
      workspaceId: f.other.id,
      destination: "https://shop.example/kiri",
    });
    await visit(link.code);
    const local = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(new Date());
    expect((await clicksOf(link.id)).days).toEqual([local]);
  });

  it("a changed destination applies to the next click; the code stays", async () => {
    const member = callerFor(h.db, f.member);
    const link = await member.links.create({ workspaceId: f.ws.id, destination: "https://shop.example/old" });
    const moved = await member.links.update({
      workspaceId: f.ws.id,
      id: link.id,
      destination: "https://shop.example/new",
      utmCampaign: "spring",
    });
    expect(moved.code).toBe(link.code);
    const res = await visit(link.code);
    expect(res.headers.get("location")).toMatch(
      /^https:\/\/shop\.example\/new\?utm_campaign=spring&ocid=[0-9a-f-]{36}$/,
    );
  });

  it("a code nobody issued, or one that cannot be a code, is a 404 and counts nothing", async () => {
    const before = await h.db.select().from(trackedLinkClicks);
    for (const code of ["Zz9Zz9Z", "a", "../../etc", "x".repeat(40), "abc\u0000def"]) {
      const res = await visit(code);
      expect(res.status, code).toBe(404);
      expect(await res.text()).toContain("This link does not exist");
    }
    expect(await h.db.select().from(trackedLinkClicks)).toHaveLength(before.length);
  });

  it("offers this workspace's email steps to tie a link to, and ties one", async () => {
    const member = callerFor(h.db, f.member);
    const campaign = await member.email.campaigns.create({
      workspaceId: f.ws.id,
      type: "sequence",
      name: "Welcome series",
      steps: [
        { subject: "Welcome", body: "Hi" },
        { subject: "Our best seller", body: "Try it", delayMinutes: 1440 },
      ],
    });
    await callerFor(h.db, f.otherOwner).email.campaigns.create({
      workspaceId: f.other.id,
      type: "one-time",
      name: "Not yours",
      steps: [{ subject: "Elsewhere", body: "x" }],
    });
    const steps = await callerFor(h.db, f.viewer).links.steps({ workspaceId: f.ws.id });
    const mine = steps.filter((s) => s.campaignId === campaign.id);
    expect(mine.map((s) => [s.campaignName, s.position, s.subject])).toEqual([
      ["Welcome series", 0, "Welcome"],
      ["Welcome series", 1, "Our best seller"],
    ]);
    expect(steps.some((s) => s.campaignName === "Not yours")).toBe(false);
    const link = await member.links.create({
      workspaceId: f.ws.id,
      destination: "https://shop.example/best",
      campaignStepId: mine[1]!.id,
    });
    expect(link).toMatchObject({ campaignStepId: mine[1]!.id, utmMedium: "email" });
  });

  it("refuses a destination that is not a web address, and a content item of another workspace", async () => {
    const member = callerFor(h.db, f.member);
    const countLinks = async () =>
      (await h.db.select().from(trackedLinks).where(eq(trackedLinks.workspaceId, f.ws.id))).length;
    const before = await countLinks();
    for (const destination of [
      "javascript:alert(1)",
      "/relative/path",
      "ftp://files.example/x",
      "",
      "https://",
    ])
      await expect(
        member.links.create({ workspaceId: f.ws.id, destination }),
        destination,
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      member.links.create({ workspaceId: f.ws.id, destination: "https://x.example", utmSource: "a b" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const foreign = await callerFor(h.db, f.otherOwner).content.create({
      workspaceId: f.other.id,
      type: "blog",
      title: "Post of B",
    });
    await expect(
      member.links.create({ workspaceId: f.ws.id, destination: "https://x.example", contentId: foreign.id }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "That content item is not in this workspace" });
    expect(await countLinks()).toBe(before);
  });

  it("a deleted content item leaves its links working, untied", async () => {
    const member = callerFor(h.db, f.member);
    const post = await member.content.create({ workspaceId: f.ws.id, type: "blog", title: "Short lived" });
    const link = await member.links.create({
      workspaceId: f.ws.id,
      destination: "https://shop.example/x",
      contentId: post.id,
    });
    await h.db.delete(content).where(eq(content.id, post.id));
    expect((await visit(link.code)).status).toBe(302);
    const [row] = await h.db.select().from(trackedLinks).where(eq(trackedLinks.id, link.id));
    expect(row?.contentId).toBeNull();
  });

  it("deleting a link makes its code a 404", async () => {
    const member = callerFor(h.db, f.member);
    const link = await member.links.create({
      workspaceId: f.ws.id,
      destination: "https://shop.example/gone",
    });
    await member.links.delete({ workspaceId: f.ws.id, id: link.id });
    expect((await visit(link.code)).status).toBe(404);
    await expect(member.links.delete({ workspaceId: f.ws.id, id: link.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
