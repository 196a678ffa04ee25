import "server-only";
import type { Db } from "@/server/db";
import { DomainError, ValidationError } from "@/server/errors";
import type {
  AmazonClient,
  AmazonClientOptions,
  AmazonCredentials,
  AmazonRegion,
} from "@/server/integrations/amazon/client";
import { readAmazonCredentials } from "@/server/integrations/amazon/token-store";
import { AuthError, isIntegrationError, PermanentError } from "@/server/integrations/http";
import { getIntegration } from "@/server/integrations/registry";
import {
  deleteIntegrationRow,
  getIntegrationRow,
  type IntegrationRow,
  noteFailure,
  saveConnection,
  setStatus,
} from "@/server/integrations/store";
import { record } from "@/server/services/activity";
import type { WorkspaceServiceContext } from "@/server/services/context";
import { getAppCredentials } from "../../instance/credentials";
import { type ConnectAmazonInput, MARKETPLACES, type OrdersApiVersion } from "./schemas";

/** What `integrations.settings` holds for Amazon (shown to members; no secrets). */
export interface AmazonSettings {
  region: AmazonRegion;
  marketplaceId: string;
  marketplaceName?: string;
  currency?: string;
  ordersApiVersion: OrdersApiVersion;
  /** Largest LastUpdateDate synced so far: the next sync asks only for what changed after it. */
  ordersWatermark?: string;
  lastSyncSummary?: Record<string, unknown>;
}

/** Amazon could not be asked right now (5xx, timeout, rate limit): nothing changed, try later. */
export class AmazonUnavailableError extends DomainError {
  constructor(message: string) {
    super("PRECONDITION_FAILED", message);
  }
}

export class AmazonNotConnectedError extends DomainError {
  constructor() {
    super("PRECONDITION_FAILED", "Connect Amazon Seller Central on the Integrations page first");
  }
}

/** Test hook: stand-in base URLs for clients built here (production reads env). */
export const amazonClientOverrides: {
  baseUrl?: string;
  lwaUrl?: string;
  retries?: number;
  maxRetryWaitMs?: number;
} = {};

export function buildClient(
  credentials: AmazonCredentials,
  region: AmazonRegion,
  extra: Pick<AmazonClientOptions, "maxPacingWaitMs"> = {},
) {
  return getIntegration("amazon").client({ credentials, region, ...extra, ...amazonClientOverrides });
}

/** The workspace's Amazon row, client and settings; throws when Amazon is not connected. */
export async function amazonConnection(
  db: Db,
  workspaceId: string,
  extra: Pick<AmazonClientOptions, "maxPacingWaitMs"> = {},
) {
  const row = await getIntegrationRow(db, workspaceId, "amazon");
  if (!row || row.status === "disconnected") throw new AmazonNotConnectedError();
  const creds = readAmazonCredentials(row);
  if (!creds) throw new AmazonNotConnectedError();
  const settings = row.settings as unknown as AmazonSettings;
  return { row, settings, client: buildClient(creds, settings.region, extra) };
}

/** Turns an Amazon failure into a message a person can act on, and notes it on the account. */
export async function explainAmazonFailure(
  db: Db,
  row: Pick<IntegrationRow, "id" | "workspaceId">,
  err: unknown,
): Promise<never> {
  if (!isIntegrationError(err)) throw err;
  await noteFailure(db, row, err);
  if (err instanceof AuthError) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Amazon refused the stored credentials. Reconnect Amazon on the Integrations page.",
    );
  }
  if (err instanceof PermanentError) throw new ValidationError(err.message);
  throw new AmazonUnavailableError(`${err.message}. Nothing was changed; try again in a minute.`);
}

/** Checks credentials with a token exchange and one cheap call; returns the marketplace it found. */
async function verify(client: AmazonClient, marketplaceId: string) {
  const { payload } = await client.marketplaceParticipations();
  const match = payload.find((p) => p.marketplace.id === marketplaceId);
  if (!match || match.participation?.isParticipating === false) {
    const known = payload.map((p) => p.marketplace.id).join(", ") || "none";
    throw new ValidationError(
      `This seller account does not sell in marketplace ${marketplaceId} (it sells in: ${known})`,
      { marketplaceId: ["Not a marketplace of this seller account"] },
    );
  }
  return match;
}

/** The workspace's own LWA app, or the instance's (Settings → Instance, else the environment's). */
async function lwaApp(ctx: WorkspaceServiceContext, input: ConnectAmazonInput) {
  if (input.clientId && input.clientSecret)
    return { clientId: input.clientId, clientSecret: input.clientSecret };
  const app = await getAppCredentials(ctx.db, "amazon");
  if (!app)
    throw new ValidationError(
      "Enter the LWA client id and secret (this server has no Amazon app of its own)",
      {
        clientId: ["Enter the LWA client id"],
      },
    );
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}

