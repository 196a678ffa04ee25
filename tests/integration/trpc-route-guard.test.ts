import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { apiKeys } from "@/server/db/schema";
import { BASE, routeHandlersUse, TestBrowser } from "../helpers/auth-http";
import { setupTestDb } from "../helpers/db";
import { uniqueEmail } from "../helpers/fixtures";

/**
 * proxy.ts does not run for tRPC's plain paths (speed), so the route makes the proxy's two
 * refusals itself: a cross-site mutation riding on the visitor's cookies (403, nothing done) and a
 * target that does not decode to clean text (400). Queries stay open to any origin, as before.
 */
const h = await setupTestDb();
routeHandlersUse(h);
const browser = new TestBrowser("198.51.100.91");
let workspaceId: string;
let cookie: string;

beforeAll(async () => {
  const email = uniqueEmail("trpc-guard");
  const password = "correct horse battery";
  expect((await browser.auth("/sign-up/email", { email, password, name: "Guard" })).status).toBe(200);
  expect((await browser.auth("/sign-in/email", { email, password })).status).toBe(200);
  const created = await browser.trpc("mutation", "workspace.create", { name: "Guard Co" });
  expect(created.status).toBe(200);
  workspaceId = (created.data as { id: string }).id;
  cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
});

const keysOf = () => h.db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId));

function createKey(headers: Record<string, string>) {
  return trpcPost(
    new Request(`${BASE}/api/trpc/apiKeys.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-forwarded-for": "198.51.100.91", ...headers },
      body: JSON.stringify({ json: { workspaceId, name: "Forged" } }),
    }),
  );
}

describe("the tRPC route without the proxy in front", () => {
  it("refuses a cross-site mutation with the visitor's cookie: 403, no key made", async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "http://localhost:3000.evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const res = await createKey(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: "FORBIDDEN", message: "Cross-site request refused" },
      });
    }
    expect(await keysOf()).toEqual([]);
    // The same call from the app's own origin goes through.
    const ok = await createKey({ origin: BASE, "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(200);
    expect((await keysOf()).map((k) => k.name)).toEqual(["Forged"]);
  });

  it("refuses a target that does not decode to clean text with 400, before anything runs", async () => {
    for (const target of [
      "/api/trpc/leads.list?input=%ff",
      "/api/trpc/leads.list?input=%00",
      "/api/trpc/leads.list?input=%ED%A0%80",
      "/api/trpc/leads.list%00",
    ]) {
      const res = await trpcGet(new Request(`${BASE}${target}`, { headers: { cookie } }));
      expect(res.status, target).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
    }
  });

  it("answers queries whatever their origin (no state changes), as the proxy did", async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { workspaceId, limit: 5 } }));
    const res = await trpcGet(
      new Request(`${BASE}/api/trpc/leads.list?input=${input}`, {
        headers: { cookie, origin: "https://elsewhere.example" },
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { data: { json: { items: [] } } } });
  });
});
