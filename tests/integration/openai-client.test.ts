import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { resetEnvCache } from "@/lib/env";
import { OpenAIClient, type OpenAIClientOptions, retryAfterMs } from "@/server/integrations/openai/client";
import { OpenAIError } from "@/server/integrations/openai/errors";
import { type OpenAIStandIn, STAND_IN_API_KEY, startOpenAIStandIn } from "../fixtures/stand-ins/openai";

const answerSchema = z.object({ title: z.string(), body: z.string(), hashtags: z.array(z.string()) });
const jsonSchema = {
  type: "object",
  properties: {
    title: { type: "string" },
    body: { type: "string" },
    hashtags: { type: "array", items: { type: "string" } },
  },
  required: ["title", "body", "hashtags"],
  additionalProperties: false,
};
const request = {
  messages: [
    { role: "system" as const, content: "You write marketing copy." },
    { role: "user" as const, content: "Write a short post.\nProduct: Moon Mug" },
  ],
  schemaName: "post",
  jsonSchema,
  parse: answerSchema,
};

let standIn: OpenAIStandIn;
const savedAllowPrivate = process.env.AI_ALLOW_PRIVATE;
beforeAll(async () => {
  standIn = await startOpenAIStandIn();
  // The stand-in listens on 127.0.0.1, which a workspace's address may reach only with this switch.
  process.env.AI_ALLOW_PRIVATE = "true";
  resetEnvCache();
});
afterAll(async () => {
  await standIn.close();
  if (savedAllowPrivate === undefined) delete process.env.AI_ALLOW_PRIVATE;
  else process.env.AI_ALLOW_PRIVATE = savedAllowPrivate;
  resetEnvCache();
});
beforeEach(() => standIn.reset());
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

const client = (opts: OpenAIClientOptions = {}) =>
  new OpenAIClient({ baseUrl: standIn.url, apiKey: STAND_IN_API_KEY, model: "gpt-4o-mini", ...opts });

