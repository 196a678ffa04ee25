import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/server/db/schema";
import { enabledFeatures, switchedOffPart } from "@/server/features";
import type { RestRoute } from "./define";
import { IDEMPOTENCY_KEY_MAX } from "./idempotency";
import { PROBLEM_BASE, PROBLEM_CODES } from "./problems";
import { REST_BASE_PATH, restRoutes } from "./registry";

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the route registry and the routes' Zod
 * schemas (Zod's own JSON Schema output, draft 2020-12 = OpenAPI 3.1's dialect). Dates — which
 * JSON carries as ISO 8601 strings — are described as `string`/`date-time`.
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output", defs: Json, prefix: string): Json {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as Json;
  delete out.$schema;
  // Shared sub-schemas ($defs) move to components/schemas under a per-operation prefix.
  const local = out.$defs as Record<string, Json> | undefined;
  delete out.$defs;
  let text = JSON.stringify(out);
  if (local) {
    for (const [name, body] of Object.entries(local)) {
      const target = `${prefix}_${name}`.replace(/[^A-Za-z0-9._-]/g, "_");
      defs[target] = body;
      text = text.replaceAll(`"#/$defs/${name}"`, `"#/components/schemas/${target}"`);
    }
    for (const target of Object.keys(defs)) {
      defs[target] = JSON.parse(
        JSON.stringify(defs[target]).replace(
          /"#\/\$defs\/([^"]+)"/g,
          (_, n: string) => `"#/components/schemas/${prefix}_${n}"`,
        ),
      );
    }
  }
  return JSON.parse(text) as Json;
}

function objectProps(schema: Json): { props: Record<string, Json>; required: string[] } {
  return {
    props: (schema.properties as Record<string, Json> | undefined) ?? {},
    required: (schema.required as string[] | undefined) ?? [],
  };
}

const ERROR_RESPONSES = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  429: "TooManyRequests",
} as const;

const rateHeaders = {
  "X-RateLimit-Limit": { $ref: "#/components/headers/X-RateLimit-Limit" },
  "X-RateLimit-Remaining": { $ref: "#/components/headers/X-RateLimit-Remaining" },
  "X-RateLimit-Reset": { $ref: "#/components/headers/X-RateLimit-Reset" },
};

function operation(route: RestRoute, defs: Json): Json {
  const id = route.operationId.replace(/\./g, "_");
  const parameters: Json[] = [];
  if (route.params) {
    const { props } = objectProps(toJsonSchema(route.params, "input", defs, `${id}_path`));
    for (const [name, schema] of Object.entries(props)) {
      parameters.push({ name, in: "path", required: true, schema });
    }
  }
  if (route.query) {
    const { props, required } = objectProps(toJsonSchema(route.query, "input", defs, `${id}_query`));
    for (const [name, schema] of Object.entries(props)) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: "query",
        required: required.includes(name) && !("default" in schema),
        ...(description ? { description } : {}),
        schema: rest,
        ...(rest.type === "array" ? { style: "form", explode: true } : {}),
      });
    }
  }
  if (route.method === "POST") parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });

  const op: Json = {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: `${route.description ? `${route.description}\n\n` : ""}Requires a key with the \`${route.scope}\` scope.`,
    security: [{ bearerAuth: [] }],
    "x-scope": route.scope,
    ...(parameters.length ? { parameters } : {}),
  };
  if (route.bodyType === "csv") {
    op.requestBody = {
      required: true,
      content: { "text/csv": { schema: { type: "string", description: "A CSV file with a header row." } } },
    };
  } else if (route.body) {
    const schema = toJsonSchema(route.body, "input", defs, `${id}_body`);
    const optional = !route.body.safeParse(undefined).error;
    op.requestBody = {
      required: !optional,
      content: {
        "application/json": { schema, ...(route.example !== undefined ? { example: route.example } : {}) },
      },
    };
  }
  const responses: Json = {};
  if (route.status === 204) {
    responses["204"] = { description: "Done; no body.", headers: rateHeaders };
  } else {
    responses[String(route.status)] = {
      description: route.status === 202 ? "Accepted; the work continues in the background." : "Success.",
      headers: rateHeaders,
      content: {
        "application/json": {
          schema: route.response ? toJsonSchema(route.response, "output", defs, `${id}_response`) : {},
        },
      },
    };
    if (route.operationId === "leads.upsert") {
      responses["200"] = {
        description: "The email was already a lead; it was updated.",
        headers: rateHeaders,
        content: {
          "application/json": { schema: toJsonSchema(route.response!, "output", defs, `${id}_updated`) },
        },
      };
    }
  }
  for (const [status, name] of Object.entries(ERROR_RESPONSES)) {
    if (status === "403" && route.scope === "read") continue;
    if (status === "404" && !route.params) continue;
    if (status === "409" && route.method === "GET") continue;
    responses[status] = { $ref: `#/components/responses/${name}` };
  }
  if (route.bodyType === "csv" || route.body) {
    responses["413"] = { $ref: "#/components/responses/PayloadTooLarge" };
    responses["415"] = { $ref: "#/components/responses/UnsupportedMediaType" };
  }
  op.responses = responses;
  return op;
}

