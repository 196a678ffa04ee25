import "server-only";
import { z } from "zod";
import { logger } from "@/lib/logger";
import { DOMAIN_ERRORS, DomainError, RateLimitError } from "@/server/errors";

/**
 * The plain-route side of the domain error list (`server/errors.ts`): a JSON body
 * `{ error, fieldErrors? }` with the code's status. tRPC and REST map the same list their own way.
 */

export function jsonError(
  status: number,
  message: string,
  fieldErrors?: Record<string, string[]>,
  headers?: Record<string, string>,
): Response {
  return Response.json({ error: message, ...(fieldErrors ? { fieldErrors } : {}) }, { status, headers });
}

/** A domain error's response, or null for anything else (which the caller rethrows or logs). */
export function domainErrorResponse(err: unknown): Response | null {
  if (err instanceof DomainError) {
    const headers =
      err instanceof RateLimitError ? { "retry-after": String(err.retryAfterSeconds) } : undefined;
    return jsonError(DOMAIN_ERRORS[err.code].status, err.message, err.fieldErrors, headers);
  }
  if (err instanceof z.ZodError) {
    const flat = z.flattenError(err);
    const fieldErrors = flat.fieldErrors as Record<string, string[]>;
    const first = flat.formErrors[0] ?? Object.values(fieldErrors).flat()[0] ?? "Invalid request";
    return jsonError(400, first, fieldErrors);
  }
  return null;
}

/** Domain errors as their status; anything else logged and answered with a 500 that leaks nothing. */
export function errorResponse(err: unknown, context: Record<string, unknown> = {}): Response {
  const mapped = domainErrorResponse(err);
  if (mapped) return mapped;
  logger.error({ err, ...context }, "unhandled error in route handler");
  return jsonError(500, "Something went wrong on our side. Try again.");
}
