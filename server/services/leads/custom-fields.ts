import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { fieldKeyFromLabel } from "@/lib/custom-field-key";
import type { Db } from "@/server/db";
import { customFieldDefinitions, leads } from "@/server/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import type { CustomFieldDef } from "./normalize";
import type { CreateCustomFieldInput, UpdateCustomFieldInput } from "./schemas";

export { fieldKeyFromLabel };

export type CustomFieldRow = typeof customFieldDefinitions.$inferSelect;

export function listCustomFields(db: Db, workspaceId: string): Promise<CustomFieldRow[]> {
  return db
    .select()
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.workspaceId, workspaceId))
    .orderBy(asc(customFieldDefinitions.createdAt), asc(customFieldDefinitions.id));
}

/** Definitions in the shape `validateCustomFields` expects. */
export async function loadFieldDefs(db: Db, workspaceId: string): Promise<CustomFieldDef[]> {
  return (await listCustomFields(db, workspaceId)).map(({ key, label, type, options }) => ({
    key,
    label,
    type,
    options,
  }));
}

export async function getCustomFieldOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.id, id), eq(customFieldDefinitions.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Custom field not found");
  return row;
}

function uniqueOptions(options: string[]) {
  return [...new Set(options)];
}

export async function createCustomField(ctx: WorkspaceServiceContext, input: CreateCustomFieldInput) {
  const existing = new Set((await listCustomFields(ctx.db, ctx.workspaceId)).map((d) => d.key));
  const root = fieldKeyFromLabel(input.label);
  let key = root;
  for (let i = 2; existing.has(key); i++) key = `${root}_${i}`;
  try {
    const [row] = await ctx.db
      .insert(customFieldDefinitions)
      .values({
        workspaceId: ctx.workspaceId,
        key,
        label: input.label,
        type: input.type,
        options: input.type === "select" ? uniqueOptions(input.options) : [],
      })
      .returning();
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "custom_field.created",
      { type: "custom_field", id: row!.id },
      {
        key,
        label: row!.label,
        type: row!.type,
      },
    );
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A field with the key "${key}" already exists`);
    throw err;
  }
}

export async function updateCustomField(ctx: WorkspaceServiceContext, input: UpdateCustomFieldInput) {
  const current = await getCustomFieldOrThrow(ctx.db, ctx.workspaceId, input.id);
  if (input.options && current.type !== "select") {
    throw new ValidationError("Only select fields have options", { options: ["Only for select fields"] });
  }
  if (input.options && input.options.length === 0) {
    throw new ValidationError("A select field needs at least one option", { options: ["Add an option"] });
  }
  if (input.label === undefined && input.options === undefined) return current;
  const [row] = await ctx.db
    .update(customFieldDefinitions)
    .set({
      ...(input.label !== undefined && { label: input.label }),
      ...(input.options !== undefined && { options: uniqueOptions(input.options) }),
    })
    .where(
      and(eq(customFieldDefinitions.id, input.id), eq(customFieldDefinitions.workspaceId, ctx.workspaceId)),
    )
    .returning();
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "custom_field.updated",
    { type: "custom_field", id: row!.id },
    {
      key: row!.key,
      label: row!.label,
      options: row!.options,
    },
  );
  return row!;
}

/** Removes the definition and its values from every lead of the workspace. */
export async function deleteCustomField(ctx: WorkspaceServiceContext, input: { id: string }) {
  const current = await getCustomFieldOrThrow(ctx.db, ctx.workspaceId, input.id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(customFieldDefinitions)
      .where(
        and(eq(customFieldDefinitions.id, input.id), eq(customFieldDefinitions.workspaceId, ctx.workspaceId)),
      );
    await tx
      .update(leads)
      .set({ customFields: sql`${leads.customFields} - ${current.key}::text` })
      .where(and(eq(leads.workspaceId, ctx.workspaceId), sql`${leads.customFields} ? ${current.key}::text`));
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "custom_field.deleted",
      { type: "custom_field", id: current.id },
      {
        key: current.key,
        label: current.label,
      },
    );
  });
  return { id: current.id };
}
