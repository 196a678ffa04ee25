import { z } from "zod";
import {
  findWorkspacesWithDueSends,
  finishSentCampaigns,
  reclaimStaleSends,
  runSender,
} from "@/server/services/email/sender";
import { getQueue } from "..";
import { defineJob } from "../types";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** How often the tick looks for due mail. */
export const EMAIL_SENDER_INTERVAL_MS = num("EMAIL_SENDER_INTERVAL_MS", 1000);
/** How long one sender job runs before handing over to the next (its job id changes per window). */
export const EMAIL_SENDER_WINDOW_MS = num("EMAIL_SENDER_WINDOW_MS", 5000);
/** Sender jobs per workspace per window: how many workers can share one campaign. */
export const EMAIL_SENDER_PARALLELISM = num("EMAIL_SENDER_PARALLELISM", 4);

/**
 * Sends a workspace's due campaign mail for one window. Running it twice at once is harmless: each
 * claims different rows (`SKIP LOCKED`), and nothing is sent before it is claimed.
 */
export const emailSenderJob = defineJob({
  queue: "email",
  name: "email-sender",
  schema: z.object({
    workspaceId: z.uuid(),
    until: z.number().int().positive(),
    slot: z.number().int().min(0).default(0),
  }),
  async handler({ workspaceId, until, slot }, { db, log }) {
    // A job that waited in the queue past its window still takes at least one second's turn.
    const deadline = Math.max(until, Date.now() + 1000);
    const result = await runSender(db, { workspaceId, deadline, log });
    if (result.more) {
      // Hand over to this slot's job of the next window (the id a tick would use too), so a send
      // in progress keeps going even if the repeating tick was lost with Redis.
      const next =
        Math.floor(Date.now() / EMAIL_SENDER_WINDOW_MS) * EMAIL_SENDER_WINDOW_MS + EMAIL_SENDER_WINDOW_MS;
      await getQueue().enqueue(
        emailSenderJob,
        { workspaceId, until: next + EMAIL_SENDER_WINDOW_MS, slot },
        { jobId: `email-sender-${workspaceId}-w${next}-${slot}` },
      );
    }
    return result;
  },
});

function senderJobs(workspaceId: string, windowStart: number, idPart: string) {
  return Array.from({ length: EMAIL_SENDER_PARALLELISM }, (_v, slot) => ({
    payload: { workspaceId, until: windowStart + EMAIL_SENDER_WINDOW_MS, slot },
    opts: { jobId: `email-sender-${workspaceId}-${idPart}-${slot}` },
  }));
}

/**
 * Starts sending now (campaign started or resumed) instead of waiting for the next tick. Several
 * kicks only add senders that find nothing left to claim.
 */
export async function kickEmailSender(workspaceId: string) {
  const now = Date.now();
  await getQueue().enqueueMany(emailSenderJob, senderJobs(workspaceId, now, `kick-${now}`));
}

/**
 * The tick (every EMAIL_SENDER_INTERVAL_MS): gives back claims of dead workers, marks finished
 * one-time campaigns `sent`, and makes sure every workspace with due mail has its senders for the
 * current window. Job ids are deterministic per window, so ticks of one window enqueue once.
 */
export const emailSenderTickJob = defineJob({
  queue: "email",
  name: "email-sender-tick",
  schema: z.object({}).default({}),
  async handler(_payload, { db, log }) {
    const reclaimed = await reclaimStaleSends(db);
    if (reclaimed) log.warn({ reclaimed }, "gave back stale campaign send claims");
    await finishSentCampaigns(db);
    const workspaceIds = await findWorkspacesWithDueSends(db);
    const window = Math.floor(Date.now() / EMAIL_SENDER_WINDOW_MS) * EMAIL_SENDER_WINDOW_MS;
    await getQueue().enqueueMany(
      emailSenderJob,
      workspaceIds.flatMap((id) => senderJobs(id, window, `w${window}`)),
    );
    return { reclaimed, workspaces: workspaceIds.length };
  },
});
