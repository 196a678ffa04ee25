import { and, asc, eq } from "drizzle-orm";
import type { EmailBlock } from "@/lib/email-blocks";
import { sanitizeMarkdown } from "@/lib/markdown";
import type { Db } from "@/server/db";
import { emailTemplates } from "@/server/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import type { CreateTemplateInput } from "./template-schemas";

/**
 * Saved emails of a workspace (Email → Templates): a step's subject, preheader and content, to start
 * new steps from. A template is a copy source only: editing a step never changes its template.
 */
type TemplateRow = typeof emailTemplates.$inferSelect;

function shape(row: TemplateRow) {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    preheader: row.preheader,
    format: row.format,
    blocks: row.format === "blocks" ? ((row.blocks ?? []) as EmailBlock[]) : null,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type EmailTemplate = ReturnType<typeof shape>;

const taken = (name: string) =>
  new ConflictError(`A template named "${name}" already exists`, { name: ["Choose another name"] });

export async function listTemplates(db: Db, workspaceId: string) {
  const rows = await db
    .select()
    .from(emailTemplates)
    .where(eq(emailTemplates.workspaceId, workspaceId))
    .orderBy(asc(emailTemplates.name));
  return rows.map(shape);
}

export async function getTemplateOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(emailTemplates)
    .where(and(eq(emailTemplates.id, id), eq(emailTemplates.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Template not found");
  return shape(row);
}

export async function createTemplate(ctx: WorkspaceServiceContext, input: CreateTemplateInput) {
  const [row] = await ctx.db
    .insert(emailTemplates)
    .values({
      workspaceId: ctx.workspaceId,
      name: input.name,
      subject: input.subject,
      preheader: input.preheader,
      format: input.format,
      blocks: input.format === "blocks" ? input.blocks : null,
      body: input.format === "markdown" ? sanitizeMarkdown(input.body) : "",
      createdBy: ctx.actor.userId,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw taken(input.name);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "email_template.created",
    { type: "email_template", id: row.id },
    {
      name: row.name,
      format: row.format,
    },
  );
  return shape(row);
}

export async function renameTemplate(ctx: WorkspaceServiceContext, input: { id: string; name: string }) {
  const before = await getTemplateOrThrow(ctx.db, ctx.workspaceId, input.id);
  let row: TemplateRow | undefined;
  try {
    [row] = await ctx.db
      .update(emailTemplates)
      .set({ name: input.name, updatedAt: new Date() })
      .where(and(eq(emailTemplates.id, input.id), eq(emailTemplates.workspaceId, ctx.workspaceId)))
      .returning();
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(input.name);
    throw err;
  }
  if (!row) throw new NotFoundError("Template not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "email_template.renamed",
    { type: "email_template", id: row.id },
    {
      from: before.name,
      to: row.name,
    },
  );
  return shape(row);
}

export async function deleteTemplate(ctx: WorkspaceServiceContext, id: string) {
  const [row] = await ctx.db
    .delete(emailTemplates)
    .where(and(eq(emailTemplates.id, id), eq(emailTemplates.workspaceId, ctx.workspaceId)))
    .returning({ id: emailTemplates.id, name: emailTemplates.name });
  if (!row) throw new NotFoundError("Template not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "email_template.deleted",
    { type: "email_template", id: row.id },
    {
      name: row.name,
    },
  );
  return { id: row.id };
}
