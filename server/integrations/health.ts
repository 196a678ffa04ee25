/**
 * What one provider's health check answers on /api/health: reachable and accepting our app
 * credentials ("ok"), not set up on this server, switched off by its feature flag, or the failure.
 */
export type IntegrationHealth = "ok" | "not_configured" | "disabled" | { error: string };

/** Short: a slow provider must never slow the health check (or the load balancer) down. */
export const HEALTH_TIMEOUT_MS = 2_000;

export const healthFailure = (err: unknown): { error: string } => ({
  error: err instanceof Error ? err.message : String(err),
});
