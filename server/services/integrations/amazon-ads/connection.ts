import "server-only";
import { and, eq } from "drizzle-orm";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { decryptJson, encryptJson } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { amazonAdsConnections } from "@/server/db/schema";
import { DomainError, ValidationError } from "@/server/errors";
import {
  AmazonAdsClient,
  type AmazonAdsClientOptions,
  type AmazonAdsCredentials,
  type AmazonRegion,
} from "@/server/integrations/amazon-ads/client";
import type { AttributionPublisher } from "@/server/integrations/amazon-ads/schemas";
import { AuthError, isIntegrationError, PermanentError } from "@/server/integrations/http";
import { record } from "../../activity";
import type { WorkspaceServiceContext } from "../../context";
import { getAppCredentials } from "../../instance/credentials";
import type { ConnectAmazonAdsInput } from "./schemas";

/**
 * A workspace's Amazon Ads connection for Amazon Attribution (docs/AMAZON-ATTRIBUTION.md): a Login
 * with Amazon grant with the Ads scope, through the same LWA app as the SP-API integration (the
 * workspace's own, else Settings → Instance, else the environment's); then the advertising profile (the Amazon-Advertising-API-Scope
 * header), the Attribution advertiser, and the publisher entry whose tag goes on tracked links.
 */

type Row = typeof amazonAdsConnections.$inferSelect;

/** Test hook: stand-in URLs for the clients built here (production reads env, then the region). */
export const amazonAdsClientOverrides: Pick<
  AmazonAdsClientOptions,
  "baseUrl" | "tokenUrl" | "retries" | "maxRetryWaitMs"
> = {};

export class AmazonAdsNotConnectedError extends DomainError {
  constructor(what = "Connect Amazon Ads on the Integrations page first") {
    super("PRECONDITION_FAILED", what);
  }
}

/** Amazon could not be asked right now (5xx, timeout, rate limit): nothing changed, try later. */
export class AmazonAdsUnavailableError extends DomainError {
  constructor(message: string) {
    super("PRECONDITION_FAILED", message);
  }
}

export function buildAdsClient(credentials: AmazonAdsCredentials, region: AmazonRegion) {
  return new AmazonAdsClient({ credentials, region, ...amazonAdsClientOverrides });
}

export async function getAmazonAdsRow(db: Db, workspaceId: string): Promise<Row | null> {
  const [row] = await db
    .select()
    .from(amazonAdsConnections)
    .where(eq(amazonAdsConnections.workspaceId, workspaceId));
  return row ?? null;
}

/** The workspace's connection and a client for it; throws when Amazon Ads is not connected. */
export async function amazonAdsConnection(db: Db, workspaceId: string) {
  const row = await getAmazonAdsRow(db, workspaceId);
  if (!row) throw new AmazonAdsNotConnectedError();
  const creds = decryptJson<AmazonAdsCredentials>(row.secrets);
  return { row, client: buildAdsClient(creds, row.region as AmazonRegion) };
}

/** Like amazonAdsConnection, and the profile and advertiser must be chosen. */
export async function readyAmazonAdsConnection(db: Db, workspaceId: string) {
  const c = await amazonAdsConnection(db, workspaceId);
  if (!c.row.profileId) throw new AmazonAdsNotConnectedError("Choose an Amazon Ads profile first");
  if (!c.row.advertiserId) throw new AmazonAdsNotConnectedError("Choose an Attribution advertiser first");
  return { ...c, profileId: c.row.profileId, advertiserId: c.row.advertiserId };
}

async function updateRow(db: Db, row: Pick<Row, "id" | "workspaceId">, set: Partial<Row>) {
  const [updated] = await db
    .update(amazonAdsConnections)
    .set(set)
    .where(and(eq(amazonAdsConnections.id, row.id), eq(amazonAdsConnections.workspaceId, row.workspaceId)))
    .returning();
  return updated ?? null;
}

/** A dead grant asks the user to reconnect; a 5xx, timeout or rate limit leaves the connection be. */
export async function noteAmazonAdsFailure(db: Db, row: Pick<Row, "id" | "workspaceId">, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof AuthError)
    await updateRow(db, row, { status: "needs_attention", lastError: `Reconnect needed: ${message}` });
  else if (isIntegrationError(err)) await updateRow(db, row, { lastError: message });
}

