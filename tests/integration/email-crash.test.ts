import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { campaignSteps, emailCampaigns, workspaces } from "@/server/db/schema";
import { setQueue } from "@/server/queue";
import { BullQueue } from "@/server/queue/bullmq";
import { emailSenderTickJob } from "@/server/queue/jobs/email-sender";
import { systemActor } from "@/server/services/context";
import { pauseCampaign, resumeCampaign } from "@/server/services/email/campaigns";
import { MAX_DUPLICATES_PER_CRASH } from "@/server/services/email/send-recorder";
import { startCampaignSend } from "@/server/services/email/start";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { redisUrl, setupTestDb, usingPostgres } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";
import { recordingQueue } from "../helpers/queues";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";
import { workerNodeArgs } from "../helpers/server-build";
import { SPAWNED_WORKER_ENV } from "../helpers/worker-env";

// The workers it starts run every repeating tick (the email sender's among them) over the whole
// database: on a database of their own, so they never take another test file's sends or posts.
const h = await setupTestDb({ ownDatabase: true });
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const LEADS = 5000;
// The workers run with the default batch, parallelism, SMTP pool, heartbeat and stale threshold:
// the bounds asserted here are the ones a real install gets.
const BATCH = 100;
const PARALLELISM = 4;
const CONCURRENCY = 5;
/** Duplicates one crashed worker may cause: its SMTP pool plus its unrecorded window (10 + 40). */
const MAX_DUPLICATES = MAX_DUPLICATES_PER_CRASH;
/** A dead worker's claims are taken over within this, and sent right after (margin). */
const TAKEOVER_MS = 30_000;
const TAKEOVER_MARGIN_MS = 5_000;

/** Enqueues nothing: the worker process's tick finds the campaign in the database. */
const silentQueue = recordingQueue();

