import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { leads, mediaAssets } from "@/server/db/schema";
import { handleUpload, serveMedia } from "@/server/media-http";
import { setQueue } from "@/server/queue";
import { BullQueue } from "@/server/queue/bullmq";
import { getJobRun } from "@/server/services/jobs";
import { rejectedKey, uploadKey } from "@/server/services/leads-import/common";
import { handleImportUpload, handleRejectedDownload } from "@/server/services/leads-import/http";
import type { MediaAsset } from "@/server/services/media";
import { getStorage, resetStorage, storageKind } from "@/server/storage";
import { redisUrl, setupTestDb, usingPostgres } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";
import { type S3Server, startS3Server } from "../helpers/s3-server";
import { workerNodeArgs } from "../helpers/server-build";
import { SPAWNED_WORKER_ENV } from "../helpers/worker-env";

/**
 * Scale-out keeps no file on a process's own disk: a CSV uploaded through a web process is imported
 * by a worker process with ANOTHER DATA_DIR (`npm run worker`, on PostgreSQL + Redis), the rejected
 * rows the worker writes are downloaded through the web process, and media uploaded through one web
 * process is served, with ranges, by another. Once with files in PostgreSQL (no bucket), once in a
 * real S3-compatible server.
 */

const h = await setupTestDb();
const STORE_VARS = [
  "DATA_DIR",
  "FILE_STORAGE",
  "S3_BUCKET",
  "S3_REGION",
  "S3_ENDPOINT",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_FORCE_PATH_STYLE",
] as const;
const saved = Object.fromEntries(STORE_VARS.map((k) => [k, process.env[k]]));

/** This process becomes a web process with its own DATA_DIR and the given store settings. */
async function becomeProcess(dataDir: string, storeEnv: Record<string, string>) {
  for (const k of STORE_VARS) delete process.env[k];
  Object.assign(process.env, storeEnv, { DATA_DIR: dataDir });
  resetEnvCache();
  await resetStorage();
}

function filesUnder(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String) : [];
}

/** A minimal MP4 (an `ftyp` box, then bytes): enough for the upload's type sniffing. */
function fakeMp4(size: number): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from("ftypisom", "ascii"),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from("isommp41", "ascii"),
  ]);
  return Buffer.concat([ftyp, randomBytes(size - ftyp.length)]);
}

