import fs from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { leads, webhookDeliveries, webhookEndpoints } from "@/server/db/schema";
import { getJobRun } from "@/server/services/jobs";
import { saveImportUpload } from "@/server/services/leads-import/upload";
import { IMPORT_WEBHOOK_BATCH } from "@/server/services/webhooks/events";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/**
 * A CSV import emits `lead.created` for the leads it inserted, in signed deliveries of up to
 * IMPORT_WEBHOOK_BATCH leads, to a real HTTP receiver — and nothing at all when no endpoint
 * subscribes to `lead.created`.
 */

const h = await setupTestDb({ ownDatabase: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-import-webhooks-"));
const saved = {
  DATA_DIR: process.env.DATA_DIR,
  S3_BUCKET: process.env.S3_BUCKET,
  ALLOW: process.env.WEBHOOKS_ALLOW_PRIVATE,
};
const t = await twoWorkspaces(h.db);
const owner = callerFor(h.db, t.owner);

const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let receiverUrl = "";

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  process.env.WEBHOOKS_ALLOW_PRIVATE = "true";
  delete process.env.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  for (const [k, v] of Object.entries({ DATA_DIR: saved.DATA_DIR, WEBHOOKS_ALLOW_PRIVATE: saved.ALLOW })) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (saved.S3_BUCKET !== undefined) process.env.S3_BUCKET = saved.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  await new Promise((r) => server.close(r));
  fs.rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await h.db.delete(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, t.ws.id));
  received.length = 0;
});

async function importCsv(csv: string, policy: "skip" | "update" = "skip") {
  const upload = await saveImportUpload(
    { db: h.db, workspaceId: t.ws.id, actor: { userId: t.owner.id, ip: null, userAgent: "vitest" } },
    { body: Buffer.from(csv), filename: "list.csv" },
  );
  const { jobId } = await owner.leadsImport.start({
    workspaceId: t.ws.id,
    uploadId: upload.uploadId,
    mapping: { email: "email", name: "name" },
    policy,
  });
  await h.queue.drain();
  const run = await getJobRun(h.db, t.ws.id, jobId);
  expect(run?.status, run?.error ?? "").toBe("succeeded");
  await h.queue.drain(); // the deliveries the import queued
  return { jobId, result: run!.result as { imported: number; updated: number } };
}

function csvOf(prefix: string, n: number) {
  return `email,name\n${Array.from({ length: n }, (_, i) => `${prefix}-${i}@import.test,Person ${i}`).join("\n")}\n`;
}

describe("lead.created after a CSV import", () => {
  it("delivers the inserted leads in signed batches of 100 to a subscribed endpoint", async () => {
    // One existing lead: with "update" it is merged, not created, so it is not in the batches.
    await owner.leads.create({ workspaceId: t.ws.id, email: "batch-0@import.test", name: "Already here" });
    const { secret } = await owner.webhooks.create({
      workspaceId: t.ws.id,
      url: receiverUrl,
      events: ["lead.created"],
    });
    received.length = 0;
    const n = 250;
    const { jobId, result } = await importCsv(csvOf("batch", n), "update");
    expect(result).toMatchObject({ imported: n - 1, updated: 1 });

    const wh = new Webhook(secret);
    // The lead created above may reach the new endpoint too (its event can be dispatched after the
    // endpoint exists, when the machine is slow): only the import's batches are counted here.
    const fromImport = received.filter(
      (r) => (JSON.parse(r.body) as { data?: { source?: string } }).data?.source === "import",
    );
    expect(received.length - fromImport.length).toBeLessThanOrEqual(1);
    const bodies = fromImport.map(
      (r) =>
        wh.verify(r.body, r.headers as Record<string, string>) as {
          type: string;
          data: {
            source: string;
            jobId: string;
            batch: { index: number; count: number };
            leads: { id: string; email: string; name: string }[];
          };
        },
    );
    expect(bodies).toHaveLength(Math.ceil((n - 1) / IMPORT_WEBHOOK_BATCH));
    for (const b of bodies) {
      expect(b.type).toBe("lead.created");
      expect(b.data).toMatchObject({ source: "import", jobId, batch: { count: bodies.length } });
      expect(b.data.leads.length).toBeLessThanOrEqual(IMPORT_WEBHOOK_BATCH);
    }
    expect(bodies.map((b) => b.data.batch.index).sort()).toEqual(bodies.map((_, i) => i));
    const emails = bodies.flatMap((b) => b.data.leads.map((l) => l.email));
    expect(new Set(emails).size).toBe(n - 1);
    expect(emails).not.toContain("batch-0@import.test");
    const inDb = await h.db
      .select({ id: leads.id, email: leads.email })
      .from(leads)
      .where(eq(leads.workspaceId, t.ws.id));
    const idOf = new Map(inDb.map((l) => [l.email, l.id]));
    for (const b of bodies) for (const l of b.data.leads) expect(l.id).toBe(idOf.get(l.email));
    // Receivers de-duplicate on webhook-id: one per delivery.
    expect(new Set(fromImport.map((r) => r.headers["webhook-id"])).size).toBe(bodies.length);
  });

  it("queues nothing when no enabled endpoint subscribes to lead.created", async () => {
    await owner.webhooks.create({ workspaceId: t.ws.id, url: receiverUrl, events: ["lead.unsubscribed"] });
    const disabled = await owner.webhooks.create({
      workspaceId: t.ws.id,
      url: receiverUrl,
      events: ["lead.created"],
    });
    await owner.webhooks.update({ workspaceId: t.ws.id, endpointId: disabled.endpoint.id, enabled: false });
    const before = await h.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.workspaceId, t.ws.id));
    const { result } = await importCsv(csvOf("quiet", 30));
    expect(result.imported).toBe(30);
    const after = await h.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.workspaceId, t.ws.id));
    expect(after.length).toBe(before.length);
    expect(received).toHaveLength(0);
  });

  it("sends nothing for an import that inserted no lead", async () => {
    const { secret } = await owner.webhooks.create({
      workspaceId: t.ws.id,
      url: receiverUrl,
      events: ["lead.created"],
    });
    expect(secret).toMatch(/^whsec_/);
    const { result } = await importCsv(csvOf("quiet", 30)); // the same addresses again, skipped
    expect(result.imported).toBe(0);
    expect(received).toHaveLength(0);
  });
});
