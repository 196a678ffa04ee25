import "server-only";
import { createRequire } from "node:module";
import path from "node:path";
import { context, propagation, trace } from "@opentelemetry/api";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

export interface Tracing {
  /** Sends what is buffered and stops (SIGTERM; tests). */
  shutdown(): Promise<void>;
}

const g = globalThis as unknown as { organicTracing?: Tracing };

/**
 * OpenTelemetry traces over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT (a collector, Jaeger,
 * Tempo…): HTTP server and client spans, Next's own spans, tRPC procedures, REST routes, jobs and
 * SQL (node-postgres). Off when the endpoint is not set. Started explicitly by instrumentation.ts
 * (web) and server/worker.ts, before anything else is loaded. The SDK, exporter and instrumentations
 * are loaded only when tracing is on (they cost a process ~0.3 s to load); `@opentelemetry/api`
 * alone is a no-op when nothing is registered.
 */
export async function startTracing(service: "web" | "worker"): Promise<Tracing | null> {
  const e = env();
  if (!e.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  if (g.organicTracing) return g.organicTracing;
  const [
    { OTLPTraceExporter },
    { registerInstrumentations },
    { HttpInstrumentation },
    { PgInstrumentation },
    { resourceFromAttributes },
    { BatchSpanProcessor, NodeTracerProvider },
  ] = await Promise.all([
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/instrumentation"),
    import("@opentelemetry/instrumentation-http"),
    import("@opentelemetry/instrumentation-pg"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace-node"),
  ]);
  const exporter = new OTLPTraceExporter({
    url: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces`,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": e.OTEL_SERVICE_NAME ?? `organic-${service}` }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new HttpInstrumentation(), new PgInstrumentation({ requireParentSpan: true })],
  });
  // The hooks patch a module when it is required; pg may already be loaded (ESM imports, Next's
  // externals), so require it once here: that patches the one shared copy for every importer.
  createRequire(path.join(process.cwd(), "package.json"))("pg");
  logger.info({ endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT }, "tracing to OTLP");
  const tracing: Tracing = {
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      g.organicTracing = undefined;
    },
  };
  g.organicTracing = tracing;
  return tracing;
}
