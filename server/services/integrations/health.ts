import "server-only";
import { env } from "@/lib/env";
import { integrationEnabled } from "@/server/features";
import { googleAppCredentials, refreshGoogleToken } from "@/server/integrations/gmail/client";
import { AuthError, httpRequest, PermanentError } from "@/server/integrations/http";
import { tiktokAppCredentials, tiktokClientToken } from "@/server/integrations/tiktok/client";
import { amazonHealth } from "@/server/services/amazon/health";

/**
 * /api/health's integrations part: for each provider the server is configured for, is it reachable
 * and does it accept our app credentials? Short timeouts, cached for a minute, so a slow provider
 * never slows the health check (or the load balancer) down. Unconfigured ones read "not_configured".
 */

export type IntegrationHealth = "ok" | "not_configured" | "disabled" | { error: string };
export type IntegrationsHealth = Record<"tiktok" | "gmail" | "openai" | "amazon", IntegrationHealth>;

const TTL_MS = 60_000;
const TIMEOUT_MS = 2_000;
let cache: { at: number; value: Promise<IntegrationsHealth> } | undefined;

const fail = (err: unknown): IntegrationHealth => ({
  error: err instanceof Error ? err.message : String(err),
});

async function tiktokHealth(): Promise<IntegrationHealth> {
  if (!integrationEnabled("tiktok")) return "disabled";
  const app = tiktokAppCredentials();
  if (!app) return "not_configured";
  return tiktokClientToken(app, TIMEOUT_MS).then(() => "ok" as const, fail);
}

async function gmailHealth(): Promise<IntegrationHealth> {
  if (!integrationEnabled("gmail")) return "disabled";
  const app = googleAppCredentials();
  if (!app) return "not_configured";
  // A refresh with a token Google cannot know: `invalid_grant` proves the endpoint is up and the
  // client id/secret are accepted; `invalid_client` means the app credentials are wrong.
  try {
    await refreshGoogleToken(app, "organic-health-check", { timeoutMs: TIMEOUT_MS, retries: 0 });
    return "ok";
  } catch (err) {
    if ((err instanceof AuthError || err instanceof PermanentError) && err.code === "invalid_grant")
      return "ok";
    return fail(err);
  }
}

async function openaiHealth(): Promise<IntegrationHealth> {
  const e = env();
  if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) return "not_configured";
  const base = (e.OPENAI_BASE_URL ?? "https://api.openai.com/v1").replace(/\/+$/, "");
  try {
    await httpRequest({
      provider: "openai",
      url: `${base}/models`,
      headers: { authorization: `Bearer ${e.OPENAI_API_KEY ?? "not-needed"}` },
      secrets: [e.OPENAI_API_KEY],
      timeoutMs: TIMEOUT_MS,
      retries: 0,
    });
    return "ok";
  } catch (err) {
    return fail(err);
  }
}

async function amazonHealthOrNotConfigured(): Promise<IntegrationHealth> {
  if (!integrationEnabled("amazon")) return "disabled";
  return amazonHealth().catch(fail);
}

export function checkIntegrationsHealth(opts: { fresh?: boolean } = {}): Promise<IntegrationsHealth> {
  if (!opts.fresh && cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const value = Promise.all([
    tiktokHealth(),
    gmailHealth(),
    openaiHealth(),
    amazonHealthOrNotConfigured(),
  ]).then(([tiktok, gmail, openai, amazon]) => ({ tiktok, gmail, openai, amazon }));
  cache = { at: Date.now(), value };
  return value;
}

export function resetIntegrationsHealthCache() {
  cache = undefined;
}
