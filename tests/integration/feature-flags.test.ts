import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { NAV_ITEMS, navItemsFor } from "@/components/dashboard/nav";
import { resetEnvCache } from "@/lib/env";
import { FEATURE_PARTS, FEATURES, type Feature } from "@/lib/features";
import { guardRequest } from "@/proxy";
import { openApiDocument } from "@/server/api/rest/openapi";
import { content } from "@/server/db/schema";
import { enabledFeatures, switchedOffPath } from "@/server/features";
import { jobHandlers } from "@/server/queue/handlers";
import { publishContentJob } from "@/server/queue/jobs/publish-content";
import { findDueContent } from "@/server/services/content/publish";
import { callerFor } from "../helpers/fixtures";
import { runJobNow } from "../helpers/jobs";
import { call, setupRest } from "./rest-helpers";

/**
 * Each ENABLE_* flag switches its whole part off, layer by layer, from the one map in
 * lib/features.ts: tRPC procedures (403 with the reason), REST routes (404 with the reason, and
 * gone from the OpenAPI document), pages (left out of the navigation; a visit shows the "turned
 * off" page, public paths are a 404), content of its type, and its jobs. What stays on stays on.
 */
const { h, f, keyA } = await setupRest({ ownDatabase: true });
const owner = callerFor(h.db, f.owner);
const ws = f.ws.id;

const FLAGS = Object.fromEntries(FEATURES.map((x) => [x, FEATURE_PARTS[x].flag])) as Record<Feature, string>;
const saved = Object.fromEntries(Object.values(FLAGS).map((k) => [k, process.env[k]]));

function turnOff(feature: Feature) {
  process.env[FLAGS[feature]] = "false";
  resetEnvCache();
}

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

const offError = (message: string) => ({ code: "FORBIDDEN", message });
const openApiPaths = () => Object.keys(openApiDocument().paths as Record<string, unknown>);
const navLabels = (enabled: Feature[]) => navItemsFor(enabled).map((i) => i.label);
const repeating = () =>
  jobHandlers()
    .repeating()
    .map((r) => r.def.name);
const proxied = (path: string) => guardRequest(new NextRequest(`http://localhost:3000${path}`));

describe("ENABLE_EMAIL_MARKETING=false", () => {
  const message = "Email marketing is turned off on this server";

  it("refuses the campaign and sender procedures, and email content; leads, forms and the outbox stay", async () => {
    turnOff("email");
    await expect(owner.email.campaigns.list({ workspaceId: ws })).rejects.toMatchObject(offError(message));
    await expect(owner.email.sender.get({ workspaceId: ws })).rejects.toMatchObject(offError(message));
    await expect(
      owner.content.create({ workspaceId: ws, type: "email", title: "News", email: { subject: "Hi" } }),
    ).rejects.toMatchObject(offError(message));
    await expect(
      owner.content.generate({
        workspaceId: ws,
        platform: "email",
        product: "Ferns",
        contentType: "tips",
        tone: "casual",
        length: "short",
      }),
    ).rejects.toMatchObject(offError(message));
    await expect(owner.integrations.test({ workspaceId: ws, provider: "smtp" })).rejects.toMatchObject(
      offError(message),
    );
    expect(await owner.email.outbox.list({ workspaceId: ws })).toBeDefined();
    expect(await owner.forms.list({ workspaceId: ws })).toBeDefined();
    expect(await owner.leads.list({ workspaceId: ws })).toBeDefined();
  });

  it("answers its REST routes 404 with the reason and leaves them out of OpenAPI", async () => {
    expect(openApiPaths()).toContain("/campaigns");
    turnOff("email");
    const res = await call("GET", "/campaigns", { key: keyA });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "feature_disabled", detail: message });
    expect(
      (await call("POST", "/campaigns/00000000-0000-4000-8000-000000000000/send", { key: keyA })).status,
    ).toBe(404);
    expect(openApiPaths().filter((p) => p.startsWith("/campaigns"))).toEqual([]);
    expect(openApiPaths()).toContain("/leads");
    expect((await call("GET", "/leads", { key: keyA })).status).toBe(200);
  });

  it("hides Email and Settings → Sending; visits show the turned-off page; unsubscribe, tracking and forms stay", () => {
    expect(navLabels(["tiktok", "blog", "analytics"])).not.toContain("Email");
    turnOff("email");
    expect(switchedOffPath("/acme/email")).toEqual({ feature: "email", kind: "page" });
    expect(switchedOffPath("/acme/email/new")).toEqual({ feature: "email", kind: "page" });
    expect(switchedOffPath("/acme/settings/sending")).toEqual({ feature: "email", kind: "page" });
    const res = proxied("/acme/email/123/report");
    expect(res.headers.get("x-middleware-rewrite")).toBe("http://localhost:3000/acme/turned-off/email");
    for (const path of [
      "/acme/email/outbox",
      "/acme/leads",
      "/u/some-token",
      "/api/unsubscribe/some-token",
      "/api/track/click/some-token",
      "/f/acme/signup",
      "/api/forms/acme/signup",
    ]) {
      expect(switchedOffPath(path), path).toBeNull();
      expect(proxied(path).headers.get("x-middleware-rewrite"), path).toBeNull();
    }
  });

  it("drops its jobs (job-feature-flags.test.ts covers skipping them)", () => {
    turnOff("email");
    expect(repeating()).not.toContain("campaign-scheduler");
    expect(enabledFeatures()).not.toContain("email");
  });
});

