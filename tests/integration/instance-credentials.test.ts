import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { DbHandle } from "@/server/db";
import { instanceCredentials, users } from "@/server/db/schema";
import { isInstanceAdmin, setInstanceAdmin } from "@/server/services/instance/admins";
import { getAppCredentials } from "@/server/services/instance/credentials";
import { memoryTestDb } from "../helpers/db";
import { callerFor, createUser, createWorkspace } from "../helpers/fixtures";

/*
 * Instance admins and the install's app credentials (issue 15, point 13). Instance-wide rows are
 * shared by every test file on the suite's database, so this file has a private PGlite database:
 * the first-user rule needs an empty users table, and saved TikTok credentials must not reach other
 * files' TikTok tests.
 */
vi.stubEnv("TIKTOK_CLIENT_KEY", "env-tiktok-key");
vi.stubEnv("TIKTOK_CLIENT_SECRET", "env-tiktok-secret");
vi.stubEnv("GOOGLE_CLIENT_ID", "");
vi.stubEnv("GOOGLE_CLIENT_SECRET", "");
vi.stubEnv("AMAZON_LWA_CLIENT_ID", "");
vi.stubEnv("AMAZON_LWA_CLIENT_SECRET", "");
vi.stubEnv("AMAZON_APP_ID", "");
resetEnvCache();

let h: DbHandle;
let first: Awaited<ReturnType<typeof createUser>>;
let second: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  h = await memoryTestDb();
  first = await createUser(h.db, { name: "First" });
  second = await createUser(h.db, { name: "Second" });
});
afterAll(async () => {
  await h.close();
  vi.unstubAllEnvs();
  resetEnvCache();
});

const SECRET = "saved-tiktok-secret-0123456789";

describe("instance admins", () => {
  it("the first account claims the role while nobody holds it; others don't", async () => {
    expect(await callerFor(h.db, second).instance.me()).toEqual({ instanceAdmin: false });
    expect(await callerFor(h.db, first).instance.me()).toEqual({ instanceAdmin: true });
    const [row] = await h.db.select({ a: users.instanceAdmin }).from(users).where(eq(users.id, first.id));
    expect(row?.a).toBe(true);
    expect(await isInstanceAdmin(h.db, second.id)).toBe(false);
  });

  it("the CLI's grant adds one; revoking takes it away", async () => {
    await setInstanceAdmin(h.db, { email: second.email, admin: true });
    expect(await isInstanceAdmin(h.db, second.id)).toBe(true);
    await setInstanceAdmin(h.db, { email: second.email, admin: false });
    expect(await isInstanceAdmin(h.db, second.id)).toBe(false);
    await expect(setInstanceAdmin(h.db, { email: "nobody@nowhere.test", admin: true })).rejects.toThrow(
      "No user with email nobody@nowhere.test",
    );
  });

  it("refuses the credentials to everyone else, signed out included", async () => {
    const others = [callerFor(h.db, second), callerFor(h.db, null)];
    const codes = ["FORBIDDEN", "UNAUTHORIZED"];
    for (const [i, c] of others.entries()) {
      await expect(c.instance.credentials()).rejects.toMatchObject({ code: codes[i] });
      await expect(
        c.instance.updateCredentials({ provider: "tiktok", values: { clientKey: "k", clientSecret: "s" } }),
      ).rejects.toMatchObject({ code: codes[i] });
      await expect(c.instance.clearCredentials({ provider: "tiktok" })).rejects.toMatchObject({
        code: codes[i],
      });
    }
    expect(await h.db.select().from(instanceCredentials)).toEqual([]);
  });
});

describe("app credentials", () => {
  const admin = () => callerFor(h.db, first);

  it("start from the environment", async () => {
    const list = await admin().instance.credentials();
    expect(list.find((v) => v.provider === "tiktok")).toMatchObject({
      source: "environment",
      environmentSet: true,
    });
    expect(list.find((v) => v.provider === "google")).toMatchObject({ source: null, environmentSet: false });
    expect(await getAppCredentials(h.db, "tiktok")).toEqual({
      clientKey: "env-tiktok-key",
      clientSecret: "env-tiktok-secret",
    });
  });

  it("saved ones win, sealed at rest and never returned; TikTok connect uses them", async () => {
    const view = await admin().instance.updateCredentials({
      provider: "tiktok",
      values: { clientKey: "saved-tiktok-key", clientSecret: SECRET },
    });
    expect(view).toMatchObject({
      source: "instance",
      values: { clientKey: "saved-tiktok-key" },
      secretsSet: { clientSecret: true },
    });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(await admin().instance.credentials())).not.toContain(SECRET);
    const [row] = await h.db
      .select()
      .from(instanceCredentials)
      .where(eq(instanceCredentials.provider, "tiktok"));
    expect(row?.sealed).toMatch(/^v1\./);
    expect(row?.sealed).not.toContain(SECRET);
    expect(row?.sealed).not.toContain("saved-tiktok-key");
    expect(await getAppCredentials(h.db, "tiktok")).toEqual({
      clientKey: "saved-tiktok-key",
      clientSecret: SECRET,
    });

    // A workspace admin's Connect goes to TikTok with the saved key.
    const ws = await createWorkspace(h.db, second, { name: "Connector" });
    const { url } = await callerFor(h.db, second).integrations.connect({
      workspaceId: ws.id,
      provider: "tiktok",
    });
    expect(new URL(url).searchParams.get("client_key")).toBe("saved-tiktok-key");
  });

  it("an empty secret keeps the saved one; a missing field is refused and changes nothing", async () => {
    await admin().instance.updateCredentials({
      provider: "tiktok",
      values: { clientKey: "renamed-key", clientSecret: "" },
    });
    expect(await getAppCredentials(h.db, "tiktok")).toEqual({
      clientKey: "renamed-key",
      clientSecret: SECRET,
    });
    const before = await h.db.select().from(instanceCredentials);
    await expect(
      admin().instance.updateCredentials({
        provider: "amazon",
        values: { clientId: "amzn", clientSecret: "x" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "Enter the app id" });
    await expect(
      admin().instance.updateCredentials({ provider: "tiktok", values: { clientKey: "k", bogus: "x" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      admin().instance.updateCredentials({ provider: "nope" as "tiktok", values: {} }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await h.db.select().from(instanceCredentials)).toEqual(before);
  });

  it("clearing goes back to the environment's", async () => {
    const view = await admin().instance.clearCredentials({ provider: "tiktok" });
    expect(view.source).toBe("environment");
    expect((await getAppCredentials(h.db, "tiktok"))?.clientKey).toBe("env-tiktok-key");
  });

  it("Gmail is available once an admin saves the Google app", async () => {
    const ws = await createWorkspace(h.db, first, { name: "Gmail shop" });
    const mail = () => callerFor(h.db, first).email.sender.mailServer({ workspaceId: ws.id });
    expect((await mail()).gmail.available).toBe(false);
    await admin().instance.updateCredentials({
      provider: "google",
      values: { clientId: "google-client.apps.googleusercontent.com", clientSecret: "google-secret" },
    });
    expect((await mail()).gmail.available).toBe(true);
  });
});
