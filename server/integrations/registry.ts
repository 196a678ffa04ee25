import { type Env, env } from "@/lib/env";
import { ValidationError } from "@/server/errors";
import { AmazonClient, type AmazonClientOptions } from "./amazon/client";
import { amazonHealth } from "./amazon/health";
import * as gmailApi from "./gmail/client";
import { gmailHealth } from "./gmail/health";
import type { IntegrationHealth } from "./health";
import * as instagramApi from "./instagram/client";
import { instagramHealth } from "./instagram/health";
import { OpenAIClient, type OpenAIClientOptions } from "./openai/client";
import { openaiHealth } from "./openai/health";
import * as tiktokApi from "./tiktok/client";
import { tiktokHealth } from "./tiktok/health";
import * as youtubeApi from "./youtube/client";
import { youtubeHealth } from "./youtube/health";

/**
 * The external providers Organic talks to, in one table: each lives in `server/integrations/<id>/`
 * (client, schemas, token store, health) and is chosen here by id — code that needs "the provider
 * called X" asks this registry instead of switching on the string.
 */

/** The boolean ENABLE_* switches in lib/env.ts. */
type FeatureFlag = {
  [K in keyof Env]: Env[K] extends boolean ? (K extends `ENABLE_${string}` ? K : never) : never;
}[keyof Env];

export interface IntegrationDefinition<Options, Client> {
  id: string;
  /** How people name it (cards, messages). */
  label: string;
  /** The switch that turns off the part of the app this provider serves; null = always on. */
  featureFlag: FeatureFlag | null;
  /** Whether the server has what connecting needs (app credentials from the environment). */
  configured: () => boolean;
  /** The typed API client (function modules for TikTok and Gmail, classes for Amazon and OpenAI). */
  client: (options: Options) => Client;
  /** Reachable and accepting our credentials; never throws (failures are reported). */
  health: () => Promise<IntegrationHealth>;
}

export const INTEGRATIONS = {
  tiktok: {
    id: "tiktok",
    label: "TikTok",
    featureFlag: "ENABLE_TIKTOK_INTEGRATION",
    configured: () => tiktokApi.tiktokAppCredentials() !== null,
    client: (_: void) => tiktokApi,
    health: tiktokHealth,
  },
  youtube: {
    id: "youtube",
    label: "YouTube",
    featureFlag: "ENABLE_YOUTUBE_INTEGRATION",
    // The Gmail Google app, with YouTube's own scopes.
    configured: () => youtubeApi.youtubeAppCredentials() !== null,
    client: (_: void) => youtubeApi,
    health: youtubeHealth,
  },
  instagram: {
    id: "instagram",
    label: "Instagram",
    featureFlag: "ENABLE_INSTAGRAM_INTEGRATION",
    configured: () => instagramApi.instagramAppCredentials() !== null,
    client: (_: void) => instagramApi,
    health: instagramHealth,
  },
  gmail: {
    id: "gmail",
    label: "Gmail",
    featureFlag: "ENABLE_EMAIL_MARKETING",
    configured: () => gmailApi.googleAppCredentials() !== null,
    client: (_: void) => gmailApi,
    health: gmailHealth,
  },
  amazon: {
    id: "amazon",
    label: "Amazon Seller Central",
    featureFlag: "ENABLE_ANALYTICS",
    // Credentials are each workspace's own (entered on Connect), not the server's.
    configured: () => true,
    client: (options: AmazonClientOptions) => new AmazonClient(options),
    health: () => amazonHealth(),
  },
  openai: {
    id: "openai",
    label: "AI writer (OpenAI-compatible)",
    featureFlag: null,
    // A workspace may bring its own endpoint; without any, the offline writer writes.
    configured: () => true,
    client: (options: OpenAIClientOptions = {}) => new OpenAIClient(options),
    health: openaiHealth,
  },
} as const satisfies {
  [Id in string]: IntegrationDefinition<never, unknown> & { id: Id };
};

export type IntegrationId = keyof typeof INTEGRATIONS;
export const INTEGRATION_IDS = Object.keys(INTEGRATIONS) as IntegrationId[];

export class UnknownIntegrationError extends ValidationError {
  constructor(id: string) {
    super(`Unknown integration "${id}". Known integrations: ${INTEGRATION_IDS.join(", ")}.`);
  }
}

export function isIntegrationId(id: string): id is IntegrationId {
  return Object.hasOwn(INTEGRATIONS, id);
}

/** The provider called `id`; anything else is refused with an error naming the known ones. */
export function getIntegration<Id extends IntegrationId>(id: Id): (typeof INTEGRATIONS)[Id];
export function getIntegration(id: string): (typeof INTEGRATIONS)[IntegrationId];
export function getIntegration(id: string) {
  if (!isIntegrationId(id)) throw new UnknownIntegrationError(id);
  return INTEGRATIONS[id];
}

/** Whether the provider's feature flag is on (read at call time, so tests and operators can switch it). */
export function integrationEnabled(id: IntegrationId): boolean {
  const flag = getIntegration(id).featureFlag;
  return flag === null || env()[flag];
}
