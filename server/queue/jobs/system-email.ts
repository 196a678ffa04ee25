import { z } from "zod";
import { enqueue } from "..";
import { defineJob } from "../types";

/**
 * Delivers one app email (invitation, confirmation, verification, password reset…) from the outbox
 * table via SMTP, when configured. App emails are not campaigns: no feature flag stops them.
 */
export const sendSystemEmailJob = defineJob({
  queue: "email",
  name: "send-system-email",
  schema: z.object({ outboxId: z.uuid() }),
});

/** One job per outbox row. */
export function enqueueSystemEmail(outboxId: string) {
  return enqueue(sendSystemEmailJob, { outboxId }, { jobId: `system-email-${outboxId}` });
}
