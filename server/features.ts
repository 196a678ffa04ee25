import "server-only";
import { env } from "@/lib/env";
import {
  FEATURE_PARTS,
  FEATURES,
  type Feature,
  featureOf,
  featureOfContentType,
  featureOffMessage,
  featureOfIntegration,
  type PartContentType,
} from "@/lib/features";
import { DomainError } from "@/server/errors";
import { RESERVED_SLUGS } from "@/server/services/workspaces/schemas";

export type { Feature } from "@/lib/features";

/** Whether a part of the app is on (its ENABLE_* flag), read each time so tests can switch it. */
export function featureEnabled(feature: Feature): boolean {
  return env()[FEATURE_PARTS[feature].flag];
}

export function enabledFeatures(): Feature[] {
  return FEATURES.filter(featureEnabled);
}

/** The switched-off part a path belongs to (see lib/features.ts), or null when it is served. */
export function switchedOffPart(kind: Parameters<typeof featureOf>[0], path: string): Feature | null {
  const f = featureOf(kind, path);
  return f && !featureEnabled(f) ? f : null;
}

/** A 403 naming the part that is off. */
export class FeatureOffError extends DomainError {
  constructor(readonly feature: Feature) {
    super("FORBIDDEN", featureOffMessage(feature));
  }
}

export function assertFeatureOn(feature: Feature) {
  if (!featureEnabled(feature)) throw new FeatureOffError(feature);
}

/** Content of a switched-off part's type (e.g. email while email marketing is off) is refused. */
export function assertContentTypeOn(type: string) {
  const f = featureOfContentType(type);
  if (f) assertFeatureOn(f);
}

/** Whether an integration's part is on (openai serves every part: always). */
export function integrationEnabled(provider: string): boolean {
  const f = featureOfIntegration(provider);
  return !f || featureEnabled(f);
}

/** Connecting, testing or syncing an integration of a switched-off part is refused. */
export function assertIntegrationOn(provider: string) {
  const f = featureOfIntegration(provider);
  if (f) assertFeatureOn(f);
}

/** Content types whose part is on: what the content scheduler publishes. */
export function enabledContentTypes(): PartContentType[] {
  return FEATURES.filter(featureEnabled).flatMap((f) => FEATURE_PARTS[f].contentTypes);
}

/**
 * What proxy.ts does with a request path: a public path of a switched-off part (the blog, TikTok's
 * OAuth callback) is a 404; a dashboard page of one (`/<workspace>/email/…`) shows the "turned
 * off" page. Null: serve it as usual.
 */
export function switchedOffPath(pathname: string): { feature: Feature; kind: "public" | "page" } | null {
  const pub = switchedOffPart("publicPaths", pathname);
  if (pub) return { feature: pub, kind: "public" };
  const m = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  // The first segment is a workspace slug unless it is one of the app's own top-level routes.
  if (!m?.[2] || m[1]!.length < 2 || RESERVED_SLUGS.has(m[1]!)) return null;
  const page = switchedOffPart("pages", m[2].replace(/\/$/, ""));
  return page ? { feature: page, kind: "page" } : null;
}
