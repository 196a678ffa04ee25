import {
  type Attributes,
  type Context,
  context,
  propagation,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

/** Set by startTracing (./tracing.ts), on globalThis like it: Next loads this module in several graphs. */
const g = globalThis as unknown as { organicTracing?: unknown };

/**
 * Runs `fn` inside a span that is the parent of what it calls (SQL, nested spans). Without tracing
 * (no OTEL_EXPORTER_OTLP_ENDPOINT) it just runs `fn`: a no-op span still cost each API request
 * about 3% of its CPU.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: () => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  if (!g.organicTracing) return fn();
  return trace.getTracer("organic").startActiveSpan(name, { attributes }, parent, async (span) => {
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

/** Where an enqueued job's payload carries the trace context of the code that enqueued it. */
const TRACE_KEY = "__trace";

/**
 * The payload with the current trace context (W3C `traceparent`) under a reserved key, so that the
 * job's span — in whichever process runs it — continues the trace of the request that enqueued it.
 * Unchanged when nothing is traced or the payload is not an object.
 */
export function withTraceContext<P>(payload: P): P {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return payload;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return payload;
  return { ...payload, [TRACE_KEY]: carrier };
}

/** The payload without the trace carrier, and the context to continue (the active one if none). */
export function takeTraceContext(payload: unknown): { payload: unknown; parent: Context } {
  if (!payload || typeof payload !== "object" || !(TRACE_KEY in payload))
    return { payload, parent: context.active() };
  const { [TRACE_KEY]: carrier, ...rest } = payload as Record<string, unknown>;
  const parent =
    carrier && typeof carrier === "object"
      ? propagation.extract(context.active(), carrier as Record<string, string>)
      : context.active();
  return { payload: rest, parent };
}
