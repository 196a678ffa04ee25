import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as restRoute from "@/app/api/v1/[...path]/route";
import { resetEnvCache } from "@/lib/env";
import { leadsRouter } from "@/server/api/routers/leads";
import { createCallerFactory, createContext } from "@/server/api/trpc";
import {
  campaignEnrollments,
  campaignSteps,
  domainEvents,
  emailCampaigns,
  emailSends,
  leads,
  notifications,
  signupForms,
  users,
  webhookDeliveries,
  workspaceMembers,
  workspaces,
} from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { cleanupJob } from "@/server/queue/jobs/cleanup";
import { webhookTickJob } from "@/server/queue/jobs/deliver-webhook";
import { dispatchDomainEventsJob } from "@/server/queue/jobs/domain-events";
import { createApiKey } from "@/server/services/api-keys";
import { dispatchDomainEvents } from "@/server/services/domain-events/dispatch";
import { emitDomainEvents } from "@/server/services/domain-events/record";
import { domainEvent } from "@/server/services/domain-events/types";
import { handleFormPost } from "@/server/services/forms/http";
import { createLead } from "@/server/services/leads/leads";
import { createWebhookEndpoint } from "@/server/services/webhooks/endpoints";
import { setupTestDb } from "../helpers/db";
import { runJobNow } from "../helpers/jobs";
import { recordingQueue } from "../helpers/queues";

/*
 * Durable domain events (transactional outbox). This file deliberately does not load the tRPC app
 * router (tests/helpers/fixtures does): triggered campaigns must start from a hosted form, the REST
 * API or the leads procedures in a process that never imported the email module.
 */

const h = await setupTestDb({ ownDatabase: true });
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };

async function workspaceWithOwner() {
  const [owner] = await h.db
    .insert(users)
    .values({ email: `owner-${randomUUID().slice(0, 8)}@example.test`, name: "Owner", emailVerified: true })
    .returning();
  const [ws] = await h.db
    .insert(workspaces)
    .values({ name: "Events Co", slug: `ev-${randomUUID().slice(0, 8)}`, ownerId: owner!.id })
    .returning();
  await h.db.insert(workspaceMembers).values({ workspaceId: ws!.id, userId: owner!.id, role: "owner" });
  const actor = { userId: owner!.id, ip: null, userAgent: "vitest" };
  return { owner: owner!, ws: ws!, ctx: { db: h.db, actor, workspaceId: ws!.id } };
}

/** An active triggered campaign written straight to the tables (no email module involved). */
async function triggered(workspaceId: string, trigger: Record<string, unknown>, delays = [0]) {
  const [c] = await h.db
    .insert(emailCampaigns)
    .values({
      workspaceId,
      name: `On ${String(trigger.event)} ${randomUUID().slice(0, 4)}`,
      type: "triggered",
      status: "active",
      content: {},
      schedule: { trigger },
    })
    .returning();
  await h.db.insert(campaignSteps).values(
    delays.map((delayMinutes, position) => ({
      workspaceId,
      campaignId: c!.id,
      position,
      delayMinutes,
      subject: `Step ${position + 1}`,
      body: "Hello",
    })),
  );
  return c!.id;
}

const enrolledIn = async (leadId: string) =>
  (
    await h.db
      .select({ campaignId: campaignEnrollments.campaignId })
      .from(campaignEnrollments)
      .where(eq(campaignEnrollments.leadId, leadId))
  )
    .map((r) => r.campaignId)
    .sort();

const leadByEmail = async (workspaceId: string, email: string) =>
  (
    await h.db
      .select()
      .from(leads)
      .where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, email)))
  )[0];

const eventsOf = (workspaceId: string) =>
  h.db.select().from(domainEvents).where(eq(domainEvents.workspaceId, workspaceId)).orderBy(domainEvents.id);

/** Takes every job and runs none: the fast path is lost (a crash right after the commit). */
const droppingQueue = recordingQueue();

let ipSeq = 1;

