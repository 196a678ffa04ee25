/**
 * The scale-out topology end to end (`npm run test:topology`, after `npm run build`): 2 web processes
 * on the production build behind a round-robin proxy and 2 workers, each with its own DATA_DIR, on
 * PostgreSQL + Redis + an S3 server. Everything the scenario does goes through the proxy, as a
 * browser or REST client would; what it checks arrives where a user would see it (the SMTP sink,
 * the webhook receiver, public pages) or through the app's own API.
 */
import fs from "node:fs";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_DUPLICATES_PER_CRASH } from "@/server/services/email/send-recorder";
import type { ReceivedMail } from "../fixtures/smtp-sink";
import { type ApiRequest, ancestorsOf, type Normalized, normalizedAnswer, spansIn } from "./api-parity";
import { FROM_EMAIL, METRICS_TOKEN, PUBLIC_URL, startTopology, type Topology } from "./cluster";
import { Client } from "./http";
import { portsConnectedTo } from "./processes";

/** Campaign size and a slow mail server (2 workers × 10 connections): the send lasts seconds. */
const LEADS = 300;
const SMTP_DELAY_MS = 300;
/** A triggered step "1 minute" after enrolment waits this long. */
const STEP_DELAY_MS = 15_000;
/** README (Campaign sending): a dead worker's claims are sent again within 30 s (+5 s margin). */
const TAKEOVER_MS = 35_000;

let t: Topology;
let app: Client;
let workspace: { id: string; slug: string };
let endpoint: { id: string; secret: string };

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const mailsTo = (address: string) => t.sink.received.filter((m) => m.to.includes(address));
async function subjectOf(mail: ReceivedMail) {
  return (await t.sink.parse(mail)).subject ?? "";
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  t = await startTopology({ smtpDelayMs: SMTP_DELAY_MS, stepDelayUnitMs: STEP_DELAY_MS });
  app = new Client(t.proxy.url, PUBLIC_URL);
});

afterAll(async () => {
  await t?.stop();
});

// The steps build on each other: after the first failure the rest are skipped (not left to time out),
// and that failure prints where the processes were.
let failed = false;
beforeEach(({ onTestFailed, skip }) => {
  if (failed) skip("an earlier step failed");
  onTestFailed(() => {
    failed = true;
    console.error(`proxy: requests per upstream ${JSON.stringify(t.proxy.served)}`);
    console.error(`last requests: ${JSON.stringify(app.calls.slice(-10))}`);
    console.error(t.procs.tails());
  });
});

