import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { webhookDeliveries } from "@/server/db/schema";
import { guardedFetch, ResponseTooLargeError, setGuardStandInsForTests } from "@/server/http/guarded-fetch";
import { emitWebhookEvent } from "@/server/services/webhooks/emit";
import {
  BlockedAddressError,
  createGuardedLookup,
  isPrivateAddress,
  postWebhook,
  webhookUrlProblem,
} from "@/server/services/webhooks/ssrf";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces } from "../helpers/fixtures";

/**
 * The guarded HTTP path (server/http/guarded-fetch.ts) that webhooks and a workspace's AI base URL
 * share, and issue #12 item 15: the local-use NAT64 prefix 64:ff9b:1::/48 and trailing-dot names
 * such as `LOCALHOST.` are refused when a URL is saved and when a connection is made.
 */

const h = await setupTestDb({ ownDatabase: true });
const f = await twoWorkspaces(h.db);

function setWebhooksAllowPrivate(on: boolean) {
  process.env.WEBHOOKS_ALLOW_PRIVATE = on ? "true" : "false";
  resetEnvCache();
}
afterEach(() => {
  setGuardStandInsForTests(null);
  setWebhooksAllowPrivate(false);
});

/** A resolver stand-in with fixed answers; counts the names it was asked. */
function tableResolver(answers: Record<string, LookupAddress[]>) {
  const asked: string[] = [];
  const resolve = (
    name: string,
    _o: unknown,
    cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void,
  ) => {
    asked.push(name);
    if (answers[name]) cb(null, answers[name]!);
    else cb(Object.assign(new Error(`ENOTFOUND ${name}`), { code: "ENOTFOUND" }), []);
  };
  return { resolve, asked };
}

const lookupOnce = (lookup: ReturnType<typeof createGuardedLookup>, name: string) =>
  new Promise<string | LookupAddress[]>((resolve, reject) =>
    lookup(name, { all: false }, (err, address) => (err ? reject(err) : resolve(address))),
  );

describe("item 15: NAT64 local-use prefix and trailing-dot names", () => {
  it("counts 64:ff9b:1::/48 as private, like the well-known NAT64 prefix", () => {
    for (const ip of ["64:ff9b:1::a00:1", "64:ff9b:1::7f00:1", "64:ff9b:1:ffff:ffff::1", "64:ff9b::7f00:1"])
      expect(isPrivateAddress(ip), ip).toBe(true);
    expect(isPrivateAddress("64:ff9b:2::1")).toBe(false);
  });

  it("refuses such webhook URLs when they are saved", async () => {
    setWebhooksAllowPrivate(false);
    for (const url of [
      "https://LOCALHOST./hook",
      "https://localhost./hook",
      "https://localhost../hook",
      "https://x.localhost./hook",
      "https://printer.local./hook",
      "https://metadata.google.internal./computeMetadata",
      "https://[64:ff9b:1::7f00:1]/hook",
      "https://127.0.0.1./hook",
    ]) {
      expect(webhookUrlProblem(url), url).toMatch(/private or loopback/);
      await expect(
        callerFor(h.db, f.owner).webhooks.create({ workspaceId: f.ws.id, url, events: ["lead.created"] }),
        url,
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(webhookUrlProblem("https://hooks.example.com./in")).toBeNull();
  });

  it("refuses them at connect time: the name without asking DNS, the NAT64 answer after", async () => {
    const dns = tableResolver({
      "nat64.example": [{ address: "64:ff9b:1::a9fe:a9fe", family: 6 }],
      "public.example": [{ address: "93.184.216.34", family: 4 }],
    });
    const lookup = createGuardedLookup(dns.resolve);
    for (const name of ["LOCALHOST.", "localhost.", "x.localhost."])
      await expect(lookupOnce(lookup, name), name).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(lookupOnce(lookup, "nat64.example")).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(lookupOnce(lookup, "public.example")).resolves.toBe("93.184.216.34");
    expect(dns.asked).toEqual(["nat64.example", "public.example"]);
  });

  it("a saved endpoint whose name later resolves into 64:ff9b:1::/48 is refused on delivery", async () => {
    setWebhooksAllowPrivate(false);
    const dns = tableResolver({ "hooks.nat64.example": [{ address: "64:ff9b:1::7f00:1", family: 6 }] });
    setGuardStandInsForTests({ resolve: dns.resolve });
    await callerFor(h.db, f.owner).webhooks.create({
      workspaceId: f.ws.id,
      url: "https://hooks.nat64.example/in",
      events: ["lead.created"],
    });
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "lead.created", { id: "nat64" });
    await h.queue.drain();
    const [row] = await h.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryIds.find(Boolean)!));
    expect(row).toMatchObject({ status: "pending", responseStatus: null, attempts: 1 });
    expect(row!.error).toMatch(/Refused to connect to 64:ff9b:1::7f00:1/);
    expect(dns.asked).toContain("hooks.nat64.example");
    await expect(postWebhook("https://LOCALHOST./hook", {}, "{}")).rejects.toThrow(/private or loopback/);
  });
});

