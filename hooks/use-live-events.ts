"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";
import { useTRPC } from "@/lib/trpc/client";

export type LiveEventType =
  | "ready"
  | "content.changed"
  | "content.published"
  | "content.failed"
  | "notification.created"
  | "job.progress"
  | "job.finished";

export interface LiveEvent {
  type: LiveEventType;
  /** The JSON payload; always carries `workspaceId` (except `ready`). */
  data: Record<string, unknown> & { workspaceId?: string };
  receivedAt: number;
}

const EVENT_TYPES: LiveEventType[] = [
  "ready",
  "content.changed",
  "content.published",
  "content.failed",
  "notification.created",
  "job.progress",
  "job.finished",
];

const MAX_BACKOFF_MS = 30_000;
const RECENT_LIMIT = 50;

type Status = "connecting" | "open" | "closed";

/**
 * One connection per page, shared through this module: the shell opens it, any component can
 * listen. Recent events are kept briefly so a listener that subscribes a moment late (the generate
 * dialog learns its job id after the job may already have reported) can still catch up.
 */
const listeners = new Set<(e: LiveEvent) => void>();
const statusListeners = new Set<() => void>();
let status: Status = "closed";
const recent: LiveEvent[] = [];

function setStatus(next: Status) {
  if (status === next) return;
  status = next;
  for (const l of statusListeners) l();
}

function dispatch(e: LiveEvent) {
  recent.push(e);
  if (recent.length > RECENT_LIMIT) recent.shift();
  for (const l of listeners) {
    try {
      l(e);
    } catch {
      // one broken listener must not stop the others
    }
  }
}

/** Events received in the last `withinMs` (newest last). */
export function recentLiveEvents(withinMs = 60_000): LiveEvent[] {
  const since = Date.now() - withinMs;
  return recent.filter((e) => e.receivedAt >= since);
}

/** Opens the page's event stream for the workspace and keeps the query cache fresh. Mount once. */
export function useLiveEvents(workspaceId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let everOpened = false;

    const invalidate = (keys: readonly (readonly unknown[])[]) => {
      for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
    };
    const contentKeys = [
      trpc.content.list.queryKey(),
      trpc.content.get.queryKey(),
      trpc.content.calendar.queryKey(),
    ];

    const onEvent = (type: LiveEventType) => (msg: MessageEvent<string>) => {
      let data: LiveEvent["data"] = {};
      try {
        data = JSON.parse(msg.data) as LiveEvent["data"];
      } catch {
        return;
      }
      if (type !== "ready" && data.workspaceId && data.workspaceId !== workspaceId) return;
      switch (type) {
        case "ready":
          attempt = 0;
          setStatus("open");
          // After a reconnect, anything may have changed while we were away.
          if (everOpened) invalidate([...contentKeys, trpc.notifications.list.queryKey()]);
          everOpened = true;
          break;
        case "content.changed":
        case "content.published":
        case "content.failed":
          invalidate(contentKeys);
          break;
        case "notification.created":
          invalidate([trpc.notifications.list.queryKey()]);
          break;
        case "job.finished":
          if (data.contentId) invalidate([trpc.content.list.queryKey()]);
          break;
        case "job.progress":
          break;
      }
      dispatch({ type, data, receivedAt: Date.now() });
    };

    const connect = () => {
      if (stopped) return;
      setStatus("connecting");
      source = new EventSource(`/api/sse?workspaceId=${encodeURIComponent(workspaceId)}`);
      for (const type of EVENT_TYPES) source.addEventListener(type, onEvent(type) as EventListener);
      source.onerror = () => {
        // The browser retries some failures itself, but not HTTP errors; reconnect ourselves, slower
        // each time, so a server restart or a network blip heals without a reload.
        source?.close();
        source = null;
        setStatus("closed");
        if (stopped) return;
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        attempt += 1;
        retryTimer = setTimeout(connect, delay);
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
      setStatus("closed");
    };
  }, [workspaceId, trpc, queryClient]);
}

/** Calls `handler` for every live event (the latest handler; no need to memoize it). */
export function useLiveEvent(handler: (e: LiveEvent) => void) {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    const l = (e: LiveEvent) => ref.current(e);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
}

/** Whether the event stream is connected: when it is not, callers poll instead. */
export function useLiveConnected(): boolean {
  return useSyncExternalStore(
    (cb) => {
      statusListeners.add(cb);
      return () => {
        statusListeners.delete(cb);
      };
    },
    () => status === "open",
    () => false,
  );
}
