import "server-only";
import { z } from "zod";
import { logger } from "@/lib/logger";
import { currentRequestId } from "@/lib/request-context";
import { DOMAIN_ERRORS, DomainError, RateLimitError } from "@/server/errors";
import { reportError } from "@/server/observability/errors";
import type { Problem } from "./auth";

export const PROBLEM_BASE = "https://organic.dev/problems";

export interface FieldError {
  path: string;
  message: string;
}

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: FieldError[],
): Problem {
  return { type: `${PROBLEM_BASE}/${code}`, title, status, detail, code, ...(errors ? { errors } : {}) };
}

/** Every problem code the API answers with, for the docs. */
export const PROBLEM_CODES = [
  ...new Set([
    "unauthorized",
    "invalid_api_key",
    "insufficient_scope",
    "insufficient_role",
    "route_not_found",
    "feature_disabled",
    "method_not_allowed",
    "unsupported_media_type",
    "payload_too_large",
    "idempotency_key_reused",
    "idempotency_request_in_progress",
    "internal_error",
    ...Object.values(DOMAIN_ERRORS).map((d) => d.slug),
  ]),
];

export function zodFieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}

export function validationProblem(errors: FieldError[]): Problem {
  const first = errors[0];
  const detail = first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "Invalid request";
  return problem(400, "validation_failed", "Invalid request", detail, errors);
}

/** Service errors → their problem; a Zod error thrown inside a service → 400; anything else → a 500 that leaks nothing. */
export function errorToProblem(err: unknown): { problem: Problem; headers: Record<string, string> } {
  if (err instanceof DomainError) {
    const d = DOMAIN_ERRORS[err.code];
    const errors = err.fieldErrors
      ? Object.entries(err.fieldErrors).flatMap(([path, messages]) =>
          messages.map((message) => ({ path: path === "_" ? "" : path, message })),
        )
      : undefined;
    const headers: Record<string, string> = {};
    if (err instanceof RateLimitError) headers["retry-after"] = String(err.retryAfterSeconds);
    return { problem: problem(d.status, d.slug, d.title, err.message, errors), headers };
  }
  if (err instanceof z.ZodError) return { problem: validationProblem(zodFieldErrors(err)), headers: {} };
  logger.error({ err }, "unhandled error in REST route");
  reportError(err, { api: "rest" });
  const requestId = currentRequestId();
  return {
    problem: problem(
      500,
      "internal_error",
      "Internal error",
      `Something went wrong on our side. Try again.${requestId ? ` Reference: ${requestId}` : ""}`,
    ),
    headers: {},
  };
}

/**
 * Parses with a service's schema. JSON has no dates, while the tRPC schemas (superjson) expect
 * `Date`s: where the schema says "expected date" and the input holds an ISO 8601 string, the string
 * is turned into a Date and the input parsed again. Only those positions change, so a title that
 * happens to look like a date stays a string.
 */
export function parseWithDates<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { success: true; data: z.output<S> } | { success: false; error: z.ZodError } {
  let value = input;
  for (let round = 0; round < 20; round++) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { success: true, data: parsed.data };
    const revivable = parsed.error.issues.filter(
      (i) => i.code === "invalid_type" && i.expected === "date" && typeof getAt(value, i.path) === "string",
    );
    if (revivable.length === 0) return { success: false, error: parsed.error };
    value = structuredClone(value);
    let changed = false;
    for (const issue of revivable) {
      const s = getAt(value, issue.path) as string;
      const iso = z.iso.datetime({ offset: true }).safeParse(s);
      const date = iso.success ? new Date(s) : null;
      if (date && !Number.isNaN(date.getTime())) {
        setAt(value, issue.path, date);
        changed = true;
      }
    }
    if (!changed) return { success: false, error: parsed.error };
  }
  return { success: false, error: schema.safeParse(value).error! };
}

function getAt(v: unknown, path: PropertyKey[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function setAt(v: unknown, path: PropertyKey[], value: unknown) {
  if (path.length === 0) return;
  const parent = getAt(v, path.slice(0, -1)) as Record<PropertyKey, unknown>;
  parent[path.at(-1)!] = value;
}
