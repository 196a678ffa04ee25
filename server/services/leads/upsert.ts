import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { leads } from "@/server/db/schema";
import { ConflictError } from "@/server/errors";
import type { WorkspaceServiceContext } from "../context";
import { createLead, type LeadRow, updateLead } from "./leads";
import type { CreateLeadInput } from "./schemas";

/** The fields an upsert of a known lead may change; the email names the lead. */
const UPSERT_FIELDS = ["name", "source", "status", "tags", "customFields"] as const;

async function findLeadIdByEmail(db: Db, workspaceId: string, email: string) {
  const [row] = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, email)));
  return row?.id ?? null;
}

/**
 * Creates the lead with `input.email`, or updates the workspace's lead with that email. An update
 * changes only the fields the caller sent (`sent`: the keys of the request before defaults were
 * applied); tags replace the lead's tags, custom fields merge. A lead created by a concurrent
 * request between the lookup and the insert is updated instead.
 */
export async function upsertLeadByEmail(
  ctx: WorkspaceServiceContext,
  input: CreateLeadInput,
  sent: Iterable<string> = Object.keys(input),
): Promise<{ created: boolean; lead: LeadRow }> {
  const given = new Set(sent);
  const update = async (id: string) => {
    const changes = Object.fromEntries(UPSERT_FIELDS.filter((k) => given.has(k)).map((k) => [k, input[k]]));
    return { created: false, lead: await updateLead(ctx, { id, ...changes }) };
  };
  const existing = await findLeadIdByEmail(ctx.db, ctx.workspaceId, input.email);
  if (existing) return update(existing);
  try {
    return { created: true, lead: await createLead(ctx, input) };
  } catch (err) {
    const raced =
      err instanceof ConflictError ? await findLeadIdByEmail(ctx.db, ctx.workspaceId, input.email) : null;
    if (raced) return update(raced);
    throw err;
  }
}
