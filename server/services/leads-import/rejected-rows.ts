import "server-only";
import { once } from "node:events";
import { stringify } from "csv-stringify";
import { csvSafe } from "@/lib/csv-safe";
import { getStorage } from "@/server/storage";

export type RejectedWriter = ReturnType<typeof rejectedWriter>;

/** Rejected rows go to a CSV in storage: original columns, then row and reason. */
export function rejectedWriter(key: string, headers: string[]) {
  let stringifier: ReturnType<typeof stringify> | null = null;
  let stored: Promise<unknown> | null = null as Promise<unknown> | null;
  return {
    async write(rec: string[], row: number, reason: string) {
      if (!stringifier) {
        const s = stringify({ bom: true, cast: { string: csvSafe } });
        stringifier = s;
        stored = getStorage().put(key, s, "text/csv");
        stored.catch(() => {});
        s.write([...headers, "row", "reason"]);
      }
      const values = headers.map((_, i) => rec[i] ?? "");
      if (!stringifier.write([...values, String(row), reason])) {
        await Promise.race([once(stringifier, "drain"), stored]);
      }
    },
    /** Whether a file was written. */
    async finish() {
      if (!stringifier) return false;
      stringifier.end();
      await stored;
      return true;
    },
    async abort() {
      if (!stringifier) return;
      stringifier.destroy();
      await stored?.catch(() => {});
      await getStorage()
        .delete(key)
        .catch(() => {});
    },
  };
}