describe("scale-out topology: 2 web processes behind a proxy, 2 workers, no shared disk", () => {
  it("signs up, verifies the address from the emailed link, signs in and creates a workspace", async () => {
    const email = `owner-${Date.now()}@example.test`;
    const password = "topology correct horse battery";
    const signUp = await app.postJson("/api/auth/sign-up/email", { name: "Olive Owner", email, password });
    expect(signUp.status).toBe(200);

    const [mail] = await until(
      "the verification email",
      30_000,
      async () => mailsTo(email).length > 0 && mailsTo(email),
    );
    const text = (await t.sink.parse(mail!)).text ?? "";
    const link = new URL(/https:\/\/organic\.topology\.test\/api\/auth\/verify-email\?\S+/.exec(text)![0]);
    const verified = await app.get(`${link.pathname}${link.search}`);
    expect(verified.status).toBe(302);

    const signIn = await app.postJson("/api/auth/sign-in/email", { email, password });
    expect(signIn.status).toBe(200);
    const session = await app.get("/api/auth/get-session");
    expect(JSON.parse(session.data).user).toMatchObject({ email, emailVerified: true });

    workspace = (await app.mutate<{ id: string; slug: string }>("workspace.create", { name: "Topology Co" }))
      .data;
    await app.mutate("email.sender.update", {
      workspaceId: workspace.id,
      fromName: "Topology Co",
      fromEmail: FROM_EMAIL,
      replyTo: "",
      postalAddress: "1 Cluster Road, Shardville 12345",
      sendRatePerSecond: 0,
    });
    const hook = await app.mutate<{ endpoint: { id: string }; secret: string }>("webhooks.create", {
      workspaceId: workspace.id,
      url: t.receiver.url,
      events: ["lead.created", "content.published", "campaign.sent"],
    });
    endpoint = { id: hook.data.endpoint.id, secret: hook.data.secret };
  });

  it("imports a CSV uploaded through one web process; the other previews it and both list the leads", async () => {
    const rows = Array.from({ length: LEADS }, (_, i) => `lead-${i}@leads.topology.test,Lead ${i}`);
    const csv = `email,name\n${rows.join("\n")}\n`;
    const upload = await app.upload<{ uploadId: string }>(
      `/api/leads/import/upload?workspaceId=${workspace.id}&filename=leads.csv`,
      csv,
      "text/csv",
    );
    expect(upload.status).toBe(201);
    // The upload went to the bucket: the other web process reads it back for the preview.
    const preview = await app.query<{ headers: string[] }>("leadsImport.preview", {
      workspaceId: workspace.id,
      uploadId: upload.data.uploadId,
    });
    expect(preview.upstream).not.toBe(upload.upstream);
    expect(preview.data.headers).toEqual(["email", "name"]);

    const { jobId } = (
      await app.mutate<{ jobId: string }>("leadsImport.start", {
        workspaceId: workspace.id,
        uploadId: upload.data.uploadId,
        mapping: { email: "email", name: "name" },
        tags: ["csv"],
      })
    ).data;
    // A worker imports it (from the bucket too); either web process reports the run.
    const run = await until("the import to finish", 90_000, async () => {
      const r = (
        await app.query<{ status: string; result: unknown }>("jobs.get", {
          workspaceId: workspace.id,
          id: jobId,
        })
      ).data;
      if (r.status === "failed") throw new Error(`the import failed: ${JSON.stringify(r)}`);
      return r.status === "succeeded" && r;
    });
    expect(run.result).toMatchObject({ imported: LEADS, invalid: 0 });

    const reads = [];
    for (let i = 0; i < 2; i++)
      reads.push(
        await app.query<number>("leads.count", {
          workspaceId: workspace.id,
          tags: ["csv"],
        }),
      );
    expect(new Set(reads.map((r) => r.upstream))).toEqual(new Set([0, 1]));
    for (const r of reads) expect(r.data).toBe(LEADS);
  });

  let formPostedAt = 0;
  const subscriber = `subscriber-${Date.now()}@example.test`;

  it("a hosted-form post starts a triggered 2-step campaign; a scheduled blog post is published", async () => {
    const form = await app.mutate<{ id: string; slug: string }>("forms.create", {
      workspaceId: workspace.id,
      name: "Newsletter",
      slug: "newsletter",
      fields: [{ key: "name", label: "Name" }],
    });
    const welcome = await app.mutate<{ id: string }>("email.campaigns.create", {
      workspaceId: workspace.id,
      type: "triggered",
      name: "Welcome",
      trigger: { event: "form.submitted", formId: form.data.id },
      steps: [
        { subject: "Welcome 1 of 2", body: "Hello {{name|there}}" },
        { subject: "Welcome 2 of 2", body: "A minute later", delayMinutes: 1 },
      ],
    });
    await app.mutate("email.campaigns.activate", { workspaceId: workspace.id, id: welcome.data.id });

    formPostedAt = Date.now();
    const posted = await app.postJson(`/api/forms/${workspace.slug}/${form.data.slug}`, {
      email: subscriber,
      name: "Sam",
    });
    expect(posted.status).toBe(200);

    const post = await app.mutate<{ id: string }>("content.create", {
      workspaceId: workspace.id,
      type: "blog",
      title: "Notes from the cluster",
      slug: "notes-from-the-cluster",
      body: "Two web processes, two workers, one bucket.",
    });
    await app.mutate("content.schedule", {
      workspaceId: workspace.id,
      id: post.data.id,
      scheduledAt: new Date(Date.now() + 3000),
    });
    const page = await until("the blog post to be public", 60_000, async () => {
      const r = await app.get(`/blog/${workspace.slug}/notes-from-the-cluster`);
      return r.status === 200 && r;
    });
    expect(page.data).toContain("Notes from the cluster");
    const published = await app.query<{ status: string }>("content.get", {
      workspaceId: workspace.id,
      id: post.data.id,
    });
    expect(published.data.status).toBe("published");

    // Step 1 came at once (not after the delay).
    const first = await until("welcome step 1", STEP_DELAY_MS, async () => {
      for (const m of mailsTo(subscriber)) if ((await subjectOf(m)) === "Welcome 1 of 2") return m;
      return undefined;
    });
    expect(first.receivedAt).toBeLessThan(formPostedAt + STEP_DELAY_MS);
  });

  it("every webhook so far reached the receiver before the campaign starts", async () => {
    // 3 deliveries for the import (100 leads each), 1 for the form's lead, 1 for the blog post.
    await until("5 delivered webhooks", 60_000, async () => {
      const list = await app.query<{ status: string }[]>("webhooks.deliveries", {
        workspaceId: workspace.id,
        endpointId: endpoint.id,
      });
      return list.data.length === 5 && list.data.every((d) => d.status === "succeeded");
    });
  });

  it("a campaign to every imported lead survives kill -9 of a worker that is sending it", async () => {
    const campaign = await app.mutate<{ id: string }>("email.campaigns.create", {
      workspaceId: workspace.id,
      type: "one-time",
      name: "Big news",
      audience: {
        segmentId: null,
        criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: "csv" }] },
      },
      steps: [{ subject: "Big news", body: "Hello {{name|there}}, we have news." }],
    });
    await app.mutate("email.campaigns.sendNow", { workspaceId: workspace.id, id: campaign.data.id });
    const isCampaignMail = (m: ReceivedMail) => m.to.some((a) => a.endsWith("@leads.topology.test"));

    // Mid-send: some mail out, and the worker to kill is one whose open connections to the mail
    // server delivered some of it.
    const victim = await until("a worker sending the campaign", 60_000, async () => {
      const mails = t.sink.received.filter(isCampaignMail);
      if (mails.length < 30) return undefined;
      const busiest = t.workers
        .map((w) => {
          const ports = portsConnectedTo(w.pid, t.sink.port);
          return { w, sent: mails.filter((m) => ports.has(m.clientPort)).length };
        })
        .sort((a, b) => b.sent - a.sent)[0]!;
      return busiest.sent > 0 && busiest;
    });
    const sentBeforeKill = t.sink.received.filter(isCampaignMail).length;
    expect(sentBeforeKill).toBeLessThan(LEADS);
    await t.procs.crash(victim.w);
    const killedAt = Date.now();
    const killed = `${victim.w.name} (which had sent ${victim.sent})`;

    const addresses = Array.from({ length: LEADS }, (_, i) => `lead-${i}@leads.topology.test`);
    await until("every lead to be mailed", TAKEOVER_MS + 30_000, async () =>
      addresses.every((a) => t.sink.counts.get(a)),
    );
    // What the README promises of a crash: every message the dead worker held sent within 30 s
    // (+5 s margin), at most MAX_DUPLICATES_PER_CRASH sent twice.
    const lastNeeded = Math.max(...addresses.map((a) => Math.min(...mailsTo(a).map((m) => m.receivedAt))));
    expect(lastNeeded - killedAt).toBeLessThan(TAKEOVER_MS);
    const campaignMails = t.sink.received.filter(isCampaignMail);
    const duplicates = campaignMails.length - LEADS;
    console.info(
      `campaign: ${sentBeforeKill} of ${LEADS} received before ${killed} was killed; ` +
        `all ${LEADS} by +${lastNeeded - killedAt} ms; ${duplicates} duplicates`,
    );
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(MAX_DUPLICATES_PER_CRASH);

    const status = await until("the campaign to be sent", 30_000, async () => {
      const c = await app.query<{ status: string }>("email.campaigns.get", {
        workspaceId: workspace.id,
        id: campaign.data.id,
      });
      return c.data.status === "sent" && c.data.status;
    });
    expect(status).toBe("sent");

    // Rendered by the built worker, whose bundle takes juice with cheerio's htmlparser2 build alone
    // (scripts/server-build-options.mjs): the stylesheet is inlined as the source renders it.
    const html = String((await t.sink.parse(campaignMails[0]!)).html);
    expect(html).toContain('class="content" style="padding: 32px 32px 24px 32px;');
    expect(html).toMatch(/<p style="margin: 0 0 16px 0;">Hello [^<]+, we have news\.<\/p>/);
  });

  it("the second welcome step arrived no sooner than its delay after the form post", async () => {
    const second = await until("welcome step 2", STEP_DELAY_MS + TAKEOVER_MS, async () => {
      for (const m of mailsTo(subscriber)) if ((await subjectOf(m)) === "Welcome 2 of 2") return m;
      return undefined;
    });
    expect(second.receivedAt - formPostedAt).toBeGreaterThanOrEqual(STEP_DELAY_MS);
  });

  it("each webhook event reached the receiver exactly once, signed", async () => {
    const deliveries = await until("the campaign.sent webhook", 60_000, async () => {
      const list = await app.query<{ messageId: string; eventType: string; status: string }[]>(
        "webhooks.deliveries",
        { workspaceId: workspace.id, endpointId: endpoint.id },
      );
      return list.data.length === 6 && list.data.every((d) => d.status === "succeeded") && list.data;
    });
    expect(deliveries.map((d) => d.eventType).sort()).toEqual([
      "campaign.sent",
      "content.published",
      "lead.created",
      "lead.created",
      "lead.created",
      "lead.created",
    ]);
    // Delivery is at-least-once by design (a worker dying mid-POST leaves its claim to expire and
    // the attempt is made again with the same webhook-id, for receivers to de-duplicate). No
    // delivery was in flight at the crash here, so each id must have come exactly once.
    const ids = t.receiver.received.map((r) => r.id);
    expect(ids.sort()).toEqual(deliveries.map((d) => d.messageId).sort());
    const verifier = new Webhook(endpoint.secret);
    for (const r of t.receiver.received) expect(() => verifier.verify(r.body, r.headers)).not.toThrow();
  });

  it("both web processes served requests, and no process wrote a file to its own disk", async () => {
    expect(t.proxy.served.every((n) => n > 10)).toBe(true);
    for (const p of t.procs.all)
      expect({ process: p.name, files: filesUnder(p.dataDir) }).toEqual({
        process: p.name,
        files: [],
      });
  });
});

