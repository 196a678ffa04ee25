import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt } from "./_columns";

/** node-postgres gives bytea as a Buffer, PGlite as a Uint8Array: always a Buffer here. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});

/**
 * Files kept in PostgreSQL (server/storage/postgres.ts), for scale-out without an S3 bucket. A file
 * is written under a fresh id with `key` null, chunk by chunk, and gets its key only when complete,
 * so readers never see a partial file; rows still without a key after a day are from a crashed
 * upload and are swept.
 */
export const storedFiles = pgTable(
  "stored_files",
  {
    id: uuid("id").primaryKey(),
    key: varchar("key", { length: 500 }),
    contentType: varchar("content_type", { length: 255 }).notNull(),
    size: bigint("size", { mode: "number" }).notNull().default(0),
    /** Every chunk but the last holds exactly this many bytes, so a byte offset names its chunk. */
    chunkSize: integer("chunk_size").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("stored_files_key").on(t.key),
    index("idx_stored_files_incomplete").on(t.createdAt).where(sql`${t.key} is null`),
    check("stored_files_chunk_size", sql`${t.chunkSize} > 0`),
  ],
);

export const storedFileChunks = pgTable(
  "stored_file_chunks",
  {
    fileId: uuid("file_id")
      .notNull()
      .references(() => storedFiles.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ name: "stored_file_chunks_pkey", columns: [t.fileId, t.seq] })],
);
