import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/crypto";
import { resetEnvCache } from "@/lib/env";
import { openDb } from "@/server/db";
import { activityLogs, apiKeys, content, contentMetrics, emailCampaigns, leads } from "@/server/db/schema";
import { verifyApiKey } from "@/server/services/api-keys";
import { usingPostgres } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";
import { cliNodeArgs } from "../helpers/server-build";

/*
 * Runs the real CLI in child processes: against a fresh embedded database in a temporary DATA_DIR,
 * or against DATABASE_URL when it is set (then with unique emails and slugs).
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI_TIMEOUT = 90_000;
let dataDir: string;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command from the repository with the CLI's test environment. */
function run(file: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: ROOT,
        timeout: CLI_TIMEOUT,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          // keeps the CLI from writing a generated secret into the repository's .data in Postgres mode
          BETTER_AUTH_SECRET: "cli-test-secret-cli-test-secret-cli-test",
          ...extraEnv,
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  run(process.execPath, [...cliNodeArgs(), ...args], extraEnv);

/** Asserts that stdout is exactly one line holding one JSON object, and returns it. */
function oneJsonLine(run: CliRun): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.endsWith("\n")).toBe(true);
  const lines = run.stdout.split("\n").filter((l) => l !== "");
  expect(lines).toHaveLength(1);
  const value = JSON.parse(lines[0]!);
  expect(value).toBeTypeOf("object");
  expect(Array.isArray(value)).toBe(false);
  return value;
}

/** Opens the database the CLI used, from this process (the CLI has exited, so the files are free). */
async function withCliDb<T>(fn: (db: Awaited<ReturnType<typeof openDb>>["db"]) => Promise<T>): Promise<T> {
  const previous = process.env.DATA_DIR;
  process.env.DATA_DIR = dataDir;
  resetEnvCache();
  const handle = await openDb();
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
    if (previous === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = previous;
    resetEnvCache();
  }
}

