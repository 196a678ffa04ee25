import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST as formPOST } from "@/app/api/forms/[workspace]/[form]/route";
import { GET as healthGET } from "@/app/api/health/route";
import { GET as gmailCallbackGET } from "@/app/api/integrations/gmail/callback/route";
import { GET as instagramCallbackGET } from "@/app/api/integrations/instagram/callback/route";
import { GET as tiktokCallbackGET } from "@/app/api/integrations/tiktok/callback/route";
import { GET as youtubeCallbackGET } from "@/app/api/integrations/youtube/callback/route";
import { GET as mediaGET } from "@/app/api/media/[id]/[filename]/route";
import { GET as signedMediaGET } from "@/app/api/media/signed/[token]/route";
import { GET as clickGET } from "@/app/api/track/click/[token]/route";
import { GET as openGET } from "@/app/api/track/open/[token]/route";
import { POST as unsubscribePOST } from "@/app/api/unsubscribe/[token]/route";
import { GET as restGET } from "@/app/api/v1/[...path]/route";
import { POST as emailWebhookPOST } from "@/app/api/webhooks/email/[provider]/route";
import { POST as storePOST } from "@/app/api/webhooks/stores/[id]/route";
import { GET as rssGET } from "@/app/blog/[workspace]/rss.xml/route";
import { GET as sitemapGET } from "@/app/blog/[workspace]/sitemap.xml/route";
import { GET as linkGET } from "@/app/l/[code]/route";
import { resetEnvCache } from "@/lib/env";
import { guardRequest } from "@/proxy";
import { createApiKey } from "@/server/services/api-keys";
import { getPublicBlog, getPublishedPost, listPublishedPosts } from "@/server/services/blog";
import { describeUnsubscribe } from "@/server/services/email/unsubscribe";
import { getHostedForm } from "@/server/services/forms/forms";
import { confirmSubscription } from "@/server/services/forms/submit";
import { getInvitationByToken } from "@/server/services/workspaces";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { setupTestDb } from "../helpers/db";
import { callerFor, twoWorkspaces, uniqueEmail } from "../helpers/fixtures";

/**
 * Hostile path segments against every route handler reachable without a session, and the proxy's
 * refusal of undecodable paths. A NUL or an unpaired surrogate used to reach PostgreSQL ("invalid
 * byte sequence", 500), and Next.js's own decoding of %ED%A0%80 threw (500). Expected: 400 or 404.
 */

