import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { jobRuns, leads } from "@/server/db/schema";
import { AmazonNotConnectedError } from "@/server/services/integrations/amazon/connection";
import { AMAZON_ORDERS_SYNC_KIND, startOrdersSync } from "@/server/services/integrations/amazon/orders-sync";
import { upsertLeadByEmail } from "@/server/services/leads/upsert";
import { patchWorkspaceSettings } from "@/server/services/workspaces/settings-patch";
import { callerFor } from "../helpers/fixtures";
import { call, setupRest } from "./rest-helpers";

/**
 * The rules REST routes used to hold now live in services that REST and tRPC both call: the same
 * inputs give the same stored result and the same refusal through either edge, and each service
 * keeps to the workspace it is given.
 */

const { h, f, keyA } = await setupRest();
const actor = { userId: f.owner.id, ip: null, userAgent: "vitest" };
const wsA = { db: h.db, actor, workspaceId: f.ws.id };
const wsB = { db: h.db, actor: { ...actor, userId: f.otherOwner.id }, workspaceId: f.other.id };
const SENDER = { fromName: "Ferns", fromEmail: "hi@ferns.example", postalAddress: "1 Leaf Lane, Greenville" };

describe("patchWorkspaceSettings: REST PATCH /workspace and tRPC email.sender.update", () => {
  it("refuse the same bad address with the same words", async () => {
    const rest = await call("PATCH", "/workspace", {
      key: keyA,
      body: { ...SENDER, postalAddress: "short" },
    });
    expect(rest.status).toBe(400);
    await expect(
      callerFor(h.db, f.owner).email.sender.update({
        workspaceId: f.ws.id,
        ...SENDER,
        postalAddress: "short",
      }),
    ).rejects.toThrow(rest.body.errors[0].message);
    await expect(patchWorkspaceSettings(wsA, { ...SENDER, postalAddress: "short" })).rejects.toThrow(
      rest.body.errors[0].message,
    );
  });

  it("store the same settings; a REST patch changes only the fields it sends", async () => {
    const saved = await callerFor(h.db, f.owner).email.sender.update({ workspaceId: f.ws.id, ...SENDER });
    expect(saved).toEqual({ ...SENDER, replyTo: "", sendRatePerSecond: 10 });
    const patched = await call("PATCH", "/workspace", { key: keyA, body: { fromName: "Ferns & Co" } });
    expect(patched.status).toBe(200);
    expect(patched.body.sender).toEqual({ ...saved, fromName: "Ferns & Co" });
    expect(await callerFor(h.db, f.owner).email.sender.get({ workspaceId: f.ws.id })).toEqual(
      patched.body.sender,
    );
    // Workspace B saw none of it.
    expect(await callerFor(h.db, f.otherOwner).email.sender.get({ workspaceId: f.other.id })).toBeNull();
  });

  it("changes the time zone and the sender together, or neither", async () => {
    await expect(
      patchWorkspaceSettings(wsB, { fromName: "Only a name", timeZone: "Europe/Paris" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { fromEmail: expect.any(Array) } });
    const b = await callerFor(h.db, f.otherOwner).workspace.get({ id: f.other.id });
    expect(b.timeZone).toBe("UTC");
    await patchWorkspaceSettings(wsB, { ...SENDER, timeZone: "Europe/Paris" });
    const after = await callerFor(h.db, f.otherOwner).workspace.get({ id: f.other.id });
    expect(after.timeZone).toBe("Europe/Paris");
  });
});

describe("upsertLeadByEmail: what REST POST /leads calls", () => {
  const leadIn = async (workspaceId: string, email: string) =>
    (
      await h.db
        .select()
        .from(leads)
        .where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, email)))
    )[0];

  it("creates, then updates only the fields sent, in its own workspace", async () => {
    const rest = await call("POST", "/leads", {
      key: keyA,
      body: { email: "Grace@Example.com", name: "Grace", tags: ["navy"] },
    });
    expect(rest.status).toBe(201);
    const again = await upsertLeadByEmail(
      wsA,
      { email: "grace@example.com", status: "active", tags: ["cobol"], customFields: {} },
      ["email", "tags"],
    );
    expect(again.created).toBe(false);
    expect(again.lead).toMatchObject({ id: rest.body.id, name: "Grace", tags: ["cobol"] });
    // The same email in workspace B is B's own lead.
    const inB = await upsertLeadByEmail(wsB, {
      email: "grace@example.com",
      status: "active",
      tags: [],
      customFields: {},
    });
    expect(inB.created).toBe(true);
    expect(inB.lead.id).not.toBe(rest.body.id);
    expect((await leadIn(f.ws.id, "grace@example.com"))?.tags).toEqual(["cobol"]);
  });
});

describe("startOrdersSync: what tRPC amazon.syncNow calls", () => {
  it("refuses a workspace without Amazon connected, through both, and records no run", async () => {
    await expect(startOrdersSync(wsA)).rejects.toBeInstanceOf(AmazonNotConnectedError);
    await expect(callerFor(h.db, f.owner).amazon.syncNow({ workspaceId: f.ws.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: new AmazonNotConnectedError().message,
    });
    const runs = await h.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.workspaceId, f.ws.id), eq(jobRuns.kind, AMAZON_ORDERS_SYNC_KIND)));
    expect(runs).toEqual([]);
  });
});
