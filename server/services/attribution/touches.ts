import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/server/db";
import { formSignups, linkClicks } from "@/server/db/schema";
import { CLICK_ID_PARAM } from "../links/links";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `raw` if it names one of the workspace's link clicks; null for anything else (never an error). */
export async function workspaceClickId(db: Db, workspaceId: string, raw: unknown): Promise<string | null> {
  if (typeof raw !== "string" || !UUID.test(raw.trim())) return null;
  const [click] = await db
    .select({ id: linkClicks.id })
    .from(linkClicks)
    .where(and(eq(linkClicks.workspaceId, workspaceId), eq(linkClicks.id, raw.trim().toLowerCase())));
  return click?.id ?? null;
}

/**
 * The click id a form post carried (`ocid`, from the page a tracked link led to), if it is one of
 * the workspace's clicks; anything else is no click (a form never fails over it).
 */
export function submittedClickId(db: Db, workspaceId: string, values: Record<string, unknown>) {
  return workspaceClickId(db, workspaceId, values[CLICK_ID_PARAM]);
}

/**
 * A form sign-up as an attribution touch of the lead, and the click it came from (if any) tied to
 * the lead — the first lead a click names keeps it.
 */
export async function recordFormSignup(
  tx: Db,
  s: { workspaceId: string; formId: string; leadId: string; clickId: string | null },
): Promise<void> {
  await tx.insert(formSignups).values(s);
  if (s.clickId)
    await tx
      .update(linkClicks)
      .set({ leadId: s.leadId })
      .where(
        and(
          eq(linkClicks.workspaceId, s.workspaceId),
          eq(linkClicks.id, s.clickId),
          isNull(linkClicks.leadId),
        ),
      );
}
