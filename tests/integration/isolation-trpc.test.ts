import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { SessionUser } from "@/server/api/trpc";
import { resetStorage } from "@/server/storage";
import { setupTestDb } from "../helpers/db";
import { type MatrixEntry, procedureMatrix } from "../helpers/procedure-matrix";
import {
  freshMember,
  secretsOfA,
  type TenantFixture,
  tenantDigest,
  tenantFixture,
} from "../helpers/tenant-fixture";
import {
  callProcedure,
  leaked,
  type Outcome,
  procedureDef,
  procedurePaths,
  rolesBelow,
} from "../helpers/trpc-calls";

/**
 * The isolation matrix: every tRPC procedure, read from the app router, is called signed out, by
 * the owner of another workspace, and by each role below the one it needs; each call must be
 * refused with the right code and must not echo any of workspace A's rows. A positive call by the
 * required role proves the inputs are real (so the refusals are not just bad input).
 */

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-isolation-"));
// Anything that would reach a provider goes to a closed local port instead.
const DEAD = "http://127.0.0.1:9";
const envOverrides: Record<string, string> = {
  DATA_DIR: dataDir,
  TIKTOK_API_BASE_URL: DEAD,
  TIKTOK_AUTH_BASE_URL: DEAD,
  GOOGLE_OAUTH_BASE_URL: DEAD,
  GOOGLE_AUTH_BASE_URL: DEAD,
  GMAIL_API_BASE_URL: DEAD,
  AMAZON_LWA_URL: `${DEAD}/auth/o2/token`,
  AMAZON_SP_API_BASE_URL: DEAD,
};
const savedEnv = Object.fromEntries(Object.keys(envOverrides).map((k) => [k, process.env[k]]));
const savedS3 = process.env.S3_BUCKET;

let f: TenantFixture;
let secrets: string[];
let digestBefore: Record<string, string>;

beforeAll(async () => {
  Object.assign(process.env, envOverrides);
  delete process.env.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  f = await tenantFixture(h.db);
  secrets = secretsOfA(f);
  await h.queue.drain(); // the invitation email job writes its outbox row now, not mid-matrix
  digestBefore = await tenantDigest(h.db, f.ws.id);
});
afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (savedS3 !== undefined) process.env.S3_BUCKET = savedS3;
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const call = (user: SessionUser | null, p: string, input: unknown) => callProcedure(h.db, user, p, input);

function withWorkspace(input: unknown, workspaceId: string) {
  return { ...(input as object), workspaceId };
}

/** A refusal with one of `codes` whose text names none of A's rows. */
function expectRefused(o: Outcome, codes: string[], what: string, mayName: string[] = []) {
  expect(o.ok, `${what}: expected a refusal, got ${o.text.slice(0, 300)}`).toBe(false);
  if (o.ok) return;
  expect(codes, `${what}: ${o.code} ${o.message}`).toContain(o.code);
  expect(o.message.length, `${what}: refusal without a message`).toBeGreaterThan(0);
  const hidden = secrets.filter((s) => !mayName.includes(s));
  expect(leaked(o.text, hidden), `${what}: leaked in ${o.text}`).toEqual([]);
}

function expectNoLeak(o: Outcome, what: string) {
  if (!o.ok) expect(o.code, `${what}: ${o.message}`).not.toBe("INTERNAL_SERVER_ERROR");
  expect(leaked(o.text, secrets), `${what}: leaked in ${o.text.slice(0, 500)}`).toEqual([]);
}

describe("the matrix covers the app router", () => {
  it("has an entry for every procedure and none for a procedure that is gone", () => {
    const paths = procedurePaths();
    expect(paths.length).toBeGreaterThan(100);
    expect(
      paths.filter((p) => !procedureMatrix[p]),
      "procedures without a matrix entry",
    ).toEqual([]);
    expect(
      Object.keys(procedureMatrix).filter((p) => !paths.includes(p)),
      "matrix entries for procedures that do not exist",
    ).toEqual([]);
  });

  it("states the same least role as each procedure's guard", () => {
    const mismatched = procedurePaths().flatMap((p) => {
      const meta = (procedureDef(p) as { meta?: { minRole?: string } }).meta;
      const entry = procedureMatrix[p];
      const declared =
        entry && entry.access !== "public" && entry.access !== "authed" ? entry.access : undefined;
      return meta?.minRole === declared ? [] : [`${p}: guard ${meta?.minRole} vs matrix ${declared}`];
    });
    expect(mismatched).toEqual([]);
  });
});

