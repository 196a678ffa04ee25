import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { getRedis } from "@/lib/redis";
import type { AppEvent } from "./events";

const encoder = new TextEncoder();
const pingMs = () => env().SSE_PING_MS;
const MEMBERSHIP_REFRESH_MS = 60_000;

export function formatSse(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The ends of this process's open streams, and whether it is stopping. On globalThis: the route that
 * opens streams and the boot code that ends them at shutdown are bundled apart by Next.
 */
const streams = globalThis as unknown as { organicSseOpen?: Set<() => void>; organicSseEnding?: boolean };

/**
 * Ends every open stream of this process, and every stream opened after this call right after its
 * first event: at SIGTERM, so that the HTTP server's close (which waits for every response to finish)
 * can end and the process exit. Without it an open dashboard kept a stopping server up until it was
 * killed. Browsers reconnect by themselves (`retry: 3000`), to the next server.
 */
export function endEventStreams(): number {
  streams.organicSseEnding = true;
  const open = [...(streams.organicSseOpen ?? [])];
  for (const end of open) end();
  return open.length;
}

/**
 * A text/event-stream response that forwards events the user may see: events of their workspaces
 * (re-checked every minute, so a removed member stops receiving), and personal events only for them.
 */
export function openEventStream(opts: {
  signal: AbortSignal;
  userId: string;
  workspaceIds: Set<string>;
  only: string | null;
  refreshMemberships: () => Promise<Set<string>>;
  subscribe: (listener: (e: AppEvent) => void) => () => void;
  /** Runs once when the stream ends, however it ends (frees the user's stream slot). */
  onClose?: () => void;
}): Response {
  let allowed = opts.workspaceIds;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      send(`retry: 3000\n${formatSse("ready", { at: new Date().toISOString() })}`);
      const unsubscribe = opts.subscribe((e) => {
        if (!allowed.has(e.workspaceId)) return;
        if (opts.only && e.workspaceId !== opts.only) return;
        if (e.userId && e.userId !== opts.userId) return;
        send(formatSse(e.type, { workspaceId: e.workspaceId, ...e.data }));
      });
      const ping = setInterval(() => send(`: ping ${Date.now()}\n\n`), pingMs());
      const refresh = setInterval(() => {
        opts.refreshMemberships().then(
          (ids) => {
            allowed = ids;
          },
          () => {},
        );
      }, MEMBERSHIP_REFRESH_MS);
      streams.organicSseOpen ??= new Set();
      const open = streams.organicSseOpen;
      const end = () => cleanup();
      cleanup = () => {
        open.delete(end);
        opts.onClose?.();
        clearInterval(ping);
        clearInterval(refresh);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
        cleanup = () => {};
      };
      open.add(end);
      opts.signal.addEventListener("abort", end);
      // A client gone before the stream started would otherwise keep its slot; a stream opened
      // while the process stops has said "ready" and ends (the browser reconnects elsewhere).
      if (opts.signal.aborted || streams.organicSseEnding) cleanup();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}

// ---- open streams per user -----------------------------------------------------------------------

/** A held place among a user's open streams; `release` gives it back (idempotent). */
export interface StreamSlot {
  release: () => void;
}

/** How long a slot lives without a heartbeat: a web process that dies frees its slots after this. */
export const STREAM_SLOT_TTL_MS = 60_000;

const g = globalThis as unknown as { organicSseSlots?: Map<string, number> };

/**
 * Takes a slot if the user has fewer than `max` streams open, atomically: expired entries are
 * dropped, the rest counted, and this one added with its expiry, in one script. Times are Redis's
 * own, so web processes with drifting clocks agree.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** Pushes a live slot's expiry out (only if it is still there: a released slot stays released). */
const HEARTBEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1`;

/**
 * A place for one more live-update stream of `userId`, or null when `max` are already open. With
 * REDIS_URL the count is shared by every web process (a sorted set of slot ids scored by expiry,
 * refreshed while the stream lives, so a killed process's slots lapse after `ttlMs`); embedded, it
 * is this process's count.
 */
export async function acquireStreamSlot(
  userId: string,
  max: number,
  ttlMs = STREAM_SLOT_TTL_MS,
): Promise<StreamSlot | null> {
  const redis = getRedis();
  if (!redis) {
    g.organicSseSlots ??= new Map();
    const open = g.organicSseSlots;
    if ((open.get(userId) ?? 0) >= max) return null;
    open.set(userId, (open.get(userId) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (open.get(userId) ?? 1) - 1;
        if (left > 0) open.set(userId, left);
        else open.delete(userId);
      },
    };
  }
  const key = `sse:streams:${userId}`;
  const id = randomUUID();
  if (Number(await redis.eval(ACQUIRE, 1, key, max, ttlMs, id)) !== 1) return null;
  const heartbeat = setInterval(
    () => {
      redis.eval(HEARTBEAT, 1, key, ttlMs, id).catch(() => {});
    },
    Math.max(1_000, Math.floor(ttlMs / 3)),
  );
  heartbeat.unref();
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      redis.zrem(key, id).catch(() => {});
    },
  };
}
