import "server-only";
import { z } from "zod";
import { enqueue } from "..";
import { defineJob, type RepeatingJob } from "../types";

/** How often the bounce mailboxes are read. */
export const BOUNCE_MAILBOX_POLL_INTERVAL_MS = 5 * 60_000;

/** One workspace's bounce mailbox read (services/email/bounce-mailbox.ts). */
export const bounceMailboxPollJob = defineJob({
  queue: "email",
  name: "bounce-mailbox-poll",
  schema: z.object({ workspaceId: z.uuid() }),
  feature: "email",
});

/** Every 5 minutes: a read for each workspace with its bounce mailbox switched on. */
export const bounceMailboxTickJob = defineJob({
  queue: "system",
  name: "bounce-mailbox-tick",
  schema: z.object({}).default({}),
  feature: "email",
});

export const bounceMailboxTick: RepeatingJob = {
  def: bounceMailboxTickJob,
  everyMs: BOUNCE_MAILBOX_POLL_INTERVAL_MS,
  payload: {},
};

/** One job per workspace and interval: a tick that runs twice reads each mailbox once. */
export async function enqueueBounceMailboxPolls(workspaceIds: string[], now = Date.now()) {
  const slot = Math.floor(now / BOUNCE_MAILBOX_POLL_INTERVAL_MS);
  for (const workspaceId of workspaceIds)
    await enqueue(bounceMailboxPollJob, { workspaceId }, { jobId: `bounce-mailbox-${workspaceId}-${slot}` });
}