describe("guardedFetch", () => {
  let target: Server;
  let targetHits = 0;
  let targetPort = 0;
  /** On 127.0.0.2, which the tests below treat as a public address. */
  let outside: Server;
  let outsidePort = 0;
  beforeAll(async () => {
    target = createServer((req, res) => {
      targetHits++;
      req.resume();
      res.end("internal");
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    targetPort = (target.address() as AddressInfo).port;
    outside = createServer((req, res) => {
      req.resume();
      const path = req.url ?? "/";
      if (path === "/redirect") {
        res.writeHead(302, { location: `http://127.0.0.1:${targetPort}/` });
        res.end();
      } else if (path === "/big") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("x".repeat(64 * 1024));
      } else if (path === "/slow") {
        setTimeout(() => res.end("late"), 2_000);
      } else {
        res.end(`hello ${req.method}`);
      }
    });
    await new Promise<void>((r) => outside.listen(0, "127.0.0.2", r));
    outsidePort = (outside.address() as AddressInfo).port;
  });
  afterAll(async () => {
    outside.closeAllConnections();
    await new Promise((r) => target.close(r));
    await new Promise((r) => outside.close(r));
  });
  const treat127002AsPublic = () =>
    setGuardStandInsForTests({ isBlocked: (a) => a !== "127.0.0.2" && isPrivateAddress(a) });
  const outsideUrl = (path: string) => `http://127.0.0.2:${outsidePort}${path}`;

  it("refuses a private literal and a name resolving to one before any byte is sent", async () => {
    targetHits = 0;
    await expect(guardedFetch(`http://127.0.0.1:${targetPort}/`)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(guardedFetch(`http://[::ffff:127.0.0.1]:${targetPort}/`)).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    setGuardStandInsForTests({
      resolve: tableResolver({ "in.example": [{ address: "127.0.0.1", family: 4 }] }).resolve,
    });
    await expect(guardedFetch(`http://in.example:${targetPort}/`)).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    expect(targetHits).toBe(0);
    const allowed = await guardedFetch(`http://127.0.0.1:${targetPort}/`, { allowPrivate: true });
    expect(await allowed.text()).toBe("internal");
    expect(targetHits).toBe(1);
  });

  it("hands back a redirect instead of following it to a private address", async () => {
    treat127002AsPublic();
    targetHits = 0;
    const res = await guardedFetch(outsideUrl("/redirect"), { method: "POST", body: "{}" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`http://127.0.0.1:${targetPort}/`);
    expect(targetHits).toBe(0);
    expect(await (await guardedFetch(outsideUrl("/"), { method: "PUT", body: "x" })).text()).toBe(
      "hello PUT",
    );
  });

  it("bounds the answer's size (fails, or keeps the first bytes) and its time", async () => {
    treat127002AsPublic();
    await expect(guardedFetch(outsideUrl("/big"), { maxResponseBytes: 1024 })).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    const cut = await guardedFetch(outsideUrl("/big"), { maxResponseBytes: 1024, onTooLarge: "truncate" });
    expect((await cut.text()).length).toBe(1024);
    const started = Date.now();
    await expect(guardedFetch(outsideUrl("/slow"), { timeoutMs: 200 })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("refuses anything but http(s)", async () => {
    await expect(guardedFetch("file:///etc/passwd")).rejects.toThrow(/Only http and https/);
    await expect(guardedFetch("gopher://example.com/")).rejects.toThrow(/Only http and https/);
  });

  it("stand-ins are refused outside tests", () => {
    const saved = process.env.NODE_ENV;
    (process.env as Record<string, string>).NODE_ENV = "production";
    resetEnvCache();
    try {
      expect(() => setGuardStandInsForTests({})).toThrow(/tests only/);
    } finally {
      (process.env as Record<string, string>).NODE_ENV = saved!;
      resetEnvCache();
    }
  });
});
