import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activityLogs, apiIdempotencyKeys, jobRuns, leads } from "@/server/db/schema";
import { revokeApiKey } from "@/server/services/api-keys";
import { call, expireKey, setupRest } from "./rest-helpers";

const { h, f, keyA, keyAId, readA, keyB, newKey } = await setupRest();

async function leadCount(workspaceId = f.ws.id) {
  const [r] = await h.db.select({ n: count() }).from(leads).where(eq(leads.workspaceId, workspaceId));
  return r!.n;
}

async function leadByEmail(email: string) {
  const [r] = await h.db
    .select()
    .from(leads)
    .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, email)));
  return r;
}

describe("leads", () => {
  it("creates (201), updates by email (200), gets, patches, lists with filters and deletes", async () => {
    const created = await call("POST", "/leads", {
      key: keyA,
      body: { email: "Ada@Example.com", name: "Ada", tags: ["vip"], source: "zapier" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: "ada@example.com",
      name: "Ada",
      tags: ["vip"],
      source: "zapier",
    });
    expect(created.headers.get("x-ratelimit-limit")).toBe("600");
    expect(Number(created.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
    expect(Number(created.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
    const id = created.body.id as string;

    const upserted = await call("POST", "/leads", {
      key: keyA,
      body: { email: "ada@example.com", name: "Ada L." },
    });
    expect(upserted.status).toBe(200);
    expect(upserted.body).toMatchObject({ id, name: "Ada L.", tags: ["vip"], source: "zapier" });

    const got = await call("GET", `/leads/${id}`, { key: readA });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, email: "ada@example.com" });
    expect(Array.isArray(got.body.timeline)).toBe(true);

    const patched = await call("PATCH", `/leads/${id}`, {
      key: keyA,
      body: { status: "unsubscribed", tags: ["vip", "b2b"] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: "unsubscribed", tags: ["vip", "b2b"] });

    await call("POST", "/leads", { key: keyA, body: { email: "bob@example.com", source: "form" } });
    const byTag = await call("GET", "/leads?tag=vip&tag=b2b", { key: readA });
    expect(byTag.body.data.map((l: { id: string }) => l.id)).toEqual([id]);
    const bySearch = await call("GET", "/leads?search=bob", { key: readA });
    expect(bySearch.body.data.map((l: { email: string }) => l.email)).toEqual(["bob@example.com"]);
    const byStatus = await call("GET", "/leads?status=unsubscribed", { key: readA });
    expect(byStatus.body.data.map((l: { id: string }) => l.id)).toEqual([id]);
    const bySource = await call("GET", "/leads?source=form", { key: readA });
    expect(bySource.body.data.map((l: { email: string }) => l.email)).toEqual(["bob@example.com"]);

    const deleted = await call("DELETE", `/leads/${id}`, { key: keyA });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe("");
    const gone = await call("GET", `/leads/${id}`, { key: readA });
    expect(gone.status).toBe(404);
    expect(gone.contentType).toBe("application/problem+json");
    expect(gone.body).toMatchObject({
      status: 404,
      code: "not_found",
      type: "https://organic.dev/problems/not_found",
    });
  });

  it("records each write as api_key.used in the activity log", async () => {
    const created = await call("POST", "/leads", { key: keyA, body: { email: "logged@example.com" } });
    const rows = await h.db
      .select()
      .from(activityLogs)
      .where(and(eq(activityLogs.workspaceId, f.ws.id), eq(activityLogs.action, "api_key.used")));
    expect(
      rows.some(
        (r) =>
          r.entityId === created.body.id &&
          (r.metadata as { operation?: string }).operation === "leads.upsert",
      ),
    ).toBe(true);
  });

  it("refuses invalid input with field errors and changes nothing", async () => {
    const before = await leadCount();
    const bad = await call("POST", "/leads", {
      key: keyA,
      body: { email: "not-an-email", tags: "x", status: "nope" },
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toBe("application/problem+json");
    expect(bad.body.code).toBe("validation_failed");
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["email", "tags", "status"]));
    expect(bad.body.errors.every((e: { message: string }) => e.message.length > 0)).toBe(true);

    const notJson = await call("POST", "/leads", { key: keyA, rawBody: "{oops" });
    expect(notJson.status).toBe(400);
    const wrongType = await call("POST", "/leads", {
      key: keyA,
      rawBody: "email=a@b.c",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(wrongType.status).toBe(415);
    const badLimit = await call("GET", "/leads?limit=500", { key: readA });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors[0].path).toBe("query.limit");
    const badId = await call("PATCH", "/leads/123", { key: keyA, body: { name: "x" } });
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].path).toBe("path.id");
    expect(await leadCount()).toBe(before);
  });

  it("answers a duplicate email on PATCH with 409 and changes nothing", async () => {
    const a = await call("POST", "/leads", { key: keyA, body: { email: "dup-a@example.com" } });
    await call("POST", "/leads", { key: keyA, body: { email: "dup-b@example.com" } });
    const clash = await call("PATCH", `/leads/${a.body.id}`, {
      key: keyA,
      body: { email: "dup-b@example.com" },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.errors).toEqual([{ path: "email", message: "Already a lead in this workspace" }]);
    expect((await leadByEmail("dup-a@example.com"))?.id).toBe(a.body.id);
  });
});

describe("keys and workspaces", () => {
  it("never shows or changes another workspace's lead (404)", async () => {
    const a = await call("POST", "/leads", {
      key: keyA,
      body: { email: "private@example.com", name: "Private" },
    });
    const id = a.body.id as string;
    expect((await call("GET", `/leads/${id}`, { key: keyB })).status).toBe(404);
    expect((await call("PATCH", `/leads/${id}`, { key: keyB, body: { name: "Stolen" } })).status).toBe(404);
    expect((await call("DELETE", `/leads/${id}`, { key: keyB })).status).toBe(404);
    const listB = await call("GET", "/leads?limit=100", { key: keyB });
    expect(JSON.stringify(listB.body)).not.toContain("private@example.com");
    // Upsert by the same email in B creates B's own lead, leaving A's untouched.
    const inB = await call("POST", "/leads", {
      key: keyB,
      body: { email: "private@example.com", name: "B's" },
    });
    expect(inB.status).toBe(201);
    expect(inB.body.id).not.toBe(id);
    expect((await leadByEmail("private@example.com"))?.name).toBe("Private");
  });

  it("refuses missing, unknown, revoked and expired keys (401) and read-only keys on writes (403)", async () => {
    const none = await call("GET", "/leads");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(none.body.code).toBe("unauthorized");
    expect((await call("GET", "/leads", { key: "org_live_nope" })).body.code).toBe("invalid_api_key");

    const revoked = await newKey("A");
    expect((await call("GET", "/leads", { key: revoked.key })).status).toBe(200);
    await revokeApiKey(
      { db: h.db, actor: { userId: f.owner.id, ip: null, userAgent: null }, workspaceId: f.ws.id },
      { apiKeyId: revoked.apiKey.id },
    );
    const r = await call("GET", "/leads", { key: revoked.key });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe("invalid_api_key");

    const expired = await newKey("A");
    await expireKey(h.db, expired.apiKey.id);
    expect((await call("GET", "/leads", { key: expired.key })).status).toBe(401);

    const before = await leadCount();
    const ro = await call("POST", "/leads", { key: readA, body: { email: "ro@example.com" } });
    expect(ro.status).toBe(403);
    expect(ro.body.code).toBe("insufficient_scope");
    expect(
      (
        await call("DELETE", `/leads/${(await call("GET", "/leads", { key: readA })).body.data[0].id}`, {
          key: readA,
        })
      ).status,
    ).toBe(403);
    expect(await leadCount()).toBe(before);
  });

  it("ignores session cookies: a cookie without a key is 401", async () => {
    const res = await call("GET", "/leads", { headers: { cookie: "better-auth.session_token=abc" } });
    expect(res.status).toBe(401);
  });
});

describe("Idempotency-Key", () => {
  it("replays the stored response for the same key and body, 409 for another body", async () => {
    const body = { email: "idem@example.com", name: "Once" };
    const first = await call("POST", "/leads", { key: keyA, body, headers: { "idempotency-key": "k-1" } });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await call("POST", "/leads", { key: keyA, body, headers: { "idempotency-key": "k-1" } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [n] = await h.db
      .select({ n: count() })
      .from(leads)
      .where(and(eq(leads.workspaceId, f.ws.id), eq(leads.email, "idem@example.com")));
    expect(n!.n).toBe(1);

    const other = await call("POST", "/leads", {
      key: keyA,
      body: { ...body, name: "Twice" },
      headers: { "idempotency-key": "k-1" },
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe("idempotency_key_reused");
    expect((await leadByEmail("idem@example.com"))?.name).toBe("Once");
  });

  it("scopes keys per API key, and replays a 4xx as well", async () => {
    const body = { email: "scoped@example.com" };
    const a = await call("POST", "/leads", { key: keyA, body, headers: { "idempotency-key": "shared" } });
    const b = await call("POST", "/leads", { key: keyB, body, headers: { "idempotency-key": "shared" } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBeNull();

    const bad = { email: "nope" };
    const r1 = await call("POST", "/leads", {
      key: keyA,
      body: bad,
      headers: { "idempotency-key": "bad-1" },
    });
    const r2 = await call("POST", "/leads", {
      key: keyA,
      body: bad,
      headers: { "idempotency-key": "bad-1" },
    });
    expect(r1.status).toBe(400);
    expect(r2.status).toBe(400);
    expect(r2.contentType).toBe("application/problem+json");
    expect(r2.body).toEqual(r1.body);
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
  });

  it("runs concurrent requests with the same key once", async () => {
    const body = { email: "race@example.com", tags: ["race"] };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call("POST", "/leads", { key: keyA, body, headers: { "idempotency-key": "race-1" } }),
      ),
    );
    const fresh = answers.filter((a) => a.status === 201 && a.headers.get("idempotent-replayed") === null);
    expect(fresh).toHaveLength(1);
    for (const a of answers) {
      if (a.status === 409) expect(a.body.code).toBe("idempotency_request_in_progress");
      else {
        // Without the key, the others would have run as updates (200): each must be the replayed 201.
        expect(a.status).toBe(201);
        expect(a.body).toEqual(fresh[0]!.body);
        if (a !== fresh[0]) expect(a.headers.get("idempotent-replayed")).toBe("true");
      }
    }
    const updates = await h.db
      .select({ n: count() })
      .from(activityLogs)
      .where(and(eq(activityLogs.action, "lead.updated"), eq(activityLogs.entityId, fresh[0]!.body.id)));
    expect(updates[0]!.n).toBe(0);
    const writes = await h.db
      .select({ n: count() })
      .from(activityLogs)
      .where(and(eq(activityLogs.action, "lead.created"), eq(activityLogs.entityId, fresh[0]!.body.id)));
    expect(writes[0]!.n).toBe(1);
    const stored = await h.db
      .select()
      .from(apiIdempotencyKeys)
      .where(and(eq(apiIdempotencyKeys.apiKeyId, keyAId), eq(apiIdempotencyKeys.key, "race-1")));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.responseStatus).toBe(201);
  });

  it("forgets a key after 24 hours: the same key then runs a new request", async () => {
    const first = await call("POST", "/leads", {
      key: keyA,
      body: { email: "old-1@example.com" },
      headers: { "idempotency-key": "aged" },
    });
    expect(first.status).toBe(201);
    await h.db
      .update(apiIdempotencyKeys)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(and(eq(apiIdempotencyKeys.apiKeyId, keyAId), eq(apiIdempotencyKeys.key, "aged")));
    const later = await call("POST", "/leads", {
      key: keyA,
      body: { email: "old-2@example.com" },
      headers: { "idempotency-key": "aged" },
    });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect(later.body.email).toBe("old-2@example.com");
  });

  it("refuses an over-long key with 400", async () => {
    const res = await call("POST", "/leads", {
      key: keyA,
      body: { email: "x@example.com" },
      headers: { "idempotency-key": "k".repeat(300) },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("header.Idempotency-Key");
  });
});

describe("pagination", () => {
  it("walks every page once with limit and cursor", async () => {
    const { key } = await newKey("B");
    for (let i = 0; i < 7; i++) {
      expect(
        (await call("POST", "/leads", { key, body: { email: `page-${i}@example.com`, tags: ["paged"] } }))
          .status,
      ).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/leads?tag=paged&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await call("GET", q, { key });
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((l: { email: string }) => l.email));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}@example.com`).sort());
    const bad = await call("GET", "/leads?cursor=garbage", { key });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("cursor");
  });
});

describe("POST /leads/import", () => {
  it("accepts a CSV (202), runs the job, and the leads are there", async () => {
    const csv =
      "E-mail,Full name,Tags\nimp1@example.com,Imp One,a;b\nimp2@example.com,Imp Two,\nbad-address,Nobody,\n";
    const res = await call("POST", "/leads/import?tag=imported", {
      key: keyA,
      rawBody: csv,
      contentType: "text/csv",
    });
    expect(res.status).toBe(202);
    const jobId = res.body.jobId as string;
    await h.queue.drain(20_000);
    const job = await call("GET", `/jobs/${jobId}`, { key: readA });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ id: jobId, status: "succeeded", progress: 100 });
    expect(job.body.result).toMatchObject({ imported: 2, invalid: 1 });
    expect((await leadByEmail("imp1@example.com"))?.tags).toEqual(expect.arrayContaining(["imported"]));
    expect((await leadByEmail("imp2@example.com"))?.name).toBe("Imp Two");
    expect((await call("GET", `/jobs/${jobId}`, { key: keyB })).status).toBe(404);
  });

  it("replays an import sent again with the same Idempotency-Key (one job), 409 for another file", async () => {
    const runs = async () =>
      (await h.db.select({ n: count() }).from(jobRuns).where(eq(jobRuns.workspaceId, f.ws.id)))[0]!.n;
    const csv = "email\nidem-import@example.com\n";
    const before = await runs();
    const first = await call("POST", "/leads/import", {
      key: keyA,
      rawBody: csv,
      contentType: "text/csv",
      headers: { "idempotency-key": "import-1" },
    });
    expect(first.status).toBe(202);
    const again = await call("POST", "/leads/import", {
      key: keyA,
      rawBody: csv,
      contentType: "text/csv",
      headers: { "idempotency-key": "import-1" },
    });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const other = await call("POST", "/leads/import", {
      key: keyA,
      rawBody: `${csv}another@example.com\n`,
      contentType: "text/csv",
      headers: { "idempotency-key": "import-1" },
    });
    expect(other.status).toBe(409);
    expect(await runs()).toBe(before + 1);
    await h.queue.drain(20_000);
  });

  it("refuses an empty or non-CSV body with a 4xx", async () => {
    const empty = await call("POST", "/leads/import", { key: keyA, rawBody: "", contentType: "text/csv" });
    expect(empty.status).toBe(400);
    expect(empty.contentType).toBe("application/problem+json");
    const binary = await call("POST", "/leads/import", {
      key: keyA,
      rawBody: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
      contentType: "text/csv",
    });
    expect(binary.status).toBe(400);
  });

  it("takes an explicit mapping; refuses a non-CSV body and a bad mapping", async () => {
    const csv = "Who;Mail\nCarla;carla@example.com\n";
    const mapping = encodeURIComponent(JSON.stringify({ email: "Mail", name: "Who" }));
    const res = await call("POST", `/leads/import?mapping=${mapping}`, {
      key: keyA,
      rawBody: csv,
      contentType: "text/csv",
    });
    expect(res.status).toBe(202);
    await h.queue.drain(20_000);
    expect((await leadByEmail("carla@example.com"))?.name).toBe("Carla");

    expect(
      (await call("POST", "/leads/import", { key: keyA, rawBody: csv, contentType: "application/json" }))
        .status,
    ).toBe(415);
    const badMap = await call("POST", "/leads/import?mapping=%7Bnope", {
      key: keyA,
      rawBody: csv,
      contentType: "text/csv",
    });
    expect(badMap.status).toBe(400);
    expect(badMap.body.errors[0].path).toBe("query.mapping");
    const ro = await call("POST", "/leads/import", { key: readA, rawBody: csv, contentType: "text/csv" });
    expect(ro.status).toBe(403);
  });
});
