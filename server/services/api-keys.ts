import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { randomToken, sha256Hex } from "@/lib/crypto";
import type { Db } from "@/server/db";
import { preparedStatement } from "@/server/db/prepared";
import { rowsOf } from "@/server/db/raw-rows";
import { API_KEY_SCOPES, apiKeys, type Role, users, workspaceMembers } from "@/server/db/schema";
import { NotFoundError, ValidationError } from "@/server/errors";
import { record } from "./activity";
import { type CreateApiKeyInput, createApiKeyInput } from "./api-key-schemas";
import type { Actor, WorkspaceServiceContext } from "./context";

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Every key starts with this, so a leaked key is recognisable (and greppable by secret scanners). */
export const API_KEY_PREFIX = "org_live_";
/** How much of the key is kept in clear in `prefix`, for telling keys apart in lists. */
const DISPLAY_PREFIX_LENGTH = 12;
/** `last_used_at` is a hint for people, not an audit log: writing it on every request would turn reads into writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

export { apiKeyScopeSchema, type CreateApiKeyInput, createApiKeyInput } from "./api-key-schemas";

export const revokeApiKeyInput = z.object({ apiKeyId: z.uuid("apiKeyId must be a UUID") });
export type RevokeApiKeyInput = z.input<typeof revokeApiKeyInput>;

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".") || "_";
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  const first = parsed.error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  throw new ValidationError(`${where}${first?.message ?? "Invalid input"}`, fieldErrors);
}

/** Every column except `key_hash`, which never leaves this module. */
const publicColumns = {
  id: apiKeys.id,
  workspaceId: apiKeys.workspaceId,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
};

export type ApiKey = Omit<typeof apiKeys.$inferSelect, "keyHash">;

/**
 * Creates a key and returns it in clear exactly once; only its SHA-256 is stored. A key carries 32
 * random bytes, so a fast hash is enough: there is nothing to brute-force.
 */
export async function createApiKey(
  ctx: WorkspaceServiceContext,
  input: CreateApiKeyInput,
): Promise<{ apiKey: ApiKey; key: string }> {
  const { name, scopes, expiresAt } = parseOrThrow(createApiKeyInput, input);
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const prefix = key.slice(0, DISPLAY_PREFIX_LENGTH);
  const apiKey = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        workspaceId: ctx.workspaceId,
        name,
        prefix,
        keyHash: sha256Hex(key),
        scopes,
        expiresAt,
        createdBy: ctx.actor.userId,
      })
      .returning(publicColumns);
    if (!row) throw new Error("insert returned no row");
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "api_key.created",
      { type: "api_key", id: row.id },
      {
        name,
        prefix,
        scopes,
      },
    );
    return row;
  });
  return { apiKey, key };
}

export async function listApiKeys(
  db: Db,
  workspaceId: string,
): Promise<(ApiKey & { creator: { name: string | null; email: string } | null })[]> {
  const rows = await db
    .select({ ...publicColumns, creatorName: users.name, creatorEmail: users.email })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(({ creatorName, creatorEmail, ...key }) => ({
    ...key,
    creator: creatorEmail ? { name: creatorName, email: creatorEmail } : null,
  }));
}

/**
 * Revokes a key of this workspace. Revoking an already revoked key returns it unchanged (and logs
 * nothing); a key of another workspace is NOT_FOUND.
 */
export async function revokeApiKey(ctx: WorkspaceServiceContext, input: RevokeApiKeyInput): Promise<ApiKey> {
  const { apiKeyId } = parseOrThrow(revokeApiKeyInput, input);
  return ctx.db.transaction(async (tx) => {
    const inWorkspace = and(eq(apiKeys.id, apiKeyId), eq(apiKeys.workspaceId, ctx.workspaceId));
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(inWorkspace, isNull(apiKeys.revokedAt)))
      .returning(publicColumns);
    if (!revoked) {
      const [existing] = await tx.select(publicColumns).from(apiKeys).where(inWorkspace);
      if (!existing) throw new NotFoundError("API key not found");
      return existing;
    }
    await record(
      tx,
      ctx.actor,
      ctx.workspaceId,
      "api_key.revoked",
      { type: "api_key", id: revoked.id },
      {
        name: revoked.name,
        prefix: revoked.prefix,
      },
    );
    return revoked;
  });
}

