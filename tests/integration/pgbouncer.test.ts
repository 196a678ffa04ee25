import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, migrationsFolder, openDb } from "@/server/db";
import { executePrepared, preparedStatementsRefused, resetPreparedStatements } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { domainEvents, leads, outboxMessages } from "@/server/db/schema";
import { BullQueue } from "@/server/queue/bullmq";
import { sendSystemEmailJob } from "@/server/queue/jobs/system-email";
import { systemActor } from "@/server/services/context";
import { createLead } from "@/server/services/leads/leads";
import { importLeadsFromUpload } from "@/server/services/leads-import/import-file";
import { startImportInput } from "@/server/services/leads-import/schemas";
import { IMPORT_LOCK_NAMESPACE } from "@/server/services/leads-import/staging";
import { saveImportUpload } from "@/server/services/leads-import/upload";
import { createWorkspace } from "@/server/services/workspaces";
import { resetStorage } from "@/server/storage";
import { type SmtpSink, startSmtpSink } from "../fixtures/smtp-sink";
import { withEnv } from "../helpers/cli-process";
import { createUser } from "../helpers/fixtures";
import { findPgbouncer, type PgBouncer, startPgBouncer } from "../helpers/pgbouncer";
import { scratchDatabase } from "../helpers/scratch-db";
import { workerNodeArgs } from "../helpers/server-build";
import { SPAWNED_WORKER_ENV } from "../helpers/worker-env";

/*
 * The scale-out paths through a real PgBouncer in transaction pooling: migrations from several
 * processes at once (a session advisory lock would be held on whichever server connection PgBouncer
 * happened to lend), then a worker process whose every query goes through PgBouncer: it claims and
 * runs queued jobs, consumes domain events, and sends an email to an SMTP server.
 *
 * In CI this must run (.ci/run installs Debian's pgbouncer); elsewhere it is skipped, saying so, when
 * the binary is absent.
 */

const binary = findPgbouncer();
const baseUrl = process.env.DATABASE_URL;
const inCi = process.env.CI === "true";
if (!baseUrl) console.warn("[pgbouncer.test] skipped: needs DATABASE_URL (PostgreSQL)");
else if (!binary && !inCi)
  console.warn("[pgbouncer.test] SKIPPED: pgbouncer is not installed (apt-get install -y pgbouncer)");

