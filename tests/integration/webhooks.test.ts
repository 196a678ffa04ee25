import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { activityLogs, notifications, webhookDeliveries, webhookEndpoints } from "@/server/db/schema";
import { attemptWebhookDelivery, RETRY_DELAYS_MS } from "@/server/services/webhooks/deliver";
import { emitWebhookEvent } from "@/server/services/webhooks/emit";
import { signatureHeaders } from "@/server/services/webhooks/sign";
import { BlockedAddressError, isPrivateAddress, postWebhook } from "@/server/services/webhooks/ssrf";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on 127.0.0.1 that answers with `nextStatus`. */
const received: Received[] = [];
let nextStatus = 200;
let server: Server;
let receiverUrl = "";

function setAllowPrivate(on: boolean) {
  process.env.WEBHOOKS_ALLOW_PRIVATE = on ? "true" : "false";
  resetEnvCache();
}

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(nextStatus, { "content-type": "text/plain" });
      res.end(nextStatus < 300 ? "ok" : "receiver is down");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  setAllowPrivate(false);
  await new Promise((r) => server.close(r));
});

beforeEach(async () => {
  // Each test starts with no endpoints in workspace A, so earlier subscriptions don't receive its events.
  await h.db.delete(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, f.ws.id));
  received.length = 0;
  nextStatus = 200;
  setAllowPrivate(true);
});

async function endpointFor(
  events: string[] = ["lead.created"],
  caller = callerFor(h.db, f.owner),
  workspaceId?: string,
) {
  return caller.webhooks.create({
    workspaceId: workspaceId ?? f.ws.id,
    url: receiverUrl,
    description: "test receiver",
    events: events as never,
  });
}

async function delivery(id: string) {
  const [row] = await h.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row!;
}

const makeDue = (id: string) =>
  h.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(eq(webhookDeliveries.id, id));

