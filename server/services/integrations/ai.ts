import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { integrations } from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import { isPrivateHost } from "@/server/http/guarded-fetch";
import { OpenAIClient, OpenAIError } from "@/server/integrations/openai/client";
import { type AiSecrets, readAiSecrets } from "@/server/integrations/openai/token-store";
import { deleteIntegrationRow, getIntegrationRow, saveConnection } from "@/server/integrations/store";
import { logActivity } from "../activity";
import type { Actor } from "../context";
import { findWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";
import type { AiSettingsInput } from "./schemas";

/**
 * The workspace's own OpenAI-compatible endpoint (base URL, model, key). The key lives encrypted in
 * the `integrations` row (provider 'openai'); base URL and model are shown settings. Older
 * workspaces kept all three in plaintext `workspaces.settings.ai`: the first read moves the key.
 */

export interface WorkspaceAi {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
}

/** Moves a plaintext key from workspaces.settings.ai into the encrypted row (once). */
async function migratePlaintext(db: Db, workspaceId: string) {
  const legacy = (await findWorkspaceSettings(db, workspaceId))?.ai;
  if (!legacy) return;
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const baseUrl = text(legacy.baseUrl);
  const apiKey = text(legacy.apiKey);
  const model = text(legacy.model);
  if (!baseUrl && !apiKey && !model) return;
  await db.transaction(async (tx) => {
    const existing = await getIntegrationRow(tx as unknown as Db, workspaceId, "openai");
    if (!existing) {
      await saveConnection(tx as unknown as Db, {
        workspaceId,
        provider: "openai",
        accountName: baseUrl ? safeHost(baseUrl) : null,
        secrets: apiKey ? ({ apiKey } satisfies AiSecrets) : undefined,
        settings: { baseUrl: baseUrl ?? null, model: model ?? null },
      });
    }
    await writeSettingsSection(tx as unknown as Db, workspaceId, "ai", null);
  });
}

function safeHost(url: string) {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

/** The workspace's AI settings with the key decrypted — for the generator only, never for routers. */
export async function loadWorkspaceAi(db: Db, workspaceId: string): Promise<WorkspaceAi> {
  await migratePlaintext(db, workspaceId);
  const row = await getIntegrationRow(db, workspaceId, "openai");
  if (!row) return {};
  const secrets = readAiSecrets(row);
  const s = row.settings as { baseUrl?: string | null; model?: string | null };
  return { baseUrl: s.baseUrl ?? undefined, model: s.model ?? undefined, apiKey: secrets?.apiKey };
}

/**
 * Workspace settings as content generation reads them (`settings.ai`), with the key taken from
 * encrypted storage: hand the result to resolveAiConfig.
 */
export async function withWorkspaceAi<T extends Record<string, unknown>>(
  db: Db,
  workspaceId: string,
  settings: T,
) {
  const ai = await loadWorkspaceAi(db, workspaceId);
  return { ...settings, ai };
}

/**
 * Why a workspace may not use this base URL, or null. Only the spelling is checked here (a private
 * IP literal, `localhost.` and friends); names that resolve to a private address are refused when
 * the client connects (server/http/guarded-fetch.ts).
 */
export function aiBaseUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Use an http(s) URL, e.g. https://api.openai.com/v1";
  }
  const operator = env().OPENAI_BASE_URL?.trim().replace(/\/+$/, "");
  if (env().AI_ALLOW_PRIVATE || raw.replace(/\/+$/, "") === operator) return null;
  if (isPrivateHost(url.hostname)) {
    return "This server does not call private or loopback addresses for a workspace. Use a public address, or ask the server's operator to set AI_ALLOW_PRIVATE=true for a local model server.";
  }
  return null;
}

export async function saveAiSettings(
  db: Db,
  p: { workspaceId: string; actor: Actor; input: AiSettingsInput },
) {
  if (p.input.baseUrl) {
    const problem = aiBaseUrlProblem(p.input.baseUrl);
    if (problem) throw new ValidationError(problem, { baseUrl: [problem] });
  }
  await migratePlaintext(db, p.workspaceId);
  const current = await loadWorkspaceAi(db, p.workspaceId);
  const baseUrl = p.input.baseUrl === undefined ? current.baseUrl : p.input.baseUrl || undefined;
  const model = p.input.model === undefined ? current.model : p.input.model || undefined;
  const apiKey = p.input.apiKey === undefined ? current.apiKey : p.input.apiKey || undefined;
  if (!baseUrl && !apiKey && !model) {
    await deleteIntegrationRow(db, p.workspaceId, "openai");
  } else {
    await saveConnection(db, {
      workspaceId: p.workspaceId,
      provider: "openai",
      accountName: baseUrl ? safeHost(baseUrl) : "api.openai.com",
      secrets: apiKey ? ({ apiKey } satisfies AiSecrets) : undefined,
      settings: { baseUrl: baseUrl ?? null, model: model ?? null },
      connectedBy: p.actor.userId,
    });
  }
  await logActivity(db, {
    workspaceId: p.workspaceId,
    userId: p.actor.userId,
    action: "integration.ai_settings_saved",
    entityType: "integration",
    metadata: {
      provider: "openai",
      baseUrl: baseUrl ?? null,
      model: model ?? null,
      keyChanged: p.input.apiKey !== undefined,
    },
    ip: p.actor.ip,
    userAgent: p.actor.userAgent,
  });
}

/** Test: one tiny structured completion against the configured endpoint. */
export async function testAi(
  db: Db,
  workspaceId: string,
  resolve: (s: Record<string, unknown>) => { baseUrl: string; apiKey: string; model: string } | null,
) {
  const config = resolve(await withWorkspaceAi(db, workspaceId, {}));
  if (!config) {
    return {
      ok: false as const,
      detail: "No AI provider is configured: drafts use the offline template writer",
    };
  }
  const row = await getIntegrationRow(db, workspaceId, "openai");
  const client = new OpenAIClient({ ...config, timeoutMs: 15_000, maxRetries: 0 });
  try {
    const answer = await client.completeJson({
      messages: [{ role: "user", content: 'Reply with {"ok":true}.' }],
      schemaName: "connection_test",
      jsonSchema: {
        type: "object",
        properties: { ok: { type: "boolean" } },
        required: ["ok"],
        additionalProperties: false,
      },
      parse: z.object({ ok: z.boolean() }),
      temperature: 0,
    });
    if (row) {
      await db
        .update(integrations)
        .set({ lastSyncAt: new Date(), lastSyncStatus: "ok", lastError: null, status: "connected" })
        .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, workspaceId)));
    }
    return { ok: true as const, detail: `${client.host} answered with model ${answer.model}` };
  } catch (err) {
    const detail = err instanceof OpenAIError || err instanceof Error ? err.message : String(err);
    if (row) {
      await db
        .update(integrations)
        .set({ lastSyncAt: new Date(), lastSyncStatus: "error", lastError: detail })
        .where(and(eq(integrations.id, row.id), eq(integrations.workspaceId, workspaceId)));
    }
    return { ok: false as const, detail };
  }
}