describe("ENABLE_ANALYTICS=false", () => {
  const message = "Analytics is turned off on this server";

  it("refuses the analytics procedures and REST route, gone from OpenAPI", async () => {
    turnOff("analytics");
    await expect(owner.analytics.overview({ workspaceId: ws })).rejects.toMatchObject(offError(message));
    await expect(owner.analytics.content({ workspaceId: ws })).rejects.toMatchObject(offError(message));
    const res = await call("GET", "/analytics/overview", { key: keyA });
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe(message);
    expect(openApiPaths().filter((p) => p.startsWith("/analytics"))).toEqual([]);
  });

  it("hides Analytics (the overview stays, saying so), turns its page off, and drops the rollup tick", () => {
    expect(navLabels(["tiktok", "email", "blog"])).toEqual(
      NAV_ITEMS.filter((i) => i.label !== "Analytics").map((i) => i.label),
    );
    expect(repeating()).toContain("analytics-rollup");
    turnOff("analytics");
    expect(switchedOffPath("/acme/analytics")).toEqual({ feature: "analytics", kind: "page" });
    expect(switchedOffPath("/acme")).toBeNull();
    expect(repeating()).not.toContain("analytics-rollup");
  });
});

describe("ENABLE_TIKTOK_INTEGRATION=false", () => {
  const message = "The TikTok integration is turned off on this server";

  it("refuses TikTok's procedure and TikTok content, 404s its OAuth callback, drops the metrics tick", async () => {
    expect(repeating()).toContain("tiktok-metrics-sync");
    turnOff("tiktok");
    await expect(owner.integrations.tiktokCreatorInfo({ workspaceId: ws })).rejects.toMatchObject(
      offError(message),
    );
    await expect(
      owner.content.create({ workspaceId: ws, type: "tiktok", title: "Clip" }),
    ).rejects.toMatchObject(offError(message));
    await expect(owner.integrations.connect({ workspaceId: ws, provider: "tiktok" })).rejects.toMatchObject(
      offError(message),
    );
    const rest = await call("POST", "/content", { key: keyA, body: { type: "tiktok", title: "Clip" } });
    expect(rest.status).toBe(403);
    expect(rest.body.detail).toBe(message);
    const callback = proxied("/api/integrations/tiktok/callback?code=x&state=y");
    expect(callback.status).toBe(404);
    expect(await callback.text()).toBe(message);
    expect(repeating()).not.toContain("tiktok-metrics-sync");
    expect(navLabels(["email", "blog", "analytics"])).toEqual(NAV_ITEMS.map((i) => i.label));
  });
});

describe("ENABLE_BLOG_ENGINE=false", () => {
  const message = "The blog is turned off on this server";

  it("refuses blog posts (tRPC and REST) and 404s the public blog, its feed and sitemap", async () => {
    expect(proxied(`/blog/${f.ws.slug}`).status).toBe(200);
    turnOff("blog");
    await expect(
      owner.content.create({ workspaceId: ws, type: "blog", title: "Ferns" }),
    ).rejects.toMatchObject(offError(message));
    const rest = await call("POST", "/content", { key: keyA, body: { type: "blog", title: "Ferns" } });
    expect(rest.status).toBe(403);
    for (const path of [`/blog/${f.ws.slug}`, `/blog/${f.ws.slug}/a-post`, `/blog/${f.ws.slug}/rss.xml`]) {
      const res = proxied(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe(message);
    }
    // A workspace whose slug is "blog-…" is not the public blog.
    expect(switchedOffPath("/blogger/content")).toBeNull();
  });

  it("does not publish a due blog post while off; it waits, and is published once back on", async () => {
    const post = await owner.content.create({
      workspaceId: ws,
      type: "blog",
      title: `Due ${randomUUID().slice(0, 6)}`,
      body: "# Due",
    });
    await h.db
      .update(content)
      .set({ status: "scheduled", scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(content.id, post.id));
    turnOff("blog");
    await expect(owner.content.publishNow({ workspaceId: ws, id: post.id })).rejects.toMatchObject(
      offError(message),
    );
    // The scheduler's scan leaves it out, and its publish job (enqueued anyway) does not claim it.
    expect((await findDueContent(h.db)).map((d) => d.id)).not.toContain(post.id);
    const job = { contentId: post.id, workspaceId: ws };
    expect(await runJobNow(h.db, publishContentJob, job)).toEqual({ outcome: "skipped" });
    const [waiting] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(waiting!.status).toBe("scheduled");

    delete process.env.ENABLE_BLOG_ENGINE;
    resetEnvCache();
    expect((await findDueContent(h.db)).map((d) => d.id)).toContain(post.id);
    expect(await runJobNow(h.db, publishContentJob, job)).toMatchObject({ outcome: "published" });
    const [done] = await h.db.select().from(content).where(eq(content.id, post.id));
    expect(done!.status).toBe("published");
  });
});
