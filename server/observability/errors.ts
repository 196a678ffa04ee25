import "server-only";
import { env } from "@/lib/env";
import { currentRequestId } from "@/lib/request-context";

type SentryModule = typeof import("@sentry/node");

// The Sentry SDK is loaded only when reporting is on: it is the heaviest module a process would
// otherwise load at start (~0.5 s), for a feature most installs leave off.
const g = globalThis as unknown as {
  organicErrorReporting?: SentryModule | false;
  organicReported?: WeakSet<object>;
};
g.organicReported ??= new WeakSet<object>();
const reported = g.organicReported;

/**
 * Sends errors to a Sentry-compatible server when SENTRY_DSN is set (Sentry, GlitchTip, a relay…).
 * Called explicitly by the web boot (instrumentation.ts) and the worker entry. Errors only: traces
 * go through OpenTelemetry (server/observability/tracing.ts), so Sentry's own tracing stays off.
 */
export async function startErrorReporting(service: "web" | "worker"): Promise<boolean> {
  const e = env();
  if (!e.SENTRY_DSN || g.organicErrorReporting) return Boolean(g.organicErrorReporting);
  const Sentry = await import("@sentry/node");
  Sentry.init({
    dsn: e.SENTRY_DSN,
    environment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV,
    serverName: service,
    enableOpenTelemetrySetup: false,
    enableRuntimeChannelInjection: false,
  });
  g.organicErrorReporting = Sentry;
  return true;
}

/** Reports an unexpected error once, tagged with the request id it happened under (if any). */
export function reportError(err: unknown, extra: Record<string, unknown> = {}) {
  const Sentry = g.organicErrorReporting;
  if (!Sentry) return;
  if (typeof err === "object" && err !== null) {
    if (reported.has(err)) return;
    reported.add(err);
  }
  const requestId = currentRequestId() ?? (extra.requestId as string | undefined);
  Sentry.withScope((scope) => {
    if (requestId) scope.setTag("request_id", requestId);
    scope.setExtras(extra);
    Sentry.captureException(err);
  });
}

/** Waits until queued reports are sent (before a process exits; tests). */
export async function flushErrors(timeoutMs = 2000) {
  if (g.organicErrorReporting) await g.organicErrorReporting.flush(timeoutMs);
}

/** Test hook: stop reporting (closes the client). */
export async function stopErrorReporting() {
  if (!g.organicErrorReporting) return;
  await g.organicErrorReporting.close(2000);
  g.organicErrorReporting = false;
}
