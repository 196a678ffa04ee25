import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { content, contentMetrics, users } from "@/server/db/schema";
import { columns, shape } from "./columns";
import type { ListContentInput } from "./schemas";

/**
 * A page of entries, an entry being a Post-everywhere group (`group_id`) or a post on its own. An
 * entry sorts where its first member (by the list's order) does; the page holds every matching
 * member of its entries, in the list's order, so a group's first row is the one it sorts by.
 */
export async function listGroupedContent(
  db: Db,
  q: Pick<ListContentInput, "limit" | "offset"> & { where: SQL | undefined; key: SQL; dir: SQL },
) {
  const entry = sql<string>`coalesce(${content.groupId}, ${content.id})`;
  const leads = db
    .selectDistinctOn([entry], {
      entry: sql<string>`${entry}`.as("entry"),
      id: content.id,
      k: sql`${q.key}`.as("k"),
    })
    .from(content)
    .leftJoin(contentMetrics, eq(contentMetrics.contentId, content.id))
    .where(q.where)
    .orderBy(entry, sql`${q.key} ${q.dir} nulls last`, sql`${content.id} ${q.dir}`)
    .as("leads");
  const [entries, [total]] = await Promise.all([
    db
      .select({ entry: leads.entry })
      .from(leads)
      .orderBy(sql`${leads.k} ${q.dir} nulls last`, sql`${leads.id} ${q.dir}`)
      .limit(q.limit + 1)
      .offset(q.offset),
    db
      .select({ n: sql<number>`count(distinct ${entry})::int` })
      .from(content)
      .where(q.where),
  ]);
  const ids = entries.slice(0, q.limit).map((e) => e.entry);
  const rows = ids.length
    ? await db
        .select(columns)
        .from(content)
        .leftJoin(users, eq(users.id, content.createdBy))
        .leftJoin(contentMetrics, eq(contentMetrics.contentId, content.id))
        .where(
          and(
            q.where,
            sql`${entry} in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          ),
        )
        .orderBy(sql`${q.key} ${q.dir} nulls last`, sql`${content.id} ${q.dir}`)
    : [];
  return { content: rows.map(shape), total: total?.n ?? 0, nextCursor: null };
}
