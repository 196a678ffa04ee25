import "server-only";
import { z } from "zod";
import { publishContent } from "@/server/services/content/publish";
import { defineJob, QUEUES } from "../types";

/** Publishes one content row. Safe to run twice: the row is claimed before anything happens. */
export const publishContentJob = defineJob({
  queue: "content",
  name: "publish-content",
  schema: z.object({ contentId: z.uuid(), workspaceId: z.uuid() }),
  async handler({ contentId }, { db, log, attempt }) {
    const result = await publishContent(db, {
      contentId,
      attempt,
      maxAttempts: QUEUES.content.attempts,
      log,
    });
    // Ask the queue for another attempt (with its backoff); the row is back in `scheduled`.
    if (result.outcome === "retry") throw new Error(result.error);
    return result;
  },
});
