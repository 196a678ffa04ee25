import "server-only";
import { eq, sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import {
  SETTINGS_SECTIONS,
  type SettingsSection,
  type SettingsSectionValue,
  type WorkspaceSettingsSections,
} from "./schemas";

/** Keys older rows kept at the top level, read as the `brand` section. */
const LEGACY_BRAND_KEYS = ["brandVoice", "products"] as const;

/**
 * The typed view of a `workspaces.settings` value. Each section is parsed with its schema; a
 * section that does not parse is left out (its reader's default applies) and logged, never thrown:
 * a bad value in one row must not break a page or a send. Keys that are no section are dropped
 * from this view but stay in the row (writes change only their own section).
 */
export function parseWorkspaceSettings(raw: unknown, workspaceId?: string): WorkspaceSettingsSections {
  const out: Record<string, unknown> = {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    if (raw !== null && raw !== undefined)
      logger.warn({ workspaceId }, "workspace settings are not an object");
    return out as WorkspaceSettingsSections;
  }
  const row = raw as Record<string, unknown>;
  for (const section of Object.keys(SETTINGS_SECTIONS) as SettingsSection[]) {
    let value = row[section];
    if (section === "brand" && value === undefined && LEGACY_BRAND_KEYS.some((k) => row[k] !== undefined)) {
      value = { brandVoice: row.brandVoice, products: row.products };
    }
    if (value === undefined || value === null) continue;
    const parsed = SETTINGS_SECTIONS[section].safeParse(value);
    if (parsed.success) out[section] = parsed.data;
    else {
      logger.warn(
        { workspaceId, section, issues: parsed.error.issues.slice(0, 5) },
        "invalid workspace settings section ignored; its defaults apply",
      );
    }
  }
  return out as WorkspaceSettingsSections;
}

/** The workspace's settings, typed; null for a workspace that does not exist. */
export async function findWorkspaceSettings(
  db: Db,
  workspaceId: string,
): Promise<WorkspaceSettingsSections | null> {
  const [ws] = await db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return ws ? parseWorkspaceSettings(ws.settings, workspaceId) : null;
}

/** The workspace's settings, typed; NOT_FOUND for a workspace that does not exist. */
export async function readWorkspaceSettings(db: Db, workspaceId: string): Promise<WorkspaceSettingsSections> {
  const settings = await findWorkspaceSettings(db, workspaceId);
  if (!settings) throw new NotFoundError("Workspace not found");
  return settings;
}

/**
 * Writes one section (validated with its schema), or removes it with `null`; the other sections
 * and unknown keys are left as they are. Writing `brand` also drops the legacy top-level keys.
 * NOT_FOUND for a workspace that does not exist.
 */
export async function writeSettingsSection<K extends SettingsSection>(
  db: Db,
  workspaceId: string,
  section: K,
  value: SettingsSectionValue<K> | null,
): Promise<SettingsSectionValue<K> | null> {
  const stored = value === null ? null : (SETTINGS_SECTIONS[section].parse(value) as SettingsSectionValue<K>);
  const legacy = section === "brand" ? LEGACY_BRAND_KEYS : [];
  const without = sql`${workspaces.settings} - ${sql.raw(`ARRAY['${[section, ...legacy].join("','")}']`)}::text[]`;
  const next = stored === null ? without : sql`${without} || ${JSON.stringify({ [section]: stored })}::jsonb`;
  const [ws] = await db
    .update(workspaces)
    .set({ settings: next })
    .where(eq(workspaces.id, workspaceId))
    .returning({ id: workspaces.id });
  if (!ws) throw new NotFoundError("Workspace not found");
  return stored;
}
