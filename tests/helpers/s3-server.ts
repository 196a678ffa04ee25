import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** s3rver checks SigV4 signatures against these fixed credentials. */
export const S3RVER_ACCESS_KEY = "S3RVER";

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** The S3_* variables that point the app at this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (tests/fixtures/s3-server.mjs) on 127.0.0.1 on a free port with one bucket, its
 * objects in a fresh temporary folder; `stop()` ends the process and removes the folder.
 */
export async function startS3Server(bucket = "organic-test"): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "organic-s3rver-"));
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, "../fixtures/s3-server.mjs"), directory, bucket],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}: ${stderr}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    endpoint,
    bucket,
    env: {
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: S3RVER_ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_ACCESS_KEY,
      S3_FORCE_PATH_STYLE: "true",
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
