import "server-only";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { z } from "zod";
import type { Db } from "@/server/db";
import { type IntegrationProvider, integrations } from "@/server/db/schema";
import { DomainError } from "@/server/errors";
import { assertIntegrationOn, integrationEnabled } from "@/server/features";
import { isIntegrationError } from "@/server/integrations/http";
import { getIntegration } from "@/server/integrations/registry";
import { requestRollupSoon } from "../analytics/live";
import { resolveAiConfig } from "../content/generate/ai-config";
import { resolveMailServer } from "../email/mail-server";
import { describeSmtpFailure } from "../email/smtp-connect";
import { getAppCredentials } from "../instance/credentials";
import { findWorkspaceSettings } from "../workspaces/settings";
import { testAi } from "./ai";
import { gmailUsageToday, testGmail } from "./gmail";
import type { VideoPlatformId } from "./platform";
import { isVideoPlatform, VIDEO_PLATFORMS } from "./platforms";
import { CARD_PROVIDERS, type testInput } from "./schemas";
import { getTikTokAccess, tiktokCreatorInfo } from "./tiktok";

export {
  CARD_PROVIDERS,
  disconnectInput,
  oauthProviderInput,
  syncInput,
  testInput,
} from "./schemas";

export type CardStatus = "connected" | "needs_attention" | "not_connected";

/** What the Integrations page shows: never a secret, only what a member may see. */
export interface IntegrationView {
  provider: IntegrationProvider;
  /** Off by its feature flag: the card says so and offers nothing. */
  enabled: boolean;
  /** The server has what connecting needs (app credentials). */
  configured: boolean;
  status: CardStatus;
  accountName: string | null;
  connectedAt: Date | null;
  lastSyncAt: Date | null;
  lastSyncStatus: string | null;
  lastError: string | null;
  details: Record<string, string | number | boolean | null>;
}

export function providerEnabled(provider: IntegrationProvider): boolean {
  return integrationEnabled(provider);
}

/** The SMTP server the workspace's mail goes through (Settings → Sending), if it is one. */
async function smtpServerFor(db: Db, workspaceId: string) {
  const resolved = await resolveMailServer(db, workspaceId);
  if (resolved.kind !== "smtp") return null;
  const settings = await findWorkspaceSettings(db, workspaceId);
  const source: "workspace" | "environment" =
    settings?.smtp?.mode === "own" || (!settings?.smtp?.mode && settings?.smtp?.url)
      ? "workspace"
      : "environment";
  return { ...resolved, source };
}

