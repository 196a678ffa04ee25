import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lockedForSocket } from "@/server/db/pglite-socket-lock";

/*
 * The embedded database is one PGlite session: the web server's own queries and the CLI's (through
 * the socket) must not land inside each other's transactions. A real PGlite served on a real unix
 * socket, a real `pg` client on it, as `npm run cli` connects while `npm start` runs.
 */
describe("embedded database: socket clients and the owning process take turns by transaction", () => {
  let dir: string;
  let db: PGlite;
  let server: PGLiteSocketServer;
  let client: pg.Client;

  // One database for the file (PGlite's initdb is seconds of CPU); each test gets a new table, socket
  // server and client.
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-sock-"));
    await db.exec("drop table if exists t; create table t (v text not null)");
    server = new PGLiteSocketServer({
      db: lockedForSocket(db),
      path: path.join(dir, ".s.PGSQL.5432"),
      maxConnections: 4,
    });
    await server.start();
    client = new pg.Client({ host: dir, user: "postgres", database: "postgres" });
    await client.connect();
  });

  afterEach(async () => {
    await client.end().catch(() => undefined);
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const values = async () =>
    (await db.query<{ v: string }>("select v from t order by v")).rows.map((r) => r.v);

  it("a socket write waits for the owner's transaction, and is not rolled back with it", async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const owner = db.transaction(async (tx) => {
      await tx.query("insert into t values ('owner')");
      entered();
      await sleep(300);
      await tx.rollback();
    });
    await inside;
    await client.query("insert into t values ('socket')");
    await owner;
    expect(await values()).toEqual(["socket"]);
  });

  it("the owner's write waits for a socket transaction, and is not rolled back with it", async () => {
    await client.query("begin");
    await client.query("insert into t values ('socket')");
    const ownerWrite = db.query("insert into t values ('owner')");
    await sleep(200);
    await client.query("rollback");
    await ownerWrite;
    expect(await values()).toEqual(["owner"]);
  });

  it("a socket client that leaves in the middle of a transaction rolls it back and lets the owner go on", async () => {
    await client.query("begin");
    await client.query("insert into t values ('left behind')");
    await client.end();
    await db.query("insert into t values ('owner')");
    expect(await values()).toEqual(["owner"]);
  });

  it("socket transactions commit as written", async () => {
    await client.query("begin");
    await client.query("insert into t values ('a'), ('b')");
    await client.query("commit");
    await db.query("insert into t values ('c')");
    expect(await values()).toEqual(["a", "b", "c"]);
  });
});
