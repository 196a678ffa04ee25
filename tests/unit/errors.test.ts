import { randomUUID } from "node:crypto";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/logger";
import type { Db } from "@/server/db";
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
  RateLimitError,
  UnauthorizedError,
  ValidationError,
} from "@/server/errors";
import { callerFor } from "../helpers/fixtures";
import { callOverHttp } from "../helpers/more-fixtures";

const SECRET = 'password authentication failed for user "organic_prod" at db-internal.corp:5432';
const user = { id: randomUUID(), email: "unit@example.test", name: "Unit" };

/**
 * A stand-in database. Every query builder call chains; awaiting the chain yields `rows`, or
 * rejects with `fail`. `transaction(fn)` runs `fn` with the same stub.
 */
function stubDb(p: { rows?: unknown[]; fail?: unknown }): Db {
  const settle = () => (p.fail !== undefined ? Promise.reject(p.fail) : Promise.resolve(p.rows ?? []));
  const chain: unknown = new Proxy(() => {}, {
    get(_t, prop) {
      if (prop === "then") return (ok: never, ko: never) => settle().then(ok, ko);
      if (prop === "transaction") return (fn: (tx: unknown) => unknown) => fn(chain);
      return () => chain;
    },
    apply: () => chain,
  });
  return chain as Db;
}

/** What pg and PGlite throw: an Error with the SQLSTATE in `code`. */
function pgError(code: string, constraint?: string) {
  return Object.assign(new Error("duplicate key value violates unique constraint"), { code, constraint });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("DomainError classes", () => {
  it.each([
    ["NotFoundError", new NotFoundError(), "NOT_FOUND", "Not found"],
    ["ForbiddenError", new ForbiddenError(), "FORBIDDEN", "You do not have permission to do that"],
    ["ConflictError", new ConflictError("taken", { slug: ["taken"] }), "CONFLICT", "taken"],
    ["ValidationError", new ValidationError("bad"), "BAD_REQUEST", "bad"],
    ["UnauthorizedError", new UnauthorizedError(), "UNAUTHORIZED", "Sign in to continue"],
    ["RateLimitError", new RateLimitError(30), "TOO_MANY_REQUESTS", "Too many attempts. Try again later."],
  ])("%s carries its code, message and name", (name, err, code, message) => {
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code, message, name });
  });

  it("keeps field errors and the retry delay", () => {
    expect(new ConflictError("x", { slug: ["taken"] }).fieldErrors).toEqual({ slug: ["taken"] });
    expect(new RateLimitError(42).retryAfterSeconds).toBe(42);
  });
});

describe("isUniqueViolation", () => {
  it("recognizes a unique violation, bare or wrapped by Drizzle", () => {
    const raw = pgError("23505", "workspaces_slug_unique");
    expect(isUniqueViolation(raw)).toBe(true);
    expect(isUniqueViolation(new DrizzleQueryError("insert into workspaces", [], raw))).toBe(true);
    expect(isUniqueViolation(new Error("outer", { cause: new DrizzleQueryError("q", [], raw) }))).toBe(true);
  });

  it("matches a named constraint only when asked", () => {
    const raw = pgError("23505", "workspaces_slug_unique");
    expect(isUniqueViolation(raw, "workspaces_slug_unique")).toBe(true);
    expect(isUniqueViolation(raw, "users_email_unique")).toBe(false);
  });

  it("is false for other errors and non-errors", () => {
    expect(isUniqueViolation(pgError("23503"))).toBe(false);
    expect(isUniqueViolation(pgError("23514"))).toBe(false);
    expect(isUniqueViolation(new Error("23505"))).toBe(false);
    for (const v of [null, undefined, "23505", 23505, {}]) expect(isUniqueViolation(v)).toBe(false);
  });

  it("looks only three causes deep", () => {
    const deep = (n: number): unknown =>
      n === 0 ? pgError("23505") : new Error(`level ${n}`, { cause: deep(n - 1) });
    expect(isUniqueViolation(deep(2))).toBe(true);
    expect(isUniqueViolation(deep(3))).toBe(false);
  });
});

describe("error mapping through a caller", () => {
  it("maps a DomainError thrown by a service to its code and message", async () => {
    await expect(
      callerFor(stubDb({ rows: [] }), user).workspace.get({ id: randomUUID() }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Workspace not found",
      cause: expect.any(NotFoundError),
    });
  });

  it("hands a domain error's field errors to the client", async () => {
    const db = stubDb({
      fail: new DrizzleQueryError("insert into workspaces", [], pgError("23505", "workspaces_slug_unique")),
    });
    const res = await callOverHttp(db, user, {
      type: "mutation",
      path: "workspace.create",
      input: { name: "Acme", slug: "acme" },
      headers: { "x-request-id": "req-conflict-1" },
    });
    expect(res.status).toBe(409);
    expect(res.error).toMatchObject({
      message: "That slug is already taken",
      data: {
        code: "CONFLICT",
        fieldErrors: { slug: ["That slug is already taken"] },
        requestId: "req-conflict-1",
      },
    });
    expect(res.raw).not.toContain("insert into workspaces");
  });

  it("turns an unexpected error into INTERNAL_SERVER_ERROR with the request id, not the internal message", async () => {
    const db = stubDb({ fail: new Error(SECRET) });
    const err = await callerFor(db, user, { "x-request-id": "req-boom-42" })
      .workspace.list()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    const { message, cause } = err as Error;
    expect(message).toContain("req-boom-42");
    expect(message).not.toContain("organic_prod");
    expect(String(cause ?? "")).not.toContain("organic_prod");
  });

  it("sends nothing of the internal error over HTTP: no message, no stack, no SQL", async () => {
    const db = stubDb({
      fail: new DrizzleQueryError("select secret_column from users", [], new Error(SECRET)),
    });
    const res = await callOverHttp(db, user, {
      type: "query",
      path: "workspace.list",
      headers: { "x-request-id": "req-http-7" },
    });
    expect(res.status).toBe(500);
    expect(res.error?.message).toContain("req-http-7");
    expect(res.error?.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "req-http-7" });
    expect(res.error?.data.stack).toBeUndefined();
    for (const secret of ["organic_prod", "secret_column", "db-internal"])
      expect(res.raw).not.toContain(secret);
  });

  it("logs the unexpected error, with its path, on the request's logger", async () => {
    const error = vi.fn();
    const child = vi
      .spyOn(logger, "child")
      .mockReturnValue({ error } as unknown as ReturnType<typeof logger.child>);
    const boom = new Error(SECRET);
    await expect(
      callerFor(stubDb({ fail: boom }), user, { "x-request-id": "req-log-1" }).workspace.list(),
    ).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
    expect(child).toHaveBeenCalledWith({ requestId: "req-log-1" });
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatchObject({ path: "workspace.list", type: "query" });
    expect(error.mock.calls[0]?.[0]?.err).toBe(boom);
  });

  it("generates a request id when the client sent none", async () => {
    const err = await callerFor(stubDb({ fail: new Error(SECRET) }), user)
      .workspace.list()
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(err?.message).toMatch(/Reference: [0-9a-f-]{36}$/);
  });

  it("leaves refusals that are not internal errors untouched", async () => {
    await expect(callerFor(stubDb({ fail: new Error(SECRET) }), null).workspace.list()).rejects.toMatchObject(
      {
        code: "UNAUTHORIZED",
        message: "Sign in to continue",
      },
    );
    await expect(
      callerFor(stubDb({ fail: new Error(SECRET) }), user).workspace.get({ slug: "!" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