describe("the API fast path answers as Next does", () => {
  it("web-1 (fast path) and web-2 (through Next) give the same answers to the same API requests", async () => {
    const [fast, viaNext] = t.ports as [number, number];
    const key = (
      await app.mutate<{ key: string }>("apiKeys.create", {
        workspaceId: workspace.id,
        name: "parity",
        scopes: ["read", "write"],
      })
    ).data.key;
    const bearer = { authorization: `Bearer ${key}` };
    const cookie = { cookie: app.cookieHeader() };
    const list = encodeURIComponent(JSON.stringify({ json: { workspaceId: workspace.id, limit: 5 } }));
    const openapi = await normalizedAnswer(fast, { name: "", method: "GET", target: "/api/v1/openapi.json" });
    const requests: ApiRequest[] = [
      { name: "health", method: "GET", target: "/api/health", keysOnly: true },
      { name: "openapi", method: "GET", target: "/api/v1/openapi.json" },
      {
        name: "openapi gzip",
        method: "GET",
        target: "/api/v1/openapi.json",
        headers: { "accept-encoding": "gzip, deflate, br" },
      },
      {
        name: "openapi 304",
        method: "GET",
        target: "/api/v1/openapi.json",
        headers: { "if-none-match": openapi.headers.etag! },
      },
      { name: "openapi HEAD", method: "HEAD", target: "/api/v1/openapi.json" },
      { name: "openapi DELETE", method: "DELETE", target: "/api/v1/openapi.json" },
      {
        name: "preflight",
        method: "OPTIONS",
        target: "/api/v1/leads",
        headers: { origin: "https://elsewhere.example", "access-control-request-method": "POST" },
      },
      { name: "leads, no key", method: "GET", target: "/api/v1/leads" },
      { name: "leads", method: "GET", target: "/api/v1/leads?limit=5", headers: bearer },
      {
        name: "leads gzip",
        method: "GET",
        target: "/api/v1/leads?limit=5",
        headers: { ...bearer, "accept-encoding": "gzip" },
      },
      { name: "leads, bad limit", method: "GET", target: "/api/v1/leads?limit=abc", headers: bearer },
      { name: "leads, trailing slash", method: "GET", target: "/api/v1/leads/", headers: bearer },
      { name: "unknown route", method: "GET", target: "/api/v1/nothing-here", headers: bearer },
      {
        name: "lead, bad JSON",
        method: "POST",
        target: "/api/v1/leads",
        headers: { ...bearer, "content-type": "application/json" },
        body: "{not json",
      },
      { name: "workspace", method: "GET", target: "/api/v1/workspace", headers: bearer },
      { name: "tRPC list", method: "GET", target: `/api/trpc/leads.list?input=${list}`, headers: cookie },
      { name: "tRPC, no session", method: "GET", target: `/api/trpc/leads.list?input=${list}` },
      {
        name: "tRPC, cross-site mutation",
        method: "POST",
        target: "/api/trpc/leads.create",
        headers: { ...cookie, origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify({ json: { workspaceId: workspace.id, email: "x@example.com" } }),
      },
    ];
    const viaFastPath: unknown[] = [];
    const viaNextRouter: unknown[] = [];
    for (const r of requests) {
      viaFastPath.push({ request: r.name, ...(await normalizedAnswer(fast, r)) });
      viaNextRouter.push({ request: r.name, ...(await normalizedAnswer(viaNext, r)) });
    }
    expect(viaFastPath).toEqual(viaNextRouter);
    // web-1 answered them itself, web-2 through Next (its fast path is off).
    const taken = async (port: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const text = await res.text();
      const counts = [...text.matchAll(/^organic_http_fast_path_requests_total\{route="([^"]+)"\} (\d+)/gm)];
      return Object.fromEntries(counts.map(([, route, n]) => [route, Number(n)]));
    };
    const fastCounts = await taken(fast);
    expect(fastCounts["/api/v1/[...path]"]).toBeGreaterThanOrEqual(12);
    expect(fastCounts["/api/trpc/[trpc]"]).toBeGreaterThanOrEqual(3);
    expect(fastCounts["/api/health"]).toBeGreaterThanOrEqual(1);
    expect(await taken(viaNext)).toEqual({});

    // Tracing (web-1 exports to the collector) still sees the request: the HTTP server span of
    // OpenTelemetry's http instrumentation, whose wrapper runs before the fast path's, is the parent
    // of the route's span, which is the parent of the procedure's.
    const SERVER = 2;
    const chain = await until("the fast path's tRPC spans at the collector", 30_000, async () => {
      const spans = spansIn(t.collector.received);
      for (const s of spans.filter((x) => x.name === "trpc leads.list")) {
        const up = ancestorsOf(s, spans);
        if (up[0]?.name === "GET /api/trpc/[trpc]" && up[1]?.kind === SERVER) return up;
      }
      return undefined;
    });
    expect(chain.every((s) => s.traceId === chain[0]!.traceId)).toBe(true);
    // Requests that change something: each process creates its own lead, and both answer alike.
    const create = (email: string): ApiRequest => ({
      name: "create lead",
      method: "POST",
      target: "/api/v1/leads",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    const a = await normalizedAnswer(fast, create("parity-fast@example.test"));
    const b = await normalizedAnswer(viaNext, create("parity-next@example.test"));
    expect(a.status).toBe(201);
    expect(a.headers).toEqual(b.headers);
    const shape = (n: Normalized) => Object.keys(n.body as object).sort();
    expect(shape(a)).toEqual(shape(b));
  });
});
