import { z } from "zod";

export const RESERVED_SLUGS = new Set([
  "api",
  "blog",
  "f",
  "sign-in",
  "sign-up",
  "sign-out",
  "onboarding",
  "invitations",
  "invite",
  "settings",
  "_next",
  "static",
  "public",
  "admin",
  "workspaces",
  "account",
  "health",
  "docs",
]);

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Slug must be at least 2 characters")
  .max(48, "Slug must be at most 48 characters")
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    "Use lowercase letters, digits and dashes, not at the start or end",
  )
  .refine((s) => !RESERVED_SLUGS.has(s), "That slug is reserved");

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().trim().min(1).max(64).refine(isTimeZone, "Unknown time zone");

export const logoUrlSchema = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\//i.test(v) || /^data:image\/(png|jpeg|gif|webp);base64,/i.test(v), {
    message: "Logo must be an http(s) URL or an uploaded image",
  })
  .refine((v) => v.startsWith("data:") || v.length <= 2000, "Logo URL must be at most 2,000 characters")
  .refine((v) => !v.startsWith("data:") || v.length <= 200_000, "Logo image must be under 150 KB");

export const createWorkspaceInput = z.object({
  name: workspaceNameSchema,
  slug: slugSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceInput>;

export const updateWorkspaceInput = z
  .object({
    name: workspaceNameSchema.optional(),
    slug: slugSchema.optional(),
    logoUrl: logoUrlSchema.nullable().optional(),
    timeZone: timeZoneSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to update");
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceInput>;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(255)
  .pipe(z.email("Enter a valid email address"));

export const inviteRoleSchema = z.enum(["admin", "member", "viewer"]);
export const roleSchema = z.enum(["owner", "admin", "member", "viewer"]);

export const createInvitationInput = z.object({
  email: emailSchema,
  role: inviteRoleSchema.default("member"),
});
export type CreateInvitationInput = z.infer<typeof createInvitationInput>;

export const changeRoleInput = z.object({ memberId: z.uuid(), role: roleSchema });
export const memberIdInput = z.object({ memberId: z.uuid() });
export const invitationIdInput = z.object({ invitationId: z.uuid() });
export const invitationTokenInput = z.object({ token: z.string().min(20).max(200) });

export const INVITATION_TTL_DAYS = 7;

/** One workspace by its URL slug or its id. */
export const getWorkspaceInput = z.union([z.object({ slug: slugSchema }), z.object({ id: z.uuid() })]);
