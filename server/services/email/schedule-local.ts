import "server-only";
import { ValidationError } from "@/server/errors";
import type { WorkspaceServiceContext } from "../context";
import { scheduleCampaign } from "./campaigns";
import { localSendSpan } from "./quiet-hours";
import type { ScheduleLocalInput } from "./send-time-schemas";

/**
 * Schedules a one-time campaign for `date time` on each lead's own clock. It starts when that time
 * first comes anywhere (UTC+14); each lead's message waits for its zone, and leads whose zone is
 * already past it when it starts get theirs at once. Refused when it has passed everywhere.
 */
export async function scheduleCampaignLocal(ctx: WorkspaceServiceContext, input: ScheduleLocalInput) {
  const span = localSendSpan(input.date, input.time);
  if (!span) throw new ValidationError("Pick a date that exists", { date: ["Not a calendar date"] });
  if (span.last.getTime() <= Date.now()) {
    throw new ValidationError("That time has already passed in every time zone: pick a later one", {
      date: ["Already passed everywhere"],
    });
  }
  return scheduleCampaign(ctx, {
    id: input.id,
    sendAt: span.first,
    localTime: `${input.date}T${input.time}`,
  });
}
