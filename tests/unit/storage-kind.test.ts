import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { storageKind } from "@/server/storage";

const VARS = ["DATABASE_URL", "S3_BUCKET", "FILE_STORAGE"] as const;
const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));

function use(vars: Partial<Record<(typeof VARS)[number], string>>) {
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, vars);
  resetEnvCache();
}

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

const DB = "postgres://postgres@127.0.0.1:5432/organic";

describe("where files go", () => {
  it.each([
    [{}, "local"],
    [{ DATABASE_URL: DB }, "postgres"],
    [{ S3_BUCKET: "media" }, "s3"],
    [{ DATABASE_URL: DB, S3_BUCKET: "media" }, "s3"],
    [{ DATABASE_URL: DB, FILE_STORAGE: "local" }, "local"],
    [{ DATABASE_URL: DB, S3_BUCKET: "media", FILE_STORAGE: "postgres" }, "postgres"],
  ] as const)("%j → %s", (vars, kind) => {
    use(vars);
    expect(storageKind()).toBe(kind);
  });

  it("refuses a store its settings cannot reach, and an unknown one", () => {
    use({ FILE_STORAGE: "s3" });
    expect(() => storageKind()).toThrow("FILE_STORAGE=s3 needs S3_BUCKET");
    use({ FILE_STORAGE: "postgres" });
    expect(() => storageKind()).toThrow("FILE_STORAGE=postgres needs DATABASE_URL");
    use({ FILE_STORAGE: "nfs" });
    expect(() => storageKind()).toThrow(/FILE_STORAGE: must be local, postgres or s3/);
  });
});