describe("Standard Webhooks signature", () => {
  it("matches the spec's reference vector", () => {
    const headers = signatureHeaders(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
  });
});

describe("delivery to a real receiver", () => {
  it("delivers a signed event the receiver can verify, and logs the response", async () => {
    const { endpoint, secret } = await endpointFor(["lead.created", "lead.unsubscribed"]);
    expect(secret).toMatch(/^whsec_/);
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "lead.created", {
      id: "lead-1",
      email: "a@example.test",
    });
    expect(deliveryIds).toHaveLength(1);
    await h.queue.drain();

    expect(received).toHaveLength(1);
    const got = received[0]!;
    const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as Record<
      string,
      unknown
    >;
    expect(verified).toMatchObject({ type: "lead.created", data: { id: "lead-1", email: "a@example.test" } });
    expect(got.headers["webhook-id"]).toMatch(/^msg_/);
    expect(() =>
      new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").verify(
        got.body,
        got.headers as Record<string, string>,
      ),
    ).toThrow();

    const row = await delivery(deliveryIds[0]!);
    expect(row).toMatchObject({
      status: "succeeded",
      attempts: 1,
      responseStatus: 200,
      responseBody: "ok",
      nextAttemptAt: null,
    });
    const log = await callerFor(h.db, f.admin).webhooks.deliveries({
      workspaceId: f.ws.id,
      endpointId: endpoint.id,
    });
    expect(log.map((d) => d.id)).toContain(row.id);
  });

  it("sends only to enabled endpoints of that workspace subscribed to the event", async () => {
    const { endpoint: off } = await endpointFor(["content.published"]);
    await callerFor(h.db, f.owner).webhooks.update({
      workspaceId: f.ws.id,
      endpointId: off.id,
      enabled: false,
    });
    const { endpoint: other } = await endpointFor(
      ["content.published"],
      callerFor(h.db, f.otherOwner),
      f.other.id,
    );
    const { endpoint: unsubscribed } = await endpointFor(["lead.created"]);
    const { endpoint: on } = await endpointFor(["content.published"]);
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "content.published", { id: "c1" });
    await h.queue.drain();
    const rows = await Promise.all(deliveryIds.map(delivery));
    expect(rows.map((r) => r.endpointId)).toEqual([on.id]);
    expect(rows.map((r) => r.endpointId)).not.toContain(other.id);
    expect(rows.map((r) => r.endpointId)).not.toContain(unsubscribed.id);
    expect(received).toHaveLength(1);
  });

  it("retries a 500 with growing backoff, then succeeds with the same webhook-id", async () => {
    await endpointFor(["campaign.sent"]);
    nextStatus = 500;
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "campaign.sent", { id: "camp-1" });
    await h.queue.drain();
    const id = deliveryIds[0]!;
    let row = await delivery(id);
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      responseStatus: 500,
      error: "The endpoint answered HTTP 500",
    });
    const wait1 = row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime();
    expect(Math.abs(wait1 - RETRY_DELAYS_MS[0])).toBeLessThan(2000);

    await makeDue(id);
    const second = await attemptWebhookDelivery(h.db, id);
    expect(second).toMatchObject({ outcome: "retry", attempt: 2, retryInMs: RETRY_DELAYS_MS[1] });
    row = await delivery(id);
    const wait2 = row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime();
    expect(wait2).toBeGreaterThan(wait1 * 10);

    // Not due yet: a doubled job does nothing.
    expect(await attemptWebhookDelivery(h.db, id)).toEqual({ outcome: "skipped" });

    nextStatus = 204;
    await makeDue(id);
    expect(await attemptWebhookDelivery(h.db, id)).toEqual({ outcome: "succeeded", status: 204 });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect((await delivery(id)).attempts).toBe(3);
    // Spread over at least a day in total.
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600_000);
  });

  it("gives up after the last attempt", async () => {
    await endpointFor(["content.failed"]);
    nextStatus = 503;
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "content.failed", { id: "c2" });
    await h.queue.drain();
    const id = deliveryIds[0]!;
    let last: Awaited<ReturnType<typeof attemptWebhookDelivery>> | undefined;
    for (let i = 0; i < RETRY_DELAYS_MS.length; i++) {
      await makeDue(id);
      last = await attemptWebhookDelivery(h.db, id);
    }
    expect(last).toMatchObject({ outcome: "failed", status: 503 });
    expect(await delivery(id)).toMatchObject({
      status: "failed",
      attempts: RETRY_DELAYS_MS.length + 1,
      nextAttemptAt: null,
    });
  });

  it("switches off an endpoint that has failed for days and tells owners and admins", async () => {
    const { endpoint } = await endpointFor(["lead.unsubscribed"]);
    nextStatus = 500;
    await h.db
      .update(webhookEndpoints)
      .set({ failingSince: sql`now() - interval '4 days'` })
      .where(eq(webhookEndpoints.id, endpoint.id));
    await emitWebhookEvent(h.db, f.ws.id, "lead.unsubscribed", { id: "l9" });
    await h.queue.drain();
    const [ep] = await h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep).toMatchObject({ enabled: false, disabledReason: expect.stringContaining("switched off") });
    const notes = await h.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.workspaceId, f.ws.id), eq(notifications.kind, "webhook.disabled")));
    const ids = notes.map((n) => n.userId);
    expect(ids).toEqual(expect.arrayContaining([f.owner.id, f.admin.id]));
    expect(ids).not.toContain(f.member.id);
    // A disabled endpoint gets nothing new; switching it on clears the failure clock.
    expect((await emitWebhookEvent(h.db, f.ws.id, "lead.unsubscribed", { id: "l10" })).deliveryIds).toEqual(
      [],
    );
    const back = await callerFor(h.db, f.owner).webhooks.update({
      workspaceId: f.ws.id,
      endpointId: endpoint.id,
      enabled: true,
    });
    expect(back).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it("a failure that is not yet days old does not disable", async () => {
    const { endpoint } = await endpointFor(["order.created"]);
    nextStatus = 500;
    await emitWebhookEvent(h.db, f.ws.id, "order.created", { id: "o1" });
    await h.queue.drain();
    const [ep] = await h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep!.enabled).toBe(true);
    expect(ep!.failingSince).toBeInstanceOf(Date);
  });
});

