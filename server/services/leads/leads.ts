import "server-only";
import { and, count, desc, eq, ilike, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { preparedStatement } from "@/server/db/prepared";
import { columnListOf, rowOfColumns, rowsOf } from "@/server/db/raw-rows";
import { type LeadStatus, leads } from "@/server/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent, leadSnapshot, type NewDomainEvent } from "../domain-events/types";
import { suppress } from "../email/suppressions";
import { compileSegmentCriteria } from "../segments/compile";
import { getUsableSegmentOrThrow } from "../segments/segments";
import { loadFieldDefs } from "./custom-fields";
import { normalizeTags, validateCustomFields } from "./normalize";
import type {
  BulkLeadsInput,
  CreateLeadInput,
  LeadFilters,
  ListLeadsInput,
  UpdateLeadInput,
} from "./schemas";
import { leadTimeZone, zoneAfterFieldChange } from "./time-zone";
import { leadTimeline } from "./timeline";

export type LeadRow = typeof leads.$inferSelect;

export function escapeLike(term: string) {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE for a filter set; always starts with the workspace. */
export async function leadFilterWhere(db: Db, workspaceId: string, f: LeadFilters): Promise<SQL> {
  const conds: SQL[] = [eq(leads.workspaceId, workspaceId)];
  if (f.search) {
    const term = `%${escapeLike(f.search)}%`;
    conds.push(or(ilike(leads.email, term), ilike(leads.name, term))!);
  }
  const tags = f.tags ? normalizeTags(f.tags) : [];
  if (tags.length) {
    conds.push(
      sql`${leads.tags} @> array[${sql.join(
        tags.map((t) => sql`${t}::text`),
        sql`, `,
      )}]::text[]`,
    );
  }
  if (f.status) conds.push(eq(leads.status, f.status));
  if (f.source) conds.push(eq(leads.source, f.source));
  if (f.custom) conds.push(sql`${leads.customFields} ->> ${f.custom.key}::text = ${f.custom.value}::text`);
  if (f.ids) conds.push(f.ids.length ? inArray(leads.id, f.ids) : sql`false`);
  if (f.segmentId) {
    const segment = await getUsableSegmentOrThrow(db, workspaceId, f.segmentId);
    conds.push(compileSegmentCriteria(segment.criteria, { workspaceId }));
  }
  return and(...conds)!;
}

// Sort keys: names compare as '' when missing so the keyset has no NULLs to special-case.
const sortExpr = {
  createdAt: sql`${leads.createdAt}`,
  email: sql`${leads.email}`,
  name: sql`coalesce(${leads.name}, '')`,
} as const;

const sortCast = { createdAt: sql`timestamptz`, email: sql`text`, name: sql`text` } as const;

type Cursor = { v: string; id: string };

/** The cursor carries the sort value as Postgres text (microsecond timestamps survive) and the id. */
export function encodeCursor(c: Cursor) {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString("base64url");
}

export function decodeCursor(raw: string): Cursor {
  try {
    const [v, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as unknown[];
    if (typeof v === "string" && typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id)) return { v, id };
  } catch {
    // fall through
  }
  throw new ValidationError("That page link is no longer valid", { cursor: ["Invalid cursor"] });
}

const listColumns = {
  id: leads.id,
  email: leads.email,
  name: leads.name,
  tags: leads.tags,
  source: leads.source,
  status: leads.status,
  customFields: leads.customFields,
  createdAt: leads.createdAt,
  updatedAt: leads.updatedAt,
};

type PageInput = { cursor?: string; limit: number; sort: ListLeadsInput["sort"]; order: "asc" | "desc" };

/** The query of one page (limit + 1 rows, to know whether more follow); exported for its plan test. */
export function leadsPageQuery(db: Db, where: SQL, p: PageInput) {
  const key = sortExpr[p.sort];
  const conds = [where];
  if (p.cursor) {
    const c = decodeCursor(p.cursor);
    const op = p.order === "asc" ? sql`>` : sql`<`;
    conds.push(sql`(${key}, ${leads.id}) ${op} (${c.v}::${sortCast[p.sort]}, ${c.id}::uuid)`);
  }
  const dir = p.order === "asc" ? sql`asc` : sql`desc`;
  return db
    .select({ ...listColumns, sortKey: sql<string>`(${key})::text` })
    .from(leads)
    .where(and(...conds))
    .orderBy(sql`${key} ${dir}`, sql`${leads.id} ${dir}`)
    .limit(p.limit + 1);
}

/**
 * One keyset page: rows after (sort value, id) of the cursor, in the same order. Ties on the sort
 * value are broken by id, so paging never skips or repeats a row.
 */
export async function listLeadsPage(db: Db, where: SQL, p: PageInput) {
  return pageOf(await leadsPageQuery(db, where, p), p);
}

function pageOf<R extends { id: string; sortKey: string }>(rows: R[], p: PageInput) {
  const more = rows.length > p.limit;
  const page = more ? rows.slice(0, p.limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map(({ sortKey: _, ...r }) => r),
    nextCursor: more && last ? encodeCursor({ v: last.sortKey, id: last.id }) : null,
  };
}

/** Whether a list asks for every lead of the workspace (no search, tag, status, field or selection). */
function unfiltered(f: LeadFilters) {
  return (
    !f.search &&
    !(f.tags && normalizeTags(f.tags).length) &&
    !f.status &&
    !f.source &&
    !f.custom &&
    f.ids === undefined &&
    !f.segmentId
  );
}

const unfilteredPages = new Map<string, ReturnType<typeof preparedStatement>>();

/**
 * leadsPageQuery without filters (the REST API's and the list's first page, and paging on from
 * it), one statement per sort, order and cursor, built once and run prepared.
 */
function unfilteredPageStatement(sort: PageInput["sort"], order: PageInput["order"], after: boolean) {
  const name = `${sort}.${order}.${after}`;
  let statement = unfilteredPages.get(name);
  if (!statement) {
    statement = preparedStatement(() => {
      const key = sortExpr[sort];
      const dir = order === "asc" ? sql`asc` : sql`desc`;
      const op = order === "asc" ? sql`>` : sql`<`;
      const cursor = after
        ? sql` and (${key}, ${leads.id}) ${op} (${sql.placeholder("v")}::${sortCast[sort]}, ${sql.placeholder("id")}::uuid)`
        : sql``;
      return sql`select ${columnListOf(listColumns)}, (${key})::text as sort_key from ${leads}
        where ${leads.workspaceId} = ${sql.placeholder("workspaceId")}${cursor}
        order by ${key} ${dir}, ${leads.id} ${dir} limit ${sql.placeholder("limit")}`;
    });
    unfilteredPages.set(name, statement);
  }
  return statement;
}

async function unfilteredPage(db: Db, workspaceId: string, p: PageInput) {
  const c = p.cursor ? decodeCursor(p.cursor) : null;
  const raw = rowsOf<Record<string, unknown>>(
    await unfilteredPageStatement(
      p.sort,
      p.order,
      c !== null,
    )(db, {
      workspaceId,
      limit: p.limit + 1,
      v: c?.v,
      id: c?.id,
    }),
  );
  return raw.map((r) => ({ ...rowOfColumns(listColumns, r), sortKey: r.sort_key as string }));
}

/**
 * A page of leads. The number matching comes apart (countLeads): counting every matching lead with
 * each page cost more the longer the list (1.7 s a page at 1M leads); the table asks once per filter.
 */
export async function listLeads(db: Db, workspaceId: string, input: ListLeadsInput) {
  if (unfiltered(input)) return pageOf(await unfilteredPage(db, workspaceId, input), input);
  return listLeadsPage(db, await leadFilterWhere(db, workspaceId, input), input);
}

/** How many leads of the workspace the filters match (the list's "of N", "Select all N"). */
export async function countLeads(db: Db, workspaceId: string, filters: LeadFilters): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(leads)
    .where(await leadFilterWhere(db, workspaceId, filters));
  return row?.n ?? 0;
}

export async function getLeadOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), eq(leads.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Lead not found");
  return row;
}

