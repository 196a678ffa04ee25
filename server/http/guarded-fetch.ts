import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * The one HTTP path for every server-side request to an address a user or a workspace typed in
 * (webhook endpoints, a workspace's AI base URL). An attacker who can choose the URL must not reach
 * the server's own network: loopback, private ranges, cloud metadata, or any of their IPv6 spellings.
 *
 * - Every address is checked at connect time: a host name is resolved by our lookup, which refuses
 *   the connection when any answer is private, and Node connects to the address that lookup returned
 *   (no window between check and connect for DNS rebinding). IP literals are checked before connecting.
 * - Redirects are never followed: the 3xx comes back to the caller, so a public endpoint cannot bounce
 *   the request to an internal one.
 * - The answer is bounded in time (connect to last byte) and in size.
 *
 * Operator-configured provider base URLs (TikTok, Google, Amazon) are trusted and go through
 * server/integrations/http.ts with plain fetch unless the caller asks for `guarded`.
 */

/**
 * Never reachable unless the caller allows private addresses: loopback, private, carrier-grade NAT,
 * link-local (cloud metadata at 169.254.169.254), multicast, reserved, documentation, and the IPv6
 * equivalents. IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry.
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
  // NAT64: the well-known prefix and the local-use one (RFC 8215) both carry an IPv4 address that a
  // NAT64 gateway on the server's network would connect to.
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
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

export type Resolver = (
  hostname: string,
  options: { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** Stand-ins a test may install: fixed DNS answers, and which addresses count as private. */
interface GuardStandIns {
  resolve?: Resolver;
  isBlocked?: (address: string) => boolean;
}
let standIns: GuardStandIns = {};

/**
 * Tests only (refused outside NODE_ENV=test): answer DNS from a table, or treat one loopback address
 * as public so a local server can play the part of a public endpoint. `null` restores the real ones.
 */
export function setGuardStandInsForTests(s: GuardStandIns | null) {
  if (env().NODE_ENV !== "test") throw new Error("Guard stand-ins are for tests only");
  standIns = s ?? {};
}

const addressBlocked = (address: string) => (standIns.isBlocked ?? isPrivateAddress)(address);

/** A URL's host without IPv6 brackets and without the trailing dot(s) of a fully qualified name. */
export function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "")
    .toLowerCase();
}

/**
 * Whether a host (as `new URL().hostname` gives it) is private by its spelling alone: a private IP
 * literal, or a name that only ever means this machine or its network (`localhost.`, `x.localhost`,
 * `.local`, `.internal`). Names that merely resolve to a private address are caught at connect time.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (isIP(host)) return addressBlocked(host);
  return (
    host === "" ||
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal")
  );
}

export class BlockedAddressError extends Error {
  constructor(readonly address: string) {
    super(`Refused to connect to ${address}: private, loopback and link-local addresses are not allowed`);
    this.name = "BlockedAddressError";
  }
}

export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The answer was larger than ${Math.round(limitBytes / 1024)} KB`);
    this.name = "ResponseTooLargeError";
  }
}

/**
 * DNS lookup that refuses private answers (every answer is checked, IPv4 and IPv6). Node connects to
 * the address this returns, so the check holds at connect time. `resolve` defaults to the system
 * resolver (or a test's stand-in).
 */
export const createGuardedLookup = (resolve?: Resolver) =>
  function guardedLookup(
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) {
    if (isPrivateHost(hostname)) return callback(new BlockedAddressError(bareHost(hostname)), []);
    const resolver = resolve ?? standIns.resolve ?? (dnsLookup as unknown as Resolver);
    resolver(hostname, { ...options, all: true } as { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const bad = addresses.find((a) => addressBlocked(a.address));
      if (bad) return callback(new BlockedAddressError(bad.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };

export interface GuardedInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborts the request; its reason is what the promise rejects with. */
  signal?: AbortSignal;
  /** Reach loopback/private/link-local addresses too: only behind an operator's switch. */
  allowPrivate?: boolean;
  /** Connect to last byte. Past it the request fails with an error named "TimeoutError". */
  timeoutMs?: number;
  /** Most bytes of the answer read. */
  maxResponseBytes?: number;
  /** Past maxResponseBytes: fail with ResponseTooLargeError (default), or keep the first bytes. */
  onTooLarge?: "error" | "truncate";
}

export const GUARDED_DEFAULTS = { timeoutMs: 30_000, maxResponseBytes: 1024 * 1024 };

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function timeoutError(ms: number) {
  const err = new Error(`No answer within ${Math.round(ms / 100) / 10} seconds`);
  err.name = "TimeoutError";
  return err;
}

/** Node's raw response headers (node:http, undici) as a standard Headers, repeated ones kept. */
export function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
  }
  return h;
}

/**
 * fetch() for a URL someone else chose: checks every address it connects to, never follows a
 * redirect (a 3xx is returned as is), and bounds time and size. Resolves with a standard Response
 * whose body is already read; network failures, refusals and timeouts reject.
 */
export function guardedFetch(input: string | URL, init: GuardedInit = {}): Promise<Response> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return Promise.reject(new TypeError("Not a valid URL"));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.reject(new TypeError("Only http and https URLs can be fetched"));
  }
  const allowPrivate = init.allowPrivate ?? false;
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return Promise.reject(new BlockedAddressError(bareHost(url.hostname)));
  }
  if (init.signal?.aborted) return Promise.reject(init.signal.reason);
  const timeoutMs = init.timeoutMs ?? GUARDED_DEFAULTS.timeoutMs;
  const maxBytes = init.maxResponseBytes ?? GUARDED_DEFAULTS.maxResponseBytes;
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const headers: Record<string, string> = { ...init.headers };
  if (body && !Object.keys(headers).some((k) => k.toLowerCase() === "content-length")) {
    headers["content-length"] = String(body.length);
  }
  const mod = url.protocol === "https:" ? https : http;

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const req = mod.request(url, {
      method: init.method ?? "GET",
      headers,
      lookup: allowPrivate ? undefined : (createGuardedLookup() as never),
      // A fresh connection each time: a pooled socket would skip the lookup, hence the check.
      agent: false,
    });
    const fail = (err: unknown) => finish(() => reject(err));
    timer = setTimeout(() => {
      const err = timeoutError(timeoutMs);
      req.destroy(err);
      fail(err);
    }, timeoutMs);
    const onAbort = () => {
      req.destroy();
      fail(init.signal?.reason);
    };
    init.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const respond = () =>
        finish(() => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 599) {
            reject(new Error(`The server answered with an invalid HTTP status (${status})`));
            return;
          }
          const h = headersOf(res.headers);
          const payload = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, statusText: res.statusMessage ?? "", headers: h }));
        });
      res.on("data", (chunk: Buffer) => {
        if (truncated) return;
        if (size + chunk.length > maxBytes) {
          if (init.onTooLarge === "truncate") {
            chunks.push(chunk.subarray(0, maxBytes - size));
            size = maxBytes;
            truncated = true;
            respond();
            res.destroy();
            return;
          }
          const err = new ResponseTooLargeError(maxBytes);
          res.destroy(err);
          fail(err);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", respond);
      res.on("error", fail);
      // A connection cut before the end: report what arrived only if it was complete.
      res.on("close", () => {
        if (!res.complete) fail(new Error("The connection closed before the answer was complete"));
      });
    });
    req.end(body);
  });
}
