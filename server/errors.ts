/** Domain errors thrown by services; the tRPC and REST adapters map them to codes and statuses. */
export type DomainErrorCode =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "TOO_MANY_REQUESTS"
  | "PRECONDITION_FAILED";

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
