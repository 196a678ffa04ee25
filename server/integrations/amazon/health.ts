import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { env } from "@/lib/env";
import { type Db, getDb } from "@/server/db";
import { integrations } from "@/server/db/schema";
import { HEALTH_TIMEOUT_MS, healthFailure } from "../health";
import { httpRequest } from "../http";
import { USER_AGENT } from "./client";

/**
 * Amazon's part of /api/health: "not_configured" while no workspace has Amazon connected;
 * otherwise whether Login with Amazon answers. It is asked with a refresh token it cannot know,
 * so no account's credentials are spent and an `invalid_grant`/`invalid_request` answer proves the
 * endpoint is up. Short timeout; the answer is cached for a minute.
 */

export type AmazonHealth = "ok" | "not_configured" | { error: string };

const TTL_MS = 60_000;
let cache: { at: number; value: Promise<AmazonHealth> } | undefined;

async function anyConnected(db: Db) {
  const [row] = await db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.provider, "amazon"), ne(integrations.status, "disconnected")))
    .limit(1);
  return Boolean(row);
}

async function check(db: Db): Promise<AmazonHealth> {
  if (!(await anyConnected(db))) return "not_configured";
  try {
    await httpRequest({
      provider: "amazon",
      method: "POST",
      url: env().AMAZON_LWA_URL,
      headers: { "user-agent": USER_AGENT },
      form: {
        grant_type: "refresh_token",
        refresh_token: "Atzr|organic-health-check",
        client_id: "organic-health-check",
      },
      timeoutMs: HEALTH_TIMEOUT_MS,
      retries: 0,
      // A well-formed OAuth refusal is an answer from a live endpoint.
      okStatuses: [400, 401, 403],
    });
    return "ok";
  } catch (err) {
    return healthFailure(err);
  }
}

export function amazonHealth(opts: { db?: Db; fresh?: boolean } = {}): Promise<AmazonHealth> {
  if (!opts.fresh && cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const value = (async () => check(opts.db ?? (await getDb())))().catch(healthFailure);
  cache = { at: Date.now(), value };
  return value;
}

export function resetAmazonHealthCache() {
  cache = undefined;
}
