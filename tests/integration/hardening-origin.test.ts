import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { originPolicyFromEnv, trustedOrigins } from "@/lib/security-headers";
import { uniqueEmail } from "../helpers/fixtures";
import { fixtureNodeArgs } from "../helpers/server-build";

/**
 * Issue #12 item 5: after the documented production start (`npm start`: NODE_ENV=production,
 * HOST=0.0.0.0, no APP_URL) a browser on localhost, 127.0.0.1 or a LAN address can sign up, sign in
 * and sign out — the address it used is trusted — while a cross-site Origin is still refused. With
 * APP_URL set, only APP_URL's origin is trusted.
 *
 * better-auth skips its origin check under NODE_ENV=test and reads NODE_ENV once, so the server runs
 * in a child process (tests/fixtures/auth-origin-server.ts) with NODE_ENV=production.
 */

interface Answer {
  status: number;
  body: string;
  cookies: string[];
}

/** A raw HTTP request, so the Host header is exactly what a browser on that address would send. */
function send(
  port: number,
  p: { path: string; host: string; headers?: Record<string, string>; body?: unknown },
) {
  const body = p.body === undefined ? undefined : JSON.stringify(p.body);
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: p.path,
        method: "POST",
        headers: {
          host: p.host,
          "content-type": "application/json",
          // What a browser adds to a same-origin fetch(); better-auth checks the Origin when it sees them.
          "sec-fetch-site": "same-origin",
          "sec-fetch-mode": "cors",
          "sec-fetch-dest": "empty",
          ...p.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = res.headers["set-cookie"];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            cookies: Array.isArray(raw) ? raw : raw ? [raw] : [],
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

async function startServer(extraEnv: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "organic-origin-"));
  // Vitest sets TEST=true, which better-auth also reads as "skip the origin check": not inherited.
  const {
    APP_URL: _a,
    TRUST_PROXY: _t,
    REDIS_URL: _r,
    BETTER_AUTH_URL: _b,
    TEST: _x,
    VITEST: _v,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, fixtureNodeArgs("auth-origin-server"), {
    cwd: path.join(import.meta.dirname, "../.."),
    env: {
      ...inherited,
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      BETTER_AUTH_SECRET: "origin-test-secret-0123456789-0123456789",
      ENCRYPTION_KEY: "0".repeat(64),
      PGLITE_TEMPLATE_FILE: inject("pgliteTemplate") ?? "",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`auth server exited (${code}): ${stderr}`)));
  });
  return { child, port, dataDir };
}

async function stopServer(s: { child: ChildProcess; dataDir: string } | undefined) {
  if (!s) return;
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once("exit", r));
    s.child.kill("SIGTERM");
    await exited;
  }
  rmSync(s.dataDir, { recursive: true, force: true });
}

const password = "correct horse battery";

