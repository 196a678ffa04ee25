import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * Addresses a webhook may never reach unless WEBHOOKS_ALLOW_PRIVATE=true: loopback, private,
 * carrier-grade NAT, link-local (cloud metadata at 169.254.169.254), multicast, reserved, and the
 * IPv6 equivalents. IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  ["::", 96],
  ["::ffff:0:0:0", 96],
  ["100::", 64],
  ["2001::", 32],
  ["2001:2::", 48],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["64:ff9b::", 96],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    if (blocked.check(address, "ipv6")) return true;
    // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
    const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(:|$)/i.exec(expandIpv6(address));
    if (sixToFour) {
      const hi = Number.parseInt(sixToFour[1]!, 16);
      const lo = Number.parseInt(sixToFour[2]!, 16);
      return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, "ipv4");
    }
    return false;
  }
  return blocked.check(address, "ipv4");
}

/** The eight groups of an IPv6 address written out (a trailing dotted IPv4 part is left alone). */
function expandIpv6(address: string): string {
  const [head = "", tail] = address.split("::");
  if (tail === undefined) return address;
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  return [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t].join(":");
}

export function privateAddressesAllowed(): boolean {
  return env().WEBHOOKS_ALLOW_PRIVATE;
}

export class BlockedAddressError extends Error {
  constructor(readonly address: string) {
    super(`Refused to connect to ${address}: private, loopback and link-local addresses are not allowed`);
    this.name = "BlockedAddressError";
  }
}

/** Why a URL can never be a webhook endpoint, or null. Resolution is checked again at connect time. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL, e.g. https://example.com/webhooks";
  }
  const allowPrivate = privateAddressesAllowed();
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return "Webhook URLs must use https://";
  }
  if (url.username || url.password) return "Webhook URLs must not contain a user name or password";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate) {
    if (isIP(host) && isPrivateAddress(host))
      return "Webhook URLs must not point to a private or loopback address";
    if (
      host === "localhost" ||
      host.endsWith(".localhost") ||
      host.endsWith(".local") ||
      host.endsWith(".internal")
    ) {
      return "Webhook URLs must not point to a private or loopback address";
    }
  }
  return null;
}

type Resolver = (
  hostname: string,
  options: { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * DNS lookup that refuses private answers (every answer is checked, IPv4 and IPv6). Node connects to
 * the address this returns, so the check holds at connect time (no DNS-rebinding window between a
 * check and the connection). `resolve` is the system resolver; tests hand in a stand-in.
 */
export const createGuardedLookup = (resolve: Resolver = dnsLookup as unknown as Resolver) =>
  function guardedLookup(
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) {
    resolve(hostname, { ...options, all: true } as { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new BlockedAddressError(bad.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };

export interface PostResult {
  status: number;
  body: string;
}

const MAX_RESPONSE_BYTES = 4096;

/**
 * POSTs `body` without following redirects (a redirect could point anywhere), reading at most a few
 * KB of the answer. Private addresses are refused unless WEBHOOKS_ALLOW_PRIVATE=true.
 */
export function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = 10_000,
): Promise<PostResult> {
  const url = new URL(rawUrl);
  const allowPrivate = privateAddressesAllowed();
  const problem = webhookUrlProblem(rawUrl);
  if (problem) return Promise.reject(new Error(problem));
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && isIP(literal) && isPrivateAddress(literal)) {
    return Promise.reject(new BlockedAddressError(literal));
  }
  const mod = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: allowPrivate ? undefined : (createGuardedLookup() as never),
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c);
          size += c.length;
          if (size > 1024 * 1024) res.destroy();
        });
        res.on("close", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_RESPONSE_BYTES),
          }),
        );
        res.on("error", () => undefined);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`No answer within ${timeoutMs / 1000} seconds`)));
    req.on("error", reject);
    req.end(body);
  });
}
