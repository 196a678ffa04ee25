import "server-only";
import { z } from "zod";
import { defineJob } from "../types";

/** Publishes one content row. Safe to run twice: the row is claimed before anything happens. */
export const publishContentJob = defineJob({
  queue: "content",
  name: "publish-content",
  schema: z.object({ contentId: z.uuid(), workspaceId: z.uuid() }),
});
