import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { webhookDeliveries } from "@/server/db/schema";
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

const h = await setupTestDb({ ownDatabase: true });
const f = await twoWorkspaces(h.db);

function setAllowPrivate(on: boolean) {
  process.env.WEBHOOKS_ALLOW_PRIVATE = on ? "true" : "false";
  resetEnvCache();
}
afterAll(() => setAllowPrivate(false));

describe("SSRF: addresses a webhook may not reach", () => {
  it("blocks IPv6 loopback, unique-local, link-local and the IPv4-in-IPv6 forms of private addresses", () => {
    for (const ip of [
      "::1",
      "::",
      "0:0:0:0:0:0:0:1",
      "fc00::1",
      "fd12:3456::1",
      "fe80::abcd",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1", // the same, as the URL parser writes it
      "::ffff:a9fe:a9fe", // 169.254.169.254, cloud metadata
      "::ffff:10.0.0.1",
      "0:0:0:0:0:ffff:c0a8:101",
      "::127.0.0.1", // deprecated IPv4-compatible form
      "::ffff:0:7f00:1", // SIIT
      "2002:7f00:1::1", // 6to4 around 127.0.0.1
      "2002:c0a8:0101::", // 6to4 around 192.168.1.1
      "2001:0:4136:e378::1", // Teredo
      "64:ff9b::a00:1", // NAT64 around 10.0.0.1
      "100::1",
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of [
      "2606:4700:4700::1111",
      "2a00:1450:4001:80b::200e",
      "::ffff:1.1.1.1",
      "2002:0101:0101::1",
    ])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it("refuses URLs with private IPv6 and IPv4-mapped literals, and other spellings of loopback", () => {
    setAllowPrivate(false);
    for (const url of [
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[::ffff:a9fe:a9fe]/latest/meta-data",
      "https://[fd00::1]/hook",
      "https://[fe80::1]/hook",
      "https://2130706433/hook", // 127.0.0.1 as one number
      "https://0x7f.1/hook",
      "https://127.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://metadata.google.internal/",
      "https://printer.local/",
      "https://app.localhost/",
    ]) {
      expect(webhookUrlProblem(url), url).toMatch(/private or loopback/);
    }
    expect(webhookUrlProblem("https://hooks.example.com/in")).toBeNull();
    expect(webhookUrlProblem("https://[2606:4700:4700::1111]/in")).toBeNull();
  });

  it("refuses a host name whose DNS answers include a private address, IPv4 or IPv6", async () => {
    const answers: Record<string, LookupAddress[]> = {
      "v6-loopback.example": [{ address: "::1", family: 6 }],
      "mapped.example": [{ address: "::ffff:10.1.2.3", family: 6 }],
      "mixed.example": [
        { address: "93.184.216.34", family: 4 },
        { address: "fd00::5", family: 6 },
      ],
      "metadata.example": [{ address: "169.254.169.254", family: 4 }],
      "public.example": [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:2800:220:1::1", family: 6 },
      ],
    };
    // A stand-in resolver with fixed answers, in place of the system's.
    const lookup = createGuardedLookup((name, _o, cb) =>
      answers[name]
        ? cb(null, answers[name]!)
        : cb(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" }), []),
    );
    const run = (name: string, all = false) =>
      new Promise<string | LookupAddress[]>((resolve, reject) =>
        lookup(name, { all }, (err, address) => (err ? reject(err) : resolve(address))),
      );
    for (const name of ["v6-loopback.example", "mapped.example", "mixed.example", "metadata.example"])
      await expect(run(name), name).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(run("public.example")).resolves.toBe("93.184.216.34");
    await expect(run("public.example", true)).resolves.toHaveLength(2);
  });
});

describe("SSRF: redirects", () => {
  let target: Server;
  let redirector: Server;
  let targetHits = 0;
  let targetUrl = "";
  let redirectUrl = "";
  beforeAll(async () => {
    target = createServer((_req, res) => {
      targetHits++;
      res.end("ok");
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/internal`;
    redirector = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(307, { location: targetUrl });
        res.end();
      });
    });
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
    redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((r) => target.close(r));
    await new Promise((r) => redirector.close(r));
  });

  it("never follows a redirect: the delivery records the 307 as a failure and the target gets nothing", async () => {
    // Private addresses allowed only so the test's own servers on 127.0.0.1 can be reached at all.
    setAllowPrivate(true);
    const res = await postWebhook(redirectUrl, {}, "{}");
    expect(res.status).toBe(307);
    await h.queue.drain();
    expect(targetHits).toBe(0);

    await callerFor(h.db, f.owner).webhooks.create({
      workspaceId: f.ws.id,
      url: redirectUrl,
      events: ["lead.created"],
    });
    const { deliveryIds } = await emitWebhookEvent(h.db, f.ws.id, "lead.created", { id: "redirect" });
    await h.queue.drain();
    const [row] = await h.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryIds.find(Boolean)!));
    expect(row).toMatchObject({ status: "pending", responseStatus: 307, attempts: 1 });
    expect(row!.error).toMatch(/HTTP 307/);
    expect(targetHits).toBe(0);
  });
});
