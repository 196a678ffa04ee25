import { z } from "zod";
import { env } from "@/lib/env";
import { getQueue } from "..";
import { defineJob, type RepeatingJob } from "../types";

/** How long one sender job runs before handing over to the next (its job id changes per window). */
export const senderWindowMs = () => env().EMAIL_SENDER_WINDOW_MS;

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
  feature: "email",
});

function senderJobs(workspaceId: string, windowStart: number, idPart: string) {
  return Array.from({ length: env().EMAIL_SENDER_PARALLELISM }, (_v, slot) => ({
    payload: { workspaceId, until: windowStart + senderWindowMs(), slot },
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
 * Hands over to this slot's job of the next window (the id a tick would use too), so a send in
 * progress keeps going even if the repeating tick was lost with Redis.
 */
export async function enqueueNextSenderWindow(workspaceId: string, slot: number) {
  const w = senderWindowMs();
  const next = Math.floor(Date.now() / w) * w + w;
  await getQueue().enqueue(
    emailSenderJob,
    { workspaceId, until: next + w, slot },
    { jobId: `email-sender-${workspaceId}-w${next}-${slot}` },
  );
}

/** Senders of the current window for each workspace; ids are deterministic per window. */
export async function enqueueSenderWindow(workspaceIds: string[]) {
  const w = senderWindowMs();
  const window = Math.floor(Date.now() / w) * w;
  await getQueue().enqueueMany(
    emailSenderJob,
    workspaceIds.flatMap((id) => senderJobs(id, window, `w${window}`)),
  );
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
  feature: "email",
});

export const emailSenderTick = (): RepeatingJob => ({
  def: emailSenderTickJob,
  everyMs: env().EMAIL_SENDER_INTERVAL_MS,
  payload: {},
});
