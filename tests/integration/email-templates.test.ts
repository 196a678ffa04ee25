import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as clickGET } from "@/app/api/track/click/[token]/route";
import type { EmailBlockInput } from "@/lib/email-blocks";
import type { Db } from "@/server/db";
import { activityLogs, campaignSteps, emailTemplates, leads, workspaces } from "@/server/db/schema";
import { type QueueAdapter, setQueue } from "@/server/queue";
import { systemActor } from "@/server/services/context";
import { compileBlocks, prepareCampaignEmail } from "@/server/services/email/blocks-render";
import { renderCampaignEmail } from "@/server/services/email/render";
import { runSender } from "@/server/services/email/sender";
import type { SenderSettings } from "@/server/services/email/sender-settings";
import { startCampaignSend } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

/**
 * Block emails (issue 19 point 4): the MJML layout (snapshot), the footer every message carries,
 * escaping and link tracking, what mail clients need, saved templates, and a real send through SMTP.
 */
const h = await setupTestDb();
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const noQueue: QueueAdapter = {
  kind: "inline",
  async enqueue(_d, _p, opts) {
    return { jobId: opts?.jobId ?? randomUUID() };
  },
  async enqueueMany() {},
  async repeat() {},
  async health() {
    return "ok";
  },
  async close() {},
};

const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
let sink: SmtpSink;
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

const SENDER: SenderSettings = {
  fromName: "Acme Team",
  fromEmail: "news@blocks.example",
  replyTo: "",
  postalAddress: "Acme Ltd\n1 Market Street, Springfield 12345",
  sendRatePerSecond: 0,
};
const BASE = "https://app.example.com";
const WS = { id: "00000000-0000-0000-0000-0000000000aa", name: "Acme & Sons", slug: "acme" };

const DOC: EmailBlockInput[] = [
  { type: "heading", text: "Hello {{first_name|<friend>}}" },
  { type: "text", text: "Our **spring** sale: [see it](https://shop.example/sale?e={{email}})." },
  { type: "image", src: "/api/media/0f1e2d3c/banner.png", alt: "Spring banner", width: 560 },
  { type: "button", label: "Shop now", url: "https://shop.example/buy", background: "#16a34a" },
  {
    type: "product",
    title: "Ceramic mug",
    price: "€24.90",
    image: "https://cdn.example/mug.png",
    url: "https://shop.example/mug",
  },
  { type: "divider" },
  { type: "social", links: [{ platform: "instagram", url: "https://instagram.com/acme" }] },
  { type: "footer", text: "You signed up at our shop." },
];

const step = (blocks: unknown, extra: Record<string, unknown> = {}) => ({
  subject: "Spring for {{name}}",
  preheader: "Fresh picks",
  body: "",
  format: "blocks",
  blocks,
  ...extra,
});

async function render(
  blocks: unknown,
  lead: { email: string; name?: string | null } = { email: "ada@x.test" },
) {
  const s = step(blocks);
  await prepareCampaignEmail({ workspace: WS, sender: SENDER, step: s, baseUrl: BASE });
  return renderCampaignEmail({
    workspace: WS,
    sender: SENDER,
    step: s,
    lead: { id: randomUUID(), ...lead },
    sendId: randomUUID(),
    baseUrl: BASE,
  });
}

beforeAll(async () => {
  setQueue(noQueue);
  appDb.organicDb = Promise.resolve(h);
  sink = await startSmtpSink();
  f = await twoWorkspaces(db);
  await verifySenderDomainThroughDns(db, dns, f.ws.id, "blocks.example");
  await db
    .update(workspaces)
    .set({
      settings: sql`(${workspaces.settings} - 'smtp') || ${JSON.stringify({ sender: SENDER, smtp: { url: sink.url } })}::jsonb`,
    })
    .where(eq(workspaces.id, f.ws.id));
  closeTransports();
});

afterAll(async () => {
  appDb.organicDb = undefined;
  closeTransports();
  await sink.close();
  setQueue(h.queue);
});

