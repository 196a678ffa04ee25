import "server-only";
import { EventEmitter } from "node:events";
import type Redis from "ioredis";
import { env, isRedisEnabled } from "@/lib/env";
import { logger } from "@/lib/logger";
import { createRedisConnection, getRedis } from "@/lib/redis";

/** What the server tells open pages about (over /api/sse). Always scoped to one workspace. */
export interface AppEvent {
  workspaceId: string;
  type:
    | "job.progress"
    | "job.finished"
    | "content.changed"
    | "content.published"
    | "content.failed"
    | "notification.created";
  /** Only this user should receive it (notifications); absent = every member of the workspace. */
  userId?: string;
  data: Record<string, unknown>;
}

const channel = () => `${env().QUEUE_PREFIX}:events`;

const g = globalThis as unknown as {
  organicEvents?: { emitter: EventEmitter; subscriber: Redis | null; subscribed: boolean };
};

function bus() {
  if (!g.organicEvents) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    g.organicEvents = { emitter, subscriber: null, subscribed: false };
  }
  return g.organicEvents;
}

/**
 * Publishes an event: Redis pub/sub in scale-out (workers and web processes are different
 * processes), an in-process emitter in embedded mode. Never throws: events are best effort, the
 * database stays the source of truth.
 */
export async function publishEvent(event: AppEvent): Promise<void> {
  try {
    if (isRedisEnabled()) await getRedis()!.publish(channel(), JSON.stringify(event));
    else bus().emitter.emit("event", event);
  } catch (err) {
    logger.warn({ err, type: event.type }, "could not publish event");
  }
}

/** Calls `listener` for every event; returns the unsubscribe function. */
export function subscribeEvents(listener: (e: AppEvent) => void): () => void {
  const b = bus();
  if (isRedisEnabled() && !b.subscribed) {
    b.subscribed = true;
    const sub = createRedisConnection();
    b.subscriber = sub;
    sub.subscribe(channel()).catch((err) => logger.error({ err }, "could not subscribe to events"));
    sub.on("message", (_channel, message) => {
      try {
        b.emitter.emit("event", JSON.parse(message) as AppEvent);
      } catch {
        // a malformed message is dropped
      }
    });
  }
  b.emitter.on("event", listener);
  return () => b.emitter.off("event", listener);
}
