import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { rowsOf } from "@/server/db/raw-rows";
import { campaignSteps, emailCampaigns, workspaces } from "@/server/db/schema";
import { type QueueAdapter, setQueue } from "@/server/queue";
import { systemActor } from "@/server/services/context";
import { startCampaignSend } from "@/server/services/email/start";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { redisUrl, setupTestDb, usingPostgres } from "../helpers/db";
import { createUser, createWorkspace } from "../helpers/fixtures";
import { startDnsStandInForFile, verifySenderDomainThroughDns } from "../helpers/sender-domains";
import { workerNodeArgs } from "../helpers/server-build";
import { SPAWNED_WORKER_ENV } from "../helpers/worker-env";

/*
 * Graceful shutdown (issue #13 item 8): SIGTERM on `npm run worker` mid-campaign. The worker stops
 * taking jobs, hands back the rows it had claimed but not yet sent (back to `pending`), closes its
 * pools and exits 0 within SHUTDOWN_TIMEOUT_MS; another worker finishes the campaign with nothing
 * missing and nothing sent twice.
 */

// The workers it starts run every repeating tick (the email sender's among them) over the whole
// database: on a database of their own, so they never take another test file's sends or posts.
const h = await setupTestDb({ ownDatabase: true });
const db = h.db as Db;
const dns = await startDnsStandInForFile();

const LEADS = 3000;
const SHUTDOWN_TIMEOUT_MS = 8000;
/** The exit must come within the bound plus process teardown. */
const EXIT_WITHIN_MS = SHUTDOWN_TIMEOUT_MS + 4000;

/** Enqueues nothing: the worker's own tick finds the campaign in the database. */
const silentQueue: QueueAdapter = {
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

describe.skipIf(!redisUrl || !usingPostgres)("SIGTERM on a worker (needs DATABASE_URL and REDIS_URL)", () => {
  const prefix = `organic-shutdown-${randomUUID().slice(0, 8)}`;
  let sink: SmtpSink;
  let redis: Redis;
  let workspaceId: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    setQueue(silentQueue);
    sink = await startSmtpSink({ keepRaw: false });
    redis = new Redis(redisUrl!);
    const owner = await createUser(db);
    const ws = await createWorkspace(db, owner, { name: "Shutdown Co" });
    workspaceId = ws.id;
    await db
      .update(workspaces)
      .set({
        settings: {
          sender: {
            fromName: "Shutdown Co",
            fromEmail: "news@shutdown.example",
            replyTo: "",
            postalAddress: "1 Quiet Road, Testville 12345",
            sendRatePerSecond: 0,
          },
        },
      })
      .where(eq(workspaces.id, ws.id));
    await verifySenderDomainThroughDns(db, dns, ws.id, "shutdown.example");
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
        LOG_LEVEL: "info",
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        // One sender job would otherwise keep sending for two minutes: it must stop on the signal.
        EMAIL_SENDER_WINDOW_MS: "120000",
        APP_URL: "http://127.0.0.1:3999",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (d: Buffer) => {
      output = (output + d).slice(-8000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    children.push(child);
    return { child, output: () => output };
  }

  async function until(cond: () => Promise<boolean> | boolean, timeoutMs: number, what: () => string) {
    const deadline = Date.now() + timeoutMs;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const ledger = async (campaignId: string) =>
    Object.fromEntries(
      rowsOf<{ status: string; n: number }>(
        await db.execute(
          sql`select status, count(*)::int as n from email_sends where campaign_id = ${campaignId} group by status`,
        ),
      ).map((r) => [r.status, Number(r.n)]),
    );

  it("stops taking jobs, hands claims back, exits 0 in time; another worker finishes with 0 missing, 0 duplicates", async () => {
    const tag = `shutdown-${randomUUID().slice(0, 6)}`;
    await db.execute(sql`
      insert into leads (workspace_id, email, name, tags)
      select ${workspaceId}::uuid, ${tag} || '-' || g || '@example.test', 'Lead ' || g, array[${tag}]::text[]
      from generate_series(1, ${LEADS}) g`);
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
      body: "Hello {{name|there}}.",
    });
    expect((await startCampaignSend({ db, workspaceId, actor: systemActor }, c!.id)).queued).toBe(LEADS);
    const received = () => sink.received.filter((m) => m.to[0]!.startsWith(`${tag}-`));

    const a = startWorker();
    await until(
      () => received().length >= 300,
      120_000,
      () => `300 messages (worker: ${a.output()})`,
    );
    const exited = new Promise<number | null>((resolve) => a.child.once("exit", (code) => resolve(code)));
    const signalledAt = Date.now();
    a.child.kill("SIGTERM");
    const code = await exited;
    const tookMs = Date.now() - signalledAt;
    const atExit = received().length;
    expect(code, a.output()).toBe(0);
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(a.output()).toContain("worker stopped");
    // Nothing is left claimed by the stopped worker: whatever it had not sent is pending again,
    // so the next worker takes it at once instead of waiting for the claims to go stale.
    const afterStop = await ledger(c!.id);
    expect(afterStop.sending ?? 0).toBe(0);
    expect(afterStop.sent ?? 0).toBeLessThan(LEADS);

    // The stopped worker's sender jobs hand over to the next window's: the rest goes out now, not
    // when the tick's next window begins (the tick's job of this window has the stopped job's id, so
    // it cannot run again). Half the window is room enough for 3,000 messages on a slow machine.
    const b = startWorker();
    await until(
      async () => (await ledger(c!.id)).sent === LEADS,
      60_000,
      () => `the campaign to finish before the 2-minute sender window ends (worker: ${b.output()})`,
    );
    const perLead = new Map<string, number>();
    for (const m of received()) perLead.set(m.to[0]!, (perLead.get(m.to[0]!) ?? 0) + 1);
    const duplicates = [...perLead.values()].reduce((sum, n) => sum + n - 1, 0);
    console.log(
      `[worker-shutdown] SIGTERM after ${atExit} received; exit 0 after ${tookMs} ms; missing ${LEADS - perLead.size}; duplicates ${duplicates}`,
    );
    expect(LEADS - perLead.size).toBe(0);
    expect(duplicates).toBe(0);
    const exitedB = new Promise((r) => b.child.once("exit", r));
    b.child.kill("SIGTERM");
    await exitedB;
  }, 400_000);
});
