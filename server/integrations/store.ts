import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { decryptJson, encryptJson } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { executePrepared } from "@/server/db/prepared";
import { columnsOf, rowsOf, tableRowOf } from "@/server/db/raw-rows";
import { type IntegrationProvider, type IntegrationStatus, integrations } from "@/server/db/schema";
import { AuthError, isIntegrationError } from "./http";

/**
 * The `integrations` row of a workspace and provider: connection state, shown settings, and the
 * encrypted secrets (read only here, never returned to routers).
 */

export type IntegrationRow = typeof integrations.$inferSelect;

export async function getIntegrationRow(db: Db, workspaceId: string, provider: IntegrationProvider) {
  // Raw SQL: every publish reads its connection, and Drizzle's builder cost more than the statement.
  const [row] = rowsOf<Record<string, unknown>>(
    await executePrepared(
      db,
      sql`select ${columnsOf(integrations)} from ${integrations}
        where workspace_id = ${workspaceId} and provider = ${provider}`,
    ),
  );
  return row ? tableRowOf(integrations, row) : null;
}

export function readSecrets<T>(row: Pick<IntegrationRow, "secrets">): T | null {
  if (!row.secrets) return null;
  return decryptJson<T>(row.secrets);
}

export interface SaveConnection {
  workspaceId: string;
  provider: IntegrationProvider;
  accountName?: string | null;
  accountId?: string | null;
  secrets?: unknown;
  settings?: Record<string, unknown>;
  tokenExpiresAt?: Date | null;
  connectedBy?: string | null;
}

/** Connects (or reconnects) the workspace's account: one row per workspace and provider. */
export async function saveConnection(db: Db, p: SaveConnection): Promise<IntegrationRow> {
  const values = {
    workspaceId: p.workspaceId,
    provider: p.provider,
    status: "connected" as const,
    accountName: p.accountName ?? null,
    accountId: p.accountId ?? null,
    secrets: p.secrets === undefined ? null : encryptJson(p.secrets),
    settings: p.settings ?? {},
    tokenExpiresAt: p.tokenExpiresAt ?? null,
    connectedBy: p.connectedBy ?? null,
    lastError: null,
  };
  const [row] = await db
    .insert(integrations)
    .values(values)
    .onConflictDoUpdate({
      target: [integrations.workspaceId, integrations.provider],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/** Replaces the secrets (token refresh) of a row, with optimistic check on the previous value. */
export async function updateSecrets(
  db: Db,
  row: Pick<IntegrationRow, "id" | "workspaceId" | "secrets">,
  secrets: unknown,
  tokenExpiresAt: Date | null,
): Promise<boolean> {
  const updated = await db
    .update(integrations)
    .set({ secrets: encryptJson(secrets), tokenExpiresAt, status: "connected", lastError: null })
    .where(
      and(
        eq(integrations.id, row.id),
        eq(integrations.workspaceId, row.workspaceId),
        row.secrets === null ? sql`${integrations.secrets} is null` : eq(integrations.secrets, row.secrets),
      ),
    )
    .returning({ id: integrations.id });
  return updated.length > 0;
}

export async function setStatus(
  db: Db,
  row: Pick<IntegrationRow, "id" | "workspaceId">,
  status: IntegrationStatus,
  lastError: string | null,
) {
  await db
    .update(integrations)
    .set({ status, lastError })
    .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, row.workspaceId)));
}

export async function recordSync(
  db: Db,
  row: Pick<IntegrationRow, "id" | "workspaceId">,
  result: { ok: true; summary?: Record<string, unknown> } | { ok: false; error: string },
) {
  await db
    .update(integrations)
    .set({
      lastSyncAt: new Date(),
      lastSyncStatus: result.ok ? "ok" : "error",
      lastError: result.ok ? null : result.error,
      ...(result.ok && result.summary
        ? {
            settings: sql`${integrations.settings} || ${JSON.stringify({ lastSyncSummary: result.summary })}::jsonb`,
          }
        : {}),
    })
    .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, row.workspaceId)));
}

export async function deleteIntegrationRow(db: Db, workspaceId: string, provider: IntegrationProvider) {
  await db
    .delete(integrations)
    .where(and(eq(integrations.workspaceId, workspaceId), eq(integrations.provider, provider)));
}

/**
 * What a provider failure means for the account: a dead token asks the user to reconnect
 * (needs_attention); anything else (5xx, timeouts, quota) leaves the connection as it is.
 */
export async function noteFailure(db: Db, row: Pick<IntegrationRow, "id" | "workspaceId">, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof AuthError) {
    await setStatus(db, row, "needs_attention", `Reconnect needed: ${message}`);
  } else if (isIntegrationError(err)) {
    await db
      .update(integrations)
      .set({ lastError: message })
      .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, row.workspaceId)));
  }
}
