import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { content, emailCampaigns, workspaces } from "@/server/db/schema";
import { call, setupRest } from "./rest-helpers";

const { h, f, keyA, readA, keyB } = await setupRest();

const future = () => new Date(Date.now() + 3 * 86_400_000).toISOString();

async function contentCount() {
  const [r] = await h.db.select({ n: count() }).from(content).where(eq(content.workspaceId, f.ws.id));
  return r!.n;
}

describe("content", () => {
  it("creates a draft and a scheduled item, lists, gets, patches, publishes and deletes", async () => {
    const draft = await call("POST", "/content", {
      key: keyA,
      body: { type: "blog", title: "Ferns", body: "# Ferns" },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ type: "blog", title: "Ferns", status: "draft", scheduledAt: null });
    const when = future();
    const scheduled = await call("POST", "/content", {
      key: keyA,
      // An email item needs its segment (and sender settings) to be scheduled: email-content.test.ts.
      body: { type: "blog", title: "Launch", scheduledAt: when },
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.status).toBe("scheduled");
    expect(new Date(scheduled.body.scheduledAt).toISOString()).toBe(when);

    const list = await call("GET", "/content?limit=1", { key: readA });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    const page2 = await call("GET", `/content?limit=1&cursor=${list.body.nextCursor}`, { key: readA });
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.data[0].id).not.toBe(list.body.data[0].id);
    expect(page2.body.nextCursor).toBeNull();
    expect(
      (await call("GET", "/content?status=draft", { key: readA })).body.data.map((c: { id: string }) => c.id),
    ).toEqual([draft.body.id]);

    const got = await call("GET", `/content/${draft.body.id}`, { key: readA });
    expect(got.body).toMatchObject({ id: draft.body.id, title: "Ferns" });
    const patched = await call("PATCH", `/content/${draft.body.id}`, {
      key: keyA,
      body: { title: "More ferns" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.title).toBe("More ferns");

    const published = await call("POST", `/content/${draft.body.id}/publish`, { key: keyA });
    expect(published.status).toBe(202);
    expect(published.body.status).toBe("scheduled");

    const del = await call("DELETE", `/content/${scheduled.body.id}`, { key: keyA });
    expect(del.status).toBe(204);
    expect((await call("GET", `/content/${scheduled.body.id}`, { key: readA })).status).toBe(404);
  });

  it("refuses bad input (past date, unknown type, missing subject) and changes nothing", async () => {
    const before = await contentCount();
    const past = await call("POST", "/content", {
      key: keyA,
      body: { type: "blog", title: "Old", scheduledAt: "2001-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ path: "scheduledAt", message: "Must be in the future" }]);
    const notDate = await call("POST", "/content", {
      key: keyA,
      body: { type: "blog", title: "X", scheduledAt: "soon" },
    });
    expect(notDate.status).toBe(400);
    expect(notDate.body.errors[0].path).toBe("scheduledAt");
    const noSubject = await call("POST", "/content", { key: keyA, body: { type: "email", title: "X" } });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.errors[0].path).toBe("email");
    const unknown = await call("POST", "/content", { key: keyA, body: { type: "fax", title: "X" } });
    expect(unknown.status).toBe(400);
    // A TikTok post cannot be scheduled without a video, nor without a TikTok connection.
    const noVideo = await call("POST", "/content", {
      key: keyA,
      body: { type: "tiktok", title: "Clip", scheduledAt: future() },
    });
    expect(noVideo.status).toBe(400);
    expect(noVideo.body.errors).toEqual([
      { path: "tiktok.video", message: "Add a video to this TikTok post before publishing" },
    ]);
    const noAccount = await call("POST", "/content", {
      key: keyA,
      body: {
        type: "tiktok",
        title: "Clip",
        scheduledAt: future(),
        tiktok: { videoUrl: "https://videos.example.com/clip.mp4" },
      },
    });
    expect(noAccount.status).toBe(400);
    expect(noAccount.body.errors[0].message).toMatch(/^Connect a TikTok account in Integrations/);
    expect(await contentCount()).toBe(before);
    const draft = await call("POST", "/content", { key: keyA, body: { type: "tiktok", title: "Clip" } });
    expect(draft.status).toBe(201);
    const publish = await call("POST", `/content/${draft.body.id}/publish`, { key: keyA });
    expect(publish.status).toBe(400);
    expect(publish.body.errors[0].path).toBe("tiktok.video");
    expect((await call("GET", `/content/${draft.body.id}`, { key: keyA })).body.status).toBe("draft");
  });

  it("hides content from another workspace's key, and refuses read-only keys on writes", async () => {
    const mine = await call("POST", "/content", { key: keyA, body: { type: "blog", title: "Mine" } });
    expect((await call("GET", `/content/${mine.body.id}`, { key: keyB })).status).toBe(404);
    expect(
      (await call("PATCH", `/content/${mine.body.id}`, { key: keyB, body: { title: "Theirs" } })).status,
    ).toBe(404);
    expect((await call("POST", `/content/${mine.body.id}/publish`, { key: keyB })).status).toBe(404);
    expect((await call("DELETE", `/content/${mine.body.id}`, { key: keyB })).status).toBe(404);
    expect(JSON.stringify((await call("GET", "/content", { key: keyB })).body)).not.toContain(mine.body.id);
    expect((await call("POST", "/content", { key: readA, body: { type: "blog", title: "RO" } })).status).toBe(
      403,
    );
    expect((await call("GET", `/content/${mine.body.id}`, { key: readA })).body.title).toBe("Mine");
  });
});

describe("workspace and campaigns", () => {
  const campaignBody = {
    type: "one-time",
    name: "November news",
    steps: [{ subject: "Hello", body: "Hi {{name}}" }],
  };

  it("gets the key's workspace; a campaign cannot be sent before the sender settings are set", async () => {
    const ws = await call("GET", "/workspace", { key: readA });
    expect(ws.status).toBe(200);
    expect(ws.body).toMatchObject({ id: f.ws.id, name: "Workspace A", sender: null, timeZone: "UTC" });
    expect((await call("GET", "/workspace", { key: keyB })).body.id).toBe(f.other.id);

    const created = await call("POST", "/campaigns", { key: keyA, body: campaignBody });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "November news", status: "draft", type: "one-time" });
    const refused = await call("POST", `/campaigns/${created.body.id}/send`, { key: keyA });
    expect(refused.status).toBe(412);
    expect(refused.body.code).toBe("precondition_failed");
  });

  it("PATCH /workspace: needs write scope, validates, needs complete sender settings the first time", async () => {
    expect(
      (await call("PATCH", "/workspace", { key: readA, body: { timeZone: "Europe/Paris" } })).status,
    ).toBe(403);
    const partial = await call("PATCH", "/workspace", { key: keyA, body: { fromName: "Ferns" } });
    expect(partial.status).toBe(400);
    expect(partial.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["fromEmail", "postalAddress"]),
    );
    const badTz = await call("PATCH", "/workspace", {
      key: keyA,
      body: {
        fromName: "Ferns",
        fromEmail: "hi@ferns.example",
        postalAddress: "1 Leaf Lane, Greenville",
        timeZone: "Mars/Olympus",
      },
    });
    expect(badTz.status).toBe(400);
    expect(badTz.body.errors[0].path).toBe("timeZone");
    const unknown = await call("PATCH", "/workspace", { key: keyA, body: { name: "Renamed" } });
    expect(unknown.status).toBe(400);
    const [row] = await h.db.select().from(workspaces).where(eq(workspaces.id, f.ws.id));
    expect(row!.timeZone).toBe("UTC");
    expect(row!.settings.sender).toBeUndefined();

    const ok = await call("PATCH", "/workspace", {
      key: keyA,
      body: {
        fromName: "Ferns",
        fromEmail: "Hi@Ferns.example",
        postalAddress: "1 Leaf Lane, Greenville 12345",
        timeZone: "Europe/Paris",
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      timeZone: "Europe/Paris",
      sender: {
        fromName: "Ferns",
        fromEmail: "hi@ferns.example",
        postalAddress: "1 Leaf Lane, Greenville 12345",
      },
    });
    const again = await call("PATCH", "/workspace", { key: keyA, body: { fromName: "Ferns & Co" } });
    expect(again.body.sender).toMatchObject({ fromName: "Ferns & Co", fromEmail: "hi@ferns.example" });
    // B's workspace is untouched.
    const [b] = await h.db.select().from(workspaces).where(eq(workspaces.id, f.other.id));
    expect(b!.settings.sender).toBeUndefined();
  });

  it("lists, gets with stats and sends a campaign (202); other workspace's key gets 404", async () => {
    await call("POST", "/leads", { key: keyA, body: { email: "reader@example.com" } });
    const created = await call("POST", "/campaigns", {
      key: keyA,
      body: { ...campaignBody, name: "Send me" },
    });
    const id = created.body.id as string;
    const list = await call("GET", "/campaigns?limit=1", { key: readA });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.nextCursor).not.toBeNull();
    const got = await call("GET", `/campaigns/${id}`, { key: readA });
    expect(got.status).toBe(200);
    expect(got.body.campaign).toMatchObject({ id, name: "Send me" });
    expect(got.body.stats).toBeTypeOf("object");

    expect((await call("GET", `/campaigns/${id}`, { key: keyB })).status).toBe(404);
    expect((await call("POST", `/campaigns/${id}/send`, { key: keyB })).status).toBe(404);
    expect((await call("POST", `/campaigns/${id}/send`, { key: readA })).status).toBe(403);

    const sent = await call("POST", `/campaigns/${id}/send`, { key: keyA });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ id, queued: 1 });
    const again = await call("POST", `/campaigns/${id}/send`, { key: keyA });
    expect(again.status).toBe(409);
    await h.queue.drain(20_000).catch(() => {});
  });

  it("refuses an invalid campaign with field errors and creates nothing", async () => {
    const [before] = await h.db
      .select({ n: count() })
      .from(emailCampaigns)
      .where(eq(emailCampaigns.workspaceId, f.ws.id));
    const bad = await call("POST", "/campaigns", {
      key: keyA,
      body: { type: "one-time", name: "", steps: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["name", "steps"]),
    );
    const [after] = await h.db
      .select({ n: count() })
      .from(emailCampaigns)
      .where(eq(emailCampaigns.workspaceId, f.ws.id));
    expect(after!.n).toBe(before!.n);
  });
});

describe("analytics and jobs", () => {
  it("answers the overview for from/to, and refuses bad dates", async () => {
    const ok = await call("GET", "/analytics/overview?from=2026-01-01&to=2026-01-31&compare=false", {
      key: readA,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toBeTypeOf("object");
    const preset = await call("GET", "/analytics/overview", { key: readA });
    expect(preset.status).toBe(200);
    const bad = await call("GET", "/analytics/overview?from=2026-02-30&to=2026-03-01", { key: readA });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("query.from");
    const half = await call("GET", "/analytics/overview?from=2026-01-01", { key: readA });
    expect(half.status).toBe(400);
  });

  it("answers 404 for an unknown job and 400 for a bad id", async () => {
    expect((await call("GET", "/jobs/00000000-0000-4000-8000-000000000000", { key: readA })).status).toBe(
      404,
    );
    expect((await call("GET", "/jobs/x", { key: readA })).status).toBe(400);
  });
});
