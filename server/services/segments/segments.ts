import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { leads, segments } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { compileSegmentCriteria, countSegment } from "./compile";
import { type SegmentCriteria, segmentCriteriaSchema } from "./criteria-schemas";
import { type CreateSegmentInput, criteriaProblems, type UpdateSegmentInput } from "./schemas";

export type SegmentRow = Omit<typeof segments.$inferSelect, "criteria"> & {
  criteria: SegmentCriteria;
  /** Why the stored rules cannot be run (e.g. a date that does not exist); empty when they can. */
  problems: string[];
  needsFixing: boolean;
};

const UNREADABLE = "The stored rules could not be read; set the conditions again";

/**
 * Stored criteria are parsed on the way out so callers always get the current shape (defaults filled).
 * Rules saved before a check existed come back with their problems rather than failing the caller,
 * and unreadable ones never fall back to "every lead".
 */
function shape(row: typeof segments.$inferSelect): SegmentRow {
  const parsed = segmentCriteriaSchema.safeParse(row.criteria);
  const criteria: SegmentCriteria = parsed.success ? parsed.data : { match: "all", conditions: [] };
  const problems = parsed.success ? criteriaProblems(parsed.data) : [UNREADABLE];
  return { ...row, criteria, problems, needsFixing: problems.length > 0 };
}

/** Every segment with its live count; one that needs fixing is listed with `count: null`, never failing the list. */
export async function listSegments(db: Db, workspaceId: string) {
  const rows = await db
    .select()
    .from(segments)
    .where(eq(segments.workspaceId, workspaceId))
    .orderBy(desc(segments.createdAt))
    .limit(500);
  return Promise.all(
    rows.map(async (r) => {
      const s = shape(r);
      return { ...s, count: s.needsFixing ? null : await countSegment(db, workspaceId, s.criteria) };
    }),
  );
}

export async function getSegmentOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.id, id), eq(segments.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Segment not found");
  return shape(row);
}

/** A segment whose rules can be run (filters, exports, audiences): one that needs fixing is a 400 naming why. */
export async function getUsableSegmentOrThrow(db: Db, workspaceId: string, id: string) {
  const segment = await getSegmentOrThrow(db, workspaceId, id);
  if (segment.needsFixing) {
    throw new ValidationError(`The segment "${segment.name}" needs fixing: ${segment.problems[0]}`, {
      segmentId: segment.problems,
    });
  }
  return segment;
}

export async function createSegment(ctx: WorkspaceServiceContext, input: CreateSegmentInput) {
  const [row] = await ctx.db
    .insert(segments)
    .values({
      workspaceId: ctx.workspaceId,
      name: input.name,
      criteria: input.criteria,
      createdBy: ctx.actor.userId,
    })
    .returning();
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "segment.created",
    { type: "segment", id: row!.id },
    {
      name: input.name,
    },
  );
  return shape(row!);
}

export async function updateSegment(ctx: WorkspaceServiceContext, input: UpdateSegmentInput) {
  const [row] = await ctx.db
    .update(segments)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.criteria !== undefined && { criteria: input.criteria }),
      updatedAt: new Date(),
    })
    .where(and(eq(segments.id, input.id), eq(segments.workspaceId, ctx.workspaceId)))
    .returning();
  if (!row) throw new NotFoundError("Segment not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "segment.updated",
    { type: "segment", id: row.id },
    {
      name: row.name,
    },
  );
  return shape(row);
}

export async function deleteSegment(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(segments)
    .where(and(eq(segments.id, input.id), eq(segments.workspaceId, ctx.workspaceId)))
    .returning({ id: segments.id, name: segments.name });
  if (!row) throw new NotFoundError("Segment not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "segment.deleted",
    { type: "segment", id: row.id },
    {
      name: row.name,
    },
  );
  return { id: row.id };
}

/** The live count while editing, and the first ten matches (oldest first) to sanity-check the rules. */
export async function previewSegment(db: Db, workspaceId: string, criteria: SegmentCriteria) {
  const where = and(eq(leads.workspaceId, workspaceId), compileSegmentCriteria(criteria, { workspaceId }));
  const [total, sample] = await Promise.all([
    countSegment(db, workspaceId, criteria),
    db
      .select({
        id: leads.id,
        email: leads.email,
        name: leads.name,
        status: leads.status,
        tags: leads.tags,
        createdAt: leads.createdAt,
      })
      .from(leads)
      .where(where)
      .orderBy(desc(leads.createdAt), asc(leads.id))
      .limit(10),
  ]);
  return { count: total, sample };
}
