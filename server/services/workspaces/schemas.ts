import { z } from "zod";
import { INVITATION_TTL_DAYS } from "@/lib/enums";
import { bounceMailboxStateSchema, bouncesSectionSchema } from "../email/bounce-mailbox-schemas";
import { quietHoursSchema } from "../email/send-time-schemas";
import { brandSettingsInput } from "./brand-schemas";
import { publishingSettingsInput } from "./publishing-schemas";

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
  "sso-required",
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

export { INVITATION_TTL_DAYS };

/*
 * `workspaces.settings`, one schema per section. The row is read through
 * `parseWorkspaceSettings` (workspaces/settings.ts) and each section written through
 * `writeSettingsSection`; nothing else reads or writes the JSON.
 */

/**
 * Who a workspace's marketing mail comes from, and the postal address every message must carry
 * (CAN-SPAM); kept in `workspaces.settings.sender`. No campaign is sent before these are set.
 */
export const senderSettingsSchema = z.object({
  fromName: z.string().trim().min(1, "Enter the sender name").max(100),
  fromEmail: z.string().trim().toLowerCase().max(255).pipe(z.email("Enter a valid from address")),
  replyTo: z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .refine((v) => v === "" || z.email().safeParse(v).success, "Enter a valid reply-to address")
    .default(""),
  postalAddress: z
    .string()
    .trim()
    .min(10, "Enter the full postal address (street, city, postcode, country)")
    .max(500),
  /** Messages per second this workspace may send (0 = no limit). */
  sendRatePerSecond: z.number().int().min(0).max(1000).default(10),
});
export type SenderSettings = z.infer<typeof senderSettingsSchema>;

/**
 * The brand section. Older rows kept `brandVoice` and `products` at the top level, products as
 * plain names or with numeric prices: read as this section (migration 0020 moves them).
 */
export const brandSectionSchema = z.preprocess((v) => {
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  const b = v as { products?: unknown };
  if (!Array.isArray(b.products)) return v;
  const products = b.products.map((p) => {
    if (typeof p === "string") return { name: p };
    if (p && typeof p === "object" && typeof (p as { price?: unknown }).price === "number")
      return { ...p, price: String((p as { price: number }).price) };
    return p;
  });
  return { ...b, products };
}, brandSettingsInput);

/** The DKIM section: names in the clear, the private key sealed with the secret box. */
export const dkimSectionSchema = z.object({
  domainName: z.string().min(1),
  keySelector: z.string().min(1),
  privateKeySealed: z.string().min(1),
});

/**
 * How the workspace sends (Settings → Sending → Mail server): `mode` and its own server, the
 * password sealed with the secret box. `url` is the older form an operator wrote into the row by
 * hand (plaintext, trusted like SMTP_URL); it is read until an admin saves the card, which drops it.
 */
export const smtpSectionSchema = z.object({
  mode: z.enum(["default", "own", "gmail"]).optional(),
  url: z.string().min(1).optional(),
  own: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      security: z.enum(["none", "starttls", "tls"]),
      username: z.string(),
      passwordSealed: z.string().nullable(),
    })
    .optional(),
});

/**
 * Where a plaintext AI key lived before it moved into the encrypted integrations row; only read,
 * to move it (integrations/ai.ts), then removed.
 */
export const legacyAiSectionSchema = z.object({
  baseUrl: z.string().nullish(),
  apiKey: z.string().nullish(),
  model: z.string().nullish(),
});

/** The Overview's getting-started checklist: when an admin hid it (it stays hidden for everyone). */
export const onboardingSectionSchema = z.object({ checklistHiddenAt: z.iso.datetime() });

/** How orders are credited (services/attribution): the model, and how far back a buyer's touches count. */
export const ATTRIBUTION_MODELS = ["last_touch", "first_touch", "linear"] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
export const attributionSettingsSchema = z.object({
  model: z.enum(ATTRIBUTION_MODELS),
  windowDays: z.number().int().min(1).max(90),
});
export type AttributionSettings = z.output<typeof attributionSettingsSchema>;
export const DEFAULT_ATTRIBUTION: AttributionSettings = { model: "last_touch", windowDays: 7 };

export const SETTINGS_SECTIONS = {
  sender: senderSettingsSchema,
  brand: brandSectionSchema,
  dkim: dkimSectionSchema,
  smtp: smtpSectionSchema,
  ai: legacyAiSectionSchema,
  onboarding: onboardingSectionSchema,
  publishing: publishingSettingsInput,
  attribution: attributionSettingsSchema,
  bounces: bouncesSectionSchema,
  bounceMailboxState: bounceMailboxStateSchema,
  quietHours: quietHoursSchema,
} as const;

export type SettingsSection = keyof typeof SETTINGS_SECTIONS;
export type SettingsSectionValue<K extends SettingsSection> = z.output<(typeof SETTINGS_SECTIONS)[K]>;
/** The typed settings: a section absent or invalid in the row is absent here. */
export type WorkspaceSettingsSections = { [K in SettingsSection]?: SettingsSectionValue<K> };

/** One workspace by its URL slug or its id. */
export const getWorkspaceInput = z.union([z.object({ slug: slugSchema }), z.object({ id: z.uuid() })]);
