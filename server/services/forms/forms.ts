import { and, desc, eq, inArray } from "drizzle-orm";
import { isStorableText } from "@/lib/request-guard";
import type { Db } from "@/server/db";
import { type CustomFieldType, customFieldDefinitions, signupForms, workspaces } from "@/server/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import { normalizeTags } from "../leads/normalize";
import { slugify } from "../workspaces/workspaces";
import {
  type CreateFormInput,
  type FormField,
  type FormSettings,
  formFieldSchema,
  formSettingsSchema,
  type UpdateFormInput,
} from "./schemas";

/** A form field as the hosted page renders it: `name`, or a custom field with its declared type. */
export interface HostedField {
  key: string;
  label: string;
  required: boolean;
  type: "name" | CustomFieldType;
  options: string[];
}

export type SignupForm = Omit<typeof signupForms.$inferSelect, "fields" | "settings"> & {
  fields: FormField[];
  settings: FormSettings;
};

/** Stored jsonb parsed into today's shape; a field that no longer parses is dropped, not fatal. */
export function shapeForm(row: typeof signupForms.$inferSelect): SignupForm {
  const fields = row.fields.flatMap((f) => {
    const p = formFieldSchema.safeParse(f);
    return p.success ? [p.data] : [];
  });
  const settings = formSettingsSchema.safeParse(row.settings);
  return { ...row, fields, settings: settings.success ? settings.data : formSettingsSchema.parse({}) };
}

/** Every field must be the lead's name or a custom field the workspace has declared. */
async function assertKnownFields(db: Db, workspaceId: string, fields: FormField[]) {
  const custom = fields.map((f) => f.key).filter((k) => k !== "name");
  if (custom.length === 0) return;
  const defs = await db
    .select({ key: customFieldDefinitions.key })
    .from(customFieldDefinitions)
    .where(
      and(eq(customFieldDefinitions.workspaceId, workspaceId), inArray(customFieldDefinitions.key, custom)),
    );
  const known = new Set(defs.map((d) => d.key));
  const unknown = custom.filter((k) => !known.has(k));
  if (unknown.length) {
    throw new ValidationError(`Unknown field: ${unknown.join(", ")}`, {
      fields: [`Unknown field: ${unknown.join(", ")}`],
    });
  }
}

export async function listForms(db: Db, workspaceId: string) {
  const rows = await db
    .select()
    .from(signupForms)
    .where(eq(signupForms.workspaceId, workspaceId))
    .orderBy(desc(signupForms.createdAt))
    .limit(200);
  return rows.map(shapeForm);
}

export async function getFormOrThrow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(signupForms)
    .where(and(eq(signupForms.id, id), eq(signupForms.workspaceId, workspaceId)));
  if (!row) throw new NotFoundError("Form not found");
  return shapeForm(row);
}

/** The public view of a form: by workspace slug and form slug, as the hosted page and submit use. */
export async function getPublicForm(db: Db, workspaceSlug: string, formSlug: string) {
  // Slugs from the URL with a NUL or a lone surrogate name no form (and would fail the query).
  if (!isStorableText(workspaceSlug) || !isStorableText(formSlug)) throw new NotFoundError("Form not found");
  const [row] = await db
    .select({
      form: signupForms,
      workspace: { id: workspaces.id, name: workspaces.name, slug: workspaces.slug },
    })
    .from(signupForms)
    .innerJoin(workspaces, eq(workspaces.id, signupForms.workspaceId))
    .where(and(eq(workspaces.slug, workspaceSlug), eq(signupForms.slug, formSlug)));
  if (!row) throw new NotFoundError("Form not found");
  return { form: shapeForm(row.form), workspace: row.workspace };
}

const slugTaken = (slug: string) =>
  new ConflictError(`A form with the address "${slug}" already exists`, { slug: ["Already in use"] });

export async function createForm(ctx: WorkspaceServiceContext, input: CreateFormInput) {
  await assertKnownFields(ctx.db, ctx.workspaceId, input.fields);
  const slug = input.slug ?? (slugify(input.name) || "form");
  try {
    const [row] = await ctx.db
      .insert(signupForms)
      .values({
        workspaceId: ctx.workspaceId,
        slug,
        name: input.name,
        fields: input.fields,
        tags: normalizeTags(input.tags),
        doubleOptIn: input.doubleOptIn,
        settings: input.settings,
      })
      .returning();
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "form.created",
      { type: "signup_form", id: row!.id },
      {
        name: input.name,
      },
    );
    return shapeForm(row!);
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(slug);
    throw err;
  }
}

export async function updateForm(ctx: WorkspaceServiceContext, input: UpdateFormInput) {
  if (input.fields) await assertKnownFields(ctx.db, ctx.workspaceId, input.fields);
  try {
    const [row] = await ctx.db
      .update(signupForms)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.slug !== undefined && { slug: input.slug }),
        ...(input.fields !== undefined && { fields: input.fields }),
        ...(input.tags !== undefined && { tags: normalizeTags(input.tags) }),
        ...(input.doubleOptIn !== undefined && { doubleOptIn: input.doubleOptIn }),
        ...(input.settings !== undefined && { settings: input.settings }),
        updatedAt: new Date(),
      })
      .where(and(eq(signupForms.id, input.id), eq(signupForms.workspaceId, ctx.workspaceId)))
      .returning();
    if (!row) throw new NotFoundError("Form not found");
    await record(
      ctx.db,
      ctx.actor,
      ctx.workspaceId,
      "form.updated",
      { type: "signup_form", id: row.id },
      {
        name: row.name,
      },
    );
    return shapeForm(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken(input.slug ?? "");
    throw err;
  }
}

export async function deleteForm(ctx: WorkspaceServiceContext, input: { id: string }) {
  const [row] = await ctx.db
    .delete(signupForms)
    .where(and(eq(signupForms.id, input.id), eq(signupForms.workspaceId, ctx.workspaceId)))
    .returning({ id: signupForms.id, name: signupForms.name });
  if (!row) throw new NotFoundError("Form not found");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "form.deleted",
    { type: "signup_form", id: row.id },
    {
      name: row.name,
    },
  );
  return { id: row.id };
}

/** The hosted page's view: the form plus the type of each custom field it asks for. */
export async function getHostedForm(db: Db, workspaceSlug: string, formSlug: string) {
  const { form, workspace } = await getPublicForm(db, workspaceSlug, formSlug);
  const defs = await db
    .select({
      key: customFieldDefinitions.key,
      label: customFieldDefinitions.label,
      type: customFieldDefinitions.type,
      options: customFieldDefinitions.options,
    })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.workspaceId, workspace.id));
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const fields = form.fields.flatMap((f): HostedField[] => {
    if (f.key === "name") return [{ ...f, type: "name", options: [] }];
    const def = byKey.get(f.key);
    return def ? [{ ...f, type: def.type, options: def.options }] : [];
  });
  return { form, workspace, fields };
}