describe.skipIf(!redisUrl || !usingPostgres)(
  "files across processes (needs DATABASE_URL and REDIS_URL)",
  () => {
    let s3: S3Server;
    const dirs: string[] = [];
    const tmpDir = (label: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `organic-${label}-`));
      dirs.push(dir);
      return dir;
    };
    beforeAll(async () => {
      s3 = await startS3Server();
    }, 30_000);
    afterAll(async () => {
      setQueue(h.queue);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvCache();
      await resetStorage();
      await s3?.stop();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    const stores = [
      { store: "postgres", env: (): Record<string, string> => ({}) },
      { store: "s3", env: (): Record<string, string> => s3.env },
    ] as const;

    describe.each(stores)("with files in $store", ({ store, env }) => {
      it("a worker with its own DATA_DIR imports a CSV uploaded through a web process", {
        timeout: 90_000,
      }, async () => {
        const webDir = tmpDir("web");
        const workerDir = tmpDir("worker");
        await becomeProcess(webDir, env());
        expect(storageKind()).toBe(store);
        const prefix = `organic-files-${randomUUID().slice(0, 8)}`;
        const queue = new BullQueue(prefix);
        setQueue(queue);
        let worker: ChildProcess | undefined;
        try {
          const t = await twoWorkspaces(h.db);
          const csv = "email,name\nada@example.test,Ada\nnot-an-email,Bad Row\ngrace@example.test,Grace\n";
          const uploaded = await handleImportUpload({
            db: h.db,
            user: t.owner,
            workspaceId: t.ws.id,
            file: { body: Buffer.from(csv), name: "list.csv" },
          });
          const { uploadId } = (await uploaded.json()) as { uploadId: string };
          expect(uploaded.status).toBe(201);
          const { jobId } = await callerFor(h.db, t.owner).leadsImport.start({
            workspaceId: t.ws.id,
            uploadId,
            mapping: { email: "email", name: "name" },
          });

          // `npm run worker` on another "host": same database, Redis and store, a DATA_DIR of its own.
          worker = spawn(process.execPath, workerNodeArgs(), {
            env: {
              ...process.env,
              ...SPAWNED_WORKER_ENV,
              DATA_DIR: workerDir,
              QUEUE_PREFIX: prefix,
              LOG_LEVEL: "info",
              SMTP_URL: "",
            },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let output = "";
          worker.stdout!.on("data", (d) => {
            output += d;
          });
          worker.stderr!.on("data", (d) => {
            output += d;
          });

          let run = await getJobRun(h.db, t.ws.id, jobId);
          const deadline = Date.now() + 60_000;
          while ((run.status === "queued" || run.status === "running") && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 250));
            run = await getJobRun(h.db, t.ws.id, jobId);
          }
          expect(run.status, `${run.error ?? ""}\n${output}`).toBe("succeeded");
          expect(run.result).toMatchObject({ imported: 2, invalid: 1, total: 3 });
          const emails = (await h.db.select().from(leads).where(eq(leads.workspaceId, t.ws.id))).map(
            (l) => l.email,
          );
          expect(emails.sort()).toEqual(["ada@example.test", "grace@example.test"]);

          // The worker wrote the rejected rows; the web process serves them.
          const rejected = await handleRejectedDownload({
            db: h.db,
            user: t.owner,
            workspaceId: t.ws.id,
            jobId,
          });
          expect(rejected.status).toBe(200);
          const rejectedCsv = await rejected.text();
          expect(rejectedCsv).toContain("not-an-email");
          expect(rejectedCsv).toContain("Bad Row");
          expect(await getStorage().exists(rejectedKey(t.ws.id, jobId))).toBe(true);
          // The worker deletes the upload once the import has succeeded (after the run is marked, so a
          // crash in between leaves the file for the retry): right after, not necessarily yet.
          await expect
            .poll(() => getStorage().exists(uploadKey(t.ws.id, uploadId)), { timeout: 10_000 })
            .toBe(false);
          // Neither process kept a file on its own disk.
          expect(filesUnder(path.join(webDir, "uploads"))).toEqual([]);
          expect(filesUnder(path.join(workerDir, "uploads"))).toEqual([]);

          const exited = new Promise<number | null>((resolve) => worker!.on("exit", (code) => resolve(code)));
          worker.kill("SIGTERM");
          expect(await exited).toBe(0);
          worker = undefined;
        } finally {
          worker?.kill("SIGKILL");
          await queue.close();
          setQueue(h.queue);
        }
      });

      it("media uploaded through one web process is served with ranges by another", async () => {
        await becomeProcess(tmpDir("web-a"), env());
        const t = await twoWorkspaces(h.db);
        const video = fakeMp4(Math.round(2.5 * 1024 * 1024));
        const form = new FormData();
        form.set("workspaceId", t.ws.id);
        form.set("file", new File([new Uint8Array(video)], "clip.mp4", { type: "video/mp4" }));
        const res = await handleUpload({ db: h.db, user: t.member, formData: form });
        expect(res.status).toBe(201);
        const asset = (await res.json()) as MediaAsset;
        const [row] = await h.db.select().from(mediaAssets).where(eq(mediaAssets.id, asset.id));
        expect(row!.storage).toBe(store);

        // Another web process, another disk.
        const webB = tmpDir("web-b");
        await becomeProcess(webB, env());
        const serve = (headers: Record<string, string>) =>
          serveMedia({
            db: h.db,
            id: asset.id,
            filename: asset.filename,
            method: "GET",
            headers: new Headers(headers),
          });
        const whole = await serve({});
        expect(whole.status).toBe(200);
        expect(Buffer.from(await whole.arrayBuffer()).equals(video)).toBe(true);
        // A seek into the middle, across the store's 1 MiB chunks, and an open-ended one to the end.
        const start = 1024 * 1024 - 10;
        const part = await serve({ range: `bytes=${start}-${start + 99_999}` });
        expect(part.status).toBe(206);
        expect(part.headers.get("content-range")).toBe(`bytes ${start}-${start + 99_999}/${video.length}`);
        expect(Buffer.from(await part.arrayBuffer()).equals(video.subarray(start, start + 100_000))).toBe(
          true,
        );
        const tail = await serve({ range: `bytes=${video.length - 5}-` });
        expect(tail.status).toBe(206);
        expect(Buffer.from(await tail.arrayBuffer()).equals(video.subarray(video.length - 5))).toBe(true);
        expect(filesUnder(webB)).toEqual([]);
      });
    });
  },
);