describe("rendering a block document through MJML", () => {
  it("matches the snapshot (the layout with placeholders, rendered once per step)", async () => {
    const layout = await compileBlocks({ workspace: WS, sender: SENDER, step: step(DOC), baseUrl: BASE });
    await expect(layout.html).toMatchFileSnapshot("__snapshots__/email-template.html");
    await expect(layout.text).toMatchFileSnapshot("__snapshots__/email-template.txt");
    expect(layout.links).toEqual([
      "https://shop.example/sale?e={{email}}",
      "https://shop.example/buy",
      "https://shop.example/mug",
      "https://instagram.com/acme",
    ]);
  });

  it("a product card without an image lines its text up with the other blocks (32px)", async () => {
    const product = { type: "product", title: "Mug", price: "£9", url: "https://shop.example/mug" };
    const m = await render([{ type: "heading", text: "Hi" }, product]);
    expect(m.html).toMatch(/padding:8px 32px 4px 32px;[^>]*>\s*<div[^>]*>Mug</);
    expect(m.html).not.toContain("32px 4px 16px");
    expect(m.html).not.toContain("32px 8px 16px");
  });

  it("every message carries the unsubscribe link and postal address, with or without a footer block", async () => {
    const docs: unknown[] = [
      [{ type: "heading", text: "Only a heading" }],
      [
        { type: "footer", text: "" },
        { type: "text", text: "Footer first" },
      ],
      DOC,
      [],
    ];
    for (const doc of docs) {
      const m = await render(doc);
      const unsub = /href="(https:\/\/app\.example\.com\/u\/[\w.-]+)"/.exec(m.html);
      expect(unsub, JSON.stringify(doc)).not.toBeNull();
      expect(m.html).toContain("Acme Ltd<br>1 Market Street, Springfield 12345");
      expect(m.html).toContain("You are receiving this email from Acme &amp; Sons.");
      expect(m.text).toContain(`Unsubscribe: ${unsub![1]}`);
      expect(m.text).toContain("Acme Ltd\n1 Market Street, Springfield 12345");
      expect(m.headers["List-Unsubscribe"]).toMatch(
        /^<https:\/\/app\.example\.com\/api\/unsubscribe\/[\w.-]+>/,
      );
      expect(m.html).toMatch(/<img src="https:\/\/app\.example\.com\/api\/track\/open\/[\w.-]+"/);
    }
  });

  it("escapes lead values and authors' fallbacks; tracks every link", async () => {
    const m = await render(DOC, { email: "eve+1@x.test", name: '<script>alert("x")</script> Eve' });
    expect(m.html).not.toMatch(/<script/i);
    expect(m.subject).toBe('Spring for <script>alert("x")</script> Eve');
    expect(m.html).toContain("Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    const fallback = await render(DOC, { email: "nobody@x.test", name: null });
    expect(fallback.html).toContain("Hello &lt;friend&gt;");
    const hrefs = [...m.html.matchAll(/href="([^"]+)"/g)].map((x) => x[1]!);
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/app\.example\.com\/(api\/track\/click|u)\//);
    expect(m.html).not.toContain("shop.example");
    // the click on the text block's link lands on the destination with the lead's address filled in
    const first = hrefs.find((x) => x.includes("/api/track/click/"))!.replace(/&amp;/g, "&");
    const token = first.split("/api/track/click/")[1]!;
    const r = await clickGET(new Request(first), { params: Promise.resolve({ token }) });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("https://shop.example/sale?e=eve%2B1%40x.test");
    // the plain-text part comes from the blocks, links tracked too
    expect(m.text).toMatch(/^Hello <script>alert\("x"\)<\/script>/);
    expect(m.text).toMatch(/Shop now: https:\/\/app\.example\.com\/api\/track\/click\//);
    expect(m.text).toContain("Ceramic mug — €24.90");
    expect(m.text).toContain("[Spring banner]");
  });

  it("has what Gmail, Outlook and Apple Mail need", async () => {
    const { html } = await render(DOC);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script|javascript:|<form|<iframe/i);
    // Outlook: conditional table layout; responsive columns via media queries elsewhere
    expect(html).toContain("<!--[if mso | IE]>");
    expect(html).toContain("<o:OfficeDocumentSettings>");
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // inline styles (Gmail drops <style> in some clients): the text block's links carry theirs
    expect(html).toMatch(
      /<a href="https:\/\/app\.example\.com\/api\/track\/click\/[^"]+" style="color: ?#2563eb/,
    );
    expect(html).toMatch(/<td[^>]+style="[^"]*background:#16a34a/);
    // nothing wider than 600 px
    const widths = [...html.matchAll(/(?:width="|max-width:\s*|width:\s*)(\d+)px?/g)].map((x) =>
      Number(x[1]),
    );
    expect(widths.length).toBeGreaterThan(5);
    expect(Math.max(...widths)).toBeLessThanOrEqual(600);
    // every image has alt text (the open pixel an empty one); media library images are absolute
    const imgs = [...html.matchAll(/<img\b[^>]*>/g)].map((x) => x[0]);
    expect(imgs.length).toBe(3);
    for (const img of imgs) expect(img).toMatch(/\balt="[^"]*"/);
    expect(html).toContain('alt="Spring banner"');
    expect(html).toContain('src="https://app.example.com/api/media/0f1e2d3c/banner.png"');
  });

  it("refuses a bad document with a 400 that names the block", async () => {
    const owner = callerFor(db, f.owner);
    await expect(
      owner.email.campaigns.preview({
        workspaceId: f.ws.id,
        step: step([
          { type: "heading", text: "ok" },
          { type: "button", label: "Go", url: "javascript:alert(1)" },
        ]) as never,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("https://") });
  });
});

describe("saved templates", () => {
  const blocks: EmailBlockInput[] = [
    { type: "heading", text: "Welcome" },
    { type: "text", text: "Hi {{name|there}}" },
  ];

  it("members save, list, rename and delete; each change is logged", async () => {
    const member = callerFor(db, f.member).emailTemplates;
    const t = await member.create({ workspaceId: f.ws.id, name: "Welcome", subject: "Hi", blocks });
    expect(t).toMatchObject({ name: "Welcome", format: "blocks", subject: "Hi" });
    expect(t.blocks).toEqual([
      { type: "heading", text: "Welcome", level: 1, align: "left" },
      { type: "text", text: "Hi {{name|there}}", align: "left" },
    ]);
    const viewerList = await callerFor(db, f.viewer).emailTemplates.list({ workspaceId: f.ws.id });
    expect(viewerList.map((x) => x.name)).toContain("Welcome");
    await expect(member.create({ workspaceId: f.ws.id, name: "Welcome", blocks })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A template named "Welcome" already exists',
    });
    const renamed = await member.rename({ workspaceId: f.ws.id, id: t.id, name: "Welcome v2" });
    expect(renamed.name).toBe("Welcome v2");
    expect((await member.get({ workspaceId: f.ws.id, id: t.id })).name).toBe("Welcome v2");
    await member.delete({ workspaceId: f.ws.id, id: t.id });
    await expect(member.get({ workspaceId: f.ws.id, id: t.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const logged = await db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, t.id)));
    expect(logged.map((l) => l.action).sort()).toEqual([
      "email_template.created",
      "email_template.deleted",
      "email_template.renamed",
    ]);
  });

  it("other workspaces and viewers are refused; bad input changes nothing", async () => {
    const t = await callerFor(db, f.owner).emailTemplates.create({
      workspaceId: f.ws.id,
      name: "Kept",
      blocks,
    });
    const other = callerFor(db, f.otherOwner).emailTemplates;
    await expect(other.get({ workspaceId: f.other.id, id: t.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.rename({ workspaceId: f.other.id, id: t.id, name: "x" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.delete({ workspaceId: f.other.id, id: t.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(other.list({ workspaceId: f.ws.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await other.list({ workspaceId: f.other.id })).toEqual([]);
    const viewer = callerFor(db, f.viewer).emailTemplates;
    await expect(viewer.create({ workspaceId: f.ws.id, name: "V", blocks })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(viewer.delete({ workspaceId: f.ws.id, id: t.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const owner = callerFor(db, f.owner).emailTemplates;
    await expect(owner.create({ workspaceId: f.ws.id, name: "Empty", blocks: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Add at least one block"),
    });
    await expect(
      owner.create({
        workspaceId: f.ws.id,
        name: "Bad",
        blocks: [{ type: "image", src: "https://a.example/x.png", alt: "" }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("alt text") });
    await expect(owner.create({ workspaceId: f.ws.id, name: " ", blocks })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const rows = await db.select().from(emailTemplates).where(eq(emailTemplates.workspaceId, f.ws.id));
    expect(rows.map((r) => r.name)).toEqual(["Kept"]);
    expect(await db.select().from(emailTemplates).where(eq(emailTemplates.workspaceId, f.other.id))).toEqual(
      [],
    );
  });
});

describe("a campaign with a blocks step", () => {
  it("is stored, previewed and sent through SMTP with the MJML layout and working tracked links", async () => {
    const owner = callerFor(db, f.owner);
    const tag = `blk-${randomUUID().slice(0, 6)}`;
    const to = `${tag}@example.test`;
    await db.insert(leads).values({ workspaceId: f.ws.id, email: to, name: "Grace Hopper", tags: [tag] });
    const c = await owner.email.campaigns.create({
      workspaceId: f.ws.id,
      type: "one-time",
      name: tag,
      audience: {
        segmentId: null,
        criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
      },
      steps: [{ subject: "Spring for {{first_name}}", format: "blocks", blocks: DOC }],
    });
    const got = await owner.email.campaigns.get({ workspaceId: f.ws.id, id: c.id });
    expect(got.steps[0]).toMatchObject({
      format: "blocks",
      blocks: expect.arrayContaining([expect.objectContaining({ type: "product" })]),
    });
    const [stored] = await db.select().from(campaignSteps).where(eq(campaignSteps.campaignId, c.id));
    expect(stored!.format).toBe("blocks");

    const preview = await owner.email.campaigns.preview({ workspaceId: f.ws.id, step: got.steps[0]! });
    expect(preview.html).toContain("mj-column-per-100");

    await startCampaignSend({ db, workspaceId: f.ws.id, actor: systemActor }, c.id);
    await runSender(db, { workspaceId: f.ws.id, deadline: Date.now() + 20_000 });
    const [mail] = sink.for(to);
    expect(mail).toBeDefined();
    const parsed = await sink.parse(mail!);
    expect(parsed.subject).toBe("Spring for Grace");
    const html = String(parsed.html);
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
    expect(html).toContain('role="presentation"');
    expect(html).toContain("mj-column-per-40");
    expect(html).toContain("Hello Grace");
    expect(parsed.text).toContain("Ceramic mug — €24.90");
    const click = /https?:\/\/[^"\s]+\/api\/track\/click\/[\w.-]+/.exec(html)![0];
    const token = click.split("/api/track/click/")[1]!;
    const r = await clickGET(new Request(click), { params: Promise.resolve({ token }) });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`https://shop.example/sale?e=${encodeURIComponent(to)}`);
    expect(parsed.headerLines.some((l) => l.key === "list-unsubscribe")).toBe(true);
  });

  it("refuses to start a blocks step without content blocks", async () => {
    const owner = callerFor(db, f.owner);
    const c = await owner.email.campaigns.create({
      workspaceId: f.ws.id,
      type: "one-time",
      name: `empty-${randomUUID().slice(0, 6)}`,
      steps: [{ subject: "Hi", format: "blocks", blocks: [{ type: "footer" }] }],
    });
    await expect(
      startCampaignSend({ db, workspaceId: f.ws.id, actor: systemActor }, c.id),
    ).rejects.toMatchObject({
      message: "This campaign has no blocks: build the email before sending",
    });
  });
});
