import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id } from "./_columns";
import { users } from "./auth";
import { workspaces } from "./workspaces";

export const MEDIA_KINDS = ["image", "video"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Uploaded images and videos; the bytes live on local disk, in S3 or in PostgreSQL under `storage_key`. */
export const mediaAssets = pgTable(
  "media_assets",
  {
    id: id(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: varchar("kind", { length: 10 }).$type<MediaKind>().notNull(),
    filename: varchar("filename", { length: 255 }).notNull(),
    mimeType: varchar("mime_type", { length: 100 }).notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    storage: varchar("storage", { length: 10 }).$type<"local" | "s3" | "postgres">().notNull(),
    storageKey: varchar("storage_key", { length: 500 }).notNull(),
    width: integer("width"),
    height: integer("height"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("media_assets_storage_key").on(t.storage, t.storageKey),
    check("media_assets_kind", sql`${t.kind} in ('image', 'video')`),
    check("media_assets_size", sql`${t.sizeBytes} > 0`),
    index("idx_media_assets_workspace_id").on(t.workspaceId, t.createdAt.desc().nullsFirst()),
  ],
);