describe.skipIf(!baseUrl || (!binary && !inCi))("through PgBouncer in transaction pooling", () => {
  const suffix = randomUUID().slice(0, 8);
  const scratch = scratchDatabase("pgb");
  const directUrl = scratch.url;
  let bouncer: PgBouncer;
  let viaBouncer: string;

  beforeAll(async () => {
    if (!binary) throw new Error("pgbouncer is not installed: CI must install it (see .ci/run)");
    await scratch.create();
    bouncer = await startPgBouncer(directUrl, binary);
    viaBouncer = bouncer.urlFor(directUrl);
  });
  afterAll(async () => {
    await bouncer?.stop();
    await scratch.drop();
  });

  it("is PgBouncer, pooling by transaction", async () => {
    const config = await bouncer.admin("show config");
    expect(config.find((r) => r.key === "pool_mode")?.value).toBe("transaction");
  });

  it("a named statement PgBouncer cannot keep runs again unnamed, and the process stops naming them", async () => {
    resetPreparedStatements();
    const h = await withEnv({ DATABASE_URL: viaBouncer, DATABASE_POOL_SIZE: "1" }, () => openDb());
    const holder = new pg.Client({ connectionString: viaBouncer });
    await holder.connect();
    try {
      const q = (n: number) => sql`select ${n}::int * 2 as n`;
      // Prepared on the server connection PgBouncer lent for this one statement.
      expect(rowsOf<{ n: number }>(await executePrepared(h.db, q(1)))[0]!.n).toBe(2);
      expect(preparedStatementsRefused()).toBe(false);
      // An open transaction holds that server connection (PgBouncer lends the last one freed)...
      await holder.query("begin");
      await holder.query("select 1");
      // ...so the next run's Bind by name reaches one that never prepared it: refused, run unnamed.
      expect(rowsOf<{ n: number }>(await executePrepared(h.db, q(2)))[0]!.n).toBe(4);
      expect(preparedStatementsRefused()).toBe(true);
      expect(rowsOf<{ n: number }>(await executePrepared(h.db, q(3)))[0]!.n).toBe(6);
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await holder.end();
      await h.close();
      resetPreparedStatements();
    }
  });

  it("migrates a fresh database from three processes at once, each migration applied once", async () => {
    const handles = await withEnv({ DATABASE_URL: viaBouncer }, async () =>
      Promise.all([openDb(), openDb(), openDb()]),
    );
    try {
      await Promise.all(handles.map((h) => h.migrate()));
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    const client = new pg.Client({ connectionString: directUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ hash: string }>("select hash from drizzle.__drizzle_migrations");
      const files = readMigrationFiles({ migrationsFolder: migrationsFolder() });
      expect(rows.map((r) => r.hash).sort()).toEqual(files.map((f) => f.hash).sort());
      // No advisory lock was left behind on a pooled server connection.
      const { rows: locks } = await client.query(
        "select 1 from pg_locks l join pg_database d on d.oid = l.database where l.locktype = 'advisory' and d.datname = current_database()",
      );
      expect(locks).toHaveLength(0);
    } finally {
      await client.end();
    }
  });

  it("imports a CSV with every query through PgBouncer and the import's sessions on DATABASE_SESSION_URL", {
    timeout: 120_000,
  }, async () => {
    await withEnv(
      { DATABASE_URL: viaBouncer, DATABASE_SESSION_URL: directUrl, FILE_STORAGE: "postgres" },
      async () => {
        resetStorage();
        const h = await openDb();
        await h.migrate(); // already done by the test above when the file runs whole
        try {
          const owner = await createUser(h.db);
          const ws = await createWorkspace(
            { db: h.db, actor: systemActor, ownerId: owner.id },
            { name: "Import" },
          );
          const rows = Array.from({ length: 3000 }, (_, i) => `lead${i}@example.test,Lead ${i}`);
          // One address twice: the duplicate check runs on the staging session too.
          const csv = ["email,name", ...rows, "lead7@example.test,Again"].join("\n");
          const ctx = { db: h.db, actor: systemActor, workspaceId: ws.id };
          const { uploadId } = await saveImportUpload(ctx, { body: Buffer.from(csv) });
          const result = await importLeadsFromUpload(h.db, {
            workspaceId: ws.id,
            jobId: randomUUID(),
            input: startImportInput.parse({ uploadId, mapping: { email: "email", name: "name" } }),
            mergeChunkRows: 500,
          });
          expect(result).toMatchObject({ total: 3001, imported: 3000, duplicates: 1, invalid: 1 }); // a duplicate is also a rejected row
          const [n] = await h.db.select({ n: count() }).from(leads).where(eq(leads.workspaceId, ws.id));
          expect(n!.n).toBe(3000);
          // Nothing of the import is left behind: no staging table, no advisory lock.
          const direct = new pg.Client({ connectionString: directUrl });
          await direct.connect();
          try {
            const { rows: left } = await direct.query(
              `select relname from pg_class where relname like 'leads_import_%'
             union all
             select objid::text from pg_locks
             where locktype = 'advisory' and classid = ${IMPORT_LOCK_NAMESPACE}
               and database = (select oid from pg_database where datname = current_database())`,
            );
            expect(left).toEqual([]);
          } finally {
            await direct.end();
          }
        } finally {
          await h.close();
          resetStorage();
        }
      },
    );
  });

  describe.skipIf(!process.env.REDIS_URL)(
    "a worker process whose database is PgBouncer (needs REDIS_URL)",
    () => {
      const prefix = `o-pgb-${suffix}`;
      let sink: SmtpSink;
      let worker: ChildProcess | undefined;
      let output = "";
      let h: DbHandle;
      let queue: BullQueue;

      beforeAll(async () => {
        sink = await startSmtpSink();
        h = await withEnv({ DATABASE_URL: viaBouncer }, async () => openDb());
        queue = new BullQueue(prefix);
        worker = spawn(process.execPath, workerNodeArgs(), {
          env: {
            ...process.env,
            ...SPAWNED_WORKER_ENV,
            DATABASE_URL: viaBouncer,
            QUEUE_PREFIX: prefix,
            SMTP_URL: sink.url,
            DOMAIN_EVENTS_INTERVAL_MS: "200",
            LOG_LEVEL: "info",
            BETTER_AUTH_SECRET: "pgbouncer-test-secret-pgbouncer-test-secret",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        worker.stdout!.on("data", (d) => {
          output += d;
        });
        worker.stderr!.on("data", (d) => {
          output += d;
        });
      });
      afterAll(async () => {
        if (worker && worker.exitCode === null) worker.kill("SIGKILL");
        await queue?.close();
        await h?.close();
        await sink?.close();
      });

      async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000) {
        const deadline = Date.now() + ms;
        for (;;) {
          const got = await probe();
          if (got) return got;
          if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}\n--- worker output ---\n${output}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }

      it("consumes the domain events of a lead created through PgBouncer", { timeout: 120_000 }, async () => {
        const owner = await createUser(h.db);
        const ws = await createWorkspace(
          { db: h.db, actor: systemActor, ownerId: owner.id },
          { name: "Pooled" },
        );
        await createLead(
          { db: h.db, actor: systemActor, workspaceId: ws.id },
          { email: "pooled@example.test", status: "active", tags: ["pgbouncer"], customFields: {} },
        );
        const events = await h.db.select().from(domainEvents).where(eq(domainEvents.workspaceId, ws.id));
        expect(events.map((e) => e.type)).toContain("lead.created");
        await until("the worker to consume the events", async () => {
          const left = await h.db
            .select({ id: domainEvents.id })
            .from(domainEvents)
            .where(and(eq(domainEvents.workspaceId, ws.id), isNull(domainEvents.processedAt)));
          return left.length === 0;
        });
        const [done] = await h.db.select().from(domainEvents).where(eq(domainEvents.id, events[0]!.id));
        expect(done!.lastError).toBeNull();
      });

      it("claims a queued job and sends its email over SMTP, then stops cleanly", {
        timeout: 120_000,
      }, async () => {
        const [msg] = await h.db
          .insert(outboxMessages)
          .values({
            kind: "test",
            toAddress: "pooled-send@example.test",
            subject: "Through PgBouncer",
            text: "hi",
          })
          .returning();
        await queue.enqueue(sendSystemEmailJob, { outboxId: msg!.id });
        await until("the email to be sent", async () => {
          const [row] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.id, msg!.id));
          return row!.status === "sent";
        });
        expect(sink.for("pooled-send@example.test")).toHaveLength(1);

        const exited = new Promise<number | null>((resolve) => worker!.on("exit", (code) => resolve(code)));
        worker!.kill("SIGTERM");
        expect(await exited).toBe(0);
        // Nothing the worker did through PgBouncer logged an error (pino levels 50 and 60).
        expect(output.split("\n").filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
      });
    },
  );
});