/** Why a member's keys change without anyone revoking them by hand. */
export type MemberKeyReason = "member.removed" | "member.left" | "member.role_changed";

/**
 * Keys act for the workspace, so they must not outlive their creator's access: when a member goes
 * (removed or leaving), every usable key they created in this workspace is revoked; when one is
 * lowered to viewer, their keys keep only `read` (a write-only key is revoked), since a viewer may
 * read but not write. Runs in the caller's transaction; each key changed is logged.
 */
export async function restrictMemberApiKeys(
  db: Db,
  actor: Actor,
  p: { workspaceId: string; userId: string; reason: MemberKeyReason; keep: "nothing" | "read" },
): Promise<{ revoked: number; reduced: number }> {
  const theirs = and(
    eq(apiKeys.workspaceId, p.workspaceId),
    eq(apiKeys.createdBy, p.userId),
    isNull(apiKeys.revokedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
  );
  const hasRead = sql`'read' = any(${apiKeys.scopes})`;
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(p.keep === "read" ? and(theirs, sql`not ${hasRead}`) : theirs)
    .returning(publicColumns);
  const reduced =
    p.keep === "read"
      ? await db
          .update(apiKeys)
          .set({ scopes: ["read"] })
          .where(and(theirs, hasRead, sql`'write' = any(${apiKeys.scopes})`))
          .returning(publicColumns)
      : [];
  const meta = (k: ApiKey) => ({ name: k.name, prefix: k.prefix, reason: p.reason, createdBy: p.userId });
  for (const k of revoked) {
    await record(db, actor, p.workspaceId, "api_key.revoked", { type: "api_key", id: k.id }, meta(k));
  }
  for (const k of reduced) {
    await record(
      db,
      actor,
      p.workspaceId,
      "api_key.scopes_reduced",
      { type: "api_key", id: k.id },
      { ...meta(k), scopes: k.scopes },
    );
  }
  return { revoked: revoked.length, reduced: reduced.length };
}

export interface VerifiedApiKey {
  apiKeyId: string;
  workspaceId: string;
  scopes: ApiKeyScope[];
  /**
   * The role the key acts with: its creator's role in the workspace now (a key made by an admin who
   * was since made a member acts as a member). Keys made with the CLI have no creator and act as an
   * admin, as the operator who made them vouches for them.
   */
  role: Role;
}

/** The key's workspace and scopes, or null for a malformed, unknown, revoked or expired key. */
/**
 * The key behind a hash, if it may act: not revoked, not expired, its creator still a member (or a
 * key with no creator). Built once (every REST request runs it).
 */
const keyByHash = preparedStatement<{ hash: string }>(
  () => sql`select k.id, k.workspace_id, k.scopes, k.created_by, m.role as creator_role,
      (k.last_used_at is not null
        and k.last_used_at > now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000})) as recently_used
    from ${apiKeys} k
    left join ${workspaceMembers} m on m.workspace_id = k.workspace_id and m.user_id = k.created_by
    where k.key_hash = ${sql.placeholder("hash")} and k.revoked_at is null
      and (k.expires_at is null or k.expires_at > now())`,
);

export async function verifyApiKey(db: Db, key: string): Promise<VerifiedApiKey | null> {
  if (typeof key !== "string" || !key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const [raw] = rowsOf<{
    id: string;
    workspace_id: string;
    scopes: string[];
    created_by: string | null;
    creator_role: Role | null;
    recently_used: boolean;
  }>(await keyByHash(db, { hash: sha256Hex(key) }));
  if (!raw) return null;
  const row = {
    id: raw.id,
    workspaceId: raw.workspace_id,
    scopes: raw.scopes,
    createdBy: raw.created_by,
    creatorRole: raw.creator_role,
  };
  // Its creator is no longer a member (removed before removals revoked keys): the key acts for nobody.
  if (row.createdBy !== null && row.creatorRole === null) return null;

  // Skip the round trip when the key was marked recently; the conditional UPDATE settles races
  // between concurrent requests (and clock skew) so the row is written at most once a minute.
  if (!raw.recently_used) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.id),
          eq(apiKeys.workspaceId, row.workspaceId),
          or(
            isNull(apiKeys.lastUsedAt),
            lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000})`),
          ),
        ),
      );
  }
  return {
    apiKeyId: row.id,
    workspaceId: row.workspaceId,
    scopes: row.scopes.filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s)),
    role: row.creatorRole ?? "admin",
  };
}
