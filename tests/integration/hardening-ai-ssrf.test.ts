import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { integrations, workspaces } from "@/server/db/schema";
import { isPrivateAddress, setGuardStandInsForTests } from "@/server/http/guarded-fetch";
import { httpDefaults, httpRequest } from "@/server/integrations/http";
import { type OpenAIStandIn, STAND_IN_API_KEY, startOpenAIStandIn } from "../fixtures/stand-ins/openai";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/**
 * SSRF through the workspace AI base URL (issue #12, item 2): the AI Test and content generation
 * go through the guarded HTTP path. Private addresses are refused (by IP, by a name that resolves
 * to one, and behind a redirect), an internal page's body is never repeated, and an operator can
 * allow a local model server with AI_ALLOW_PRIVATE=true.
 */

vi.stubEnv("OPENAI_API_KEY", "");
vi.stubEnv("OPENAI_BASE_URL", "");
vi.stubEnv("OPENAI_MODEL", "");
vi.stubEnv("AI_ALLOW_PRIVATE", "false");
resetEnvCache();

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;
let ai: OpenAIStandIn;
/** Plays a public host (127.0.0.2 is treated as public below): redirects into the stand-in. */
let redirector: Server;
/** Plays an internal admin page, answering 404 HTML with something secret in it. */
let internal: Server;
let redirectorUrl = "";
let internalUrl = "";
let internalHits = 0;
const SECRET = "jenkins-admin-token-4f9a";

const listen = async (server: Server, host: string) => {
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
  ai = await startOpenAIStandIn();
  redirector = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(307, { location: `${ai.url}/chat/completions` });
      res.end();
    });
  });
  redirectorUrl = `http://127.0.0.2:${await listen(redirector, "127.0.0.2")}/v1`;
  internal = createServer((req, res) => {
    internalHits++;
    req.resume();
    if (req.url?.startsWith("/openai-shaped/")) {
      // An OpenAI-shaped error whose message runs long.
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { message: `Unknown model. ${"x".repeat(1000)}`, type: "invalid_request_error", code: null },
        }),
      );
      return;
    }
    if (req.url?.startsWith("/other-json/")) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `internal detail ${SECRET}`, detail: SECRET }));
      return;
    }
    res.writeHead(404, { "content-type": "text/html" });
    res.end(`<html><body><h1>Build server</h1><p>API token: ${SECRET}</p></body></html>`);
  });
  internalUrl = `http://127.0.0.2:${await listen(internal, "127.0.0.2")}/v1`;
});
afterAll(async () => {
  await ai.close();
  await new Promise((r) => redirector.close(r));
  await new Promise((r) => internal.close(r));
  vi.unstubAllEnvs();
  resetEnvCache();
});
beforeEach(async () => {
  ai.reset();
  internalHits = 0;
  await h.db.delete(integrations).where(eq(integrations.workspaceId, f.ws.id));
  await h.db.update(workspaces).set({ settings: {} }).where(eq(workspaces.id, f.ws.id));
});
afterEach(() => {
  setGuardStandInsForTests(null);
  vi.stubEnv("AI_ALLOW_PRIVATE", "false");
  resetEnvCache();
});

const W = () => ({ workspaceId: f.ws.id });
const owner = () => callerFor(h.db, f.owner);

/** A base URL stored before this check existed (old settings live in workspaces.settings.ai). */
async function storeBaseUrl(baseUrl: string) {
  await h.db
    .update(workspaces)
    .set({ settings: { ai: { baseUrl, apiKey: STAND_IN_API_KEY, model: "gpt-4o-mini" } } })
    .where(eq(workspaces.id, f.ws.id));
}

/** 127.0.0.2 plays a public address; everything else keeps the real rules. */
const treat127002AsPublic = () =>
  setGuardStandInsForTests({ isBlocked: (a) => a !== "127.0.0.2" && isPrivateAddress(a) });

