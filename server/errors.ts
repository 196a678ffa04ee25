/**
 * Every domain error code, with what each edge answers for it. The tRPC, REST and plain-route
 * mappings are generated from this one list (`server/api/trpc.ts`, `server/api/rest/problems.ts`,
 * `server/http/errors.ts`), so a new code is added here and nowhere else.
 * `trpc` is the tRPC error code; `slug` and `title` are the REST problem's `code` and `title`.
 */
export const DOMAIN_ERRORS = {
  BAD_REQUEST: { status: 400, trpc: "BAD_REQUEST", slug: "validation_failed", title: "Invalid request" },
  UNAUTHORIZED: { status: 401, trpc: "UNAUTHORIZED", slug: "unauthorized", title: "Unauthorized" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN", slug: "forbidden", title: "Forbidden" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND", slug: "not_found", title: "Not found" },
  CONFLICT: { status: 409, trpc: "CONFLICT", slug: "conflict", title: "Conflict" },
  PRECONDITION_FAILED: {
    status: 412,
    trpc: "PRECONDITION_FAILED",
    slug: "precondition_failed",
    title: "Precondition failed",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    trpc: "PAYLOAD_TOO_LARGE",
    slug: "payload_too_large",
    title: "Payload too large",
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    trpc: "TOO_MANY_REQUESTS",
    slug: "rate_limited",
    title: "Too many requests",
  },
} as const satisfies Record<string, { status: number; trpc: string; slug: string; title: string }>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly fieldErrors?: Record<string, string[]>;
  constructor(code: DomainErrorCode, message: string, fieldErrors?: Record<string, string[]>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

export class NotFoundError extends DomainError {
  constructor(message = "Not found") {
    super("NOT_FOUND", message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You do not have permission to do that") {
    super("FORBIDDEN", message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super("CONFLICT", message, fieldErrors);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super("BAD_REQUEST", message, fieldErrors);
  }
}

/** A body over a size limit (uploads, imports); `fieldErrors` names the field. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super("PAYLOAD_TOO_LARGE", message, fieldErrors);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = "Sign in to continue") {
    super("UNAUTHORIZED", message);
  }
}

export class RateLimitError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, message = "Too many attempts. Try again later.") {
    super("TOO_MANY_REQUESTS", message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Postgres unique-violation, as thrown by pg and PGlite alike (also when wrapped by Drizzle). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  let e: unknown = err;
  for (let i = 0; i < 3 && e; i++) {
    const x = e as { code?: string; constraint?: string; cause?: unknown };
    if (x.code === "23505") return constraint ? x.constraint === constraint : true;
    e = x.cause;
  }
  return false;
}
