import "server-only";
import { healthFailure, type IntegrationHealth } from "@/server/integrations/health";
import {
  INTEGRATION_IDS,
  INTEGRATIONS,
  type IntegrationId,
  integrationEnabled,
} from "@/server/integrations/registry";

/**
 * /api/health's integrations part: for each provider the server is configured for, is it reachable
 * and does it accept our app credentials? Short timeouts, cached for a minute, so a slow provider
 * never slows the health check (or the load balancer) down. Unconfigured ones read "not_configured",
 * ones switched off by their feature flag "disabled".
 */

export type { IntegrationHealth } from "@/server/integrations/health";
export type IntegrationsHealth = Record<IntegrationId, IntegrationHealth>;

const TTL_MS = 60_000;
let cache: { at: number; value: Promise<IntegrationsHealth> } | undefined;

async function providerHealth(id: IntegrationId): Promise<IntegrationHealth> {
  if (!integrationEnabled(id)) return "disabled";
  return INTEGRATIONS[id].health().catch(healthFailure);
}

export function checkIntegrationsHealth(opts: { fresh?: boolean } = {}): Promise<IntegrationsHealth> {
  if (!opts.fresh && cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const value = Promise.all(INTEGRATION_IDS.map(async (id) => [id, await providerHealth(id)] as const)).then(
    (entries) => Object.fromEntries(entries) as IntegrationsHealth,
  );
  cache = { at: Date.now(), value };
  return value;
}

export function resetIntegrationsHealthCache() {
  cache = undefined;
}
