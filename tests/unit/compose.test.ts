import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ENV_VARIABLES } from "@/lib/env";

/**
 * docker-compose.yml, read as compose reads it (anchors and merge keys resolved): app and worker get
 * every variable Organic reads, share no volume, and reach the same PostgreSQL, Redis and bucket.
 * (`.ci/run` also runs Debian's `docker-compose config -q` on it.)
 */

const root = path.join(import.meta.dirname, "../..");

interface Service {
  image?: string;
  build?: { target?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: (string | { source?: string; target?: string })[];
  depends_on?: Record<string, { condition?: string }> | string[];
  entrypoint?: string | string[];
  command?: string | string[];
}
const compose = parse(fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const { app, worker } = compose.services;

function environment(s: Service | undefined): Record<string, string> {
  const env = s?.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e) => [e.split("=")[0]!, e.includes("=") ? e.slice(e.indexOf("=") + 1) : ""]),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

/** Variables read straight from process.env in server code (not through lib/env.ts), with how. */
function directReads(): Map<string, { emptyIsUnset: boolean; where: string }> {
  // Build-time or test-only switches, not settings an operator passes to a running container.
  const internal = new Set([
    "NODE_ENV",
    "NEXT_RUNTIME",
    "NEXT_OUTPUT",
    "NEXT_TELEMETRY_DISABLED",
    "VITEST",
    "MIGRATIONS_DIR",
  ]);
  const found = new Map<string, { emptyIsUnset: boolean; where: string }>();
  const files = ["server", "lib", "app"].flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir), { recursive: true })
      .map(String)
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => path.join(dir, f)),
  );
  for (const file of [...files, "instrumentation.ts", "proxy.ts"]) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)(\s*\?\?)?|\bnum\("([A-Z][A-Z0-9_]*)"/g)) {
      const name = m[1] ?? m[3]!;
      if (internal.has(name)) continue;
      // `process.env.X ?? fallback` keeps an empty string (compose's "unset"): Number("") is 0.
      const emptyIsUnset = !m[2];
      const seen = found.get(name);
      found.set(name, { emptyIsUnset: (seen?.emptyIsUnset ?? true) && emptyIsUnset, where: file });
    }
  }
  return found;
}

describe("docker-compose.yml", () => {
  const appEnv = environment(app);
  const workerEnv = environment(worker);

  it("runs app, worker, PostgreSQL, Redis and MinIO, with a one-shot bucket creation", () => {
    expect(app?.build?.target).toBe("app");
    expect(worker?.build?.target).toBe("worker");
    const images = Object.values(compose.services).map((s) => s.image?.split(":")[0]);
    expect(images).toEqual(expect.arrayContaining(["postgres", "redis", "minio/minio", "minio/mc"]));
    const [bucketJob] = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith("minio/mc"));
    expect(String(bucketJob![1].entrypoint)).toContain("mc mb --ignore-existing");
    for (const s of [app, worker]) {
      expect(s?.depends_on).toMatchObject({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
        [bucketJob![0]]: { condition: "service_completed_successfully" },
      });
    }
  });

  it.each(ENV_VARIABLES)("passes %s (lib/env.ts) to app and worker", (name) => {
    expect(Object.keys(appEnv)).toContain(name);
    expect(Object.keys(workerEnv)).toContain(name);
  });

  it("passes every variable .env.example lists", () => {
    const listed = [
      ...fs.readFileSync(path.join(root, ".env.example"), "utf8").matchAll(/^# ?([A-Z][A-Z0-9_]+)=/gm),
    ].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThan(40);
    for (const name of listed) {
      expect(Object.keys(appEnv), name).toContain(name);
      expect(Object.keys(workerEnv), name).toContain(name);
    }
  });

  it("passes the variables code reads directly, with a real default where an empty value would not mean unset", () => {
    const reads = directReads();
    // Few are left (scripts/check-env-reads.ts sends the rest through lib/env.ts), but the scan works.
    expect(reads.size).toBeGreaterThan(0);
    for (const [name, { emptyIsUnset, where }] of reads) {
      expect(Object.keys(appEnv), `${name} (read in ${where})`).toContain(name);
      expect(Object.keys(workerEnv), `${name} (read in ${where})`).toContain(name);
      if (!emptyIsUnset)
        expect(appEnv[name], `${name} needs a default: ${where} reads it with ??`).not.toMatch(
          /^\$\{\w+:-\}$|^$/,
        );
    }
  });

  it("gives app and worker the same settings, pointing at the compose services and the bucket", () => {
    expect(workerEnv).toEqual(expect.objectContaining(appEnv));
    expect(appEnv.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(appEnv.REDIS_URL).toBe("redis://redis:6379");
    expect(appEnv.S3_BUCKET).toMatch(/\S/);
    expect(appEnv.S3_ENDPOINT).toMatch(/minio:9000/);
    expect(appEnv.S3_FORCE_PATH_STYLE).toMatch(/true/);
  });

  it("shares no volume between app and worker (files live in the bucket)", () => {
    const mounts = (s: Service | undefined) =>
      (s?.volumes ?? []).map((v) => (typeof v === "string" ? v.split(":")[0]! : (v.source ?? "")));
    const shared = mounts(worker).filter((v) => mounts(app).includes(v));
    expect(shared).toEqual([]);
    expect(mounts(worker)).toEqual([]);
  });

  it("runs the worker image's command as node itself: the built worker, as `npm run worker` does", () => {
    const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
    const stage = dockerfile.slice(dockerfile.indexOf("AS worker"));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(stage)![1]!) as string[];
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(cmd.join(" ")).toBe(pkg.scripts.worker);
    expect(cmd).toContain("dist/worker.mjs");
    // The image copies what the build made, and the build makes it.
    expect(stage).toContain("/app/dist ./dist");
    expect(pkg.scripts.build).toContain("scripts/build-server.mjs");
  });

  it("is what the README's Docker Compose section says: the same services and the same command", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("### Docker Compose"),
      readme.indexOf("\n### ", readme.indexOf("### Docker Compose") + 1),
    );
    const listed = [...section.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(compose.services).sort());
    const command = /^```sh\n(.+)\n```/m.exec(section)![1]!;
    const header = fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8").split("\n")[1]!;
    expect(header.replace(/^#\s+/, "")).toBe(command);
  });
});