async function timed<T>(fn: () => Promise<T>) {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

describe("OpenAIClient against the stand-in", () => {
  it("asks for strict structured output and returns the validated answer", async () => {
    const result = await client().completeJson(request);
    expect(result.data.title).toContain("Moon Mug");
    expect(result.data.hashtags).toContain("moonmug");
    expect(result.model).toBe("gpt-4o-mini");
    expect(result.requestId).toMatch(/^req_/);
    expect(result.usage?.total_tokens).toBeGreaterThan(0);
    expect(standIn.requests).toHaveLength(1);
    const sent = standIn.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe(`Bearer ${STAND_IN_API_KEY}`);
    expect(sent.body).toMatchObject({
      model: "gpt-4o-mini",
      stream: false,
      messages: request.messages,
      response_format: {
        type: "json_schema",
        json_schema: { name: "post", strict: true, schema: jsonSchema },
      },
    });
  });

  it("takes base URL, key and model from the environment by default", async () => {
    vi.stubEnv("OPENAI_BASE_URL", `${standIn.url}/`);
    vi.stubEnv("OPENAI_API_KEY", STAND_IN_API_KEY);
    vi.stubEnv("OPENAI_MODEL", "standin-model");
    resetEnvCache();
    const c = new OpenAIClient();
    expect(c.baseUrl).toBe(standIn.url);
    await expect(c.completeJson(request)).resolves.toMatchObject({ model: "standin-model" });
    expect(standIn.requests[0]!.body?.model).toBe("standin-model");
  });

  it("waits as long as retry-after says after a 429 rate limit, then succeeds", async () => {
    standIn.setMode("rate_limit", 1, { retryAfter: "1" });
    const { value, ms } = await timed(() => client().completeJson(request));
    expect(value.data.title).toContain("Moon Mug");
    expect(standIn.requests).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(4000);
    const gap = standIn.requests[1]!.at - standIn.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it("prefers retry-after-ms over retry-after, and caps the wait", async () => {
    standIn.setMode("rate_limit", 1, { retryAfter: "30", retryAfterMs: 150 });
    const fast = await timed(() => client().completeJson(request));
    expect(fast.ms).toBeGreaterThanOrEqual(140);
    expect(fast.ms).toBeLessThan(3000);

    standIn.setMode("rate_limit", 1, { retryAfter: "30" });
    const capped = await timed(() => client({ maxRetryWaitMs: 100 }).completeJson(request));
    expect(capped.ms).toBeLessThan(3000);
    expect(standIn.requests).toHaveLength(4);
  });

  it("gives up on a rate limit after its retries, with a retryable error", async () => {
    standIn.setMode("rate_limit", undefined, { retryAfterMs: 10 });
    await expect(client().completeJson(request)).rejects.toMatchObject({
      name: "OpenAIError",
      kind: "rate_limited",
      retryable: true,
      status: 429,
      code: "rate_limit_exceeded",
    });
    expect(standIn.requests).toHaveLength(3);
  });

  it("does not retry insufficient_quota", async () => {
    standIn.setMode("quota");
    const err = await client()
      .completeJson(request)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAIError);
    expect(err).toMatchObject({ kind: "quota", retryable: false, status: 429, code: "insufficient_quota" });
    expect((err as Error).message).toMatch(/quota or credits/);
    expect(standIn.requests).toHaveLength(1);
  });

  it("does not retry a rejected key (401)", async () => {
    await expect(client({ apiKey: "sk-wrong" }).completeJson(request)).rejects.toMatchObject({
      kind: "auth",
      retryable: false,
      status: 401,
      code: "invalid_api_key",
      message: expect.stringMatching(/rejected the API key.*Integrations/),
    });
    expect(standIn.requests).toHaveLength(1);
  });

  it("retries a 500 and succeeds, or gives up after the retries", async () => {
    standIn.setMode("server_error", 2);
    await expect(client({ retryBaseMs: 10 }).completeJson(request)).resolves.toBeTruthy();
    expect(standIn.requests).toHaveLength(3);

    standIn.reset();
    standIn.setMode("server_error");
    await expect(client({ retryBaseMs: 10 }).completeJson(request)).rejects.toMatchObject({
      kind: "server",
      retryable: true,
      status: 500,
    });
    expect(standIn.requests).toHaveLength(3);
  });

  it("reports a refusal, not retryable", async () => {
    standIn.setMode("refusal");
    await expect(client().completeJson(request)).rejects.toMatchObject({
      kind: "refused",
      retryable: false,
      message: expect.stringContaining("I'm sorry, but I can't help with that request."),
    });
    expect(standIn.requests).toHaveLength(1);
  });

  it("reports an answer cut off by finish_reason length as truncated, retryable", async () => {
    standIn.setMode("length");
    await expect(client().completeJson(request)).rejects.toMatchObject({
      kind: "truncated",
      retryable: true,
    });
    expect(standIn.requests).toHaveLength(1);
  });

  it("reports content that is not JSON, or not the expected JSON, as invalid_json, retryable", async () => {
    standIn.setMode("malformed", 1);
    await expect(client().completeJson(request)).rejects.toMatchObject({
      kind: "invalid_json",
      retryable: true,
      message: expect.stringMatching(/not valid JSON/),
    });
    standIn.setMode("wrong_shape", 1);
    await expect(client().completeJson(request)).rejects.toMatchObject({
      kind: "invalid_json",
      retryable: true,
      message: expect.stringMatching(/expected fields/),
    });
    expect(standIn.requests).toHaveLength(2);
  });

  it("times out a slow answer without retrying it itself", async () => {
    standIn.setMode("slow", 1, { delayMs: 1500 });
    const start = performance.now();
    await expect(client({ timeoutMs: 200 }).completeJson(request)).rejects.toMatchObject({
      kind: "timeout",
      retryable: true,
    });
    expect(performance.now() - start).toBeLessThan(1200);
    expect(standIn.requests).toHaveLength(1);
  });

  it("retries a network error, then reports it", async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = new OpenAIClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "x", retryBaseMs: 5 });
    await expect(c.completeJson(request)).rejects.toMatchObject({
      kind: "network",
      retryable: true,
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it("refuses an address that is not an http(s) URL", async () => {
    await expect(
      new OpenAIClient({ baseUrl: "ftp://127.0.0.1/v1", apiKey: "x" }).completeJson(request),
    ).rejects.toMatchObject({ kind: "bad_request", retryable: false });
  });
});

describe("the stand-in itself", () => {
  it("streams chunks and [DONE] when asked to, with x-request-id", async () => {
    const res = await fetch(`${standIn.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${STAND_IN_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o-mini",
        stream: true,
        stream_options: { include_usage: true },
        messages: request.messages,
        response_format: {
          type: "json_schema",
          json_schema: { name: "post", strict: true, schema: jsonSchema },
        },
      }),
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const events = (await res.text())
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    const content = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(answerSchema.parse(JSON.parse(content)).title).toContain("Moon Mug");
    expect(chunks.at(-2).choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it("answers unknown paths with OpenAI's error shape", async () => {
    const res = await fetch(`${standIn.url}/models/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error", code: null } });
  });
});

describe("retryAfterMs", () => {
  it("reads retry-after-ms, then retry-after seconds or HTTP date", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers())).toBeNull();
  });
});
