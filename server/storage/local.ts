import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { dataDir } from "@/lib/env";
import { assertSafeKey, contentTypeForKey, type StorageAdapter, StorageNotFoundError } from "./common";

export function uploadsRoot(): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(), "uploads");
}

/** Files on local disk under `DATA_DIR/uploads`, the key being the relative path. */
export function createLocalStorage(root = uploadsRoot()): StorageAdapter {
  const base = path.resolve(/*turbopackIgnore: true*/ root);

  function resolveKey(key: string): string {
    assertSafeKey(key);
    const full = path.resolve(/*turbopackIgnore: true*/ base, key);
    // Belt and braces: assertSafeKey already rules out `..` and absolute paths.
    if (!full.startsWith(base + path.sep)) throw new Error("Storage key resolves outside the uploads folder");
    return full;
  }

  return {
    kind: "local",

    async put(key, body) {
      const file = resolveKey(key);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      // Write beside the target and rename when complete, so a failed upload never leaves a
      // truncated file under the key (and readers never see one being written).
      const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
      try {
        if (Buffer.isBuffer(body)) await fsp.writeFile(partial, body, { flag: "wx" });
        else await pipeline(body as Readable, fs.createWriteStream(partial, { flags: "wx" }));
        const { size } = await fsp.stat(partial);
        await fsp.rename(partial, file);
        return { size };
      } catch (err) {
        await fsp.rm(partial, { force: true });
        throw err;
      }
    },

    async getStream(key, range) {
      const file = resolveKey(key);
      let size: number;
      try {
        const st = await fsp.stat(file);
        if (!st.isFile()) throw new StorageNotFoundError(key);
        size = st.size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new StorageNotFoundError(key);
        throw err;
      }
      const stream = fs.createReadStream(file, range ? { start: range.start, end: range.end } : {});
      return { stream, size, contentType: contentTypeForKey(key) };
    },

    async exists(key) {
      const st = await fsp.stat(resolveKey(key)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return null;
        throw err;
      });
      return st?.isFile() ?? false;
    },

    async delete(key) {
      await fsp.rm(resolveKey(key), { force: true });
    },
  };
}
