import { and, desc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { handleRestRequest } from "@/server/api/rest/handler";
import { createAuth } from "@/server/auth";
import { activityLogs, users } from "@/server/db/schema";
import { exportLeadsCsv } from "@/server/services/leads/export";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces, uniqueEmail } from "../helpers/fixtures";

/**
 * The security-relevant events the activity log must hold (issue 7, Hardening): sign-ins (good and
 * refused), role changes, member removal, API key creation/use/revocation, exports and webhook
 * endpoint changes — each with who, what, and from where.
 */

const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown> };
const BASE = "http://localhost:3000";
const t = await twoWorkspaces(h.db);
const owner = callerFor(h.db, t.owner, { "x-forwarded-for": "198.51.100.23", "user-agent": "audit-test" });

beforeAll(() => {
  appDb.organicDb = Promise.resolve(h);
});
afterAll(() => {
  appDb.organicDb = undefined;
});

async function lastOf(action: string, where = eq(activityLogs.workspaceId, t.ws.id)) {
  const [row] = await h.db
    .select()
    .from(activityLogs)
    .where(and(where, eq(activityLogs.action, action)))
    .orderBy(desc(activityLogs.createdAt))
    .limit(1);
  return row;
}

describe("sign-ins", () => {
  const saved = process.env.AUTH_RATE_LIMIT_MAX;
  beforeAll(() => {
    process.env.AUTH_RATE_LIMIT_MAX = "50";
    resetEnvCache();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.AUTH_RATE_LIMIT_MAX;
    else process.env.AUTH_RATE_LIMIT_MAX = saved;
    resetEnvCache();
  });
  const post = (auth: ReturnType<typeof createAuth>, path: string, body: unknown) =>
    auth.handler(
      new Request(`${BASE}/api/auth${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: BASE,
          "x-forwarded-for": "192.0.2.44",
          "user-agent": "audit-browser",
        },
        body: JSON.stringify(body),
      }),
    );

  it("records a successful sign-in and a refused one on the account, and one for an unknown address", async () => {
    const auth = createAuth(h.db);
    const email = uniqueEmail("audited");
    expect(
      (await post(auth, "/sign-up/email", { email, password: "correct horse battery", name: "A" })).status,
    ).toBe(200);
    const [user] = await h.db.select().from(users).where(eq(users.email, email));

    expect((await post(auth, "/sign-in/email", { email, password: "correct horse battery" })).status).toBe(
      200,
    );
    const ok = await lastOf("user.signed_in", eq(activityLogs.userId, user!.id));
    expect(ok).toMatchObject({ ipAddress: "192.0.2.44", userAgent: "audit-browser", workspaceId: null });

    expect((await post(auth, "/sign-in/email", { email, password: "wrong password!" })).status).toBe(401);
    const failed = await lastOf("user.sign_in_failed", eq(activityLogs.userId, user!.id));
    expect(failed).toMatchObject({ ipAddress: "192.0.2.44", userAgent: "audit-browser", entityId: user!.id });
    expect(failed!.metadata).toMatchObject({ email });
    expect(String(failed!.metadata.reason)).not.toBe("");
    // The password tried is never recorded.
    expect(JSON.stringify(failed)).not.toContain("wrong password!");

    const nobody = uniqueEmail("nobody");
    expect((await post(auth, "/sign-in/email", { email: nobody, password: "whatever123" })).status).toBe(401);
    const unknown = await lastOf("user.sign_in_failed", isNull(activityLogs.userId));
    expect(unknown!.metadata).toMatchObject({ email: nobody });
  });
});

describe("members", () => {
  it("records role changes and removals", async () => {
    const members = await owner.workspace.members.list({ workspaceId: t.ws.id });
    const viewer = members.find((m) => m.user.id === t.viewer.id)!;
    await owner.workspace.members.changeRole({ workspaceId: t.ws.id, memberId: viewer.id, role: "member" });
    const changed = await lastOf("member.role_changed");
    expect(changed).toMatchObject({
      userId: t.owner.id,
      ipAddress: "198.51.100.23",
      userAgent: "audit-test",
    });
    expect(changed!.metadata).toMatchObject({ from: "viewer", to: "member" });

    await owner.workspace.members.remove({ workspaceId: t.ws.id, memberId: viewer.id });
    expect(await lastOf("member.removed")).toMatchObject({ userId: t.owner.id, entityId: viewer.id });
  });
});

describe("API keys", () => {
  it("records creation, use on a write route and revocation", async () => {
    const { apiKey, key } = await owner.apiKeys.create({ workspaceId: t.ws.id, name: "Zapier" });
    expect(await lastOf("api_key.created")).toMatchObject({ userId: t.owner.id, entityId: apiKey.id });

    const res = await handleRestRequest(
      new Request(`${BASE}/api/v1/leads`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "x-forwarded-for": "203.0.113.50",
        },
        body: JSON.stringify({ email: uniqueEmail("via-api") }),
      }),
    );
    expect(res.status).toBe(201);
    const used = await lastOf("api_key.used");
    expect(used).toMatchObject({ userId: null, ipAddress: "203.0.113.50" });
    expect(used!.metadata).toMatchObject({ apiKeyId: apiKey.id, method: "POST" });

    await owner.apiKeys.revoke({ workspaceId: t.ws.id, apiKeyId: apiKey.id });
    expect(await lastOf("api_key.revoked")).toMatchObject({ userId: t.owner.id, entityId: apiKey.id });
  });
});

describe("exports", () => {
  it("records a leads export with its row count", async () => {
    await owner.leads.create({ workspaceId: t.ws.id, email: uniqueEmail("exported") });
    const ctx = {
      db: h.db,
      workspaceId: t.ws.id,
      actor: { userId: t.owner.id, ip: "198.51.100.23", userAgent: "audit-test" },
    };
    let csv = "";
    for await (const chunk of exportLeadsCsv(ctx, {})) csv += chunk;
    const rows = csv.trim().split("\n").length - 1;
    const exported = await lastOf("lead.exported");
    expect(exported).toMatchObject({ userId: t.owner.id, ipAddress: "198.51.100.23" });
    expect(exported!.metadata).toMatchObject({ rows });
  });
});

describe("webhook endpoints", () => {
  it("records creation, update, secret rotation and deletion", async () => {
    const { endpoint } = await owner.webhooks.create({
      workspaceId: t.ws.id,
      url: "https://hooks.example.test/in",
      events: ["lead.created"],
    });
    expect(await lastOf("webhook.created")).toMatchObject({ userId: t.owner.id, entityId: endpoint.id });
    await owner.webhooks.update({ workspaceId: t.ws.id, endpointId: endpoint.id, enabled: false });
    expect(await lastOf("webhook.updated")).toMatchObject({ entityId: endpoint.id });
    await owner.webhooks.rotateSecret({ workspaceId: t.ws.id, endpointId: endpoint.id });
    const rotated = await lastOf("webhook.secret_rotated");
    expect(rotated).toMatchObject({ entityId: endpoint.id });
    expect(JSON.stringify(rotated)).not.toMatch(/whsec_/);
    await owner.webhooks.delete({ workspaceId: t.ws.id, endpointId: endpoint.id });
    expect(await lastOf("webhook.deleted")).toMatchObject({ entityId: endpoint.id });
  });
});
