import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/server/db/raw-rows";
import { setupTestDb } from "../helpers/db";

/*
 * Leads and email sends are deleted many at a time (a bulk delete, a campaign or a lead with all its
 * mail). For each deleted row, each foreign key that points at it runs a query by its own columns
 * alone; without an index that starts with them, that query reads the whole referencing table: a
 * campaign of 100,000 sends with 100,000 events took 123 s to delete, a growing cost per lead too.
 */
const h = await setupTestDb();

const DELETED_IN_BULK = ["leads", "email_sends"];

describe("foreign keys to rows deleted in bulk have an index that starts with their columns", () => {
  it("every one, in the migrated schema", async () => {
    const rows = rowsOf<{ referencing: string; constraint_name: string; parent: string; indexed: boolean }>(
      await h.db.execute(sql`
        select c.conrelid::regclass::text as referencing, c.conname as constraint_name,
          c.confrelid::regclass::text as parent,
          exists (
            select 1 from pg_index i
            where i.indrelid = c.conrelid
              and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
              and c.conkey @> (i.indkey::int2[])[0:cardinality(c.conkey) - 1]
          ) as indexed
        from pg_constraint c
        where c.contype = 'f' and c.confrelid::regclass::text = any(${`{${DELETED_IN_BULK.join(",")}}`}::text[])
        order by 1, 2`),
    );
    // The ones this guards today (more may come; each must be indexed).
    expect(rows.map((r) => `${r.referencing}.${r.constraint_name}`)).toEqual(
      expect.arrayContaining([
        "email_events.email_events_send_id_email_sends_id_fk",
        "email_events.email_events_lead_id_leads_id_fk",
        "email_sends.email_sends_lead_id_leads_id_fk",
        "campaign_enrollments.campaign_enrollments_lead_id_leads_id_fk",
        "link_clicks.link_clicks_lead_id_leads_id_fk",
      ]),
    );
    expect(rows.filter((r) => !r.indexed).map((r) => `${r.referencing}.${r.constraint_name}`)).toEqual([]);
  });
});