/** Turns an Amazon failure into a message a person can act on, and notes it on the connection. */
export async function explainAmazonAdsFailure(
  db: Db,
  row: Pick<Row, "id" | "workspaceId">,
  err: unknown,
): Promise<never> {
  if (!isIntegrationError(err)) throw err;
  await noteAmazonAdsFailure(db, row, err);
  if (err instanceof AuthError)
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Amazon refused the stored grant. Reconnect Amazon Ads on the Integrations page.",
    );
  if (err instanceof PermanentError) throw new ValidationError(err.message);
  throw new AmazonAdsUnavailableError(`${err.message}. Nothing was changed; try again in a minute.`);
}

/** The workspace's own LWA app, or the instance's (Settings → Instance, else the environment's). */
async function lwaApp(db: Db, input: { clientId?: string; clientSecret?: string }) {
  if (input.clientId && input.clientSecret)
    return { clientId: input.clientId, clientSecret: input.clientSecret };
  const app = await getAppCredentials(db, "amazon");
  if (!app)
    throw new ValidationError(
      "Enter the LWA client id and secret (this server has no Amazon app of its own)",
      { clientId: ["Enter the LWA client id"] },
    );
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}

/**
 * Connects with a Login with Amazon refresh token granted with the Ads scope (the SP-API card's
 * flow): checked with a token exchange and GET /v2/profiles before anything is saved. With one
 * profile (and one advertiser) the set-up finishes here, so tags work right after Connect.
 */
export async function connectAmazonAds(ctx: WorkspaceServiceContext, input: ConnectAmazonAdsInput) {
  const credentials: AmazonAdsCredentials = {
    ...(await lwaApp(ctx.db, input)),
    refreshToken: input.refreshToken,
  };
  let profiles: Awaited<ReturnType<AmazonAdsClient["profiles"]>>;
  try {
    profiles = await buildAdsClient(credentials, input.region).profiles();
  } catch (err) {
    if (err instanceof AuthError)
      throw new ValidationError(`Amazon refused these credentials: ${err.message}`, {
        refreshToken: ["Check the client id, secret and refresh token (granted with the Ads scope)"],
      });
    if (err instanceof PermanentError) throw new ValidationError(err.message);
    if (isIntegrationError(err))
      throw new AmazonAdsUnavailableError(`${err.message}. Nothing was saved; try again in a minute.`);
    throw err;
  }
  const previous = await getAmazonAdsRow(ctx.db, ctx.workspaceId);
  // Reconnecting keeps the choices while the profile is still one of this grant's.
  const keep =
    previous?.region === input.region &&
    previous.profileId &&
    profiles.some((x) => x.profileId === previous.profileId);
  const chosen = !keep && profiles.length === 1 ? profiles[0]! : null;
  const values = {
    workspaceId: ctx.workspaceId,
    status: "connected" as const,
    region: input.region,
    secrets: encryptJson(credentials),
    lastError: null,
    connectedBy: ctx.actor.userId,
    ...(keep
      ? {}
      : {
          profileId: chosen?.profileId ?? null,
          profileName: chosen ? profileLabel(chosen) : null,
          countryCode: chosen?.countryCode?.slice(0, 2) ?? null,
          currency: chosen?.currencyCode?.slice(0, 3) ?? null,
          advertiserId: null,
          advertiserName: null,
          publisherId: null,
          publisherName: null,
          tagTemplate: null,
          tagKind: null,
          tagsFetchedAt: null,
        }),
  };
  const [row] = await ctx.db
    .insert(amazonAdsConnections)
    .values(values)
    .onConflictDoUpdate({
      target: amazonAdsConnections.workspaceId,
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "integration.connected",
    { type: "integration", id: row!.id },
    { provider: "amazon_ads", region: input.region, profiles: profiles.length },
  );
  if (chosen) {
    try {
      await autoChooseAdvertiser(ctx.db, row!);
    } catch (err) {
      if (!isIntegrationError(err) && !(err instanceof DomainError)) throw err;
      logger.warn({ workspaceId: ctx.workspaceId, err: String(err) }, "amazon ads: advertiser not chosen");
    }
  }
  return getAmazonAdsStatus(ctx.db, ctx.workspaceId);
}

function profileLabel(p: { profileId: string; countryCode?: string; accountInfo?: { name?: string } }) {
  const name = p.accountInfo?.name || `Profile ${p.profileId}`;
  return (p.countryCode ? `${name} (${p.countryCode})` : name).slice(0, 255);
}

/** The advertising profiles this grant reaches (for the profile picker). */
export async function listAmazonAdsProfiles(ctx: WorkspaceServiceContext) {
  const { row, client } = await amazonAdsConnection(ctx.db, ctx.workspaceId);
  try {
    const profiles = await client.profiles();
    return profiles.map((p) => ({
      profileId: p.profileId,
      name: profileLabel(p),
      countryCode: p.countryCode ?? null,
      currency: p.currencyCode ?? null,
      type: p.accountInfo?.type ?? null,
    }));
  } catch (err) {
    return explainAmazonAdsFailure(ctx.db, row, err);
  }
}

export async function chooseAmazonAdsProfile(ctx: WorkspaceServiceContext, input: { profileId: string }) {
  const { row, client } = await amazonAdsConnection(ctx.db, ctx.workspaceId);
  let profile: Awaited<ReturnType<AmazonAdsClient["profiles"]>>[number] | undefined;
  try {
    profile = (await client.profiles()).find((p) => p.profileId === input.profileId);
  } catch (err) {
    return explainAmazonAdsFailure(ctx.db, row, err);
  }
  if (!profile)
    throw new ValidationError("This Amazon account has no such advertising profile", {
      profileId: ["Not one of this account's profiles"],
    });
  const changed = row.profileId !== profile.profileId;
  const updated = await updateRow(ctx.db, row, {
    profileId: profile.profileId,
    profileName: profileLabel(profile),
    countryCode: profile.countryCode?.slice(0, 2) ?? null,
    currency: profile.currencyCode?.slice(0, 3) ?? null,
    status: "connected",
    lastError: null,
    ...(changed
      ? {
          advertiserId: null,
          advertiserName: null,
          publisherId: null,
          publisherName: null,
          tagTemplate: null,
          tagKind: null,
          tagsFetchedAt: null,
        }
      : {}),
  });
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "integration.updated",
    { type: "integration", id: row.id },
    { provider: "amazon_ads", profileId: profile.profileId },
  );
  if (changed && updated) {
    try {
      await autoChooseAdvertiser(ctx.db, updated);
    } catch (err) {
      if (!isIntegrationError(err) && !(err instanceof DomainError)) throw err;
    }
  }
  return getAmazonAdsStatus(ctx.db, ctx.workspaceId);
}