const entries = Object.entries(procedureMatrix) as [string, MatrixEntry][];

describe("refusals", () => {
  it.each(entries)("%s", async (p, entry) => {
    const input = entry.input(f);
    const outsiderInput = entry.tamper ? entry.tamper(input) : input;

    // Signed out.
    const anon = await call(null, p, outsiderInput);
    if (entry.access === "public") {
      if (entry.tamper) expectRefused(anon, ["NOT_FOUND"], `${p} signed out, wrong token`);
      else expectNoLeak(anon, `${p} signed out`);
    } else {
      expectRefused(anon, ["UNAUTHORIZED"], `${p} signed out`);
    }

    if (entry.access === "public" || entry.access === "authed") {
      // Workspace B's owner, with A's identifiers.
      const other = await call(f.otherOwner, p, outsiderInput);
      if (entry.otherTenant === "refused" || entry.tamper) {
        expectRefused(other, ["NOT_FOUND", "FORBIDDEN"], `${p} by B's owner`);
      } else {
        expectNoLeak(other, `${p} by B's owner`);
      }
      if (entry.tamper && entry.otherTenant === "refused") {
        // With the real token too: the invitation is addressed to somebody else. The link's holder
        // may learn whom it invites (invitations.get shows that to anyone with the link), no more.
        expectRefused(
          await call(f.otherOwner, p, input),
          ["FORBIDDEN", "NOT_FOUND"],
          `${p} by B's owner, real token`,
          [f.rows.inviteeEmail],
        );
      }
      return;
    }

    // Workspace B's owner naming workspace A: it does not exist for them.
    expectRefused(await call(f.otherOwner, p, input), ["NOT_FOUND"], `${p} by B's owner in A`);
    // Workspace B's owner in B, with A's row ids: never A's rows back, never a 500.
    expectNoLeak(await call(f.otherOwner, p, withWorkspace(input, f.other.id)), `${p} by B's owner in B`);
    // Each role below the required one in A.
    const users: Record<string, SessionUser> = { viewer: f.viewer, member: f.member, admin: f.admin };
    for (const role of rolesBelow(entry.access)) {
      expectRefused(await call(users[role]!, p, input), ["FORBIDDEN"], `${p} as ${role}`);
    }
  });

  it("changed nothing of workspace A", async () => {
    await h.queue.drain();
    const after = await tenantDigest(h.db, f.ws.id);
    const changed = Object.keys(after).filter((t) => after[t] !== digestBefore[t]);
    expect(changed, "tables of A that changed").toEqual([]);
  });
});

describe("positive calls by the required role", () => {
  // Calls that consume a row run after the others, and those that delete it last of all.
  const rank = ([p, e]: [string, MatrixEntry]) =>
    !e.destructive ? 0 : /\.(delete|remove|revoke|disconnect|leave)$/.test(p) ? 2 : 1;
  const ordered = [...entries].sort((a, b) => rank(a) - rank(b));
  it.each(ordered)("%s", async (p, entry) => {
    let user: SessionUser | null = null;
    if (entry.access === "authed") user = entry.positiveAs?.(f) ?? f.owner;
    else if (entry.access !== "public") user = await freshMember(h.db, f.ws.id, entry.access);
    const o = await call(user, p, entry.input(f));
    if (entry.domainErrorBecause) {
      expect(o.ok, `${p} was expected to fail (${entry.domainErrorBecause})`).toBe(false);
      if (o.ok) return;
      expect(
        ["UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"],
        `${p}: ${o.code} ${o.message}`,
      ).not.toContain(o.code);
      expect(o.message).not.toBe("Workspace not found");
    } else {
      expect(o.ok, `${p}: ${o.ok ? "" : `${o.code} ${o.message}`}`).toBe(true);
    }
  });
});
