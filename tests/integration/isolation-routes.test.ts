import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as exportGET } from "@/app/api/leads/export/route";
import { GET as rejectedGET } from "@/app/api/leads/import/[jobId]/rejected/route";
import { POST as importPOST } from "@/app/api/leads/import/upload/route";
import { POST as mediaPOST } from "@/app/api/media/upload/route";
import { GET as sseGET } from "@/app/api/sse/route";
import { resetEnvCache } from "@/lib/env";
import { resetStorage } from "@/server/storage";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { setupTestDb } from "../helpers/db";
import { addMember, callerFor, createWorkspace, uniqueEmail } from "../helpers/fixtures";
import { tenantDigest } from "../helpers/tenant-fixture";

/**
 * The isolation and role matrix for the route handlers that a session cookie authenticates outside
 * tRPC (uploads, the import's rejected rows, the leads export, live updates): each is called signed
 * out, by workspace B's owner naming A's workspace or A's rows, and by A's viewer where it changes
 * something. Each must be refused with the right status, name nothing of A, and change nothing of A.
 * A's owner (and its viewer where reading is allowed) get real answers, so the refusals are not
 * just bad requests. A route handler that reads the session and is missing here fails the first test.
 */

const h = await setupTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "organic-isolation-routes-"));
const saved = { DATA_DIR: process.env.DATA_DIR, S3_BUCKET: process.env.S3_BUCKET };
const appGlobals = globalThis as unknown as { organicDb?: Promise<unknown>; organicAuth?: unknown };
appGlobals.organicDb = Promise.resolve(h);
appGlobals.organicAuth = undefined;
process.env.DATA_DIR = dataDir;
delete process.env.S3_BUCKET;
resetEnvCache();
resetStorage();
afterAll(() => {
  appGlobals.organicDb = undefined;
  appGlobals.organicAuth = undefined;
  if (saved.DATA_DIR === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved.DATA_DIR;
  if (saved.S3_BUCKET !== undefined) process.env.S3_BUCKET = saved.S3_BUCKET;
  resetEnvCache();
  resetStorage();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const BASE = "http://localhost:3000";
let ipSeq = 0;
const ip = () => `198.51.100.${(ipSeq++ % 250) + 1}`;
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

async function person(name: string) {
  const email = uniqueEmail(name);
  const { cookie, userId } = await signUpAndSignIn({ email, name, ip: ip(), base: BASE });
  return { cookie, user: { id: userId, email, name } };
}

interface World {
  owner: Awaited<ReturnType<typeof person>>;
  viewer: Awaited<ReturnType<typeof person>>;
  bOwner: Awaited<ReturnType<typeof person>>;
  a: { id: string; slug: string };
  b: { id: string };
  leadEmail: string;
  jobId: string;
  rejectedEmail: string;
}
let w: World;
let secrets: string[];
let digestBefore: Record<string, string>;

function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const boundary = "----organicIsolationBoundary";
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const headers = (cookie: string | null, extra: Record<string, string> = {}) => ({
  "x-forwarded-for": ip(),
  origin: BASE,
  ...(cookie ? { cookie } : {}),
  ...extra,
});

/** Each route handler as a browser calls it, aimed at `workspaceId` (and A's import job). */
const routes = {
  "api/media/upload": (cookie: string | null, workspaceId: string) => {
    const { body, contentType } = multipart(
      { workspaceId },
      { name: "a.png", type: "image/png", bytes: PNG },
    );
    return mediaPOST(
      new Request(`${BASE}/api/media/upload`, {
        method: "POST",
        headers: headers(cookie, { "content-type": contentType }),
        body,
      }),
    );
  },
  "api/leads/import/upload": (cookie: string | null, workspaceId: string) =>
    importPOST(
      new Request(`${BASE}/api/leads/import/upload?workspaceId=${workspaceId}&filename=x.csv`, {
        method: "POST",
        headers: headers(cookie, { "content-type": "text/csv" }),
        body: "email\nforged@example.test\n",
      }),
    ),
  "api/leads/import/[jobId]/rejected": (cookie: string | null, workspaceId: string) =>
    rejectedGET(
      new Request(`${BASE}/api/leads/import/${w.jobId}/rejected?workspaceId=${workspaceId}`, {
        headers: headers(cookie),
      }),
      { params: Promise.resolve({ jobId: w.jobId }) },
    ),
  "api/leads/export": (cookie: string | null, workspaceId: string) =>
    exportGET(
      new Request(`${BASE}/api/leads/export?workspaceId=${workspaceId}`, { headers: headers(cookie) }),
    ),
  "api/sse": async (cookie: string | null, workspaceId: string) => {
    const ac = new AbortController();
    const res = await sseGET(
      new Request(`${BASE}/api/sse?workspaceId=${workspaceId}`, {
        headers: headers(cookie),
        signal: ac.signal,
      }),
    );
    // A stream that opened is read no further: what matters is that it opened, and for whom.
    if (res.status === 200) {
      ac.abort();
      return new Response("stream opened", { status: 200 });
    }
    return res;
  },
} satisfies Record<string, (cookie: string | null, workspaceId: string) => Promise<Response>>;

/** The least role each route needs in the workspace it names. */
const LEAST_ROLE: Record<keyof typeof routes, "viewer" | "member"> = {
  "api/media/upload": "member",
  "api/leads/import/upload": "member",
  "api/leads/import/[jobId]/rejected": "viewer",
  "api/leads/export": "viewer",
  "api/sse": "viewer",
};

/** Route handlers that read the session but are covered elsewhere. */
const ELSEWHERE: Record<string, string> = {
  "api/trpc/[trpc]": "tests/integration/isolation-trpc.test.ts (every procedure)",
  "api/integrations/gmail/callback":
    "tests/integration/gmail-integration.test.ts: a state started by another user is refused (one handler for both providers)",
  "api/integrations/tiktok/callback":
    "the same OAuth callback handler as Gmail's (services/integrations/callback.ts)",
  "api/integrations/youtube/callback":
    "tests/integration/youtube-integration.test.ts: a state started by another user, a forged one or another provider's is refused",
  "api/integrations/instagram/callback":
    "tests/integration/instagram-integration.test.ts: another workspace's connect state is refused",
};

beforeAll(async () => {
  const owner = await person("owner-a");
  const viewer = await person("viewer-a");
  const bOwner = await person("owner-b");
  const a = await createWorkspace(h.db, owner.user, { name: "Routes A" });
  const b = await createWorkspace(h.db, bOwner.user, { name: "Routes B" });
  await addMember(h.db, a.id, "viewer", viewer.user);
  const leadEmail = uniqueEmail("lead-of-a");
  await callerFor(h.db, owner.user).leads.create({ workspaceId: a.id, email: leadEmail, name: "Lead of A" });
  // An import of A with one rejected row, so there is a rejected-rows file to ask for.
  const rejectedEmail = "not-an-address-of-a";
  const upload = await importPOST(
    new Request(`${BASE}/api/leads/import/upload?workspaceId=${a.id}&filename=a.csv`, {
      method: "POST",
      headers: headers(owner.cookie, { "content-type": "text/csv" }),
      body: `email,name\n${uniqueEmail("imported-a")},Imported\n${rejectedEmail},Rejected\n`,
    }),
  );
  expect(upload.status).toBe(201);
  const { uploadId } = (await upload.json()) as { uploadId: string };
  const { jobId } = await callerFor(h.db, owner.user).leadsImport.start({
    workspaceId: a.id,
    uploadId,
    mapping: { email: "email", name: "name" },
  });
  await h.queue.drain();
  w = { owner, viewer, bOwner, a, b, leadEmail, jobId, rejectedEmail };
  secrets = [a.id, a.slug, owner.user.email, viewer.user.email, leadEmail, jobId, rejectedEmail, "Lead of A"];
  digestBefore = await tenantDigest(h.db, a.id);
});

function routeFiles(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return routeFiles(path.join(dir, e.name), rel);
    return e.name === "route.ts" ? [prefix] : [];
  });
}

async function expectRefused(res: Response, status: number, what: string) {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 200)}`).toBe(status);
  expect(
    secrets.filter((s) => text.includes(s)),
    `${what} named A's rows`,
  ).toEqual([]);
}