/** DNS answers from a table: `ai.example.test` resolves to loopback. */
function resolveAiHostToLoopback() {
  const answers: Record<string, LookupAddress[]> = {
    "ai.example.test": [{ address: "127.0.0.1", family: 4 }],
  };
  setGuardStandInsForTests({
    resolve: (name, _o, cb) =>
      answers[name]
        ? cb(null, answers[name]!)
        : cb(Object.assign(new Error(`ENOTFOUND ${name}`), { code: "ENOTFOUND" }), []),
  });
}

async function generate() {
  const { jobId } = await callerFor(h.db, f.member).content.generate({
    ...W(),
    platform: "blog",
    product: "moon mug",
    contentType: "review",
    tone: "casual",
    length: "short",
  });
  const caller = callerFor(h.db, f.viewer);
  const start = Date.now();
  for (;;) {
    const run = await caller.jobs.get({ ...W(), id: jobId });
    if (run.status === "succeeded" || run.status === "failed") {
      await h.queue.drain();
      return run;
    }
    if (Date.now() - start > 15_000) throw new Error(`job ${jobId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("AI base URL: private addresses", () => {
  it("refuses to save 127.0.0.1, localhost. or a private IPv6 literal, and stores nothing", async () => {
    for (const baseUrl of [`${ai.url}`, "http://LOCALHOST.:11434/v1", "http://[::ffff:a9fe:a9fe]/v1"]) {
      await expect(owner().integrations.saveAi({ ...W(), baseUrl }), baseUrl).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("private or loopback"),
      });
    }
    const rows = await h.db.select().from(integrations).where(eq(integrations.workspaceId, f.ws.id));
    expect(rows).toEqual([]);
  });

  it("the Test refuses a stored 127.0.0.1 address at connect time; the stand-in is never called", async () => {
    await storeBaseUrl(ai.url);
    const res = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(res).toMatchObject({ ok: false, detail: expect.stringContaining("private or loopback") });
    expect(res.detail).toContain("AI_ALLOW_PRIVATE");
    expect(ai.requests).toHaveLength(0);
  });

  it("the Test refuses a host name that resolves to 127.0.0.1", async () => {
    resolveAiHostToLoopback();
    const port = new URL(ai.url).port;
    // Saving checks the spelling only; the name is refused when the client resolves it.
    await owner().integrations.saveAi({
      ...W(),
      baseUrl: `http://ai.example.test:${port}/v1`,
      apiKey: STAND_IN_API_KEY,
    });
    const res = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(res).toMatchObject({ ok: false, detail: expect.stringContaining("private or loopback") });
    expect(ai.requests).toHaveLength(0);
  });

  it("content generation refuses a stored 127.0.0.1 address and a name resolving to it", async () => {
    await storeBaseUrl(ai.url);
    const direct = await generate();
    expect(direct).toMatchObject({ status: "failed", attempts: 1 });
    expect(direct.error).toMatch(/private or loopback/);

    resolveAiHostToLoopback();
    await storeBaseUrl(`http://ai.example.test:${new URL(ai.url).port}/v1`);
    const named = await generate();
    expect(named).toMatchObject({ status: "failed", attempts: 1 });
    expect(named.error).toMatch(/private or loopback/);
    expect(ai.requests).toHaveLength(0);
  });
});

