import "server-only";
import type { z } from "zod";
import type { Db } from "@/server/db";
import type { Role } from "@/server/db/schema";
import type { ApiKeyScope } from "@/server/services/api-keys";
import type { WorkspaceServiceContext } from "@/server/services/context";
import type { ApiKeyPrincipal } from "./auth";

export type RestMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** What a handler gets: the key's workspace as a service context, and the request for headers. */
export interface RestContext {
  db: Db;
  principal: ApiKeyPrincipal;
  /** `ctx.ws` of tRPC: the service context of the key's workspace (actor: no user, the caller's IP). */
  ws: WorkspaceServiceContext;
  request: Request;
  baseUrl: string;
}

/** A handler may pick the status itself (201 vs 200 for create-or-update); otherwise `status`. */
export interface RestReply<T = unknown> {
  reply: true;
  status: number;
  body: T;
  headers?: Record<string, string>;
}

export function reply<T>(status: number, body: T, headers?: Record<string, string>): RestReply<T> {
  return { reply: true, status, body, headers };
}

export function isReply(v: unknown): v is RestReply {
  return typeof v === "object" && v !== null && (v as { reply?: unknown }).reply === true;
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/** One REST operation. See registry.ts for how the list of them is used. */
export interface RestRoute<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  /** Stable id, also the OpenAPI operationId (e.g. `leads.list`). */
  operationId: string;
  method: RestMethod;
  /** Path below /api/v1, with `{name}` placeholders (e.g. `/leads/{id}`). */
  path: string;
  /** The key scope required: `read` for GET, `write` for every change. */
  scope: ApiKeyScope;
  /**
   * The least role the same action needs in the app, checked against the key's creator's current
   * role. Default: viewer for `read`, member for `write`.
   */
  minRole?: Role;
  /** Group in the docs (OpenAPI tag). */
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters, an object schema whose keys are the `{name}`s of `path`. */
  params?: P;
  /** Query parameters, an object schema; strings are coerced to the numbers, booleans and arrays it declares. */
  query?: Q;
  /** The JSON body (object schema), or a raw CSV body (`bodyType: "csv"`, handed to `stage`). */
  body?: B;
  bodyType?: "json" | "csv";
  /**
   * For a raw body: stores the stream before the handler runs (never buffered in memory; hashed on
   * the way for Idempotency-Key). The handler gets `value` as `body`; `discard` removes it again
   * when the request turns out to be a replay or fails.
   */
  stage?: (
    ctx: RestContext,
    body: ReadableStream<Uint8Array> | null,
    declaredSize: number | undefined,
  ) => Promise<{ value: unknown; discard: () => Promise<void> }>;
  /** Status of a successful answer when the handler returns a plain value. */
  status: 200 | 201 | 202 | 204;
  /** Schema of the success body (documentation; the handler's result is sent as JSON). */
  response?: z.ZodType;
  /** A short example request body for the docs' curl line. */
  example?: unknown;
  handler: (
    ctx: RestContext,
    input: {
      params: Infer<P>;
      query: Infer<Q>;
      body: B extends z.ZodType ? z.output<B> : unknown;
      /** The body as sent, before defaults: tells "not given" from "given the default". */
      raw: unknown;
    },
  ) => Promise<unknown>;
}

/** Identity with inference: keeps each route's handler typed against its own schemas. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: RestRoute<P, Q, B>): RestRoute {
  return route as unknown as RestRoute;
}