describe("production start without APP_URL (HOST=0.0.0.0)", () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({});
  }, 60_000);
  afterAll(() => stopServer(s));

  for (const address of ["127.0.0.1", "192.168.1.20", "localhost"]) {
    it(`signs up, signs in and signs out from http://${address}:PORT`, async () => {
      const host = `${address}:${s.port}`;
      const origin = `http://${host}`;
      const email = uniqueEmail("origin");
      const up = await send(s.port, {
        path: "/api/auth/sign-up/email",
        host,
        headers: { origin },
        body: { email, password, name: "Any Address" },
      });
      expect(up.status, up.body).toBe(200);

      const signIn = await send(s.port, {
        path: "/api/auth/sign-in/email",
        host,
        headers: { origin },
        body: { email, password },
      });
      expect(signIn.status, signIn.body).toBe(200);
      const session = signIn.cookies.find((c) => c.includes("session_token="));
      expect(session).toBeDefined();
      // Plain http on a LAN address: a Secure cookie would be dropped by the browser.
      expect(session).not.toMatch(/;\s*Secure/i);

      const out = await send(s.port, {
        path: "/api/auth/sign-out",
        host,
        headers: { origin, cookie: session!.split(";")[0]! },
        body: {},
      });
      expect(out.status, out.body).toBe(200);
    });
  }

  it("refuses a cross-site Origin, and a forged X-Forwarded-Host (TRUST_PROXY is off)", async () => {
    const host = `127.0.0.1:${s.port}`;
    const email = uniqueEmail("evil");
    const crossSite = await send(s.port, {
      path: "/api/auth/sign-up/email",
      host,
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: { email, password, name: "Evil" },
    });
    expect(crossSite.status).toBe(403);
    const forged = await send(s.port, {
      path: "/api/auth/sign-up/email",
      host,
      headers: {
        origin: "https://evil.example",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "https",
        "sec-fetch-site": "cross-site",
      },
      body: { email, password, name: "Evil" },
    });
    expect(forged.status).toBe(403);
    // better-auth on its own (without proxy.ts in front) refuses them as well.
    for (const headers of <Record<string, string>[]>[
      { origin: "https://evil.example" },
      { origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    ]) {
      const res = await send(s.port, {
        path: "/direct/api/auth/sign-up/email",
        host,
        headers,
        body: { email, password, name: "Evil" },
      });
      expect(res.status).toBe(403);
      expect(res.body).toContain("INVALID_ORIGIN");
    }
    // The refused sign-ups created nobody: signing in with those details fails.
    const signIn = await send(s.port, {
      path: "/api/auth/sign-in/email",
      host,
      headers: { origin: `http://${host}` },
      body: { email, password },
    });
    expect(signIn.status).toBe(401);
  });
});

describe("production start with APP_URL", () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({ APP_URL: "https://organic.example.test" });
  }, 60_000);
  afterAll(() => stopServer(s));

  it("trusts APP_URL's origin only, and its cookies are Secure", async () => {
    const email = uniqueEmail("appurl");
    const elsewhere = await send(s.port, {
      path: "/api/auth/sign-up/email",
      host: `127.0.0.1:${s.port}`,
      headers: { origin: `http://127.0.0.1:${s.port}` },
      body: { email, password, name: "Elsewhere" },
    });
    expect(elsewhere.status).toBe(403);
    const direct = await send(s.port, {
      path: "/direct/api/auth/sign-up/email",
      host: `127.0.0.1:${s.port}`,
      headers: { origin: `http://127.0.0.1:${s.port}` },
      body: { email, password, name: "Elsewhere" },
    });
    expect(direct.status).toBe(403);
    const up = await send(s.port, {
      path: "/api/auth/sign-up/email",
      host: "organic.example.test",
      headers: { origin: "https://organic.example.test" },
      body: { email, password, name: "Proper" },
    });
    expect(up.status, up.body).toBe(200);
    // Sign-up starts no session (it answers an existing address the same way); sign-in does.
    const signIn = await send(s.port, {
      path: "/api/auth/sign-in/email",
      host: "organic.example.test",
      headers: { origin: "https://organic.example.test" },
      body: { email, password },
    });
    expect(signIn.status, signIn.body).toBe(200);
    expect(signIn.cookies.find((c) => c.includes("session_token="))).toMatch(/;\s*Secure/i);
  });
});

describe("the origin rule (lib/security-headers.ts), shared by proxy.ts and better-auth", () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it("without APP_URL: the Host header; forwarded headers only with TRUST_PROXY=true", () => {
    const h = headers({
      host: "192.168.1.20:3000",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
    });
    expect(trustedOrigins(h, originPolicyFromEnv({}))).toEqual([
      "http://192.168.1.20:3000",
      "https://192.168.1.20:3000",
    ]);
    expect(trustedOrigins(h, originPolicyFromEnv({ TRUST_PROXY: "true" }))).toContain("https://evil.example");
    expect(trustedOrigins(headers({ host: "evil.example/x" }), originPolicyFromEnv({}))).toEqual([]);
  });
  it("with APP_URL: its origin only", () => {
    const h = headers({ host: "127.0.0.1:3000" });
    expect(trustedOrigins(h, originPolicyFromEnv({ APP_URL: "https://Organic.example.com/" }))).toEqual([
      "https://organic.example.com",
    ]);
  });
});