describe("events from the places they happen", () => {
  it("creating a lead through the leads router delivers lead.created with the lead", async () => {
    const { secret } = await endpointFor(["lead.created"]);
    const email = `hook-${Date.now()}@example.test`;
    await callerFor(h.db, f.member).leads.create({ workspaceId: f.ws.id, email, name: "Hook Lead" } as never);
    await h.queue.drain();
    expect(received).toHaveLength(1);
    const body = new Webhook(secret).verify(
      received[0]!.body,
      received[0]!.headers as Record<string, string>,
    );
    expect(body).toMatchObject({
      type: "lead.created",
      data: { email, name: "Hook Lead", status: "active" },
    });
  });
});

describe("SSRF protection", () => {
  it("classifies private, loopback, link-local and mapped addresses", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
      "100.64.0.1",
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it("refuses to register loopback, private or plain-http URLs unless allowed", async () => {
    setAllowPrivate(false);
    const owner = callerFor(h.db, f.owner);
    for (const url of [
      receiverUrl,
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://169.254.169.254/latest",
      "https://[::1]/x",
      "http://example.com/hook",
    ]) {
      await expect(
        owner.webhooks.create({ workspaceId: f.ws.id, url, events: ["lead.created"] }),
        url,
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
  });

  it("does not deliver to 127.0.0.1 unless allowed, even for an endpoint stored earlier", async () => {
    const { endpoint } = await endpointFor(["lead.created"]);
    setAllowPrivate(false);
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "lead.created", { id: "ssrf" });
    await h.queue.drain();
    expect(received).toHaveLength(0);
    const row = await delivery(deliveryIds.find(Boolean)!);
    expect(row.endpointId).toBe(endpoint.id);
    expect(row).toMatchObject({ status: "pending", responseStatus: null });
    expect(row.error).toMatch(/https|private|loopback/i);
  });

  it("checks the address a host name resolves to at connect time", async () => {
    setAllowPrivate(false);
    const port = (server.address() as AddressInfo).port;
    // The machine's own name passes the URL check but resolves to a loopback or private address.
    await expect(postWebhook(`https://${hostname()}:${port}/hook`, {}, "{}")).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    expect(received).toHaveLength(0);
  });
});

describe("webhooks router", () => {
  it("creates, lists, updates, reveals and rotates the secret, resends and deletes, logging each change", async () => {
    const owner = callerFor(h.db, f.owner);
    const { endpoint, secret } = await endpointFor(["lead.created"]);
    const list = await owner.webhooks.list({ workspaceId: f.ws.id });
    expect(list.find((e) => e.id === endpoint.id)).toMatchObject({
      url: receiverUrl,
      events: ["lead.created"],
    });
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(await owner.webhooks.eventTypes({ workspaceId: f.ws.id })).toContain("order.created");

    const updated = await owner.webhooks.update({
      workspaceId: f.ws.id,
      endpointId: endpoint.id,
      events: ["order.created", "lead.created", "order.created"],
      description: "CRM",
    });
    expect(updated).toMatchObject({ events: ["lead.created", "order.created"], description: "CRM" });
    expect(await owner.webhooks.revealSecret({ workspaceId: f.ws.id, endpointId: endpoint.id })).toEqual({
      secret,
    });
    const rotated = await owner.webhooks.rotateSecret({ workspaceId: f.ws.id, endpointId: endpoint.id });
    expect(rotated.secret).not.toBe(secret);

    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "order.created", { id: "o2" });
    await h.queue.drain();
    const { deliveryId } = await owner.webhooks.resend({ workspaceId: f.ws.id, deliveryId: deliveryIds[0]! });
    await h.queue.drain();
    expect((await delivery(deliveryId)).status).toBe("succeeded");
    expect(received).toHaveLength(2);
    expect(received[0]!.headers["webhook-id"]).toBe(received[1]!.headers["webhook-id"]);
    new Webhook(rotated.secret).verify(received[1]!.body, received[1]!.headers as Record<string, string>);

    await owner.webhooks.delete({ workspaceId: f.ws.id, endpointId: endpoint.id });
    expect((await owner.webhooks.list({ workspaceId: f.ws.id })).map((e) => e.id)).not.toContain(endpoint.id);
    const actions = await h.db
      .select({ action: activityLogs.action })
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.entityId, endpoint.id)));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "webhook.created",
        "webhook.updated",
        "webhook.secret_rotated",
        "webhook.resent",
        "webhook.deleted",
      ]),
    );
  });

  it("refuses bad input with BAD_REQUEST and changes nothing", async () => {
    const owner = callerFor(h.db, f.owner);
    const { endpoint } = await endpointFor(["lead.created"]);
    const before = await owner.webhooks.list({ workspaceId: f.ws.id });
    const bad = [
      { url: "not a url", events: ["lead.created"] },
      { url: receiverUrl, events: [] },
      { url: receiverUrl, events: ["lead.deleted"] },
      { url: `https://example.com/${"x".repeat(3000)}`, events: ["lead.created"] },
      { url: "ftp://example.com/x", events: ["lead.created"] },
    ];
    for (const input of bad) {
      await expect(
        owner.webhooks.create(Object.assign({ workspaceId: f.ws.id }, input) as never),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    await expect(
      owner.webhooks.update({ workspaceId: f.ws.id, endpointId: endpoint.id, url: "javascript:alert(1)" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.webhooks.delete({ workspaceId: f.ws.id, endpointId: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner.webhooks.resend({ workspaceId: f.ws.id, deliveryId: "x" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await owner.webhooks.list({ workspaceId: f.ws.id })).toEqual(before);
  });

  it("answers NOT_FOUND for another workspace's endpoints and deliveries", async () => {
    const { endpoint } = await endpointFor(["lead.created"], callerFor(h.db, f.otherOwner), f.other.id);
    const { deliveryIds } = await emitWebhookEvent(h.db, f.other.id, "lead.created", { id: "b" });
    await h.queue.drain();
    const owner = callerFor(h.db, f.owner);
    const ref = { workspaceId: f.ws.id, endpointId: endpoint.id };
    await expect(owner.webhooks.list({ workspaceId: f.other.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(owner.webhooks.update({ ...ref, enabled: false })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(owner.webhooks.delete(ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.webhooks.revealSecret(ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.webhooks.rotateSecret(ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.webhooks.deliveries(ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      owner.webhooks.resend({ workspaceId: f.ws.id, deliveryId: deliveryIds[0]! }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const [ep] = await h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep!.enabled).toBe(true);
  });

  it("refuses members and viewers (FORBIDDEN)", async () => {
    const { endpoint } = await endpointFor(["lead.created"]);
    const ref = { workspaceId: f.ws.id, endpointId: endpoint.id };
    for (const user of [f.member, f.viewer]) {
      const c = callerFor(h.db, user);
      await expect(c.webhooks.list({ workspaceId: f.ws.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.webhooks.eventTypes({ workspaceId: f.ws.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(
        c.webhooks.create({ workspaceId: f.ws.id, url: receiverUrl, events: ["lead.created"] }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.webhooks.update({ ...ref, enabled: false })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(c.webhooks.delete(ref)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.webhooks.revealSecret(ref)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.webhooks.rotateSecret(ref)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.webhooks.deliveries(ref)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        c.webhooks.resend({ workspaceId: f.ws.id, deliveryId: endpoint.id }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    const [ep] = await h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(ep!.enabled).toBe(true);
  });
});
