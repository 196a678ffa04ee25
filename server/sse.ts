import type { AppEvent } from "./events";

const encoder = new TextEncoder();
const PING_MS = Number(process.env.SSE_PING_MS ?? 25_000);
const MEMBERSHIP_REFRESH_MS = 60_000;

export function formatSse(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
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
      const ping = setInterval(() => send(`: ping ${Date.now()}\n\n`), PING_MS);
      const refresh = setInterval(() => {
        opts.refreshMemberships().then(
          (ids) => {
            allowed = ids;
          },
          () => {},
        );
      }, MEMBERSHIP_REFRESH_MS);
      cleanup = () => {
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
      opts.signal.addEventListener("abort", () => cleanup());
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
