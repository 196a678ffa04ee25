import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/server/db/raw-rows";
import { claimDueSends, claimDueSendsStatement } from "@/server/services/email/send-claim";
import { setupTestDb } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";

/*
 * Issue 16, point 2: each claim of a campaign's due sends must read its batch from the due index,
 * not sort every pending row of the table (what the planner chose when the live campaigns were a
 * join: 5 ms per claim at 10,000 rows, more as the campaign grows). Planned with the default
 * settings on analysed sends, and a campaigns table too small for autovacuum ever to analyse it.
 * On PostgreSQL in a database of its own: the plan follows the table's statistics, which on the
 * shared database would describe whatever the other files left there.
 */
const h = await setupTestDb({ ownDatabase: true });
const SENDS = 5000;
let workspaceId: string;
let otherId: string;

beforeAll(async () => {
  const f = await twoWorkspaces(h.db);
  workspaceId = f.ws.id;
  otherId = f.other.id;
  for (const ws of [workspaceId, otherId]) {
    await h.db.execute(sql`
      with c as (
        insert into email_campaigns (workspace_id, name, type, status, content)
        values (${ws}, 'Plan', 'one-time', 'sending', '{}'::jsonb) returning id
      ), st as (
        insert into campaign_steps (workspace_id, campaign_id, position, subject)
        select ${ws}, c.id, 0, 'Hello' from c returning id, campaign_id
      ), l as (
        insert into leads (workspace_id, email)
        select ${ws}, 'claim-plan-' || g || '@plan.test' from generate_series(1, ${SENDS}) g returning id, email
      )
      insert into email_sends (workspace_id, campaign_id, step_id, lead_id, to_address, due_at)
      select ${ws}, st.campaign_id, st.id, l.id, l.email, now() - interval '1 minute'
      from st cross join l`);
  }
  await h.db.execute(sql`analyze email_sends`);
  await h.db.execute(sql`analyze leads`);
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
/** The nodes under a node, itself included. */
const under = (plan: PlanNode, type: string) => nodes(plan).filter((n) => n["Node Type"] === type);

describe("the send claim", () => {
  it("reads its batch from the due index, without sorting the pending rows", async () => {
    const result = await h.db.execute(sql`explain (format json) ${claimDueSendsStatement(workspaceId, 150)}`);
    const json = rowsOf<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(result)[0]!["QUERY PLAN"];
    const plan = (typeof json === "string" ? (JSON.parse(json) as [{ Plan: PlanNode }]) : json)[0].Plan;
    // A sort whose input scans email_sends is the sort of every pending row.
    const sortsOfSends = under(plan, "Sort").filter((s) =>
      nodes(s).some((n) => n["Relation Name"] === "email_sends"),
    );
    expect(sortsOfSends).toEqual([]);
    expect(nodes(plan).map((n) => n["Index Name"])).toContain("idx_email_sends_due");
  });

  it("claims only the workspace's due rows of live campaigns, oldest first", async () => {
    await h.db.execute(sql`
      update email_sends set due_at = now() - interval '1 hour'
      where id in (select id from email_sends where workspace_id = ${workspaceId} order by id limit 3)`);
    const oldest = rowsOf<{ id: string }>(
      await h.db.execute(sql`
        select id from email_sends where workspace_id = ${workspaceId} and due_at < now() - interval '30 minutes'`),
    ).map((r) => r.id);
    const claimed = await claimDueSends(h.db, workspaceId, 5);
    expect(claimed).toHaveLength(5);
    expect(claimed.map((r) => r.id)).toEqual(expect.arrayContaining(oldest));
    const rows = rowsOf<{ workspace_id: string; status: string }>(
      await h.db.execute(sql`
        select workspace_id, status from email_sends
        where status = 'sending' and workspace_id in (${workspaceId}, ${otherId})`),
    );
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.workspace_id === workspaceId)).toBe(true);
    // A paused campaign's rows stay where they are.
    await h.db.execute(sql`update email_campaigns set status = 'paused' where workspace_id = ${otherId}`);
    expect(await claimDueSends(h.db, otherId, 5)).toEqual([]);
  });
});
