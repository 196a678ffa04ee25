import { type Attributes, SpanStatusCode, trace } from "@opentelemetry/api";

/**
 * Runs `fn` inside a span that is the parent of what it calls (SQL, nested spans). Without a
 * tracer provider (no OTEL_EXPORTER_OTLP_ENDPOINT) the span is a no-op.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return trace.getTracer("organic").startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}
