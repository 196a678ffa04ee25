import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { decryptSecret, encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { type IntegrationProvider, integrationOauthStates } from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import type { IntegrationRow } from "@/server/integrations/store";
import { logActivity } from "../activity";

const STATE_TTL_MS = 10 * 60_000;

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

/** PKCE S256: the challenge is base64url(sha256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** Starts a connect: a random state bound to user, workspace and provider, with a PKCE verifier. */
export async function createOAuthState(
  db: Db,
  p: { workspaceId: string; userId: string; provider: IntegrationProvider; redirectUri: string },
) {
  const state = randomBytes(32).toString("base64url");
  const codeVerifier = randomBytes(48).toString("base64url");
  await db.delete(integrationOauthStates).where(lt(integrationOauthStates.expiresAt, new Date()));
  await db.insert(integrationOauthStates).values({
    stateHash: sha256(state),
    workspaceId: p.workspaceId,
    userId: p.userId,
    provider: p.provider,
    codeVerifier: encryptSecret(codeVerifier),
    redirectUri: p.redirectUri,
    expiresAt: new Date(Date.now() + STATE_TTL_MS),
  });
  return { state, codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

export class OAuthStateError extends ValidationError {}

/**
 * Consumes a callback's state exactly once. Refused: unknown, expired, already used, another
 * provider's, or started by another user (a link forwarded to someone else).
 */
export async function consumeOAuthState(
  db: Db,
  p: { state: string; userId: string; provider: IntegrationProvider },
) {
  if (!p.state || p.state.length > 200)
    throw new OAuthStateError("This connect link is not valid. Start again from Integrations.");
  const [row] = await db
    .update(integrationOauthStates)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(integrationOauthStates.stateHash, sha256(p.state)),
        eq(integrationOauthStates.userId, p.userId),
        eq(integrationOauthStates.provider, p.provider),
        isNull(integrationOauthStates.usedAt),
        gt(integrationOauthStates.expiresAt, new Date()),
      ),
    )
    .returning();
  if (!row) {
    throw new OAuthStateError(
      "This connect attempt has expired, was already used, or was started by someone else. Start again from Integrations.",
    );
  }
  return {
    workspaceId: row.workspaceId,
    redirectUri: row.redirectUri,
    codeVerifier: decryptSecret(row.codeVerifier),
  };
}

/** Which workspace a state belongs to, without consuming it (used or not); null when unknown. */
export async function peekOAuthState(db: Db, state: string) {
  if (!state || state.length > 200) return null;
  const [row] = await db
    .select({ workspaceId: integrationOauthStates.workspaceId })
    .from(integrationOauthStates)
    .where(eq(integrationOauthStates.stateHash, sha256(state)));
  return row ?? null;
}

/** The activity-log row of a completed OAuth connect (who connected which account, from where). */
export function logConnected(
  db: Db,
  row: Pick<IntegrationRow, "id" | "workspaceId" | "provider" | "accountName">,
  p: { userId: string; ip?: string | null; userAgent?: string | null },
) {
  return logActivity(db, {
    workspaceId: row.workspaceId,
    userId: p.userId,
    action: "integration.connected",
    entityType: "integration",
    entityId: row.id,
    metadata: { provider: row.provider, account: row.accountName },
    ip: p.ip ?? null,
    userAgent: p.userAgent ?? null,
  });
}
