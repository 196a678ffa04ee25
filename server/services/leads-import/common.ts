import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { customFieldDefinitions } from "@/server/db/schema";
import { NotFoundError } from "@/server/errors";
import { getStorage, StorageNotFoundError } from "@/server/storage";
import type { CustomFieldDef } from "../leads/normalize";
import { type CsvShape, readHead, sniffCsv } from "./parse";

export const IMPORT_LEADS_KIND = "import-leads";

// The workspace id is part of every key, so another workspace's upload id simply does not exist here.
export const uploadKey = (workspaceId: string, uploadId: string) =>
  `leads-import/${workspaceId}/${uploadId}.csv`;
export const rejectedKey = (workspaceId: string, jobId: string) =>
  `leads-import/${workspaceId}/${jobId}-rejected.csv`;
export const rejectedUrl = (workspaceId: string, jobId: string) =>
  `/api/leads/import/${jobId}/rejected?workspaceId=${workspaceId}`;

// PostgreSQL text and jsonb cannot hold NUL characters.
export const stripNul = (s: string) => (s.includes("\u0000") ? s.replaceAll("\u0000", "") : s);

export async function loadCustomFields(db: Db, workspaceId: string): Promise<CustomFieldDef[]> {
  return db
    .select({
      key: customFieldDefinitions.key,
      label: customFieldDefinitions.label,
      type: customFieldDefinitions.type,
      options: customFieldDefinitions.options,
    })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.workspaceId, workspaceId));
}

export async function openUpload(workspaceId: string, uploadId: string) {
  try {
    return await getStorage().getStream(uploadKey(workspaceId, uploadId));
  } catch (err) {
    if (err instanceof StorageNotFoundError)
      throw new NotFoundError("Upload not found; upload the file again");
    throw err;
  }
}

/** The delimiter and headers of a stored upload, from its first bytes. */
export async function sniffUpload(workspaceId: string, uploadId: string): Promise<CsvShape> {
  return sniffCsv(await readHead((await openUpload(workspaceId, uploadId)).stream));
}
