import "server-only";
import { type AppEvent, publishEvent } from "@/server/events";
import type { DomainEventConsumer } from "./domain-events/dispatch";
import type { DomainEvent } from "./domain-events/types";

/** What open pages hear of a domain event (over /api/sse), or null for events they do not show. */
function liveEventOf(event: DomainEvent): AppEvent | null {
  const workspaceId = event.workspaceId;
  switch (event.type) {
    case "content.published": {
      const { id, title, url } = event.payload;
      return { workspaceId, type: "content.published", data: { id, title, url } };
    }
    case "content.failed": {
      const { id, title, error } = event.payload;
      return { workspaceId, type: "content.failed", data: { id, title, error } };
    }
    default:
      return null;
  }
}

/**
 * The domain-event consumer that feeds live updates (bound in server/queue/handlers.ts). It
 * publishes after the dispatcher's commit: live updates are best effort, the pages re-read the
 * database, so one lost to a crash at that instant costs only a refresh.
 */
export const liveUpdatesConsumer: DomainEventConsumer = {
  name: "live-updates",
  async handle(_tx, event) {
    const live = liveEventOf(event);
    return live ? () => publishEvent(live) : undefined;
  },
  async handleMany(_tx, events) {
    const live = events.map(liveEventOf).filter((e) => e !== null);
    return live.length ? async () => void (await Promise.all(live.map(publishEvent))) : undefined;
  },
};
