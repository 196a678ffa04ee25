import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as formPOST } from "@/app/api/forms/[workspace]/[form]/route";
import { GET as clickGET } from "@/app/api/track/click/[token]/route";
import { GET as openGET } from "@/app/api/track/open/[token]/route";
import { POST as unsubscribePOST } from "@/app/api/unsubscribe/[token]/route";
import { resetEnvCache } from "@/lib/env";
import { createAuth } from "@/server/auth";
import { createLinkToken } from "@/server/services/email/links";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces, uniqueEmail } from "../helpers/fixtures";

/**
 * Public endpoints limited per IP (signup forms, open/click tracking, one-click unsubscribe) and
 * sign-in/sign-up say where the caller stands: `X-RateLimit-Limit`, `-Remaining` and `-Reset` on
 * every answer, and `Retry-After` as well on a 429.
 */

const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
const randomIp = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

beforeAll(() => {
  appDb.organicDb = Promise.resolve(h);
});
afterAll(() => {
  appDb.organicDb = undefined;
});

function limitHeaders(res: Response) {
  return {
    limit: res.headers.get("x-ratelimit-limit"),
    remaining: res.headers.get("x-ratelimit-remaining"),
    reset: Number(res.headers.get("x-ratelimit-reset")),
  };
}

const open = (token: string, ip: string) =>
  openGET(new Request(`http://x/api/track/open/${token}`, { headers: { "x-forwarded-for": ip } }), {
    params: Promise.resolve({ token }),
  });
const click = (token: string, ip: string) =>
  clickGET(new Request(`http://x/api/track/click/${token}`, { headers: { "x-forwarded-for": ip } }), {
    params: Promise.resolve({ token }),
  });
const unsubscribe = (token: string, ip: string) =>
  unsubscribePOST(
    new Request(`http://x/api/unsubscribe/${token}`, {
      method: "POST",
      headers: { "x-forwarded-for": ip, "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    }),
    { params: Promise.resolve({ token }) },
  );

describe("tracking and unsubscribe", () => {
  it("report the shared per-IP budget of opens and clicks on 200, 302, 400 and 429", async () => {
    const ip = randomIp();
    const openToken = createLinkToken({ kind: "o", sendId: "test" });
    const clickToken = createLinkToken({ kind: "c", sendId: "test", url: "https://example.com/" });

    const first = await open(openToken, ip);
    expect(first.status).toBe(200);
    expect(limitHeaders(first)).toMatchObject({ limit: "300", remaining: "299" });
    expect(limitHeaders(first).reset).toBeGreaterThan(0);
    expect(limitHeaders(first).reset).toBeLessThanOrEqual(60);

    const second = await click(clickToken, ip);
    expect(second.status).toBe(302);
    expect(limitHeaders(second)).toMatchObject({ limit: "300", remaining: "298" });

    const bad = await click("not-a-token", ip);
    expect(bad.status).toBe(400);
    expect(limitHeaders(bad)).toMatchObject({ limit: "300", remaining: "297" });

    for (let i = 0; i < 297; i++) await open(openToken, ip);
    const over = await open(openToken, ip);
    expect(over.status).toBe(429);
    expect(limitHeaders(over)).toMatchObject({ limit: "300", remaining: "0" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limitHeaders(over).reset).toBe(Number(over.headers.get("retry-after")));
    const overClick = await click(clickToken, ip);
    expect(overClick.status).toBe(429);
    expect(limitHeaders(overClick)).toMatchObject({ limit: "300", remaining: "0" });

    // Another address has its own budget.
    expect(limitHeaders(await open(openToken, randomIp()))).toMatchObject({ remaining: "299" });
  });

  it("report the unsubscribe budget on 200 and 429", async () => {
    const ip = randomIp();
    const token = createLinkToken({ kind: "u", sendId: "test" });
    const first = await unsubscribe(token, ip);
    expect(first.status).toBe(200);
    expect(limitHeaders(first)).toMatchObject({ limit: "60", remaining: "59" });
    for (let i = 0; i < 59; i++) await unsubscribe(token, ip);
    const over = await unsubscribe(token, ip);
    expect(over.status).toBe(429);
    expect(limitHeaders(over)).toMatchObject({ limit: "60", remaining: "0" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("public signup form", () => {
  it("reports the tighter of its per-IP and per-address limits, and the per-IP one when it runs out", async () => {
    const t = await twoWorkspaces(h.db);
    const form = await callerFor(h.db, t.owner).forms.create({
      workspaceId: t.ws.id,
      name: "Newsletter",
      slug: `news-${randomUUID().slice(0, 6)}`,
    });
    const ip = randomIp();
    const submit = (email: string) =>
      formPOST(
        new Request(`http://localhost:3000/api/forms/${t.ws.slug}/${form.slug}`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json", "x-forwarded-for": ip },
          body: JSON.stringify({ email }),
        }),
        { params: Promise.resolve({ workspace: t.ws.slug, form: form.slug }) },
      );

    const first = await submit(uniqueEmail("signup"));
    expect(first.status).toBe(200);
    // 9 of 10 left for the address, 2 of 3 for the email: the email limit is the tighter one.
    expect(limitHeaders(first)).toMatchObject({ limit: "3", remaining: "2" });
    let last = first;
    for (let i = 0; i < 9; i++) last = await submit(uniqueEmail("signup"));
    expect(last.status).toBe(200);
    expect(limitHeaders(last)).toMatchObject({ limit: "10", remaining: "0" });
    const over = await submit(uniqueEmail("signup"));
    expect(over.status).toBe(429);
    expect(limitHeaders(over)).toMatchObject({ limit: "10", remaining: "0" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: string }).error).toMatch(/Too many/);
  });
});

describe("sign-in and sign-up", () => {
  const saved = process.env.AUTH_RATE_LIMIT_MAX;
  beforeAll(() => {
    process.env.AUTH_RATE_LIMIT_MAX = "2";
    resetEnvCache();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.AUTH_RATE_LIMIT_MAX;
    else process.env.AUTH_RATE_LIMIT_MAX = saved;
    resetEnvCache();
  });

  it("a 429 carries Retry-After and X-RateLimit-*", async () => {
    const auth = createAuth(h.db);
    const email = uniqueEmail("locked");
    // The per-account limit is per account *and* address (issue 12 item 19): one address here.
    const ip = randomIp();
    const attempt = () =>
      auth.handler(
        new Request("http://localhost:3000/api/auth/sign-in/email", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: "http://localhost:3000",
            "x-forwarded-for": ip,
          },
          body: JSON.stringify({ email, password: "wrong-password-123" }),
        }),
      );
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const over = await attempt();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limitHeaders(over)).toMatchObject({ limit: "2", remaining: "0" });
    expect(limitHeaders(over).reset).toBeGreaterThan(0);
  });
});
