import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { openDb } from "@/server/db";
import { activityLogs, outboxMessages, users } from "@/server/db/schema";
import { seedEmbeddedDataDir } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";
import { cliNodeArgs } from "../helpers/server-build";

/*
 * The operator's side of accounts: create-user works whatever SIGNUP says and refuses common
 * passwords; verify-email vouches for an address when no mail server can carry the link. The real
 * CLI in child processes, on a new embedded database made from the migrated template (or DATABASE_URL
 * when set).
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI_TIMEOUT = 90_000;
let dataDir: string;

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...cliNodeArgs(), ...args],
      {
        cwd: ROOT,
        timeout: CLI_TIMEOUT,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          BETTER_AUTH_SECRET: "cli-test-secret-cli-test-secret-cli-test",
          ...extraEnv,
        },
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
      },
    );
  });
}

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

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-auth-cli-"));
  await seedEmbeddedDataDir(dataDir);
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("accounts from the command line", { timeout: CLI_TIMEOUT * 3 }, () => {
  const email = uniqueEmail("operator-made");

  it("create-user works with SIGNUP=closed, and mails nothing", async () => {
    const run = await cli(["create-user", "--email", email, "--password", "correct horse 42", "--json"], {
      SIGNUP: "closed",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ email });
    await withCliDb(async (db) => {
      const [u] = await db.select().from(users).where(eq(users.email, email));
      expect(u?.emailVerified).toBe(false);
      expect(await db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, email))).toEqual([]);
    });
  });

  it("verify-email marks the address verified (once) and records who did it", async () => {
    const first = await cli(["verify-email", "--email", email.toUpperCase(), "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ email, emailVerified: true, changed: true });
    const again = await cli(["verify-email", "--email", email]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already verified/);
    await withCliDb(async (db) => {
      const [u] = await db.select().from(users).where(eq(users.email, email));
      expect(u?.emailVerified).toBe(true);
      const logs = await db.select().from(activityLogs).where(eq(activityLogs.entityId, u!.id));
      expect(logs.map((l) => l.action)).toContain("user.email_verified_by_operator");
    });
  });

  it("verify-email names an unknown address; create-user refuses a common password", async () => {
    const unknown = await cli(["verify-email", "--email", uniqueEmail("nobody")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No user with email/);
    const weak = uniqueEmail("weak");
    const refused = await cli(["create-user", "--email", weak, "--password", "password123"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/too common/);
    await withCliDb(async (db) => {
      expect(await db.select().from(users).where(eq(users.email, weak))).toEqual([]);
    });
  });
});
