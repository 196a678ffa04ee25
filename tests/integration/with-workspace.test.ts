import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorToProblem } from "@/server/api/rest/problems";
import { DOMAIN_ERRORS, DomainError, type DomainErrorCode, RateLimitError } from "@/server/errors";
import { domainErrorResponse } from "@/server/http/errors";
import { withSession, withWorkspace } from "@/server/http/with-workspace";
import { BASE, routeHandlersUse } from "@/tests/helpers/auth-http";
import { signUpAndSignIn } from "@/tests/helpers/auth-session";
import { setupTestDb } from "../helpers/db";
import { addMember, callerFor, createWorkspace, uniqueEmail } from "../helpers/fixtures";

/**
 * The wrapper of cookie-authenticated route handlers, and the three maps of the one domain error
 * list: the wrapper refuses signed out (401), a workspace the user is not in (404, as tRPC does),
 * a lower role (403), and answers every domain error with its status.
 */

const h = await setupTestDb();
routeHandlersUse(h);

let ipSeq = 0;
async function person(name: string) {
  const email = uniqueEmail(name);
  const { cookie, userId } = await signUpAndSignIn({ email, name, ip: `203.0.113.${++ipSeq}`, base: BASE });
  return { cookie, user: { id: userId, email, name } };
}

const owner = await person("wrap-owner");
const viewer = await person("wrap-viewer");
const stranger = await person("wrap-stranger");
const ws = await createWorkspace(h.db, owner.user, { name: "Wrapped" });
await addMember(h.db, ws.id, "viewer", viewer.user);

const call = (handler: (req: Request, ctx?: never) => Promise<Response>, cookie: string | null, q = ws.id) =>
  handler(new Request(`${BASE}/api/x?workspaceId=${q}`, { headers: cookie ? { cookie } : {} }));

const seen = withWorkspace({ minRole: "member" }, async ({ workspaceId, role, ws: ctx, user }) =>
  Response.json({ workspaceId, role, ctxWorkspace: ctx.workspaceId, userId: user.id }),
);

describe("withWorkspace", () => {
  it("refuses a request without a session with 401", async () => {
    const res = await call(seen, null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign in to continue" });
  });

  it("refuses a non-member with 404, naming nothing", async () => {
    const res = await call(seen, stranger.cookie);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Workspace not found" });
  });

  it("refuses a lower role with 403, in the words tRPC uses", async () => {
    const res = await call(seen, viewer.cookie);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: string };
    await expect(
      callerFor(h.db, viewer.user).leads.create({ workspaceId: ws.id, email: "x@example.test" }),
    ).rejects.toThrow(body.error);
  });

  it("refuses a workspace id that is not a UUID with 400", async () => {
    const res = await call(seen, owner.cookie, "nope");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ fieldErrors: { workspaceId: ["workspaceId must be a UUID"] } });
  });

  it("hands the handler the workspace, the role and the user", async () => {
    const res = await call(seen, owner.cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      workspaceId: ws.id,
      role: "owner",
      ctxWorkspace: ws.id,
      userId: owner.user.id,
    });
  });

  it("reads the workspace from the route params when told to", async () => {
    const byParam = withWorkspace<{ id: string }>(
      { minRole: "viewer", workspaceId: (_req, params) => params.id },
      async ({ role }) => Response.json({ role }),
    );
    const req = (cookie: string) => new Request(`${BASE}/api/x`, { headers: { cookie } });
    const mine = await byParam(req(viewer.cookie), { params: Promise.resolve({ id: ws.id }) });
    expect(await mine.json()).toEqual({ role: "viewer" });
    const theirs = await byParam(req(stranger.cookie), { params: Promise.resolve({ id: ws.id }) });
    expect(theirs.status).toBe(404);
  });
});

const CODES = Object.keys(DOMAIN_ERRORS) as DomainErrorCode[];

describe("each domain error, through the wrapper", () => {
  it.each(CODES)("%s", async (code) => {
    const throwing = withSession(async () => {
      throw new DomainError(code, `refused: ${code}`, { field: ["why"] });
    });
    const res = await call(throwing, owner.cookie);
    expect(res.status).toBe(DOMAIN_ERRORS[code].status);
    expect(await res.json()).toEqual({ error: `refused: ${code}`, fieldErrors: { field: ["why"] } });
  });

  it("a rate limit carries Retry-After", async () => {
    const res = await call(
      withSession(async () => {
        throw new RateLimitError(17);
      }),
      owner.cookie,
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("17");
  });

  it("a Zod error is a 400; anything else a 500 that leaks nothing", async () => {
    const zod = await call(
      withSession(async () => {
        z.object({ n: z.number("n must be a number") }).parse({ n: "x" });
        return new Response("unreachable");
      }),
      owner.cookie,
    );
    expect(zod.status).toBe(400);
    expect(await zod.json()).toMatchObject({ error: "n must be a number" });
    const boom = await call(
      withSession(async () => {
        throw new Error("password for db-internal.corp");
      }),
      owner.cookie,
    );
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain("db-internal");
  });
});

describe("the three maps agree on every code", () => {
  it.each(CODES)("%s", (code) => {
    const err = new DomainError(code, "x");
    const { status, slug, trpc } = DOMAIN_ERRORS[code];
    expect(domainErrorResponse(err)?.status).toBe(status);
    expect(errorToProblem(err).problem).toMatchObject({ status, code: slug });
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: trpc }))).toBe(status);
  });
});