describe.skipIf(!redisUrl || !usingPostgres)(
  "campaign sending survives crashes (needs DATABASE_URL and REDIS_URL)",
  () => {
    const prefix = `organic-crash-${randomUUID().slice(0, 8)}`;
    let sink: SmtpSink;
    let redis: Redis;
    let workspaceId: string;
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      setQueue(silentQueue);
      sink = await startSmtpSink({ keepRaw: false });
      redis = new Redis(redisUrl!);
      const owner = await createUser(db);
      const ws = await createWorkspace(db, owner, { name: "Crash Co" });
      workspaceId = ws.id;
      await db
        .update(workspaces)
        .set({
          settings: {
            sender: {
              fromName: "Crash Co",
              fromEmail: "news@crash.example",
              replyTo: "",
              postalAddress: "1 Crash Road, Testville 12345",
              sendRatePerSecond: 0,
            },
          },
        })
        .where(eq(workspaces.id, ws.id));
      await verifySenderDomainThroughDns(db, dns, ws.id, "crash.example");
    }, 60_000);

    afterAll(async () => {
      for (const c of children) c.kill("SIGKILL");
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await sink.close();
      setQueue(h.queue);
    });

    function startWorker() {
      const child = spawn(process.execPath, workerNodeArgs(), {
        env: {
          ...process.env,
          ...SPAWNED_WORKER_ENV,
          QUEUE_PREFIX: prefix,
          SMTP_URL: sink.url,
          LOG_LEVEL: "warn",
          WORKER_CONCURRENCY: String(CONCURRENCY),
          APP_URL: "http://127.0.0.1:3999",
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d) => {
        stderr = (stderr + d).slice(-4000);
      });
      children.push(child);
      return { child, stderr: () => stderr };
    }

    async function campaignTo(n: number) {
      const tag = `crash-${randomUUID().slice(0, 6)}`;
      await db.execute(sql`
      insert into leads (workspace_id, email, name, tags)
      select ${workspaceId}::uuid, ${tag} || '-' || g || '@example.test', 'Lead ' || g, array[${tag}]::text[]
      from generate_series(1, ${n}) g`);
      const [c] = await db
        .insert(emailCampaigns)
        .values({
          workspaceId,
          name: tag,
          type: "one-time",
          content: {},
          segmentCriteria: { match: "all", conditions: [{ field: "tag", op: "has", value: tag }] },
        })
        .returning();
      await db.insert(campaignSteps).values({
        workspaceId,
        campaignId: c!.id,
        position: 0,
        subject: "Hi {{name}}",
        body: "Hello {{name|there}}, [see this](https://example.com/x).",
      });
      const { queued } = await startCampaignSend({ db, workspaceId, actor: systemActor }, c!.id);
      expect(queued).toBe(n);
      return { id: c!.id, tag };
    }

    const received = (tag: string) => sink.received.filter((m) => m.to[0]!.startsWith(`${tag}-`));

    async function until(cond: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
      const deadline = Date.now() + timeoutMs;
      while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    async function ledger(campaignId: string) {
      const rows = rowsOf<{ status: string; n: number }>(
        await db.execute(
          sql`select status, count(*)::int as n from email_sends where campaign_id = ${campaignId} group by status`,
        ),
      );
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    }

    async function finished(campaignId: string) {
      const [c] = await db
        .select({ status: emailCampaigns.status })
        .from(emailCampaigns)
        .where(eq(emailCampaigns.id, campaignId));
      return c!.status === "sent";
    }

    function tally(tag: string, n: number) {
      const perLead = new Map<string, number>();
      for (const m of received(tag)) perLead.set(m.to[0]!, (perLead.get(m.to[0]!) ?? 0) + 1);
      const duplicates = [...perLead.values()].reduce((a, v) => a + v - 1, 0);
      return { duplicates, missing: n - perLead.size, total: received(tag).length };
    }

    it("SIGKILL mid-send: at most N duplicates, and the dead worker's claims are sent within 30 s", async () => {
      const c = await campaignTo(LEADS);
      const w1 = startWorker();
      await until(() => received(c.tag).length >= 1000, 90_000, `1,000 messages (worker: ${w1.stderr()})`);
      w1.child.kill("SIGKILL");
      await new Promise((r) => w1.child.once("exit", r));
      const killedAt = Date.now();
      const receivedAtKill = received(c.tag).length;
      // What the dead worker had claimed: nobody may send these until its claims go stale.
      const stuck = rowsOf<{ id: string }>(
        await db.execute(sql`select id from email_sends where campaign_id = ${c.id} and status = 'sending'`),
      ).map((r) => r.id);

      const w2 = startWorker();
      await until(
        async () => {
          if (stuck.length === 0) return true;
          const [row] = rowsOf<{ n: number }>(
            await db.execute(sql`select count(*)::int as n from email_sends
              where id in (select jsonb_array_elements_text(${JSON.stringify(stuck)}::jsonb)::uuid)
                and status <> 'sent'`),
          );
          return Number(row?.n) === 0;
        },
        TAKEOVER_MS + TAKEOVER_MARGIN_MS,
        `the ${stuck.length} messages the dead worker had claimed to be sent (worker: ${w2.stderr()})`,
      );
      const stuckSentAfterMs = Date.now() - killedAt;
      await until(() => finished(c.id), 200_000, `the campaign to finish (worker: ${w2.stderr()})`);
      const t = tally(c.tag, LEADS);
      console.log(
        `[email-crash] SIGKILL after ${receivedAtKill} received; ${stuck.length} claimed rows stuck, all sent ${stuckSentAfterMs} ms after the kill; duplicates ${t.duplicates} (bound ${MAX_DUPLICATES}); missing ${t.missing}`,
      );
      expect(await ledger(c.id)).toEqual({ sent: LEADS });
      expect(t.missing).toBe(0);
      expect(t.duplicates).toBeLessThanOrEqual(MAX_DUPLICATES);
      expect(stuckSentAfterMs).toBeLessThanOrEqual(TAKEOVER_MS + TAKEOVER_MARGIN_MS);
      w2.child.kill("SIGTERM");
      await new Promise((r) => w2.child.once("exit", r));
    }, 300_000);

    it("pause stops new sends within seconds while a worker runs; resume finishes exactly once", async () => {
      const n = 3000;
      const c = await campaignTo(n);
      const w = startWorker();
      await until(() => received(c.tag).length >= 300, 90_000, `300 messages (worker: ${w.stderr()})`);
      const ctx = { db, workspaceId, actor: systemActor };
      await pauseCampaign(ctx, { id: c.id });
      const pausedAt = Date.now();
      const atPause = received(c.tag).length;
      // What was already claimed goes out; after that nothing: wait for a 2-second silence.
      let last = atPause;
      let lastChange = Date.now();
      await until(
        () => {
          const now = received(c.tag).length;
          if (now !== last) {
            last = now;
            lastChange = Date.now();
          }
          return Date.now() - lastChange >= 2000;
        },
        30_000,
        "sending to stop after the pause",
      );
      const stoppedWithinMs = lastChange - pausedAt;
      const afterPause = received(c.tag).length;
      const held = await ledger(c.id);
      console.log(
        `[email-crash] paused after ${atPause} received; ${afterPause - atPause} in-flight messages followed; last one ${stoppedWithinMs} ms after the pause`,
      );
      expect(stoppedWithinMs).toBeLessThan(5000);
      expect(afterPause - atPause).toBeLessThanOrEqual(PARALLELISM * BATCH);
      expect(held.pending ?? 0).toBeGreaterThan(0);
      expect(held.sending ?? 0).toBe(0);
      // still paused a while later: nothing more
      await new Promise((r) => setTimeout(r, 1500));
      expect(received(c.tag).length).toBe(afterPause);

      await resumeCampaign(ctx, { id: c.id });
      await until(
        () => finished(c.id),
        200_000,
        `the campaign to finish after resume (worker: ${w.stderr()})`,
      );
      const t = tally(c.tag, n);
      expect(await ledger(c.id)).toEqual({ sent: n });
      expect(t).toMatchObject({ duplicates: 0, missing: 0 });
      w.child.kill("SIGTERM");
      await new Promise((r) => w.child.once("exit", r));
    }, 300_000);

    it("Redis flushed mid-campaign: nothing lost, nothing repeated", async () => {
      const c = await campaignTo(LEADS);
      const w = startWorker();
      await until(() => received(c.tag).length >= 1000, 90_000, `1,000 messages (worker: ${w.stderr()})`);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      const atFlush = received(c.tag).length;
      // The flush also took the worker's repeating schedule; any tick (here: one enqueued the way
      // a web process would) finds the rest in the database.
      const queue = new BullQueue(prefix);
      await queue.enqueue(emailSenderTickJob, {});
      await until(() => finished(c.id), 200_000, `the campaign to finish (worker: ${w.stderr()})`);
      await queue.close();
      const t = tally(c.tag, LEADS);
      console.log(
        `[email-crash] Redis flushed after ${atFlush} received; duplicates ${t.duplicates}; missing ${t.missing}`,
      );
      expect(await ledger(c.id)).toEqual({ sent: LEADS });
      expect(t).toMatchObject({ duplicates: 0, missing: 0 });
      w.child.kill("SIGTERM");
      await new Promise((r) => w.child.once("exit", r));
    }, 300_000);
  },
);
