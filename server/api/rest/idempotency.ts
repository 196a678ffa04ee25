import "server-only";
import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/server/db";
import { apiIdempotencyKeys } from "@/server/db/schema";
import type { ApiKeyPrincipal } from "./auth";

/** How long a key is remembered (and its response replayed). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A first request still "running" after this is taken as crashed: a retry may run again. */
export const IDEMPOTENCY_STALE_MS = 5 * 60 * 1000;
export const IDEMPOTENCY_KEY_MAX = 255;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyClaim =
  | { kind: "claimed"; id: string }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

/** What "the same request" means: method, path with query, and the SHA-256 of the body bytes. */
export function requestHash(method: string, url: URL, bodySha256: string): string {
  return createHash("sha256")
    .update(`${method} ${url.pathname}?${url.searchParams.toString()}\n${bodySha256}`)
    .digest("hex");
}

export function sha256Of(bytes: Uint8Array | null): string {
  return createHash("sha256")
    .update(bytes ?? new Uint8Array())
    .digest("hex");
}

/** A pass-through that hashes what flows through it; `digest()` once the stream has been read. */
export function hashingStream(body: ReadableStream<Uint8Array>) {
  const h = createHash("sha256");
  const stream = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        h.update(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  return { stream, digest: () => h.digest("hex") };
}

/**
 * Claims `key` for this API key before the handler runs. The unique (api_key_id, key) index is the
 * lock: of two concurrent requests exactly one inserts, the other sees the row (running → 409,
 * finished → replay). Rows older than the TTL are dropped on the way.
 */
export async function claimIdempotencyKey(
  db: Db,
  principal: ApiKeyPrincipal,
  key: string,
  hash: string,
): Promise<IdempotencyClaim> {
  const expired = new Date(Date.now() - IDEMPOTENCY_TTL_MS);
  for (let attempt = 0; attempt < 3; attempt++) {
    const [inserted] = await db
      .insert(apiIdempotencyKeys)
      .values({ workspaceId: principal.workspaceId, apiKeyId: principal.keyId, key, requestHash: hash })
      .onConflictDoNothing()
      .returning({ id: apiIdempotencyKeys.id });
    if (inserted) {
      // Housekeeping for this key's old entries; cheap with the index, and keeps the table small.
      await db
        .delete(apiIdempotencyKeys)
        .where(
          and(eq(apiIdempotencyKeys.apiKeyId, principal.keyId), lt(apiIdempotencyKeys.createdAt, expired)),
        );
      return { kind: "claimed", id: inserted.id };
    }
    const [row] = await db
      .select()
      .from(apiIdempotencyKeys)
      .where(and(eq(apiIdempotencyKeys.apiKeyId, principal.keyId), eq(apiIdempotencyKeys.key, key)));
    if (!row) continue; // deleted in between: try the insert again
    const stale = row.responseStatus === null && row.createdAt.getTime() < Date.now() - IDEMPOTENCY_STALE_MS;
    if (row.createdAt < expired || stale) {
      await db
        .delete(apiIdempotencyKeys)
        .where(and(eq(apiIdempotencyKeys.id, row.id), eq(apiIdempotencyKeys.createdAt, row.createdAt)));
      continue;
    }
    if (row.requestHash !== hash) return { kind: "mismatch" };
    if (row.responseStatus === null) return { kind: "in_progress" };
    return {
      kind: "replay",
      response: { status: row.responseStatus, body: row.responseBody, headers: row.responseHeaders ?? {} },
    };
  }
  return { kind: "in_progress" };
}

export async function completeIdempotencyKey(db: Db, id: string, response: StoredResponse) {
  await db
    .update(apiIdempotencyKeys)
    .set({
      responseStatus: response.status,
      responseBody: response.body === undefined ? null : (response.body as object),
      responseHeaders: response.headers,
      completedAt: sql`now()`,
    })
    .where(eq(apiIdempotencyKeys.id, id));
}

/** The request failed on our side (5xx): forget the key so a retry runs again. */
export async function releaseIdempotencyKey(db: Db, id: string) {
  await db.delete(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.id, id));
}
