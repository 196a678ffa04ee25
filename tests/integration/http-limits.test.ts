import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as healthGET } from "@/app/api/health/route";
import { POST as importPOST } from "@/app/api/leads/import/upload/route";
import { POST as mediaPOST } from "@/app/api/media/upload/route";
import { GET as sseGET } from "@/app/api/sse/route";
import { GET as trpcGET } from "@/app/api/trpc/[trpc]/route";
import { POST as restPOST } from "@/app/api/v1/[...path]/route";
import { resetEnvCache } from "@/lib/env";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { redisUrl, setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";
import { fixtureNodeArgs } from "../helpers/server-build";

/**
 * The general per-IP limit (HTTP_RATE_LIMIT_PER_MINUTE) on tRPC, live-update connects, uploads and
 * health: past it, 429 with Retry-After (Redis with REDIS_URL, memory otherwise). And the cap on
 * live-update streams one user holds open (SSE_MAX_STREAMS_PER_USER), shared through Redis by web
 * processes, with slots of a killed process lapsing.
 */

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-http-limits-"));
const saved = { ...process.env };
const appGlobals = globalThis as unknown as { organicDb?: Promise<unknown>; organicAuth?: unknown };
appGlobals.organicDb = Promise.resolve(h);
appGlobals.organicAuth = undefined;
process.env.DATA_DIR = dataDir;
resetEnvCache();

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}
afterEach(() => setEnv({ HTTP_RATE_LIMIT_PER_MINUTE: undefined, SSE_MAX_STREAMS_PER_USER: undefined }));
afterAll(() => {
  appGlobals.organicDb = undefined;
  appGlobals.organicAuth = undefined;
  setEnv({ DATA_DIR: saved.DATA_DIR });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const BASE = "http://localhost:3000";
const randomIp = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

async function signUp() {
  return signUpAndSignIn({ email: uniqueEmail("lim"), name: "L", ip: randomIp(), base: BASE });
}

describe("per-IP limit", () => {
  it("answers 429 with Retry-After past HTTP_RATE_LIMIT_PER_MINUTE on tRPC, health, SSE and uploads", async () => {
    setEnv({ HTTP_RATE_LIMIT_PER_MINUTE: "3" });
    const { cookie } = await signUp();
    const ip = randomIp();
    const calls = {
      trpc: () =>
        trpcGET(new Request(`${BASE}/api/trpc/auth.session`, { headers: { "x-forwarded-for": ip, cookie } })),
      health: () => healthGET(new Request(`${BASE}/api/health`, { headers: { "x-forwarded-for": ip } })),
      sse: () => sseGET(new Request(`${BASE}/api/sse`, { headers: { "x-forwarded-for": ip, cookie } })),
      upload: () =>
        importPOST(
          new Request(`${BASE}/api/leads/import/upload?workspaceId=x`, {
            method: "POST",
            headers: { "x-forwarded-for": ip, cookie, "content-type": "text/csv" },
            body: "email\n",
          }),
        ),
    };
    // The budget is one per address, shared by all four: three requests pass, then every one is refused.
    expect((await calls.trpc()).status).toBe(200);
    expect((await calls.health()).status).toBeLessThan(429);
    expect((await calls.upload()).status).toBe(400); // workspaceId is not a UUID: reached the handler

    for (const [name, call] of Object.entries(calls)) {
      const res = await call();
      expect(res.status, name).toBe(429);
      expect(Number(res.headers.get("retry-after")), name).toBeGreaterThan(0);
      expect(Number(res.headers.get("retry-after")), name).toBeLessThanOrEqual(60);
      expect(res.headers.get("x-ratelimit-limit"), name).toBe("3");
      const body = await res.json();
      if (name === "trpc") {
        // A tRPC-shaped error, so the client shows the message instead of failing to parse.
        expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
        expect(body.error.json.message).toMatch(/Too many requests from your network/);
      } else {
        expect(body.error).toMatch(/Too many requests from your network/);
      }
    }
    // Another address has its own budget.
    const other = await trpcGET(
      new Request(`${BASE}/api/trpc/auth.session`, { headers: { "x-forwarded-for": randomIp() } }),
    );
    expect(other.status).toBe(200);
  });

  it("the media upload and the REST import (both past the proxy) spend the same budget", async () => {
    setEnv({ HTTP_RATE_LIMIT_PER_MINUTE: "2" });
    const ip = randomIp();
    const restImport = () =>
      restPOST(
        new Request(`${BASE}/api/v1/leads/import`, {
          method: "POST",
          headers: {
            "x-forwarded-for": ip,
            authorization: "Bearer org_live_unknown",
            "content-type": "text/csv",
          },
          body: "email\n",
        }),
      );
    const media = () =>
      mediaPOST(
        new Request(`${BASE}/api/media/upload`, {
          method: "POST",
          headers: { "x-forwarded-for": ip, "content-type": "multipart/form-data; boundary=x" },
          body: "--x--\r\n",
        }),
      );
    // Both reach their handlers (no session, no valid key) while the budget lasts…
    expect((await restImport()).status).toBe(401);
    expect((await media()).status).toBe(401);
    // …then both are turned away before anything else.
    const rest = await restImport();
    expect(rest.status).toBe(429);
    expect(rest.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await rest.json()).toMatchObject({
      code: "rate_limited",
      detail: expect.stringMatching(/network/),
    });
    const refused = await media();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("open live-update streams per user", () => {
  function openStream(cookie: string) {
    const ac = new AbortController();
    const res = sseGET(
      new Request(`${BASE}/api/sse`, {
        headers: { cookie, "x-forwarded-for": randomIp() },
        signal: ac.signal,
      }),
    );
    return { res, close: () => ac.abort() };
  }

  it("refuses a 6th stream with 429 while five are open, and accepts one again after a stream closes", async () => {
    setEnv({ SSE_MAX_STREAMS_PER_USER: "5" });
    const { cookie } = await signUp();
    const other = await signUp();
    const open = Array.from({ length: 5 }, () => openStream(cookie));
    for (const s of open) expect((await s.res).status).toBe(200);

    const sixth = openStream(cookie);
    const refused = await sixth.res;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toContain("5 live-update connections");
    // Another user is not affected.
    const theirs = openStream(other.cookie);
    expect((await theirs.res).status).toBe(200);

    open[0]!.close();
    await expect
      .poll(
        async () => {
          const s = openStream(cookie);
          const res = await s.res;
          if (res.status === 200) open.push(s);
          return res.status;
        },
        { timeout: 5_000, interval: 100 },
      )
      .toBe(200);
    for (const s of [...open, theirs]) s.close();
  });

  it.skipIf(!redisUrl)(
    "counts streams across web processes in Redis, and a killed process's slots lapse",
    async () => {
      const { acquireStreamSlot } = await import("@/server/sse");
      const userId = crypto.randomUUID();
      // Another web process holds two slots for this user, then dies without releasing them.
      const child: ChildProcess = spawn(
        process.execPath,
        [...fixtureNodeArgs("hold-sse-slots"), userId, "2", "1500"],
        { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ["ignore", "pipe", "inherit"] },
      );
      try {
        const [line] = (await once(child.stdout!, "data")) as [Buffer];
        expect(line.toString()).toContain("held");
        // This process sees them: the user is at the cap.
        expect(await acquireStreamSlot(userId, 2, 1500)).toBeNull();
        child.kill("SIGKILL");
        await once(child, "exit");
        // Still held until their expiry passes without a heartbeat…
        expect(await acquireStreamSlot(userId, 2, 1500)).toBeNull();
        await new Promise((r) => setTimeout(r, 1800));
        // …then free again.
        const slot = await acquireStreamSlot(userId, 2, 1500);
        expect(slot).not.toBeNull();
        slot!.release();
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  );

  it.skipIf(!redisUrl)("a live stream's heartbeat keeps its slot past the expiry", async () => {
    const { acquireStreamSlot } = await import("@/server/sse");
    const userId = crypto.randomUUID();
    const slot = await acquireStreamSlot(userId, 1, 1200);
    expect(slot).not.toBeNull();
    await new Promise((r) => setTimeout(r, 2000));
    expect(await acquireStreamSlot(userId, 1, 1200)).toBeNull();
    slot!.release();
    await expect
      .poll(async () => {
        const again = await acquireStreamSlot(userId, 1, 1200);
        again?.release();
        return again !== null;
      })
      .toBe(true);
  });
});