function problemResponse(description: string, extraHeaders: Json = {}): Json {
  return {
    description,
    headers: extraHeaders,
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  Leads: "People who signed up or were imported; created or updated by email.",
  Content: "TikTok videos, blog posts and marketing emails: drafts, schedule, publish.",
  Campaigns: "Email campaigns and their results.",
  Suppressions: "Addresses and domains the workspace never mails (the suppression list).",
  Analytics: "Figures of a period, in the workspace's time zone.",
  Jobs: "Background work started by the API (imports): status, progress, result.",
  Workspace: "The key's workspace and its sender settings.",
};

let cached: { key: string; doc: Json; text?: OpenApiText } | null = null;

/** The served document: its bytes and an ETag. */
export interface OpenApiText {
  /** Its own ArrayBuffer: a Response can take it as it is (a Buffer would be copied first). */
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** The document of the routes served now: a part switched off by its ENABLE_* flag is left out. */
export function openApiDocument(): Json {
  const key = enabledFeatures().join(",");
  if (cached?.key === key) return cached.doc;
  const routes = restRoutes.filter((r) => !switchedOffPart("rest", r.path));
  const defs: Json = {};
  const paths: Record<string, Json> = {};
  const tags = [...new Set(routes.map((r) => r.tag))];
  for (const route of routes) {
    paths[route.path] ??= {};
    const item = paths[route.path]!;
    item[route.method.toLowerCase()] = operation(route, defs);
  }
  const webhooks: Record<string, Json> = {};
  for (const event of WEBHOOK_EVENT_TYPES) {
    webhooks[event] = {
      post: {
        summary: `${event} (outgoing)`,
        description:
          "Sent to the endpoints registered in Settings → Webhooks, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 with the endpoint's secret). Retried with backoff for a day until a 2xx.",
        operationId: `webhook_${event.replace(/\./g, "_")}`,
        parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({
          name,
          in: "header",
          required: true,
          schema: { type: "string" },
        })),
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["type", "timestamp", "data"],
                properties: {
                  type: { const: event },
                  timestamp: { type: "string", format: "date-time" },
                  data: { type: "object", additionalProperties: true },
                },
              },
            },
          },
        },
        responses: { "200": { description: "Any 2xx acknowledges the delivery." } },
      },
    };
  }
  const doc: Json = {
    openapi: "3.1.0",
    info: {
      title: "Organic REST API",
      version: "1.0.0",
      description: [
        "The REST API of one Organic workspace. Authenticate with an API key from Settings → API keys:",
        "`Authorization: Bearer org_live_…`. Cookies are not accepted: a browser session cannot call this API.",
        "",
        "- JSON in camelCase; dates are ISO 8601 strings.",
        "- Lists are paged with `limit` (default 50, max 100) and `cursor`; the answer is `{ data, nextCursor }`.",
        "- Errors are RFC 9457 `application/problem+json` with a stable `code` (also the last part of `type`) and, for invalid input, `errors: [{ path, message }]`.",
        "- `Idempotency-Key` on POST: the same key and body within 24 hours replays the stored response (`Idempotent-Replayed: true`); the same key with another body is a 409.",
        "- Every response carries `X-RateLimit-Limit/Remaining/Reset`; over the limit, 429 with `Retry-After`.",
      ].join("\n"),
    },
    servers: [{ url: REST_BASE_PATH }],
    tags: tags.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    security: [{ bearerAuth: [] }],
    paths,
    webhooks,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API key (`org_live_…`) with the `read` and/or `write` scope.",
        },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Any unique string (a UUID is a good choice). Retrying with the same key and body replays the first response for 24 hours.",
          schema: { type: "string", minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX },
        },
      },
      headers: {
        "X-RateLimit-Limit": {
          description: "Requests this key may make per minute.",
          schema: { type: "integer" },
        },
        "X-RateLimit-Remaining": {
          description: "Requests left in this window.",
          schema: { type: "integer" },
        },
        "X-RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
        "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
      },
      schemas: {
        Problem: {
          type: "object",
          description: "RFC 9457 problem details.",
          required: ["type", "title", "status", "detail", "code"],
          properties: {
            type: { type: "string", format: "uri", examples: [`${PROBLEM_BASE}/validation_failed`] },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            code: { type: "string", enum: PROBLEM_CODES },
            errors: {
              type: "array",
              items: {
                type: "object",
                required: ["path", "message"],
                properties: { path: { type: "string" }, message: { type: "string" } },
              },
            },
          },
        },
        ...defs,
      },
      responses: {
        BadRequest: problemResponse(
          "Invalid input; `errors` lists each field. Nothing was changed.",
          rateHeaders,
        ),
        Unauthorized: problemResponse("Missing, unknown, revoked or expired API key."),
        Forbidden: problemResponse("The key lacks the scope this route needs."),
        NotFound: problemResponse("No such item in this key's workspace.", rateHeaders),
        Conflict: problemResponse(
          "A conflicting state (duplicate, wrong status) or an Idempotency-Key reused with another request.",
          rateHeaders,
        ),
        TooManyRequests: problemResponse("Over this key's rate limit.", {
          ...rateHeaders,
          "Retry-After": { $ref: "#/components/headers/Retry-After" },
        }),
        PayloadTooLarge: problemResponse("The body is too large.", rateHeaders),
        UnsupportedMediaType: problemResponse("Wrong Content-Type.", rateHeaders),
      },
    },
  };
  cached = { key, doc };
  return doc;
}

/**
 * The document as served, made once per set of switched-on parts (the document never changes
 * otherwise): `GET /api/v1/openapi.json` does not serialise its 90 kB per request. (Next.js compresses
 * the answer for clients that take gzip; an answer already encoded would be compressed twice.)
 */
export function openApiJson(): OpenApiText {
  const doc = openApiDocument();
  if (cached && !cached.text) {
    const body = Buffer.from(JSON.stringify(doc));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    cached.text = { body: new Uint8Array(body), etag };
  }
  return cached!.text!;
}