describe("triggered campaigns start from domain events, whatever the process imported", () => {
  it("a hosted-form post enrols the new lead in the matching form and lead.created campaigns", async () => {
    const { ws } = await workspaceWithOwner();
    const [form] = await h.db
      .insert(signupForms)
      .values({ workspaceId: ws.id, slug: "join", name: "Join", fields: [], tags: [] })
      .returning();
    const onForm = await triggered(ws.id, { event: "form.submitted", formId: form!.id });
    const onCreate = await triggered(ws.id, { event: "lead.created" });
    const otherForm = await triggered(ws.id, { event: "form.submitted", formId: randomUUID() });
    const res = await handleFormPost(
      new Request(`http://localhost:3000/api/forms/${ws.slug}/join`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ email: "form-signup@example.test" }),
      }),
      {
        db: h.db,
        workspaceSlug: ws.slug,
        formSlug: "join",
        actor: { userId: null, ip: `198.51.100.${ipSeq++}`, userAgent: "vitest" },
        baseUrl: "http://localhost:3000",
      },
    );
    expect(res.status).toBe(200);
    await h.queue.drain();
    const lead = await leadByEmail(ws.id, "form-signup@example.test");
    expect(await enrolledIn(lead!.id)).toEqual([onForm, onCreate].sort());
    expect(await enrolledIn(lead!.id)).not.toContain(otherForm);
  });

  it("a REST upsert enrols the new lead (lead.created) and its tags (tag.added)", async () => {
    const { ws, ctx } = await workspaceWithOwner();
    const onCreate = await triggered(ws.id, { event: "lead.created" });
    const onTag = await triggered(ws.id, { event: "tag.added", tag: "VIP" });
    const { key } = await createApiKey(ctx, { name: "events test", scopes: ["read", "write"] });
    appDb.organicDb = Promise.resolve(h);
    try {
      const res = await restRoute.POST(
        new Request("http://localhost:3000/api/v1/leads", {
          method: "POST",
          headers: {
            authorization: `Bearer ${key}`,
            "content-type": "application/json",
            "user-agent": "vitest",
          },
          body: JSON.stringify({ email: "rest-upsert@example.test", tags: ["vip"] }),
        }),
      );
      expect(res.status).toBe(201);
    } finally {
      appDb.organicDb = undefined;
    }
    await h.queue.drain();
    const lead = await leadByEmail(ws.id, "rest-upsert@example.test");
    expect(await enrolledIn(lead!.id)).toEqual([onCreate, onTag].sort());
  });

  it("the leads procedure (tRPC create) enrols the new lead", async () => {
    const { owner, ws } = await workspaceWithOwner();
    const onCreate = await triggered(ws.id, { event: "lead.created" });
    const caller = createCallerFactory(leadsRouter)(
      createContext({
        db: h.db,
        user: { id: owner.id, email: owner.email, name: owner.name },
        headers: new Headers({ "user-agent": "vitest" }),
      }),
    );
    const lead = await caller.create({ workspaceId: ws.id, email: "trpc-create@example.test" });
    await h.queue.drain();
    expect(await enrolledIn(lead.id)).toEqual([onCreate]);
  });
});

