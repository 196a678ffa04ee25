import { eq } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as formPOST } from "@/app/api/forms/[workspace]/[form]/route";
import { POST as trpcPOST } from "@/app/api/trpc/[trpc]/route";
import { GET as rssGET } from "@/app/blog/[workspace]/rss.xml/route";
import { GET as sitemapGET } from "@/app/blog/[workspace]/sitemap.xml/route";
import { appUrl, resetEnvCache } from "@/lib/env";
import { createAuth } from "@/server/auth";
import { content, outboxMessages } from "@/server/db/schema";
import { requestBaseUrl } from "@/server/request-info";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { setupTestDb } from "../helpers/db";
import { callerFor, createWorkspace, twoWorkspaces, uniqueEmail } from "../helpers/fixtures";

/**
 * Issue #12 item 4: links built from request headers. A client sends a forged Host and
 * X-Forwarded-Host; with TRUST_PROXY off (the default) and no APP_URL:
 * - emails (double opt-in confirmation, invitations) carry appUrl() only, never a request's host;
 * - RSS and sitemap links use the request's own Host, never X-Forwarded-Host;
 * - with TRUST_PROXY=true the forwarded host counts; with APP_URL set, APP_URL wins everywhere.
 * The requests go through the real route handlers.
 */

const h = await setupTestDb();
const f = await twoWorkspaces(h.db);
const appGlobals = globalThis as unknown as { organicDb?: Promise<unknown>; organicAuth?: unknown };
const EVIL = "evil.example";
const forged = {
  host: "blog.organic.test",
  "x-forwarded-host": EVIL,
  "x-forwarded-proto": "https",
};
const saved = { APP_URL: process.env.APP_URL, TRUST_PROXY: process.env.TRUST_PROXY };

function setEnv(p: { APP_URL?: string; TRUST_PROXY?: string }) {
  for (const k of ["APP_URL", "TRUST_PROXY"] as const) {
    if (p[k] === undefined) delete process.env[k];
    else process.env[k] = p[k];
  }
  resetEnvCache();
}

beforeAll(async () => {
  // The route handlers open the app's database and auth through these process-wide handles.
  appGlobals.organicDb = Promise.resolve(h);
  appGlobals.organicAuth = Promise.resolve(createAuth(h.db));
  setEnv({});
  await h.db.insert(content).values({
    workspaceId: f.ws.id,
    type: "blog",
    status: "published",
    title: "Hello links",
    slug: "hello-links",
    body: "A post with an [inline link](/blog/elsewhere).",
    publishedAt: new Date(Date.now() - 60_000),
  });
});
afterEach(() => setEnv({}));
afterAll(() => {
  appGlobals.organicDb = undefined;
  appGlobals.organicAuth = undefined;
  setEnv(saved);
});

const params = { params: Promise.resolve({ workspace: f.ws.slug }) };
const feed = async (headers: Record<string, string>) =>
  (await rssGET(new Request(`http://0.0.0.0:3000/blog/${f.ws.slug}/rss.xml`, { headers }), params)).text();
const sitemap = async (headers: Record<string, string>) =>
  (
    await sitemapGET(new Request(`http://0.0.0.0:3000/blog/${f.ws.slug}/sitemap.xml`, { headers }), params)
  ).text();

describe("RSS and sitemap", () => {
  it("use the request's own Host, not a forged X-Forwarded-Host, when TRUST_PROXY is off", async () => {
    for (const xml of [await feed(forged), await sitemap(forged)]) {
      expect(xml).toContain(`http://blog.organic.test/blog/${f.ws.slug}/hello-links`);
      expect(xml).not.toContain(EVIL);
    }
  });

  it("use X-Forwarded-Host/-Proto behind a trusted proxy, and APP_URL over both", async () => {
    setEnv({ TRUST_PROXY: "true" });
    expect(await feed(forged)).toContain(`https://${EVIL}/blog/${f.ws.slug}/hello-links`);
    setEnv({ APP_URL: "https://news.organic.test/", TRUST_PROXY: "true" });
    for (const xml of [await feed(forged), await sitemap(forged)]) {
      expect(xml).toContain(`https://news.organic.test/blog/${f.ws.slug}/hello-links`);
      expect(xml).not.toContain(EVIL);
      expect(xml).not.toContain("blog.organic.test");
    }
  });

  it("ignore a Host header that is not a host", () => {
    expect(requestBaseUrl(new Headers({ host: `${EVIL}/phish?` }))).toBe(appUrl());
    expect(requestBaseUrl(new Headers({ host: "a.test, evil.example" }))).toBe("http://a.test");
  });
});

describe("double opt-in email", () => {
  it("links to appUrl() whatever Host or X-Forwarded-Host the form post carried", async () => {
    const form = await callerFor(h.db, f.admin).forms.create({
      workspaceId: f.ws.id,
      name: "Links newsletter",
      doubleOptIn: true,
    });
    for (const trustProxy of [undefined, "true"]) {
      setEnv({ TRUST_PROXY: trustProxy });
      const email = uniqueEmail("doi");
      const res = await formPOST(
        new Request(`http://0.0.0.0:3000/api/forms/${f.ws.slug}/${form.slug}`, {
          method: "POST",
          headers: { ...forged, host: EVIL, "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ email }),
        }),
        { params: Promise.resolve({ workspace: f.ws.slug, form: form.slug }) },
      );
      expect(res.status).toBe(200);
      const [mail] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, email));
      expect(mail).toMatchObject({ kind: "double-opt-in" });
      const links = mail!.text.match(/https?:\/\/\S+/g) ?? [];
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(link.startsWith(`${appUrl()}/f/confirm?`), link).toBe(true);
      expect(`${mail!.text}${mail!.html ?? ""}`).not.toContain(EVIL);
    }
  });
});

describe("invitation email", () => {
  it("links to appUrl() when the tRPC request names another host", async () => {
    const auth = createAuth(h.db);
    const email = uniqueEmail("inviter");
    const { cookie, userId } = await signUpAndSignIn({ email, name: "Inviter", handler: auth.handler });
    const ws = await createWorkspace(h.db, { id: userId, email, name: "Inviter" });

    const invitee = uniqueEmail("invitee");
    const res = await trpcPOST(
      new Request("http://0.0.0.0:3000/api/trpc/workspace.invitations.create", {
        method: "POST",
        headers: { ...forged, host: EVIL, cookie, "content-type": "application/json" },
        body: JSON.stringify(superjson.serialize({ workspaceId: ws.id, email: invitee, role: "member" })),
      }),
    );
    const body = (await res.json()) as { result?: { data: unknown } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    const { url } = superjson.deserialize<{ url: string }>(body.result!.data as never);
    expect(url.startsWith(`${appUrl()}/invitations/`), url).toBe(true);

    const [mail] = await h.db.select().from(outboxMessages).where(eq(outboxMessages.toAddress, invitee));
    expect(mail).toBeDefined();
    expect(`${mail!.text}${mail!.html ?? ""}`).not.toContain(EVIL);
    expect(mail!.text).toContain(`${appUrl()}/invitations/`);
  });
});
