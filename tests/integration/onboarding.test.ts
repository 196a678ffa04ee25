import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { activityLogs, content, integrations, jobRuns, signupForms, workspaces } from "@/server/db/schema";
import { setupTestDb } from "../helpers/db";
import { addMember, callerFor, createUser, createWorkspace, twoWorkspaces } from "../helpers/fixtures";

/**
 * The Overview's getting-started checklist: every step is read from the workspace's own rows
 * (never from another workspace's), hiding it is for admins and remembered in the workspace's
 * settings, and a step of a switched-off part is left out.
 */
const h = await setupTestDb({ ownDatabase: true });
let f: Awaited<ReturnType<typeof twoWorkspaces>>;

beforeAll(async () => {
  f = await twoWorkspaces(h.db);
});

const savedEmailFlag = process.env.ENABLE_EMAIL_MARKETING;
afterEach(() => {
  if (savedEmailFlag === undefined) delete process.env.ENABLE_EMAIL_MARKETING;
  else process.env.ENABLE_EMAIL_MARKETING = savedEmailFlag;
  resetEnvCache();
});

const doneKeys = (c: { steps: { key: string; done: boolean }[] }) =>
  c.steps.filter((s) => s.done).map((s) => s.key);

describe("onboarding checklist", () => {
  it("starts at 0 of 5 and ticks each step from real rows, only the workspace's own", async () => {
    const owner = callerFor(h.db, f.owner);
    const start = await owner.onboarding.checklist({ workspaceId: f.ws.id });
    expect(start.steps.map((s) => [s.key, s.path])).toEqual([
      ["sending", "/settings/sending"],
      ["leads", "/leads/import"],
      ["form", "/settings/forms"],
      ["integration", "/integrations"],
      ["post", "/content/new"],
    ]);
    expect(start).toMatchObject({ doneCount: 0, hidden: false, complete: false });

    // Everything done in workspace B ticks nothing in A.
    const b = f.other.id;
    await callerFor(h.db, f.otherOwner).leads.create({ workspaceId: b, email: "b@example.test" });
    await h.db.insert(signupForms).values({ workspaceId: b, slug: "b-form", name: "B" });
    await h.db.insert(integrations).values({ workspaceId: b, provider: "tiktok" });
    await h.db
      .insert(content)
      .values({ workspaceId: b, type: "blog", status: "scheduled", title: "B", scheduledAt: new Date() });
    await h.db.insert(jobRuns).values({ workspaceId: b, kind: "import-leads" });
    expect((await owner.onboarding.checklist({ workspaceId: f.ws.id })).doneCount).toBe(0);
    expect((await callerFor(h.db, f.otherOwner).onboarding.checklist({ workspaceId: b })).doneCount).toBe(4);

    // A draft post and a disconnected integration are not done yet.
    await h.db.insert(content).values({ workspaceId: f.ws.id, type: "blog", title: "Draft" });
    await h.db
      .insert(integrations)
      .values({ workspaceId: f.ws.id, provider: "amazon", status: "disconnected" });
    await h.db.insert(integrations).values({ workspaceId: f.ws.id, provider: "openai" });
    expect((await owner.onboarding.checklist({ workspaceId: f.ws.id })).doneCount).toBe(0);

    await owner.leads.create({ workspaceId: f.ws.id, email: "ann@example.test", name: "Ann" });
    expect(doneKeys(await owner.onboarding.checklist({ workspaceId: f.ws.id }))).toEqual(["leads"]);

    await owner.email.sender.update({
      workspaceId: f.ws.id,
      fromName: "Ferns",
      fromEmail: "hello@ferns.example",
      replyTo: "",
      postalAddress: "1 Fern Lane, Leafton, 12345, Greenland",
      sendRatePerSecond: 10,
    } as never);
    await h.db.insert(signupForms).values({ workspaceId: f.ws.id, slug: "a-form", name: "A" });
    await h.db.update(integrations).set({ status: "connected" }).where(eq(integrations.workspaceId, f.ws.id));
    const almost = await owner.onboarding.checklist({ workspaceId: f.ws.id });
    expect(doneKeys(almost)).toEqual(["sending", "leads", "form", "integration"]);
    expect(almost).toMatchObject({ doneCount: 4, complete: false });

    await h.db.insert(content).values({
      workspaceId: f.ws.id,
      type: "blog",
      status: "published",
      title: "Out",
      publishedAt: new Date(),
    });
    const done = await callerFor(h.db, f.viewer).onboarding.checklist({ workspaceId: f.ws.id });
    expect(done).toMatchObject({ doneCount: 5, complete: true, hidden: false });
  });

  it("counts a lead import that ran even when it added no lead", async () => {
    const owner = await createUser(h.db, { name: "Importer" });
    const ws = await createWorkspace(h.db, owner);
    const caller = callerFor(h.db, owner);
    expect(doneKeys(await caller.onboarding.checklist({ workspaceId: ws.id }))).toEqual([]);
    await h.db.insert(jobRuns).values({ workspaceId: ws.id, kind: "import-leads", status: "failed" });
    expect(doneKeys(await caller.onboarding.checklist({ workspaceId: ws.id }))).toEqual(["leads"]);
  });

  it("leaves out the sending step while email marketing is off", async () => {
    process.env.ENABLE_EMAIL_MARKETING = "false";
    resetEnvCache();
    const c = await callerFor(h.db, f.owner).onboarding.checklist({ workspaceId: f.ws.id });
    expect(c.steps.map((s) => s.key)).toEqual(["leads", "form", "integration", "post"]);
  });

  it("lets an admin hide it for the whole workspace, remembered in the settings", async () => {
    const owner = await createUser(h.db, { name: "Hider" });
    const ws = await createWorkspace(h.db, owner);
    const member = await addMember(h.db, ws.id, "member");
    const admin = await addMember(h.db, ws.id, "admin");

    await expect(callerFor(h.db, member.user).onboarding.hide({ workspaceId: ws.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await callerFor(h.db, owner).onboarding.checklist({ workspaceId: ws.id })).hidden).toBe(false);

    const hidden = await callerFor(h.db, admin.user).onboarding.hide({ workspaceId: ws.id });
    expect(hidden.hidden).toBe(true);
    expect((await callerFor(h.db, member.user).onboarding.checklist({ workspaceId: ws.id })).hidden).toBe(
      true,
    );
    const [row] = await h.db
      .select({ s: workspaces.settings })
      .from(workspaces)
      .where(eq(workspaces.id, ws.id));
    expect((row!.s as { onboarding?: { checklistHiddenAt?: string } }).onboarding?.checklistHiddenAt).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    const logged = await h.db.select().from(activityLogs).where(eq(activityLogs.workspaceId, ws.id));
    expect(logged.map((l) => l.action)).toContain("workspace.onboarding_hidden");
  });

  it("refuses another workspace with NOT_FOUND and hides nothing there", async () => {
    const owner = callerFor(h.db, f.owner);
    await expect(owner.onboarding.checklist({ workspaceId: f.other.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(owner.onboarding.hide({ workspaceId: f.other.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const b = await callerFor(h.db, f.otherOwner).onboarding.checklist({ workspaceId: f.other.id });
    expect(b.hidden).toBe(false);
    await expect(owner.onboarding.checklist({ workspaceId: "not-a-uuid" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