describe("the outbox survives a lost fast path and repeats nothing", () => {
  it("a crash between commit and consumption loses nothing: the tick alone consumes the event", async () => {
    const { ws, ctx } = await workspaceWithOwner();
    const onCreate = await triggered(ws.id, { event: "lead.created" }, [0, 30]);
    setQueue(droppingQueue);
    let lead: Awaited<ReturnType<typeof createLead>>;
    try {
      lead = await createLead(ctx, {
        email: "crash@example.test",
        status: "active",
        tags: [],
        customFields: {},
      });
    } finally {
      setQueue(h.queue);
    }
    // Committed with the lead, not consumed (nobody ran the dispatch).
    const [pending] = await eventsOf(ws.id);
    expect(pending).toMatchObject({ type: "lead.created", processedAt: null, doneConsumers: [] });
    expect(await enrolledIn(lead.id)).toEqual([]);

    await runJobNow(h.db, dispatchDomainEventsJob);
    expect(await enrolledIn(lead.id)).toEqual([onCreate]);
    const [done] = await eventsOf(ws.id);
    expect(done!.processedAt).not.toBeNull();
    expect(done!.doneConsumers).toEqual(expect.arrayContaining(["triggered-campaigns", "webhooks"]));
  });

  it("running the consumers twice duplicates nothing (enrolments, ledger rows, deliveries, notifications)", async () => {
    const { ws, ctx } = await workspaceWithOwner();
    const onCreate = await triggered(ws.id, { event: "lead.created" }, [0, 60]);
    await createWebhookEndpoint(ctx, {
      url: "https://hooks.example.test/in",
      events: ["lead.created", "content.published"],
    });
    setQueue(droppingQueue);
    try {
      await createLead(ctx, { email: "twice@example.test", status: "active", tags: [], customFields: {} });
      await emitDomainEvents(h.db, [
        domainEvent(ws.id, "content.published", {
          id: randomUUID(),
          type: "blog",
          title: "Hello",
          url: "/blog/x",
          link: "/x",
        }),
      ]);
    } finally {
      setQueue(h.queue);
    }
    const counts = async () => {
      const lead = await leadByEmail(ws.id, "twice@example.test");
      const [e] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(campaignEnrollments)
        .where(eq(campaignEnrollments.campaignId, onCreate));
      const [s] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(emailSends)
        .where(eq(emailSends.leadId, lead!.id));
      const [d] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.workspaceId, ws.id));
      const [n] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(eq(notifications.workspaceId, ws.id));
      return { enrolments: e!.n, sends: s!.n, deliveries: d!.n, notifications: n!.n };
    };
    await runJobNow(h.db, dispatchDomainEventsJob);
    const once = await counts();
    expect(once).toEqual({ enrolments: 1, sends: 2, deliveries: 2, notifications: 1 });

    // As if the record of their progress was lost: every consumer runs again on the same events.
    await h.db
      .update(domainEvents)
      .set({ doneConsumers: [], processedAt: null })
      .where(eq(domainEvents.workspaceId, ws.id));
    await Promise.all([runJobNow(h.db, dispatchDomainEventsJob), runJobNow(h.db, dispatchDomainEventsJob)]);
    expect(await counts()).toEqual(once);
    expect((await eventsOf(ws.id)).every((e) => e.processedAt !== null)).toBe(true);
  });

  it("a failing consumer is retried later without holding the others back", async () => {
    const { ws } = await workspaceWithOwner();
    const calls = { flaky: 0, steady: 0 };
    const bindings = [
      {
        consumer: {
          name: "flaky",
          async handle() {
            calls.flaky++;
            if (calls.flaky === 1) throw new Error("first try fails");
            return undefined;
          },
        },
        types: ["campaign.sent"] as const,
      },
      {
        consumer: {
          name: "steady",
          async handle() {
            calls.steady++;
            return undefined;
          },
        },
        types: ["campaign.sent"] as const,
      },
    ];
    setQueue(droppingQueue);
    try {
      await emitDomainEvents(h.db, [domainEvent(ws.id, "campaign.sent", { id: randomUUID(), name: "C" })]);
    } finally {
      setQueue(h.queue);
    }
    await dispatchDomainEvents(h.db, bindings, { workspaceId: ws.id });
    let [ev] = await eventsOf(ws.id);
    expect(ev).toMatchObject({ doneConsumers: ["steady"], attempts: 1, processedAt: null });
    expect(ev!.lastError).toContain("first try fails");
    expect(ev!.availableAt.getTime()).toBeGreaterThan(Date.now());
    // Its backoff has passed.
    await h.db.update(domainEvents).set({ availableAt: new Date() }).where(eq(domainEvents.id, ev!.id));
    await dispatchDomainEvents(h.db, bindings, { workspaceId: ws.id });
    [ev] = await eventsOf(ws.id);
    expect(ev!.processedAt).not.toBeNull();
    expect(calls).toEqual({ flaky: 2, steady: 1 });
  });

  it("one failing event in a batch: the others' writes commit once, the failed one's roll back", async () => {
    const { ws, owner } = await workspaceWithOwner();
    const writer = {
      name: "writer",
      async handle(tx: typeof h.db, event: { id: number; workspaceId: string; payload: unknown }) {
        await tx
          .insert(notifications)
          .values({
            workspaceId: event.workspaceId,
            userId: owner.id,
            kind: "test.written",
            title: (event.payload as { name: string }).name,
            domainEventId: event.id,
          })
          .onConflictDoNothing({ target: [notifications.domainEventId, notifications.userId] });
        if ((event.payload as { name: string }).name === "bad") throw new Error("bad event");
        return undefined;
      },
    };
    const bindings = [{ consumer: writer, types: ["campaign.sent"] as const }];
    setQueue(droppingQueue);
    try {
      await emitDomainEvents(
        h.db,
        ["good-1", "bad", "good-2"].map((name) =>
          domainEvent(ws.id, "campaign.sent", { id: randomUUID(), name }),
        ),
      );
    } finally {
      setQueue(h.queue);
    }
    const result = await dispatchDomainEvents(h.db, bindings, { workspaceId: ws.id });
    expect(result).toMatchObject({ consumed: 2, failed: 1 });
    const events = await eventsOf(ws.id);
    expect(events.map((e) => [e.processedAt !== null, e.attempts])).toEqual([
      [true, 0],
      [false, 1],
      [true, 0],
    ]);
    expect(events[1]!.lastError).toContain("bad event");
    const written = await h.db
      .select({ title: notifications.title })
      .from(notifications)
      .where(and(eq(notifications.workspaceId, ws.id), eq(notifications.kind, "test.written")))
      .orderBy(notifications.title);
    expect(written.map((n) => n.title)).toEqual(["good-1", "good-2"]);
  });

  it("the cleanup job deletes consumed events past the retention, never unconsumed ones", async () => {
    const { ws } = await workspaceWithOwner();
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    const rows = await h.db
      .insert(domainEvents)
      .values([
        { workspaceId: ws.id, type: "campaign.sent", payload: { id: "old" }, processedAt: days(8) },
        { workspaceId: ws.id, type: "campaign.sent", payload: { id: "recent" }, processedAt: days(6) },
        {
          workspaceId: ws.id,
          type: "campaign.sent",
          payload: { id: "stuck" },
          processedAt: null,
          availableAt: new Date(Date.now() + 3_600_000),
          createdAt: days(30),
        },
      ])
      .returning({ id: domainEvents.id });
    await runJobNow(h.db, cleanupJob);
    const left = await h.db
      .select({ payload: domainEvents.payload })
      .from(domainEvents)
      .where(
        inArray(
          domainEvents.id,
          rows.map((r) => r.id),
        ),
      );
    expect(left.map((r) => r.payload.id).sort()).toEqual(["recent", "stuck"]);
  });
});