const h = await setupTestDb();
const appDb = globalThis as unknown as { organicDb?: Promise<unknown>; organicAuth?: unknown };
// The route handlers use the app's process-wide handles: point them at this file's database now,
// since the fixtures below already sign up through better-auth.
appDb.organicDb = Promise.resolve(h);
appDb.organicAuth = undefined;
// better-auth keeps its generated secret in DATA_DIR: a throwaway one, not the checkout's.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "organic-bad-input-public-"));
const savedDataDir = process.env.DATA_DIR;
process.env.DATA_DIR = dataDir;
resetEnvCache();
afterAll(() => {
  appDb.organicDb = undefined;
  appDb.organicAuth = undefined;
  if (savedDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = savedDataDir;
  resetEnvCache();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Decoded segments, as a handler receives them in `params`. */
const HOSTILE_PARAMS = [
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDFFFy",
  "%",
  "%00",
  "../../../etc/passwd",
  "' OR '1'='1",
  "x".repeat(5000),
  "𝕏🚀",
];

/** Raw segments, as they arrive in a URL. */
const HOSTILE_ENCODED = ["%00", "a%00b", "%ED%A0%80", "%C0%80", "%FF", "%E0%A4%A", "%", "%zz"];

const BASE = "http://localhost:3000";
const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
const headers = () => ({ "x-forwarded-for": ip(), "user-agent": "vitest" });
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
/** A URL for a decoded segment that the URL parser accepts (the handler reads `params`, not this). */
const seg = (x: string) => encodeURIComponent(x.toWellFormed());

const t = await twoWorkspaces(h.db);
const form = await callerFor(h.db, t.owner).forms.create({
  workspaceId: t.ws.id,
  name: "Newsletter",
  slug: "newsletter",
});
const { key } = await createApiKey(
  { db: h.db, workspaceId: t.ws.id, actor: { userId: t.owner.id, ip: null, userAgent: null } },
  { name: "hostile" },
);

// The OAuth callbacks read the state only for a signed-in user: call them with a real session.
const { cookie } = await signUpAndSignIn({ email: uniqueEmail("hostile"), name: "H", ip: ip(), base: BASE });

type Call = (x: string) => Promise<Response>[];

/** Every route handler a visitor without a session can reach, called with a hostile segment `x`. */
const PUBLIC_ROUTES: Record<string, Call> = {
  "api/forms/[workspace]/[form]": (x) =>
    [
      { workspace: x, form: form.slug },
      { workspace: t.ws.slug, form: x },
    ].map((p) =>
      formPOST(
        new Request(`${BASE}/api/forms/${seg(p.workspace)}/${seg(p.form)}`, {
          method: "POST",
          headers: { ...headers(), "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ email: "hostile@example.test" }),
        }),
        params(p),
      ),
    ),
  "api/track/open/[token]": (x) => [
    openGET(new Request(`${BASE}/api/track/open/${seg(x)}`, { headers: headers() }), params({ token: x })),
  ],
  "api/track/click/[token]": (x) => [
    clickGET(new Request(`${BASE}/api/track/click/${seg(x)}`, { headers: headers() }), params({ token: x })),
  ],
  "api/webhooks/stores/[id]": (x) => [
    storePOST(
      new Request(`${BASE}/api/webhooks/stores/${seg(x)}`, {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json", "x-shopify-topic": "orders/create" },
        body: JSON.stringify({ id: 1, total_price: "1.00", currency: "USD" }),
      }),
      params({ id: x }),
    ),
  ],
  "api/webhooks/email/[provider]": (x) => [
    emailWebhookPOST(
      new Request(`${BASE}/api/webhooks/email/${seg(x)}`, {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify([{ event: "bounce", "smtp-id": "<x@example.test>" }]),
      }),
      params({ provider: x }),
    ),
  ],
  "l/[code]": (x) => [
    linkGET(new Request(`${BASE}/l/${seg(x)}`, { headers: headers() }), params({ code: x })),
  ],
  "api/unsubscribe/[token]": (x) => [
    unsubscribePOST(
      new Request(`${BASE}/api/unsubscribe/${seg(x)}`, {
        method: "POST",
        headers: { ...headers(), "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
      params({ token: x }),
    ),
  ],
  "api/media/[id]/[filename]": (x) =>
    [
      { id: x, filename: "a.png" },
      { id: "00000000-0000-4000-8000-000000000000", filename: x },
    ].map((p) => mediaGET(new Request(`${BASE}/api/media/${seg(p.id)}/${seg(p.filename)}`), params(p))),
  "api/media/signed/[token]": (x) => [
    signedMediaGET(new Request(`${BASE}/api/media/signed/${seg(x)}`), params({ token: x })),
  ],
  "blog/[workspace]/rss.xml": (x) => [
    rssGET(new Request(`${BASE}/blog/${seg(x)}/rss.xml`), params({ workspace: x })),
  ],
  "blog/[workspace]/sitemap.xml": (x) => [
    sitemapGET(new Request(`${BASE}/blog/${seg(x)}/sitemap.xml`), params({ workspace: x })),
  ],
  "api/integrations/gmail/callback": (x) => {
    const url = new URL(`${BASE}/api/integrations/gmail/callback`);
    url.searchParams.set("state", x);
    url.searchParams.set("code", x);
    return [gmailCallbackGET(new Request(url, { headers: { ...headers(), cookie } }))];
  },
  "api/integrations/tiktok/callback": (x) => {
    const url = new URL(`${BASE}/api/integrations/tiktok/callback`);
    url.searchParams.set("state", x);
    url.searchParams.set("code", x);
    return [tiktokCallbackGET(new Request(url, { headers: { ...headers(), cookie } }))];
  },
  "api/integrations/instagram/callback": (x) => {
    const url = new URL(`${BASE}/api/integrations/instagram/callback`);
    url.searchParams.set("state", x);
    url.searchParams.set("code", x);
    return [instagramCallbackGET(new Request(url, { headers: { ...headers(), cookie } }))];
  },
  "api/integrations/youtube/callback": (x) => {
    const url = new URL(`${BASE}/api/integrations/youtube/callback`);
    url.searchParams.set("state", x);
    url.searchParams.set("code", x);
    return [youtubeCallbackGET(new Request(url, { headers: { ...headers(), cookie } }))];
  },
  // Bearer keys, no cookie: a visitor can reach every path; with a valid key the params reach queries.
  "api/v1/[...path]": (x) =>
    [`leads/${seg(x)}`, `jobs/${seg(x)}`, `content/${seg(x)}`, `campaigns/${seg(x)}`, seg(x)].map((p) =>
      restGET(
        new Request(`${BASE}/api/v1/${p}`, { headers: { ...headers(), authorization: `Bearer ${key}` } }),
      ),
    ),
};

/** Routes that answer 401 before reading any param without a session, or take none. */
const SESSION_OR_NO_PARAMS: Record<string, string> = {
  "api/auth/[...all]": "better-auth's own router; malformed paths are refused by the proxy (tested below)",
  "api/trpc/[trpc]":
    "procedure names are looked up in the router, never queried; proxy refuses malformed ones",
  "api/health": "no params",
  "robots.txt": "no params (tests/integration/robots.test.ts)",
  "api/sse": "session first; the workspaceId is compared with the user's memberships in memory",
  "api/leads/export": "session first; workspaceId is a UUID checked by Zod",
  "api/leads/import/[jobId]/rejected": "session first; jobId is a UUID checked by Zod",
  "api/leads/import/upload":
    "session first (and not behind the proxy: tests/integration/uploads-http.test.ts)",
  "api/metrics": "a token first, and no parameters (tests/integration/observability.test.ts)",
  "api/media/upload": "session first (and not behind the proxy: tests/integration/uploads-http.test.ts)",
};

function routeFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) return routeFiles(path.join(dir, e.name), rel);
    return e.name === "route.ts" ? [prefix] : [];
  });
}

describe("public route handlers with hostile segments", () => {
  it("cover every route.ts under app/", () => {
    const routes = routeFiles(path.join(process.cwd(), "app")).map((r) => r.replace(/\([^)]+\)\//g, ""));
    const known = new Set([...Object.keys(PUBLIC_ROUTES), ...Object.keys(SESSION_OR_NO_PARAMS)]);
    expect(routes.filter((r) => !known.has(r))).toEqual([]);
  });

  for (const [route, call] of Object.entries(PUBLIC_ROUTES)) {
    it(`${route} answers 400 or 404, never 500`, async () => {
      const answers: string[] = [];
      for (const x of HOSTILE_PARAMS) {
        for (const res of await Promise.all(call(x))) {
          if (![400, 404].includes(res.status))
            answers.push(`${JSON.stringify(x.slice(0, 20))} → ${res.status} ${await res.text()}`);
        }
      }
      expect(answers).toEqual([]);
    });
  }

  it("health answers while under the per-IP limit", async () => {
    const res = await healthGET(new Request(`${BASE}/api/health`, { headers: headers() }));
    expect([200, 503]).toContain(res.status);
  });
});

/**
 * The public pages (blog, hosted form, double opt-in confirmation, unsubscribe, invitation) are server
 * components: what they do with a path segment or a query value is their loader's call, so each
 * loader gets every hostile value. Acceptable: "not found" (null, a NotFoundError, or the page's own
 * "invalid link" answer). Not acceptable: anything else thrown, which the page would turn into a 500.
 */
describe("public pages' loaders with hostile segments and query values", () => {
  const actor = { userId: null, ip: "198.51.100.1", userAgent: "vitest" };
  const notFound = (err: unknown) => (err as { code?: string }).code === "NOT_FOUND";
  const loaders: Record<string, (x: string) => Promise<unknown>> = {
    "/blog/[workspace]": (x) => getPublicBlog(h.db, x),
    "/blog/[workspace]?tag=": (x) => listPublishedPosts(h.db, t.ws.id, { limit: 10, offset: 0, tag: x }),
    "/blog/[workspace]/[slug]": (x) => getPublishedPost(h.db, t.ws.id, x),
    "/f/[workspace]/[form] (workspace)": (x) => getHostedForm(h.db, x, form.slug),
    "/f/[workspace]/[form] (form)": (x) => getHostedForm(h.db, t.ws.slug, x),
    "/u/[token]": (x) => describeUnsubscribe(h.db, x),
    "/invitations/[token]": (x) => getInvitationByToken(h.db, x),
    "/f/confirm": async (x) => {
      const r = await confirmSubscription(h.db, new URLSearchParams({ l: x, f: x, e: x, s: x, p: x }), actor);
      expect(r.status).toBe("invalid");
      return null;
    },
  };

  it.each(Object.keys(loaders))("%s answers not found, never an error", async (page) => {
    const failures: string[] = [];
    for (const x of HOSTILE_PARAMS) {
      try {
        const found = await loaders[page]!(x);
        const empty = page === "/blog/[workspace]?tag=" && (found as { total: number }).total === 0;
        if (found && !empty) failures.push(`${JSON.stringify(x.slice(0, 20))} found something`);
      } catch (err) {
        if (!notFound(err)) failures.push(`${JSON.stringify(x.slice(0, 20))} → ${String(err).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("the proxy refuses undecodable paths and queries before routing", () => {
  const pages = (x: string) => [
    `/blog/${x}/rss.xml`,
    `/blog/${x}`,
    `/blog/acme/${x}`,
    `/api/forms/${x}/newsletter`,
    `/u/${x}`,
    `/f/${x}/newsletter`,
    `/invitations/${x}`,
    `/api/track/open/${x}`,
    `/${x}/leads`,
    `/f/confirm?token=${x}`,
    `/api/sse?workspaceId=${x}`,
  ];

  it("400 for NUL, encoded surrogates and broken percent-encoding, in the path or the query", () => {
    for (const x of HOSTILE_ENCODED) {
      for (const p of pages(x)) {
        for (const method of ["GET", "POST"]) {
          const res = guardRequest(new NextRequest(`${BASE}${p}`, { method }));
          expect(res.status, `${method} ${p}`).toBe(400);
        }
      }
    }
  });

  it("lets ordinary and well-formed non-ASCII addresses through", () => {
    for (const p of [
      "/blog/acme/hello-world",
      "/blog/caf%C3%A9",
      "/u/abc.def_ghi-jkl",
      "/f/confirm?token=a+b%2Bc",
    ]) {
      expect(guardRequest(new NextRequest(`${BASE}${p}`)).status, p).toBe(200);
    }
  });
});
