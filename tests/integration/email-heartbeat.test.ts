import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { Db } from "@/server/db";
import { campaignSteps, emailCampaigns, emailSends, leads, workspaces } from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { systemActor } from "@/server/services/context";
import { claimHeartbeatMs, reclaimStaleSends } from "@/server/services/email/send-claim";
import { runSender } from "@/server/services/email/sender";
import { startCampaignSend } from "@/server/services/email/start";
import { closeTransports } from "@/server/services/email/transport";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { setupTestDb } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";

/**
 * The other half of the crash bound (README, Campaign sending): claims carry a heartbeat, so a
 * living sender on a slow mail server never has its claims taken over as stale and sent a second
 * time; only a dead worker's claims age. Here the server holds every 250 for longer than the stale
 * threshold while a takeover runs over and over beside the sender: it must find nothing to take.
 */

// A fast heartbeat so the test is short (the sender reads it when it starts).
const savedHeartbeat = process.env.EMAIL_CLAIM_HEARTBEAT_MS;
process.env.EMAIL_CLAIM_HEARTBEAT_MS = "200";
resetEnvCache();

const STALE_MS = 1000;
const SMTP_DELAY_MS = 2500;
const LEADS = 6;

const h = await setupTestDb();
const db = h.db as Db;
const dns = await startDnsStandInForFile();
const quietQueue = recordingQueue();
let sink: SmtpSink;

beforeAll(async () => {
  setQueue(quietQueue);
  sink = await startSmtpSink({ delayMs: SMTP_DELAY_MS, keepRaw: false });
});
afterAll(async () => {
  closeTransports();
  await sink.close();
  setQueue(h.queue);
  if (savedHeartbeat === undefined) delete process.env.EMAIL_CLAIM_HEARTBEAT_MS;
  else process.env.EMAIL_CLAIM_HEARTBEAT_MS = savedHeartbeat;
  resetEnvCache();
});

describe("claim heartbeat", () => {
  it("a slow but living sender keeps its claims: a takeover finds none, every lead gets one message", async () => {
    const owner = await createUser(db);
    const ws = await createWorkspace(db, owner, { name: "Slow Mail Co" });
    await db
      .update(workspaces)
      .set({
        settings: {
          sender: {
            fromName: "Slow",
            fromEmail: "news@slow.example",
            replyTo: "",
            postalAddress: "1 Slow Lane, Springfield 12345",
            sendRatePerSecond: 0,
          },
          smtp: { url: sink.url },
        },
      })
      .where(eq(workspaces.id, ws.id));
    await verifySenderDomainThroughDns(db, dns, ws.id, "slow.example");
    const tag = `hb-${randomUUID().slice(0, 6)}`;
    await db.insert(leads).values(
      Array.from({ length: LEADS }, (_v, i) => ({
        workspaceId: ws.id,
        email: `hb${i}-${tag}@example.test`,
        tags: [tag],
      })),
    );
    const [c] = await db
      .insert(emailCampaigns)
      .values({
        workspaceId: ws.id,
        name: tag,
        type: "one-time",
        content: {},
        segmentCriteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
      })
      .returning();
    await db
      .insert(campaignSteps)
      .values({ workspaceId: ws.id, campaignId: c!.id, position: 0, subject: "Hi", body: "Hello" });
    await startCampaignSend({ db, workspaceId: ws.id, actor: systemActor }, c!.id);

    let running = true;
    const takeovers = (async () => {
      while (running) {
        await reclaimStaleSends(db, STALE_MS);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    expect(claimHeartbeatMs()).toBe(200);
    const started = Date.now();
    const result = await runSender(db, { workspaceId: ws.id, deadline: Date.now() + 30_000 });
    running = false;
    await takeovers;

    // The messages were held far longer than the stale threshold…
    expect(Date.now() - started).toBeGreaterThan(SMTP_DELAY_MS);
    // …yet none of this campaign's claims was taken over (a takeover moves a row's due time a day
    // back), and each message went out once.
    const [moved] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(emailSends)
      .where(sql`${emailSends.campaignId} = ${c!.id} and ${emailSends.dueAt} < now() - interval '12 hours'`);
    expect(moved!.n).toBe(0);
    expect(result.sent).toBe(LEADS);
    const rows = await db
      .select({ status: emailSends.status, n: sql<number>`count(*)::int` })
      .from(emailSends)
      .where(eq(emailSends.campaignId, c!.id))
      .groupBy(emailSends.status);
    expect(rows).toEqual([{ status: "sent", n: LEADS }]);
    expect(sink.received.length).toBe(LEADS);
  }, 60_000);
});