describe("webhooks from domain events", () => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let server: Server;
  let url = "";
  const saved = process.env.WEBHOOKS_ALLOW_PRIVATE;
  beforeAll(async () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
    resetEnvCache();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    else process.env.WEBHOOKS_ALLOW_PRIVATE = saved;
    resetEnvCache();
    await new Promise((r) => server.close(r));
  });

  it("the receiver gets each event once, however often dispatch and the webhook tick run", async () => {
    const { ctx } = await workspaceWithOwner();
    await createWebhookEndpoint(ctx, { url, events: ["lead.created"] });
    const emails = ["one@example.test", "two@example.test", "three@example.test"];
    // Two of them lose their fast path; one keeps it.
    setQueue(droppingQueue);
    try {
      for (const email of emails.slice(0, 2))
        await createLead(ctx, { email, status: "active", tags: [], customFields: {} });
    } finally {
      setQueue(h.queue);
    }
    await createLead(ctx, { email: emails[2]!, status: "active", tags: [], customFields: {} });
    await h.queue.drain();
    await Promise.all([runJobNow(h.db, dispatchDomainEventsJob), runJobNow(h.db, dispatchDomainEventsJob)]);
    await h.queue.drain();
    await runJobNow(h.db, webhookTickJob);
    await runJobNow(h.db, dispatchDomainEventsJob);
    await h.queue.drain();
    for (let i = 0; i < 100 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const bodies = received.map((r) => JSON.parse(r.body) as { type: string; data: { email: string } });
    expect(bodies.map((b) => b.data.email).sort()).toEqual([...emails].sort());
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(3);
    expect(bodies.every((b) => b.type === "lead.created")).toBe(true);
  });
});
