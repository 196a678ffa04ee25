import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tstz } from "./_columns";
import { apiKeys, workspaces } from "./workspaces";

/**
 * `Idempotency-Key` of a REST POST: one row per (API key, idempotency key), kept 24 hours. The row
 * is inserted before the handler runs (a concurrent request with the same key finds it and is
 * refused), and the response is stored once the handler has answered, so a retry replays it.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: varchar("key", { length: 255 }).notNull(),
    /** SHA-256 of method, path, query and body: the same key with another request is a 409. */
    requestHash: varchar("request_hash", { length: 64 }).notNull(),
    /** Null while the first request is still running. */
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body").$type<unknown>(),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    createdAt: createdAt(),
    completedAt: tstz("completed_at"),
  },
  (t) => [
    uniqueIndex("uq_api_idempotency_keys_key").on(t.apiKeyId, t.key),
    index("idx_api_idempotency_keys_workspace").on(t.workspaceId, t.createdAt),
    check(
      "api_idempotency_keys_status",
      sql`${t.responseStatus} is null or ${t.responseStatus} between 100 and 599`,
    ),
  ],
);