export async function getLead(db: Db, workspaceId: string, id: string) {
  const lead = await getLeadOrThrow(db, workspaceId, id);
  return { ...lead, timeline: await leadTimeline(db, lead) };
}

async function cleanCustomFields(db: Db, workspaceId: string, values: Record<string, unknown>) {
  if (Object.keys(values).length === 0) return {};
  const defs = await loadFieldDefs(db, workspaceId);
  const { values: clean, errors } = validateCustomFields(defs, values);
  const bad = Object.entries(errors);
  if (bad.length) {
    throw new ValidationError(
      bad[0]![1],
      Object.fromEntries(bad.map(([k, msg]) => [`customFields.${k}`, [msg]])),
    );
  }
  return clean;
}

/** `lead.tagged` for each tag a lead gained (triggered campaigns start on a tag). */
function tagEvents(workspaceId: string, leadId: string, tags: string[]): NewDomainEvent[] {
  return tags.map((tag) => domainEvent(workspaceId, "lead.tagged", { leadId, tag }));
}

const duplicate = (email: string) =>
  new ConflictError(`A lead with the email ${email} already exists in this workspace`, {
    email: ["Already a lead in this workspace"],
  });

export async function createLead(ctx: WorkspaceServiceContext, input: CreateLeadInput) {
  const customFields = Object.fromEntries(
    Object.entries(await cleanCustomFields(ctx.db, ctx.workspaceId, input.customFields)).filter(
      ([, v]) => v !== null,
    ),
  );
  const timeZone = await leadTimeZone(ctx.db, { customFields });
  let row: LeadRow;
  try {
    // The lead and its events commit together: triggered campaigns and webhooks cannot miss it.
    row = await transactWithEvents(ctx.db, async (tx, events) => {
      const [inserted] = (await tx
        .insert(leads)
        .values({
          workspaceId: ctx.workspaceId,
          email: input.email,
          name: input.name ?? null,
          source: input.source ?? null,
          status: input.status,
          tags: normalizeTags(input.tags),
          customFields,
          timeZone,
        })
        .returning()) as [LeadRow];
      events.push(
        domainEvent(ctx.workspaceId, "lead.created", { lead: leadSnapshot(inserted) }),
        ...tagEvents(ctx.workspaceId, inserted.id, inserted.tags),
      );
      return inserted;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.email);
    throw err;
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "lead.created",
    { type: "lead", id: row.id },
    {
      email: row.email,
      source: row.source,
    },
  );
  return row;
}

export async function updateLead(ctx: WorkspaceServiceContext, input: UpdateLeadInput) {
  const current = await getLeadOrThrow(ctx.db, ctx.workspaceId, input.id);
  const patch: Partial<typeof leads.$inferInsert> = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const change = <K extends "email" | "name" | "source" | "status">(k: K, v: LeadRow[K] | undefined) => {
    if (v === undefined || v === current[k]) return;
    patch[k] = v as never;
    changes[k] = { from: current[k], to: v };
  };
  change("email", input.email);
  change("name", input.name);
  change("source", input.source);
  change("status", input.status as LeadStatus | undefined);
  let addedTags: string[] = [];
  if (input.tags) {
    const tags = normalizeTags(input.tags);
    if (tags.join("\u0000") !== current.tags.join("\u0000")) {
      patch.tags = tags;
      changes.tags = { from: current.tags, to: tags };
      addedTags = tags.filter((t) => !current.tags.includes(t));
    }
  }
  if (input.customFields) {
    const clean = await cleanCustomFields(ctx.db, ctx.workspaceId, input.customFields);
    const merged: Record<string, unknown> = { ...current.customFields };
    for (const [k, v] of Object.entries(clean)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    if (JSON.stringify(merged) !== JSON.stringify(current.customFields)) {
      patch.customFields = merged;
      changes.customFields = { from: current.customFields, to: merged };
      const timeZone = await zoneAfterFieldChange(ctx.db, current.timeZone, merged);
      if (timeZone !== current.timeZone) {
        patch.timeZone = timeZone;
        changes.timeZone = { from: current.timeZone, to: timeZone };
      }
    }
  }
  if (Object.keys(patch).length === 0) return current;
  let row: LeadRow;
  try {
    row = await transactWithEvents(ctx.db, async (tx, events) => {
      const [updated] = (await tx
        .update(leads)
        .set(patch)
        .where(and(eq(leads.id, input.id), eq(leads.workspaceId, ctx.workspaceId)))
        .returning()) as [LeadRow];
      events.push(...tagEvents(ctx.workspaceId, updated.id, addedTags));
      if (changes.status && updated.status === "unsubscribed") {
        await suppress(tx, {
          workspaceId: ctx.workspaceId,
          kind: "address",
          value: updated.email,
          reason: "unsubscribed",
          note: "Marked unsubscribed on the lead",
          leadId: updated.id,
          createdBy: ctx.actor.userId,
        });
      }
      return updated;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.email ?? current.email);
    throw err;
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "lead.updated",
    { type: "lead", id: row.id },
    {
      email: row.email,
      changes,
    },
  );
  return row;
}

export async function deleteLead(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(leads)
    .where(and(eq(leads.id, input.id), eq(leads.workspaceId, ctx.workspaceId)))
    .returning({ id: leads.id, email: leads.email });
  if (!row) throw new NotFoundError("Lead not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "lead.deleted",
    { type: "lead", id: row.id },
    {
      email: row.email,
    },
  );
  return row;
}

/**
 * Applies one action to up to 500 checked leads, or to every lead matching a filter. Ids of other
 * workspaces (or unknown ids) are simply not matched by the workspace-scoped WHERE; the counts
 * tell how many were found and changed. A delete by filter that would not delete exactly the
 * confirmed count is rolled back (the list changed since the person looked at it).
 */
export async function bulkLeads(ctx: WorkspaceServiceContext, input: BulkLeadsInput) {
  const ids = input.ids ? [...new Set(input.ids)] : null;
  const scope = ids
    ? and(eq(leads.workspaceId, ctx.workspaceId), inArray(leads.id, ids))!
    : await leadFilterWhere(ctx.db, ctx.workspaceId, input.filter ?? {});
  const tag = input.tag ? normalizeTags([input.tag])[0] : undefined;
  const { matched, changed } = await transactWithEvents(ctx.db, async (tx, events) => {
    const [found] = await tx.select({ n: count() }).from(leads).where(scope);
    const matched = found?.n ?? 0;
    if (input.action === "delete") {
      const deleted = await tx.delete(leads).where(scope).returning({ id: leads.id });
      if (input.expected !== undefined && deleted.length !== input.expected) {
        throw new ConflictError(
          `These filters now match ${deleted.length.toLocaleString("en-US")} leads, not ${input.expected.toLocaleString("en-US")}: nothing was deleted. Check the list and try again.`,
        );
      }
      return { matched, changed: deleted.length };
    }
    if (input.action === "addTag") {
      const tagged = await tx
        .update(leads)
        .set({ tags: sql`array_append(${leads.tags}, ${tag}::text)` })
        .where(and(scope, sql`not (${tag}::text = any(${leads.tags}))`))
        .returning({ id: leads.id });
      for (const { id } of tagged) if (tag) events.push(...tagEvents(ctx.workspaceId, id, [tag]));
      return { matched, changed: tagged.length };
    }
    const untagged = await tx
      .update(leads)
      .set({ tags: sql`array_remove(${leads.tags}, ${tag}::text)` })
      .where(and(scope, sql`${tag}::text = any(${leads.tags})`))
      .returning({ id: leads.id });
    return { matched, changed: untagged.length };
  });
  const requested = ids ? ids.length : matched;
  const action = { delete: "lead.bulk_deleted", addTag: "lead.bulk_tagged", removeTag: "lead.bulk_untagged" }[
    input.action
  ];
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    action,
    { type: "lead", id: null },
    {
      requested,
      matched,
      changed,
      ...(ids ? {} : { byFilter: true }),
      ...(tag && { tag }),
    },
  );
  return { requested, matched, changed };
}

/** Distinct tags with how many leads carry each, most used first. */
export async function listLeadTags(db: Db, workspaceId: string) {
  const result = await db.execute<{ tag: string; count: number | string }>(sql`
    select t.tag, count(*)::int as count
    from ${leads}, unnest(${leads.tags}) as t(tag)
    where ${leads.workspaceId} = ${workspaceId}
    group by t.tag
    order by count(*) desc, t.tag asc
    limit 500`);
  const rows = (result as unknown as { rows?: { tag: string; count: number | string }[] }).rows ?? [];
  return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
}

export async function listLeadSources(db: Db, workspaceId: string) {
  const rows = await db
    .select({ source: leads.source, count: count() })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), isNotNull(leads.source)))
    .groupBy(leads.source)
    .orderBy(desc(count()), leads.source)
    .limit(500);
  return rows.map((r) => ({ source: r.source!, count: r.count }));
}