/** The profile's Attribution advertisers and the publisher entries (for the pickers). */
export async function listAmazonAdsAdvertisers(ctx: WorkspaceServiceContext) {
  const { row, client } = await amazonAdsConnection(ctx.db, ctx.workspaceId);
  if (!row.profileId) throw new AmazonAdsNotConnectedError("Choose an Amazon Ads profile first");
  try {
    const [a, p] = await Promise.all([client.advertisers(row.profileId), client.publishers(row.profileId)]);
    return {
      advertisers: a.advertisers.map((x) => ({ advertiserId: x.advertiserId, name: x.advertiserName })),
      publishers: p.publishers.map((x) => ({
        publisherId: x.id,
        name: x.name,
        macroEnabled: x.macroEnabled,
      })),
      suggestedPublisherId: pickPublisher(p.publishers)?.id ?? null,
    };
  } catch (err) {
    return explainAmazonAdsFailure(ctx.db, row, err);
  }
}

/** The publisher entry our tags use: the operator's, else one named Organic or Other, else the first. */
export function pickPublisher(publishers: AttributionPublisher[], wanted?: string | null) {
  const configured = wanted ?? env().AMAZON_ADS_PUBLISHER_ID;
  if (configured) {
    const hit = publishers.find((p) => p.id === configured);
    if (hit) return hit;
  }
  return (
    publishers.find((p) => /organic/i.test(p.name)) ??
    publishers.find((p) => !p.macroEnabled && /other/i.test(p.name)) ??
    publishers.find((p) => !p.macroEnabled) ??
    publishers[0] ??
    null
  );
}

async function autoChooseAdvertiser(db: Db, row: Row) {
  if (!row.profileId) return;
  const creds = decryptJson<AmazonAdsCredentials>(row.secrets);
  const client = buildAdsClient(creds, row.region as AmazonRegion);
  const { advertisers } = await client.advertisers(row.profileId);
  if (advertisers.length !== 1) return;
  await saveAdvertiser(db, row, client, advertisers[0]!, undefined);
}

