import type { Db } from "@/server/db";
import type { Rng } from "./rng";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface SeedTableCount {
  inserted: number;
  skipped: number;
}

/** What every step of the seed shares: one transaction, one random sequence, one "now". */
export interface SeedStep {
  tx: Tx;
  rng: Rng;
  workspaceId: string;
  author: string | null;
  now: number;
}

const CHUNK = 1000;

/** Inserts in statements of at most CHUNK rows (bind parameters are limited per statement). */
export async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}
