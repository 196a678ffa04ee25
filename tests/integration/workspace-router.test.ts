import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDb } from "../helpers/db";
import { callerFor, createUser, twoWorkspaces } from "../helpers/fixtures";
import {
  activityOf,
  callOverHttp,
  uniqueSlug,
  workspaceRow,
  workspacesOwnedBy,
} from "../helpers/more-fixtures";

const h = await setupTestDb();
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("workspace.list", () => {
  it("lists only the caller's workspaces, with the caller's role, sorted by name", async () => {
    const user = await createUser(h.db);
    const caller = callerFor(h.db, user);
    const zed = await caller.workspace.create({ name: "Zed Works" });
    const alpha = await caller.workspace.create({ name: "Alpha Works" });
    await callerFor(h.db, f.owner).workspace.members.list({ workspaceId: f.ws.id });

    const list = await caller.workspace.list();
    expect(list.map((w) => w.id)).toEqual([alpha.id, zed.id]);
    expect(list.every((w) => w.role === "owner")).toBe(true);
    expect(list.map((w) => w.id)).not.toContain(f.ws.id);
  });

  it("shows each member their own role", async () => {
    const roles = await Promise.all(
      [f.owner, f.admin, f.member, f.viewer].map(async (u) => {
        const list = await callerFor(h.db, u).workspace.list();
        return list.find((w) => w.id === f.ws.id)?.role;
      }),
    );
    expect(roles).toEqual(["owner", "admin", "member", "viewer"]);
    const theirs = await callerFor(h.db, f.otherOwner).workspace.list();
    expect(theirs.map((w) => w.id)).toEqual([f.other.id]);
  });

  it("is empty for a user in no workspace", async () => {
    const loner = await createUser(h.db);
    await expect(callerFor(h.db, loner).workspace.list()).resolves.toEqual([]);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expect(callerFor(h.db, null).workspace.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("workspace.get", () => {
  it("finds a workspace by slug and by id, with the caller's role", async () => {
    const bySlug = await callerFor(h.db, f.viewer).workspace.get({ slug: f.ws.slug });
    expect(bySlug).toMatchObject({ id: f.ws.id, slug: f.ws.slug, name: f.ws.name, role: "viewer" });
    const byId = await callerFor(h.db, f.admin).workspace.get({ id: f.ws.id });
    expect(byId).toMatchObject({ id: f.ws.id, slug: f.ws.slug, role: "admin" });
  });

  it("normalizes the slug's case before looking it up", async () => {
    const ws = await callerFor(h.db, f.owner).workspace.get({ slug: f.ws.slug.toUpperCase() });
    expect(ws.id).toBe(f.ws.id);
  });

  it("is NOT_FOUND for a workspace the caller is not in, by slug and by id", async () => {
    const outsider = callerFor(h.db, f.otherOwner);
    await expect(outsider.workspace.get({ slug: f.ws.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.workspace.get({ id: f.ws.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers the same NOT_FOUND for a foreign workspace as for one that does not exist", async () => {
    const foreign = await callOverHttp(h.db, f.otherOwner, {
      type: "query",
      path: "workspace.get",
      input: { id: f.ws.id },
    });
    const missing = await callOverHttp(h.db, f.otherOwner, {
      type: "query",
      path: "workspace.get",
      input: { id: randomUUID() },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.error?.message).toBe(missing.error?.message);
    expect(foreign.raw).not.toContain(f.ws.name);
    expect(foreign.raw).not.toContain(f.ws.slug);
  });

  it("refuses a malformed slug or id with BAD_REQUEST", async () => {
    const caller = callerFor(h.db, f.owner);
    await expect(caller.workspace.get({ slug: "no spaces allowed" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Use lowercase letters, digits and dashes"),
    });
    await expect(caller.workspace.get({ id: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expect(callerFor(h.db, null).workspace.get({ slug: f.ws.slug })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});

describe("workspace.create", () => {
  it("makes the creator the owner and logs workspace.created with the caller's ip and agent", async () => {
    const user = await createUser(h.db, { name: "Founder" });
    const caller = callerFor(h.db, user, { "x-forwarded-for": "198.51.100.4", "user-agent": "founder-ua" });
    const ws = await caller.workspace.create({ name: "  Founders Inc  ", timeZone: "Europe/Paris" });
    expect(ws).toMatchObject({ name: "Founders Inc", ownerId: user.id, timeZone: "Europe/Paris" });

    const members = await caller.workspace.members.list({ workspaceId: ws.id });
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ role: "owner", user: { id: user.id, email: user.email } });

    const logs = await activityOf(h.db, ws.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      action: "workspace.created",
      userId: user.id,
      entityType: "workspace",
      entityId: ws.id,
      metadata: { name: "Founders Inc", slug: ws.slug },
      ipAddress: "198.51.100.4",
      userAgent: "founder-ua",
    });
  });

  it("defaults the time zone to UTC", async () => {
    const ws = await callerFor(h.db, f.owner).workspace.create({ name: "No Zone" });
    expect(ws.timeZone).toBe("UTC");
  });

  it("derives the slug from the name and deduplicates it", async () => {
    const tag = randomUUID().slice(0, 6);
    const caller = callerFor(h.db, await createUser(h.db));
    const first = await caller.workspace.create({ name: `Acme ${tag}` });
    const second = await caller.workspace.create({ name: `ACME ${tag}!` });
    const third = await callerFor(h.db, f.otherOwner).workspace.create({ name: `acme ${tag}` });
    expect([first.slug, second.slug, third.slug]).toEqual([`acme-${tag}`, `acme-${tag}-2`, `acme-${tag}-3`]);
  });

  it("deduplicates the derived slug even when the same name is created concurrently", async () => {
    // A double-submitted form, or two people naming a workspace "Marketing" at once: nobody chose a
    // slug, so nobody should get "That slug is already taken".
    const user = await createUser(h.db);
    const name = `Race ${randomUUID().slice(0, 6)}`;
    const results = await Promise.allSettled(
      [0, 1, 2].map(() => callerFor(h.db, user).workspace.create({ name })),
    );
    expect(results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"))).toEqual([
      "ok",
      "ok",
      "ok",
    ]);
    const slugs = (await workspacesOwnedBy(h.db, user.id)).map((w) => w.slug);
    expect(new Set(slugs).size).toBe(3);
  });

  it("slugifies accents and symbols, and never hands out a reserved slug", async () => {
    const tag = randomUUID().slice(0, 6);
    const caller = callerFor(h.db, await createUser(h.db));
    const accented = await caller.workspace.create({ name: `Café Crème & Co ${tag}` });
    expect(accented.slug).toBe(`cafe-creme-co-${tag}`);
    const reserved = await caller.workspace.create({ name: "API" });
    expect(reserved.slug).toMatch(/^workspace-api(-\d+)?$/);
  });

  it("keeps an explicit slug", async () => {
    const slug = uniqueSlug("mine");
    const ws = await callerFor(h.db, f.owner).workspace.create({ name: "Whatever", slug });
    expect(ws.slug).toBe(slug);
    await expect(callerFor(h.db, f.owner).workspace.get({ slug })).resolves.toMatchObject({ id: ws.id });
  });

  it("refuses an explicit duplicate slug with CONFLICT and a slug field error, creating nothing", async () => {
    const user = await createUser(h.db);
    const res = await callOverHttp(h.db, user, {
      type: "mutation",
      path: "workspace.create",
      input: { name: "Copycat", slug: f.ws.slug },
    });
    expect(res.status).toBe(409);
    expect(res.error?.data.code).toBe("CONFLICT");
    expect(res.error?.data.fieldErrors).toEqual({ slug: ["That slug is already taken"] });
    await expect(
      callerFor(h.db, user).workspace.create({ name: "Copycat", slug: f.ws.slug }),
    ).rejects.toMatchObject({ code: "CONFLICT", cause: { fieldErrors: { slug: expect.any(Array) } } });
    expect(await workspacesOwnedBy(h.db, user.id)).toEqual([]);
    await expect(callerFor(h.db, user).workspace.list()).resolves.toEqual([]);
  });

  it("refuses a reserved or malformed explicit slug with BAD_REQUEST and the field message", async () => {
    const user = await createUser(h.db);
    const res = await callOverHttp(h.db, user, {
      type: "mutation",
      path: "workspace.create",
      input: { name: "Routes", slug: "api" },
    });
    expect(res.status).toBe(400);
    expect(res.error?.data.zodError?.fieldErrors.slug).toEqual(["That slug is reserved"]);
    await expect(callerFor(h.db, user).workspace.create({ name: "X", slug: "-bad-" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("not at the start or end"),
    });
    await expect(callerFor(h.db, user).workspace.create({ name: "X", slug: "a" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Slug must be at least 2 characters"),
    });
    expect(await workspacesOwnedBy(h.db, user.id)).toEqual([]);
  });

  it("refuses a blank name and an unknown time zone, creating nothing", async () => {
    const user = await createUser(h.db);
    const caller = callerFor(h.db, user);
    await expect(caller.workspace.create({ name: "   " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Name is required"),
    });
    await expect(
      caller.workspace.create({ name: "Zoned", timeZone: "Mars/Olympus_Mons" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("Unknown time zone") });
    expect(await workspacesOwnedBy(h.db, user.id)).toEqual([]);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    const slug = uniqueSlug("anon");
    await expect(callerFor(h.db, null).workspace.create({ name: "Anon", slug })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(callerFor(h.db, f.owner).workspace.get({ slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("workspace.update", () => {
  it("renames the workspace for an admin and logs it", async () => {
    const updated = await callerFor(h.db, f.admin).workspace.update({
      workspaceId: f.ws.id,
      name: "Renamed",
    });
    expect(updated.name).toBe("Renamed");
    const activity = await callerFor(h.db, f.owner).workspace.activity.list({ workspaceId: f.ws.id });
    expect(activity.items[0]).toMatchObject({ action: "workspace.updated", user: { id: f.admin.id } });
    expect(activity.items[0]?.ipAddress).toBe("203.0.113.7");
    expect(activity.items[0]?.userAgent).toBe("vitest");
  });

  it("changes slug, time zone and logo together, and moves updated_at forward", async () => {
    const before = (await workspaceRow(h.db, f.ws.id))!;
    await tick();
    const slug = uniqueSlug("moved");
    const updated = await callerFor(h.db, f.owner).workspace.update({
      workspaceId: f.ws.id,
      slug,
      timeZone: "America/New_York",
      logoUrl: "https://cdn.example.com/logo.png",
    });
    expect(updated).toMatchObject({
      slug,
      timeZone: "America/New_York",
      logoUrl: "https://cdn.example.com/logo.png",
    });
    expect(updated.name).toBe(before.name);
    const after = (await workspaceRow(h.db, f.ws.id))!;
    expect(after.slug).toBe(slug);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    await expect(callerFor(h.db, f.viewer).workspace.get({ slug })).resolves.toMatchObject({ id: f.ws.id });
    await expect(callerFor(h.db, f.viewer).workspace.get({ slug: before.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("accepts a small uploaded image as a data URL and clears the logo with null", async () => {
    const png =
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    const set = await callerFor(h.db, f.admin).workspace.update({ workspaceId: f.ws.id, logoUrl: png });
    expect(set.logoUrl).toBe(png);
    const cleared = await callerFor(h.db, f.admin).workspace.update({ workspaceId: f.ws.id, logoUrl: null });
    expect(cleared.logoUrl).toBeNull();
  });

  it("accepts a logo the size the settings page uploads and refuses one over 150 KB", async () => {
    // components/settings/resize-image.ts sends data URLs up to MAX_DATA_URL_LENGTH (200,000 chars).
    const logo = `data:image/png;base64,${"A".repeat(40_000)}`;
    const updated = await callerFor(h.db, f.owner).workspace.update({ workspaceId: f.ws.id, logoUrl: logo });
    expect(updated.logoUrl).toBe(logo);
    await expect(
      callerFor(h.db, f.owner).workspace.update({
        workspaceId: f.ws.id,
        logoUrl: `data:image/png;base64,${"A".repeat(200_001)}`,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("under 150 KB") });
  });

  it("refuses logos that are neither http(s) nor data:image, changing nothing", async () => {
    const before = (await workspaceRow(h.db, f.ws.id))!;
    const caller = callerFor(h.db, f.owner);
    for (const logoUrl of [
      "javascript:alert(1)",
      "ftp://example.com/logo.png",
      "data:text/html;base64,PHNjcmlwdD4=",
      "data:image/svg+xml;base64,PHN2Zz4=",
    ]) {
      await expect(caller.workspace.update({ workspaceId: f.ws.id, logoUrl })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("Logo must be an http(s) URL or an uploaded image"),
      });
    }
    expect((await workspaceRow(h.db, f.ws.id))?.logoUrl).toBe(before.logoUrl);
  });

  it("refuses an unknown time zone with the field message and changes nothing", async () => {
    const before = (await workspaceRow(h.db, f.ws.id))!;
    const res = await callOverHttp(h.db, f.owner, {
      type: "mutation",
      path: "workspace.update",
      input: { workspaceId: f.ws.id, timeZone: "Europe/Atlantis" },
    });
    expect(res.status).toBe(400);
    expect(res.error?.data.zodError?.fieldErrors.timeZone).toEqual(["Unknown time zone"]);
    expect(await workspaceRow(h.db, f.ws.id)).toEqual(before);
  });

  it("refuses an invalid slug with a field message and changes nothing", async () => {
    await expect(
      callerFor(h.db, f.owner).workspace.update({ workspaceId: f.ws.id, slug: "Not A Slug!" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const ws = await callerFor(h.db, f.owner).workspace.get({ id: f.ws.id });
    expect(ws.slug).toBe((await workspaceRow(h.db, f.ws.id))?.slug);
    await expect(
      callerFor(h.db, f.owner).workspace.update({ workspaceId: f.ws.id, slug: "sign-in" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("That slug is reserved"),
    });
  });

  it("refuses an empty update", async () => {
    await expect(callerFor(h.db, f.owner).workspace.update({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Nothing to update"),
    });
  });

  it("refuses another workspace's slug with CONFLICT and a slug field error", async () => {
    const before = (await workspaceRow(h.db, f.ws.id))!;
    const res = await callOverHttp(h.db, f.owner, {
      type: "mutation",
      path: "workspace.update",
      input: { workspaceId: f.ws.id, slug: f.other.slug },
    });
    expect(res.status).toBe(409);
    expect(res.error?.data.fieldErrors).toEqual({ slug: ["That slug is already taken"] });
    expect(await workspaceRow(h.db, f.ws.id)).toEqual(before);
    expect((await workspaceRow(h.db, f.other.id))?.slug).toBe(f.other.slug);
  });

  it("is NOT_FOUND for a member of another workspace", async () => {
    const before = await workspaceRow(h.db, f.ws.id);
    await expect(
      callerFor(h.db, f.otherOwner).workspace.update({ workspaceId: f.ws.id, name: "Hijack" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      callerFor(h.db, f.otherOwner).workspace.update({ workspaceId: randomUUID(), name: "Ghost" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await workspaceRow(h.db, f.ws.id)).toEqual(before);
  });

  it("is FORBIDDEN for a member and a viewer", async () => {
    const before = await workspaceRow(h.db, f.ws.id);
    for (const user of [f.member, f.viewer]) {
      await expect(
        callerFor(h.db, user).workspace.update({ workspaceId: f.ws.id, name: "Nope" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await workspaceRow(h.db, f.ws.id)).toEqual(before);
  });

  it("is UNAUTHORIZED when signed out", async () => {
    await expect(
      callerFor(h.db, null).workspace.update({ workspaceId: f.ws.id, name: "x" }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