async function saveAdvertiser(
  db: Db,
  row: Row,
  client: AmazonAdsClient,
  advertiser: { advertiserId: string; advertiserName: string },
  publisherId: string | undefined,
) {
  const profileId = row.profileId!;
  const { publishers } = await client.publishers(profileId);
  const publisher = publisherId ? publishers.find((p) => p.id === publisherId) : pickPublisher(publishers);
  if (!publisher)
    throw new ValidationError(
      publisherId ? "Amazon Attribution has no such publisher" : "Amazon Attribution lists no publishers",
      { publisherId: ["Choose one of the listed publishers"] },
    );
  const tag = await client.tag({
    profileId,
    advertiserId: advertiser.advertiserId,
    publisherId: publisher.id,
    macro: publisher.macroEnabled,
  });
  return updateRow(db, row, {
    advertiserId: advertiser.advertiserId,
    advertiserName: advertiser.advertiserName || null,
    publisherId: publisher.id,
    publisherName: publisher.name || null,
    tagTemplate: tag,
    tagKind: publisher.macroEnabled ? "macro" : "nonMacro",
    tagsFetchedAt: new Date(),
    status: "connected",
    lastError: tag ? null : "Amazon sent no Attribution tag for this advertiser and publisher",
  });
}

export async function chooseAmazonAdsAdvertiser(
  ctx: WorkspaceServiceContext,
  input: { advertiserId: string; publisherId?: string },
) {
  const { row, client } = await amazonAdsConnection(ctx.db, ctx.workspaceId);
  if (!row.profileId) throw new AmazonAdsNotConnectedError("Choose an Amazon Ads profile first");
  try {
    const { advertisers } = await client.advertisers(row.profileId);
    const advertiser = advertisers.find((a) => a.advertiserId === input.advertiserId);
    if (!advertiser)
      throw new ValidationError("This profile has no such Attribution advertiser", {
        advertiserId: ["Not one of this profile's advertisers"],
      });
    await saveAdvertiser(ctx.db, row, client, advertiser, input.publisherId);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    return explainAmazonAdsFailure(ctx.db, row, err);
  }
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "integration.updated",
    { type: "integration", id: row.id },
    { provider: "amazon_ads", advertiserId: input.advertiserId },
  );
  return getAmazonAdsStatus(ctx.db, ctx.workspaceId);
}

/** Fetches the tag again (an advertiser's tags change when its Attribution set-up changes). */
export async function refreshAmazonAdsTags(ctx: WorkspaceServiceContext) {
  const { row, client } = await readyAmazonAdsConnection(ctx.db, ctx.workspaceId);
  try {
    await saveAdvertiser(
      ctx.db,
      row,
      client,
      { advertiserId: row.advertiserId!, advertiserName: row.advertiserName ?? "" },
      row.publisherId ?? undefined,
    );
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    return explainAmazonAdsFailure(ctx.db, row, err);
  }
  return getAmazonAdsStatus(ctx.db, ctx.workspaceId);
}

export async function disconnectAmazonAds(ctx: WorkspaceServiceContext) {
  const [row] = await ctx.db
    .delete(amazonAdsConnections)
    .where(eq(amazonAdsConnections.workspaceId, ctx.workspaceId))
    .returning({ id: amazonAdsConnections.id });
  if (!row) return { disconnected: false };
  // The grant goes (and with it the tags on new clicks); synced report rows stay for analytics.
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "integration.disconnected",
    { type: "integration", id: row.id },
    { provider: "amazon_ads" },
  );
  return { disconnected: true };
}

/** What any member may see: never the grant. */
export async function getAmazonAdsStatus(db: Db, workspaceId: string) {
  const row = await getAmazonAdsRow(db, workspaceId);
  if (!row) return { connected: false as const, status: "not_connected" as const };
  const step = !row.profileId ? "profile" : !row.advertiserId ? "advertiser" : "ready";
  return {
    connected: true as const,
    status: row.status,
    step: step as "profile" | "advertiser" | "ready",
    region: row.region as AmazonRegion,
    profileId: row.profileId,
    profileName: row.profileName,
    countryCode: row.countryCode,
    currency: row.currency,
    advertiserId: row.advertiserId,
    advertiserName: row.advertiserName,
    publisherId: row.publisherId,
    publisherName: row.publisherName,
    tagKind: row.tagKind,
    hasTag: Boolean(row.tagTemplate),
    tagsFetchedAt: row.tagsFetchedAt,
    lastSyncAt: row.lastSyncAt,
    lastSyncStatus: row.lastSyncStatus,
    lastSyncSummary: row.lastSyncSummary ?? null,
    lastError: row.lastError,
    connectedAt: row.createdAt,
  };
}