export async function connectAmazon(ctx: WorkspaceServiceContext, input: ConnectAmazonInput) {
  const credentials: AmazonCredentials = { ...(await lwaApp(ctx, input)), refreshToken: input.refreshToken };
  // Someone is waiting on Connect: past Amazon's burst, say "try again" instead of pacing for a minute.
  const client = buildClient(credentials, input.region, { maxPacingWaitMs: 5_000 });
  let match: Awaited<ReturnType<typeof verify>>;
  try {
    match = await verify(client, input.marketplaceId);
  } catch (err) {
    if (err instanceof AuthError) {
      throw new ValidationError(`Amazon refused these credentials: ${err.message}`, {
        refreshToken: ["Check the client id, secret and refresh token"],
      });
    }
    if (err instanceof PermanentError) throw new ValidationError(err.message);
    if (isIntegrationError(err)) {
      throw new AmazonUnavailableError(`${err.message}. Nothing was saved; try again in a minute.`);
    }
    throw err;
  }
  const previous = await getIntegrationRow(ctx.db, ctx.workspaceId, "amazon");
  const prevSettings = (previous?.settings ?? {}) as Partial<AmazonSettings>;
  const settings: AmazonSettings = {
    region: input.region,
    marketplaceId: input.marketplaceId,
    marketplaceName: match.marketplace.name ?? MARKETPLACES.find((m) => m.id === input.marketplaceId)?.name,
    currency: match.marketplace.defaultCurrencyCode,
    ordersApiVersion: input.ordersApiVersion,
    // Reconnecting the same marketplace keeps the sync position; orders are never lost either way.
    ...(prevSettings.marketplaceId === input.marketplaceId && prevSettings.ordersWatermark
      ? { ordersWatermark: prevSettings.ordersWatermark }
      : {}),
  };
  const row = await saveConnection(ctx.db, {
    workspaceId: ctx.workspaceId,
    provider: "amazon",
    accountName: match.storeName ?? match.marketplace.name ?? "Amazon seller",
    accountId: credentials.clientId.slice(-8),
    secrets: credentials,
    settings: settings as unknown as Record<string, unknown>,
    connectedBy: ctx.actor.userId,
  });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "integration.connected",
    { type: "integration", id: row.id },
    {
      provider: "amazon",
      marketplaceId: input.marketplaceId,
    },
  );
  return getAmazonStatus(ctx.db, ctx.workspaceId);
}

/** Test: a fresh token exchange and the cheap call again. A 5xx never disconnects the account. */
export async function testAmazon(ctx: WorkspaceServiceContext) {
  // Someone clicked Test: past Amazon's burst, report "try again later" rather than wait a minute.
  const { row, settings, client } = await amazonConnection(ctx.db, ctx.workspaceId, {
    maxPacingWaitMs: 5_000,
  });
  try {
    await verify(client, settings.marketplaceId);
  } catch (err) {
    if (!isIntegrationError(err)) {
      const message = err instanceof Error ? err.message : String(err);
      await setStatus(ctx.db, row, "needs_attention", message);
      return { ok: false as const, message, status: await getAmazonStatus(ctx.db, ctx.workspaceId) };
    }
    await noteFailure(ctx.db, row, err);
    const message =
      err instanceof AuthError
        ? `Amazon refused the stored credentials: ${err.message}. Reconnect to fix it.`
        : `${err.message}. The connection is kept; try again later.`;
    return { ok: false as const, message, status: await getAmazonStatus(ctx.db, ctx.workspaceId) };
  }
  await setStatus(ctx.db, row, "connected", null);
  return {
    ok: true as const,
    message: "Amazon answered and the credentials work",
    status: await getAmazonStatus(ctx.db, ctx.workspaceId),
  };
}

export async function disconnectAmazon(ctx: WorkspaceServiceContext) {
  const row = await getIntegrationRow(ctx.db, ctx.workspaceId, "amazon");
  if (!row) return { disconnected: false };
  // The row (with the encrypted secrets) goes; synced orders and MCF orders stay for analytics.
  await deleteIntegrationRow(ctx.db, ctx.workspaceId, "amazon");
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "integration.disconnected",
    { type: "integration", id: row.id },
    {
      provider: "amazon",
    },
  );
  return { disconnected: true };
}

/** What any member may see: never a secret, never the full client id. */
export async function getAmazonStatus(db: Db, workspaceId: string) {
  const row = await getIntegrationRow(db, workspaceId, "amazon");
  if (!row) return { connected: false as const, status: "not_connected" as const };
  const s = row.settings as unknown as AmazonSettings;
  return {
    connected: row.status !== "disconnected",
    status: row.status,
    accountName: row.accountName,
    clientIdHint: row.accountId ? `…${row.accountId.slice(-4)}` : null,
    region: s.region,
    marketplaceId: s.marketplaceId,
    marketplaceName: s.marketplaceName ?? null,
    currency: s.currency ?? null,
    ordersApiVersion: s.ordersApiVersion,
    ordersWatermark: s.ordersWatermark ?? null,
    lastSyncAt: row.lastSyncAt,
    lastSyncStatus: row.lastSyncStatus,
    lastSyncSummary: s.lastSyncSummary ?? null,
    lastError: row.lastError,
    connectedAt: row.createdAt,
  };
}
