import { count, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content, emailCampaigns, leads, workspaceMembers } from "@/server/db/schema";

/** Plain row counts of what a workspace holds: real numbers, no estimates. */
export async function countWorkspaceRecords(db: Db, workspaceId: string) {
  const one = async (
    table: typeof content | typeof leads | typeof emailCampaigns | typeof workspaceMembers,
  ) => {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.workspaceId, workspaceId));
    return row?.n ?? 0;
  };
  const [contentItems, leadCount, campaigns, members] = await Promise.all([
    one(content),
    one(leads),
    one(emailCampaigns),
    one(workspaceMembers),
  ]);
  return { content: contentItems, leads: leadCount, campaigns, members };
}
