import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

interface RequestContext {
  requestId: string;
}

const g = globalThis as unknown as { organicRequestContext?: AsyncLocalStorage<RequestContext> };
// One store per process even when Next loads this module in several bundles (route handlers and
// instrumentation are separate module graphs).
g.organicRequestContext ??= new AsyncLocalStorage<RequestContext>();
const storage = g.organicRequestContext;

/** Ids a client may choose for its own request: short, printable, no separators a log could split on. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is sane, else a fresh one. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id")?.trim();
  return incoming && SANE_ID.test(incoming) ? incoming : randomUUID();
}

/** Runs `fn` with this request id: every log line written meanwhile carries it (lib/logger.ts). */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