describe("AI base URL: redirects and error bodies", () => {
  it("does not follow a public endpoint's redirect to a private address", async () => {
    treat127002AsPublic();
    await owner().integrations.saveAi({ ...W(), baseUrl: redirectorUrl, apiKey: STAND_IN_API_KEY });
    const res = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(res).toMatchObject({ ok: false, detail: expect.stringContaining("answered 307") });
    expect(ai.requests).toHaveLength(0);

    await storeBaseUrl(redirectorUrl);
    const run = await generate();
    expect(run).toMatchObject({ status: "failed" });
    expect(run.error).toMatch(/answered 307/);
    expect(ai.requests).toHaveLength(0);
  });

  it("answers 'The AI endpoint answered 404' without repeating the page it got", async () => {
    treat127002AsPublic();
    await owner().integrations.saveAi({ ...W(), baseUrl: internalUrl, apiKey: STAND_IN_API_KEY });
    const res = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(internalHits).toBe(1);
    expect(res).toMatchObject({ ok: false, detail: expect.stringMatching(/The AI endpoint .*answered 404/) });
    expect(res.detail).not.toContain(SECRET);
    expect(res.detail).not.toContain("Build server");
    const [row] = await h.db.select().from(integrations).where(eq(integrations.workspaceId, f.ws.id));
    expect(row!.lastError).not.toContain(SECRET);

    await storeBaseUrl(internalUrl);
    const run = await generate();
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/answered 404/);
    expect(run.error).not.toContain(SECRET);
  });

  it("repeats only an OpenAI-shaped error message, cut short; other JSON is not repeated", async () => {
    treat127002AsPublic();
    const origin = new URL(internalUrl).origin;
    await owner().integrations.saveAi({ ...W(), baseUrl: `${origin}/openai-shaped/v1` });
    const shaped = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(shaped).toMatchObject({ ok: false, detail: expect.stringContaining('"Unknown model. xxx') });
    expect(shaped.detail).toContain("…");
    expect(shaped.detail.length).toBeLessThan(500);

    await owner().integrations.saveAi({ ...W(), baseUrl: `${origin}/other-json/v1` });
    const other = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(other).toMatchObject({ ok: false, detail: expect.stringContaining("answered 400") });
    expect(other.detail).not.toContain(SECRET);
  });
});

describe("AI_ALLOW_PRIVATE=true: a local model server", () => {
  it("saves, tests and writes drafts against a stand-in on 127.0.0.1", async () => {
    vi.stubEnv("AI_ALLOW_PRIVATE", "true");
    resetEnvCache();
    await owner().integrations.saveAi({
      ...W(),
      baseUrl: ai.url,
      apiKey: STAND_IN_API_KEY,
      model: "gpt-4o-mini",
    });
    expect(await owner().integrations.test({ ...W(), provider: "openai" })).toMatchObject({
      ok: true,
      detail: expect.stringContaining("answered with model"),
    });
    const run = await generate();
    expect(run).toMatchObject({ status: "succeeded", result: { generator: "openai" } });
    expect(ai.requests.length).toBe(2);
  });

  it("still does not follow redirects", async () => {
    vi.stubEnv("AI_ALLOW_PRIVATE", "true");
    resetEnvCache();
    await owner().integrations.saveAi({ ...W(), baseUrl: redirectorUrl, apiKey: STAND_IN_API_KEY });
    const res = await owner().integrations.test({ ...W(), provider: "openai" });
    expect(res).toMatchObject({ ok: false, detail: expect.stringContaining("answered 307") });
    expect(ai.requests).toHaveLength(0);
  });
});

describe("server/integrations/http.ts with guarded: true", () => {
  it("refuses a private address once, without retrying, and reaches it with allowPrivate", async () => {
    httpDefaults.backoffBaseMs = 5;
    const url = `${ai.url}/models`;
    const headers = { authorization: `Bearer ${STAND_IN_API_KEY}` };
    await expect(
      httpRequest({ provider: "custom", url, headers, guarded: true, retries: 2 }),
    ).rejects.toMatchObject({ kind: "permanent", code: "blocked_address" });
    resolveAiHostToLoopback();
    await expect(
      httpRequest({
        provider: "custom",
        url: `http://ai.example.test:${new URL(ai.url).port}/v1/models`,
        headers,
        guarded: true,
      }),
    ).rejects.toMatchObject({ code: "blocked_address" });
    expect(ai.requests).toHaveLength(0);

    const res = await httpRequest({ provider: "custom", url, headers, guarded: { allowPrivate: true } });
    expect(res.status).toBe(200);
    expect(ai.requests).toHaveLength(1);
  });
});