const suffix = randomUUID().slice(0, 8);
const email = uniqueEmail("cli-owner");
const slug = `cli-${suffix}`;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-cli-test-"));
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("organic CLI", { timeout: CLI_TIMEOUT * 2 }, () => {
  let workspaceId: string;
  let apiKey: { id: string; name: string; prefix: string; key: string };

  it("migrate says which database it used", async () => {
    // --verbose: logs on stderr, stdout still the one JSON line.
    const first = await cli(["migrate", "--json", "--verbose"]);
    const out = oneJsonLine(first);
    expect(out).toMatchObject({ ok: true, database: usingPostgres ? "postgres" : "pglite" });
    // A new embedded folder is made by a child process (server/db/index.ts: createDataDirApart), not
    // by the fallback in this one.
    expect(first.stderr).not.toContain("could not create the embedded database in a child process");
    const human = await cli(["migrate"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(usingPostgres ? /PostgreSQL/ : /embedded PGlite/);
  });

  it("create-user prints the new user", async () => {
    const out = oneJsonLine(
      await cli(["create-user", "--email", email.toUpperCase(), "--password", "correct horse 42", "--json"]),
    );
    expect(out).toEqual({ id: expect.any(String), email, name: email.split("@")[0] });
  });

  it("create-workspace makes the user its owner", async () => {
    const out = oneJsonLine(
      await cli(["create-workspace", "--owner", email, "--name", "Fernwood Games", "--slug", slug, "--json"]),
    );
    expect(out).toEqual({ id: expect.any(String), slug, name: "Fernwood Games" });
    workspaceId = out.id as string;
  });

  it("seed-demo fills every table once and skips on a rerun", async () => {
    const first = oneJsonLine(await cli(["seed-demo", "--workspace", slug, "--json"]));
    expect(first).toMatchObject({ workspaceId, slug });
    const inserted = first.inserted as Record<string, number>;
    expect(inserted.leads).toBeGreaterThanOrEqual(50);
    expect(inserted.content).toBeGreaterThanOrEqual(20);
    expect(inserted.contentMetrics).toBeGreaterThan(0);
    expect(inserted.emailCampaigns).toBe(5);
    expect(inserted.orders).toBeGreaterThan(0);
    expect(inserted.contentMetricSnapshots).toBeGreaterThan(0);
    expect(inserted.workspaceInvitations).toBe(2);
    expect(inserted.activityLogs).toBe(1);

    const again = oneJsonLine(await cli(["seed-demo", "--workspace", slug, "--json"]));
    expect(again.inserted).toMatchObject({
      leads: 0,
      content: 0,
      contentMetrics: 0,
      emailCampaigns: 0,
      orders: 0,
      contentMetricSnapshots: 0,
      workspaceInvitations: 0,
      activityLogs: 1,
    });
    expect(again.skipped).toMatchObject({
      leads: inserted.leads,
      content: inserted.content,
      emailCampaigns: 5,
      workspaceInvitations: 2,
    });
    // Marketplace orders are planned again and found by their order id; content history comes with content.
    expect((again.skipped as Record<string, number>).orders).toBeGreaterThan(0);

    await withCliDb(async (db) => {
      const n = async (table: typeof leads | typeof content | typeof emailCampaigns) =>
        (await db.select({ n: count() }).from(table).where(eq(table.workspaceId, workspaceId)))[0]!.n;
      expect(await n(leads)).toBe(inserted.leads);
      expect(await n(content)).toBe(inserted.content);
      expect(await n(emailCampaigns)).toBe(5);
      const [metrics] = await db
        .select({ n: count() })
        .from(contentMetrics)
        .innerJoin(content, eq(content.id, contentMetrics.contentId))
        .where(eq(content.workspaceId, workspaceId));
      expect(metrics!.n).toBe(inserted.contentMetrics);
      const statuses = await db
        .selectDistinct({ status: content.status })
        .from(content)
        .where(eq(content.workspaceId, workspaceId));
      expect(statuses.map((s) => s.status).sort()).toEqual([
        "draft",
        "failed",
        "published",
        "publishing",
        "scheduled",
      ]);
      const [future] = await db
        .select({ n: count() })
        .from(content)
        .where(
          and(
            eq(content.workspaceId, workspaceId),
            eq(content.status, "scheduled"),
            sql`${content.scheduledAt} <= now()`,
          ),
        );
      expect(future!.n).toBe(0);
      const seeded = await db
        .select({ userAgent: activityLogs.userAgent })
        .from(activityLogs)
        .where(and(eq(activityLogs.workspaceId, workspaceId), eq(activityLogs.action, "demo.seeded")));
      expect(seeded).toEqual([{ userAgent: "organic-cli" }, { userAgent: "organic-cli" }]);
    });
  });

  it("create-api-key prints the key once; only its hash is stored and it verifies", async () => {
    const out = oneJsonLine(
      await cli(["create-api-key", "--workspace", slug, "--name", "Zapier", "--scopes", "read", "--json"]),
    );
    expect(out).toMatchObject({ id: expect.any(String), name: "Zapier", prefix: expect.any(String) });
    apiKey = out as typeof apiKey;
    expect(apiKey.key).toMatch(/^org_live_/);
    expect(apiKey.prefix).toBe(apiKey.key.slice(0, 12));

    await withCliDb(async (db) => {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
      expect(row!.keyHash).toBe(sha256Hex(apiKey.key));
      expect(row!.keyHash).not.toBe(apiKey.key);
      expect(row!.workspaceId).toBe(workspaceId);
      expect(await verifyApiKey(db, apiKey.key)).toEqual({
        apiKeyId: apiKey.id,
        workspaceId,
        scopes: ["read"],
        // Made by the operator (no creator): acts as an admin.
        role: "admin",
      });
      expect(await verifyApiKey(db, `${apiKey.key.slice(0, -2)}xx`)).toBeNull();
    });
  });

  it("prints a friendly line without --json", async () => {
    const run = await cli(["create-api-key", "--workspace", slug, "--name", "CI", "--expires-in-days", "30"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Created API key "CI"/);
    expect(run.stdout).toMatch(/org_live_\S{43}/);
  });

  it("through npm: `npm run -s cli -- … --json` is one JSON line; a failing script is not silent", async () => {
    const npm = (args: string[]) => run("npm", args);
    const json = oneJsonLine(await npm(["run", "-s", "cli", "--", "migrate", "--json"]));
    expect(json).toHaveProperty("ok", true);
    // Without -s npm shows what it runs, and a failure says so (the project no longer silences npm).
    const failed = await npm(["run", "cli", "--", "frobnicate"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("> organic@");
    expect(failed.stderr).toMatch(/Unknown command|frobnicate/);
  });

  describe("refusals: message on stderr, nothing on stdout, exit 1", () => {
    const refused = (run: CliRun, message: RegExp) => {
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    };

    it("an unknown owner email", async () => {
      refused(
        await cli(["create-workspace", "--owner", uniqueEmail("nobody"), "--name", "X", "--json"]),
        /No user with email/,
      );
    });

    it("an invalid email", async () => {
      refused(
        await cli(["create-user", "--email", "not-an-email", "--password", "long enough pw", "--json"]),
        /--email: Enter a valid email address/,
      );
    });

    it("a duplicate user", async () => {
      refused(
        await cli(["create-user", "--email", email, "--password", "long enough pw", "--json"]),
        /already exists/,
      );
    });

    it("a duplicate slug", async () => {
      refused(
        await cli(["create-workspace", "--owner", email, "--name", "Again", "--slug", slug, "--json"]),
        /slug is already taken/,
      );
    });

    it("missing and unknown flags, bad values, unknown commands and workspaces", async () => {
      const runs = await Promise.all([
        cli(["create-user", "--password", "long enough pw", "--json"]),
        cli(["create-user", "--email", "a@example.com", "--pasword", "x", "--json"]),
        cli(["create-api-key", "--workspace", slug, "--name", "x", "--scopes", "admin", "--json"]),
        cli(["frobnicate", "--json"]),
      ]);
      refused(runs[0]!, /Missing required flag --email/);
      refused(runs[1]!, /Unknown option '--pasword'/);
      refused(runs[2]!, /Unknown scope "admin"/);
      refused(runs[3]!, /Unknown command "frobnicate"/);
      refused(
        await cli(["seed-demo", "--workspace", `missing-${suffix}`, "--json"]),
        /No workspace with slug/,
      );
    });
  });

  it("exits 2 on an unexpected failure, such as an unreachable database", async () => {
    const run = await cli(["migrate", "--json"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/nothing" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/unexpected failure/);
  });

  it("prints usage for help and without a command", async () => {
    const bare = await cli([]);
    expect(bare.code).toBe(0);
    for (const name of [
      "migrate",
      "create-user",
      "create-workspace",
      "seed-demo",
      "create-api-key",
      "verify-email",
      "backup",
      "restore",
      "doctor",
      "instance-admin",
    ]) {
      expect(bare.stdout).toContain(name);
    }
    const help = oneJsonLine(await cli(["help", "--json"]));
    expect((help.commands as unknown[]).length).toBe(10);
  });
});