const hostOf = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ""}`;
  } catch {
    return null;
  }
};

export async function listIntegrations(db: Db, workspaceId: string): Promise<IntegrationView[]> {
  const rows = await db.select().from(integrations).where(eq(integrations.workspaceId, workspaceId));
  const views: IntegrationView[] = [];
  for (const provider of CARD_PROVIDERS) {
    const row = rows.find((r) => r.provider === provider);
    const base: IntegrationView = {
      provider,
      enabled: providerEnabled(provider),
      configured: true,
      status: row ? (row.status === "disconnected" ? "not_connected" : row.status) : "not_connected",
      accountName: row?.accountName ?? null,
      connectedAt: row?.createdAt ?? null,
      lastSyncAt: row?.lastSyncAt ?? null,
      lastSyncStatus: row?.lastSyncStatus ?? null,
      lastError: row?.lastError ?? null,
      details: {},
    };
    if (provider === "tiktok") base.configured = (await getAppCredentials(db, "tiktok")) !== null;
    // YouTube signs in with the same Google app as Gmail.
    else if (provider === "gmail" || provider === "youtube")
      base.configured = (await getAppCredentials(db, "google")) !== null;
    else if (provider === "instagram") base.configured = (await getAppCredentials(db, "instagram")) !== null;
    else if (provider !== "smtp") base.configured = getIntegration(provider).configured();
    if (isVideoPlatform(provider)) {
      const summary = row?.settings.lastSyncSummary as
        | { videos?: number; read?: number; matched?: number }
        | undefined;
      if (summary)
        base.details = { videos: summary.videos ?? summary.read ?? 0, matched: summary.matched ?? 0 };
    } else if (provider === "gmail") {
      if (row) {
        const usage = await gmailUsageToday(db, row);
        base.details = {
          sentToday: usage.sent,
          dailyLimit: usage.limit,
          quotaHeldUntil:
            typeof row.settings.quotaHeldUntil === "string" ? row.settings.quotaHeldUntil : null,
        };
      }
    } else if (provider === "openai") {
      const s = (row?.settings ?? {}) as { baseUrl?: string | null; model?: string | null };
      const envAi = resolveAiConfig({});
      base.details = {
        baseUrl: s.baseUrl ?? null,
        model: s.model ?? null,
        hasKey: Boolean(row?.secrets),
        environmentDefault: envAi ? `${hostOf(envAi.baseUrl) ?? envAi.baseUrl} · ${envAi.model}` : null,
      };
      // A workspace without its own endpoint still writes with the server's (or the offline writer).
      if (!row) base.accountName = envAi ? `Server default (${hostOf(envAi.baseUrl)})` : null;
    } else if (provider === "smtp") {
      const smtp = await smtpServerFor(db, workspaceId);
      base.status = smtp ? "connected" : "not_connected";
      base.accountName = smtp ? smtp.label : null;
      base.details = { source: smtp?.source ?? null };
    }
    views.push(base);
  }
  return views;
}

export interface TestResult {
  ok: boolean;
  detail: string;
}

/** The card's Test button: a real round trip to the provider, reported, never thrown. */
export async function testIntegration(
  db: Db,
  workspaceId: string,
  provider: z.infer<typeof testInput>["provider"],
): Promise<TestResult> {
  assertIntegrationOn(provider);
  try {
    if (provider === "youtube" || provider === "instagram") {
      const platform = VIDEO_PLATFORMS[provider];
      const info = await platform.accountInfo(db, workspaceId);
      if (!info) return { ok: false, detail: `${platform.label} is not connected` };
      return { ok: true, detail: `Signed in as ${info.accountName ?? "the connected account"}` };
    }
    if (provider === "tiktok") {
      await getTikTokAccess(db, workspaceId);
      const info = await tiktokCreatorInfo(db, workspaceId);
      if (!info) return { ok: false, detail: "TikTok is not connected" };
      return {
        ok: true,
        detail: `Signed in as @${info.username}; can post as ${info.privacyLevels.join(", ")}`,
      };
    }
    if (provider === "gmail") return await testGmail(db, workspaceId);
    if (provider === "openai") return await testAi(db, workspaceId, (s) => resolveAiConfig(s));
    const smtp = await smtpServerFor(db, workspaceId);
    if (!smtp) return { ok: false, detail: "No SMTP server is configured" };
    const transport = nodemailer.createTransport({
      ...smtp.options,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
    });
    try {
      await transport.verify();
    } catch (err) {
      return { ok: false, detail: describeSmtpFailure(err, smtp.label).message };
    } finally {
      transport.close();
    }
    return { ok: true, detail: `${smtp.label} accepted the connection` };
  } catch (err) {
    if (err instanceof DomainError && err.code !== "PRECONDITION_FAILED") throw err;
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      detail: isIntegrationError(err) || err instanceof DomainError ? message : `Failed: ${message}`,
    };
  }
}

export async function syncIntegration(db: Db, workspaceId: string, provider: VideoPlatformId) {
  assertIntegrationOn(provider);
  const platform = VIDEO_PLATFORMS[provider];
  try {
    const r = await platform.syncMetrics(db, workspaceId);
    if ("skipped" in r) return { ok: false, detail: `${platform.label} is not connected` };
    // Someone pressed "Sync now" to see the figures: the dashboards get them at the next live
    // rollup rather than at the repeating one.
    if (r.matched > 0) await requestRollupSoon();
    const videos = `${r.read} ${r.read === 1 ? "video" : "videos"}`;
    return { ok: true, detail: `${videos} read, ${r.matched} matched to content` };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