const names = Object.keys(routes) as (keyof typeof routes)[];

describe("the route matrix covers every route handler that reads the session", () => {
  it("has an entry (or a pointer elsewhere) for each", () => {
    const app = path.join(process.cwd(), "app");
    const withSession = routeFiles(app).filter((r) => {
      const source = fs.readFileSync(path.join(app, r, "route.ts"), "utf8");
      return /getSessionUser|currentUser|withSession|withWorkspace/.test(source);
    });
    expect(withSession.length).toBeGreaterThan(5);
    expect(withSession.filter((r) => !(r in routes) && !(r in ELSEWHERE))).toEqual([]);
  });
});

describe("refusals", () => {
  it.each(names)("%s", async (name) => {
    const call = routes[name];
    await expectRefused(await call(null, w.a.id), 401, `${name} signed out`);
    // B's owner naming A's workspace: it does not exist for them.
    await expectRefused(await call(w.bOwner.cookie, w.a.id), 404, `${name} by B's owner in A`);
    if (LEAST_ROLE[name] === "member") {
      await expectRefused(await call(w.viewer.cookie, w.a.id), 403, `${name} by A's viewer`);
    }
  });

  it("B's owner in B with A's import job id: not found", async () => {
    await expectRefused(
      await routes["api/leads/import/[jobId]/rejected"](w.bOwner.cookie, w.b.id),
      404,
      "rejected rows of A's job in B",
    );
  });

  it("changed nothing of workspace A", async () => {
    await h.queue.drain();
    const after = await tenantDigest(h.db, w.a.id);
    expect(Object.keys(after).filter((t) => after[t] !== digestBefore[t])).toEqual([]);
  });
});

describe("the same calls by those allowed", () => {
  it("A's viewer reads the rejected rows, the export and the live updates", async () => {
    const rejected = await routes["api/leads/import/[jobId]/rejected"](w.viewer.cookie, w.a.id);
    expect(rejected.status).toBe(200);
    expect(await rejected.text()).toContain(w.rejectedEmail);
    const exported = await routes["api/leads/export"](w.viewer.cookie, w.a.id);
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain(w.leadEmail);
    expect((await routes["api/sse"](w.viewer.cookie, w.a.id)).status).toBe(200);
  });

  it("A's owner uploads media and an import file", async () => {
    expect((await routes["api/media/upload"](w.owner.cookie, w.a.id)).status).toBe(201);
    expect((await routes["api/leads/import/upload"](w.owner.cookie, w.a.id)).status).toBe(201);
  });
});
