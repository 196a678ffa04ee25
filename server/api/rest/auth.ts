import "server-only";
import type { Db } from "@/server/db";
import type { Role } from "@/server/db/schema";
import { clientIp } from "@/server/request-info";
import { logActivity } from "@/server/services/activity";
import { type ApiKeyScope, verifyApiKey } from "@/server/services/api-keys";
import { hasRole } from "@/server/services/workspaces/roles";

/** RFC 9457 problem details, as every /api/v1 error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  /** Field errors of a 400: `path` is dotted (`customFields.plan`), empty for the whole body. */
  errors?: { path: string; message: string }[];
}

export interface ApiKeyPrincipal {
  workspaceId: string;
  keyId: string;
  scopes: ApiKeyScope[];
  /** Its creator's current role in the workspace (see VerifiedApiKey.role). */
  role: Role;
}

export type ApiKeyAuthResult = { ok: true; principal: ApiKeyPrincipal } | { ok: false; problem: Problem };

const PROBLEM_BASE = "https://organic.dev/problems";

function problem(status: number, code: string, title: string, detail: string): Problem {
  return { type: `${PROBLEM_BASE}/${code}`, title, status, detail, code };
}

/**
 * The REST API's guard: `Authorization: Bearer org_live_…` → the key's workspace and scopes, or a
 * problem (401 missing/invalid/revoked/expired, 403 missing scope or role). A key acts with its
 * creator's current role, so `requiredRole` is the least role the same action needs in the app.
 * Revocation, expiry and role changes take effect on the next request: nothing about a key is cached.
 */
export async function authenticateApiKey(
  db: Db,
  request: Request,
  opts: { requiredScope?: ApiKeyScope; requiredRole?: Role } = {},
): Promise<ApiKeyAuthResult> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    return {
      ok: false,
      problem: problem(
        401,
        "unauthorized",
        "Missing API key",
        "Send the key as `Authorization: Bearer org_live_…`.",
      ),
    };
  }
  const verified = await verifyApiKey(db, match[1]!);
  if (!verified) {
    return {
      ok: false,
      problem: problem(
        401,
        "invalid_api_key",
        "Invalid API key",
        "The API key is unknown, revoked or expired.",
      ),
    };
  }
  if (opts.requiredScope && !verified.scopes.includes(opts.requiredScope)) {
    return {
      ok: false,
      problem: problem(
        403,
        "insufficient_scope",
        "Insufficient scope",
        `This key lacks the \`${opts.requiredScope}\` scope.`,
      ),
    };
  }
  if (opts.requiredRole && !hasRole(verified.role, opts.requiredRole)) {
    return {
      ok: false,
      problem: problem(
        403,
        "insufficient_role",
        "Insufficient role",
        `This key acts with the role of the person who created it, who is now ${verified.role === "admin" ? "an" : "a"} ${verified.role} of this workspace; this needs ${opts.requiredRole === "admin" ? "an" : "a"} ${opts.requiredRole}.`,
      ),
    };
  }
  return {
    ok: true,
    principal: {
      workspaceId: verified.workspaceId,
      keyId: verified.apiKeyId,
      scopes: verified.scopes,
      role: verified.role,
    },
  };
}

/** A problem as an HTTP response (`application/problem+json`); 401s carry `WWW-Authenticate`. */
export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: {
      "content-type": "application/problem+json",
      ...(p.status === 401 ? { "www-authenticate": 'Bearer realm="organic"' } : {}),
      ...headers,
    },
  });
}

/** Records a key's use of a write route in the activity log (reads would flood it). */
export async function recordApiKeyUse(
  db: Db,
  principal: ApiKeyPrincipal,
  request: Request,
  action: string,
  entity: { type: string; id: string | null },
) {
  await logActivity(db, {
    workspaceId: principal.workspaceId,
    userId: null,
    action: "api_key.used",
    entityType: entity.type,
    entityId: entity.id,
    metadata: { apiKeyId: principal.keyId, operation: action, method: request.method },
    ip: clientIp(request.headers),
    userAgent: request.headers.get("user-agent"),
  });
}
