import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLogs, users } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser } from "../helpers/fixtures";
import { callOverHttp } from "../helpers/more-fixtures";

const h = await setupTestDb();

async function userRow(id: string) {
  const [row] = await h.db.select().from(users).where(eq(users.id, id));
  return row!;
}

describe("auth.session", () => {
  it("is null when signed out", async () => {
    await expect(callerFor(h.db, null).auth.session()).resolves.toBeNull();
  });

  it("returns the signed-in user", async () => {
    const user = await createUser(h.db, { name: "Sessioned" });
    await expect(callerFor(h.db, user).auth.session()).resolves.toEqual({ user });
  });
});

describe("auth.profile", () => {
  it("returns the caller's own profile", async () => {
    const user = await createUser(h.db, { name: "Profiled" });
    await createUser(h.db, { name: "Someone else" });
    const profile = await callerFor(h.db, user).auth.profile();
    expect(profile).toMatchObject({ id: user.id, email: user.email, name: "Profiled", avatarUrl: null });
    expect(profile.createdAt).toBeInstanceOf(Date);
    // Their own verification status: the dashboard shows a "verify your address" notice from it.
    expect(profile.emailVerified).toBe(true);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expect(callerFor(h.db, null).auth.profile()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("auth.updateProfile", () => {
  it("updates name and avatar, trims, and logs an account-level activity", async () => {
    const user = await createUser(h.db, { name: "Before" });
    const updated = await callerFor(h.db, user, { "x-forwarded-for": "192.0.2.9" }).auth.updateProfile({
      name: "  After  ",
      avatarUrl: "https://images.example.com/me.png",
    });
    expect(updated).toEqual({
      id: user.id,
      email: user.email,
      name: "After",
      avatarUrl: "https://images.example.com/me.png",
    });
    expect(await userRow(user.id)).toMatchObject({
      name: "After",
      avatarUrl: "https://images.example.com/me.png",
    });
    const logs = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.userId, user.id), isNull(activityLogs.workspaceId)));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      action: "user.profile_updated",
      entityId: user.id,
      ipAddress: "192.0.2.9",
      metadata: { fields: ["name", "avatarUrl"] },
    });
  });

  it("changes only the fields given, and clears the avatar with null", async () => {
    const user = await createUser(h.db, { name: "Keep" });
    const caller = callerFor(h.db, user);
    await caller.auth.updateProfile({ avatarUrl: "http://img.example.com/a.png" });
    expect(await userRow(user.id)).toMatchObject({ name: "Keep", avatarUrl: "http://img.example.com/a.png" });
    await caller.auth.updateProfile({ name: "Renamed" });
    expect(await userRow(user.id)).toMatchObject({
      name: "Renamed",
      avatarUrl: "http://img.example.com/a.png",
    });
    await caller.auth.updateProfile({ avatarUrl: null });
    expect(await userRow(user.id)).toMatchObject({ name: "Renamed", avatarUrl: null });
  });

  it("refuses an empty name with the field message and changes nothing", async () => {
    const user = await createUser(h.db, { name: "Stays" });
    const before = await userRow(user.id);
    const res = await callOverHttp(h.db, user, {
      type: "mutation",
      path: "auth.updateProfile",
      input: { name: "   " },
    });
    expect(res.status).toBe(400);
    expect(res.error?.data.zodError?.fieldErrors.name).toEqual(["Name is required"]);
    await expect(callerFor(h.db, user).auth.updateProfile({ name: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Name is required"),
    });
    expect(await userRow(user.id)).toEqual(before);
  });

  it("refuses an avatar that is not an http(s) URL and changes nothing", async () => {
    const user = await createUser(h.db, { name: "Safe" });
    const before = await userRow(user.id);
    for (const avatarUrl of [
      "javascript:alert(1)",
      "data:image/png;base64,AAAA",
      "ftp://example.com/a.png",
      "/me.png",
    ]) {
      await expect(callerFor(h.db, user).auth.updateProfile({ avatarUrl })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("Avatar must be an http(s) URL"),
      });
    }
    expect(await userRow(user.id)).toEqual(before);
  });

  it("refuses an empty update", async () => {
    const user = await createUser(h.db);
    await expect(callerFor(h.db, user).auth.updateProfile({})).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Nothing to update"),
    });
  });

  it("only ever touches the caller's own row", async () => {
    const user = await createUser(h.db, { name: "Me" });
    const other = await createUser(h.db, { name: "Not me" });
    const before = await userRow(other.id);
    await callerFor(h.db, user).auth.updateProfile({ name: "Me again", id: other.id } as never);
    expect(await userRow(other.id)).toEqual(before);
    expect((await userRow(user.id)).name).toBe("Me again");
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expect(callerFor(h.db, null).auth.updateProfile({ name: "Ghost" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
