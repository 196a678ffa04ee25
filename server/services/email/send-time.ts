import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { leads, workspaces } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { checkedTimeZone, databaseTimeZones } from "../leads/time-zone";
import { readWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";
import { quietHoursEnd } from "./quiet-hours";
import { scheduledLocalTime } from "./scheduled-local-time";
import type { QuietHours } from "./send-time-schemas";

/** The workspace's zone as the database knows it (UTC when the database does not know the name). */
export async function workspaceSendZone(db: Db, workspaceId: string): Promise<string> {
  const [ws] = await db
    .select({ timeZone: workspaces.timeZone })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws) throw new NotFoundError("Workspace not found");
  return (await databaseTimeZones(db)).has(ws.timeZone) ? ws.timeZone : "UTC";
}

/**
 * Each lead's due time for a campaign scheduled at a local time: the wall-clock date and hour in
 * the lead's own zone (the workspace's for a lead without one), as one SQL expression over `leads`
 * so the whole audience is written by one INSERT … SELECT. Null when the schedule has no local time.
 * Stored zones are all known to the database (leads/time-zone.ts), so the expression cannot fail.
 */
export async function localDueAt(db: Db, workspaceId: string, schedule: unknown): Promise<SQL | null> {
  const local = scheduledLocalTime(schedule);
  if (!local) return null;
  const zone = await workspaceSendZone(db, workspaceId);
  return sql`(${local.replace("T", " ")}::timestamp at time zone coalesce(${leads.timeZone}, ${zone}::text))`;
}

/** The workspace's quiet hours and the zone they are read in; null hours = none. */
export async function getQuietHours(db: Db, workspaceId: string) {
  const [settings, timeZone] = await Promise.all([
    readWorkspaceSettings(db, workspaceId),
    workspaceSendZone(db, workspaceId),
  ]);
  return { quietHours: settings.quietHours ?? null, timeZone };
}

export async function setQuietHours(ctx: WorkspaceServiceContext, quietHours: QuietHours | null) {
  const before = (await readWorkspaceSettings(ctx.db, ctx.workspaceId)).quietHours ?? null;
  await writeSettingsSection(ctx.db, ctx.workspaceId, "quietHours", quietHours);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.quiet_hours_updated",
    { type: "workspace", id: ctx.workspaceId },
    { from: before, to: quietHours },
  );
  return getQuietHours(ctx.db, ctx.workspaceId);
}

/**
 * The sender's quiet-hours gate for one run: called with the time before each claim, it answers
 * whether sending must stop. Inside quiet hours it first moves every pending message of the
 * workspace due before their end to that end, in one UPDATE of `pending` rows only (a row being
 * claimed is locked and no longer pending; nothing is lost or doubled), so the scheduler tick does
 * not see them again until then. Without quiet hours it costs nothing per claim.
 */
export async function quietHoursGate(db: Db, workspaceId: string): Promise<(now: Date) => Promise<boolean>> {
  const { quietHours, timeZone } = await getQuietHours(db, workspaceId);
  if (!quietHours) return async () => false;
  return async (now) => {
    const end = quietHoursEnd(quietHours, timeZone, now);
    if (!end) return false;
    await db.execute(sql`
      update email_sends set due_at = ${end.toISOString()}::timestamptz
      where workspace_id = ${workspaceId} and status = 'pending'
        and due_at < ${end.toISOString()}::timestamptz`);
    return true;
  };
}

/** A person sets (or clears, with null) a lead's zone on the lead page; unknown names are refused. */
export async function setLeadTimeZone(
  ctx: WorkspaceServiceContext,
  input: { id: string; timeZone: string | null },
) {
  const zone = input.timeZone ? await checkedTimeZone(ctx.db, input.timeZone) : null;
  if (input.timeZone && !zone) {
    throw new ValidationError(`${input.timeZone} is not a time zone: pick one from the list`, {
      timeZone: ["Unknown time zone"],
    });
  }
  const [current] = await ctx.db
    .select({ id: leads.id, email: leads.email, timeZone: leads.timeZone })
    .from(leads)
    .where(and(eq(leads.id, input.id), eq(leads.workspaceId, ctx.workspaceId)));
  if (!current) throw new NotFoundError("Lead not found");
  if (current.timeZone === zone) return { id: current.id, timeZone: zone };
  await ctx.db
    .update(leads)
    .set({ timeZone: zone, updatedAt: new Date() })
    .where(and(eq(leads.id, input.id), eq(leads.workspaceId, ctx.workspaceId)));
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "lead.updated",
    { type: "lead", id: current.id },
    { email: current.email, changes: { timeZone: { from: current.timeZone, to: zone } } },
  );
  return { id: current.id, timeZone: zone };
}
