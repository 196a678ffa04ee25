import "server-only";
import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { appUrl } from "@/lib/env";
import { authSecret } from "@/lib/secrets";

/**
 * A signed, expiring, read-only address for one media library file, for a platform that downloads
 * the video itself (Instagram's `video_url`). The token names the workspace, the asset and the
 * expiry, signed with a key derived from the app secret; it is valid nowhere else.
 */

export const SIGNED_MEDIA_TTL_MS = 2 * 60 * 60_000;

const key = () => createHmac("sha256", authSecret()).update("signed-media-url").digest();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sign(message: string) {
  return createHmac("sha256", key()).update(message).digest("base64url");
}

export function signMediaToken(
  asset: { id: string; workspaceId: string },
  now = Date.now(),
  ttlMs = SIGNED_MEDIA_TTL_MS,
) {
  const payload = `${asset.workspaceId}.${asset.id}.${Math.floor((now + ttlMs) / 1000)}`;
  return `${Buffer.from(payload).toString("base64url")}.${sign(payload)}`;
}

/** The public address Meta (or any platform) fetches: built on APP_URL, never on a request's Host. */
export function signedMediaUrl(asset: { id: string; workspaceId: string }, now = Date.now()) {
  return `${appUrl()}/api/media/signed/${signMediaToken(asset, now)}`;
}

/** The asset a token names, or null when it is malformed, tampered with or expired. */
export function verifyMediaToken(
  token: string,
  now = Date.now(),
): { workspaceId: string; id: string } | null {
  if (typeof token !== "string" || token.length > 300) return null;
  const [encoded, mac, extra] = token.split(".");
  if (!encoded || !mac || extra !== undefined) return null;
  const payload = Buffer.from(encoded, "base64url").toString("utf8");
  if (!safeEqual(sign(payload), mac)) return null;
  const [workspaceId, id, expires] = payload.split(".");
  if (!workspaceId || !id || !UUID.test(workspaceId) || !UUID.test(id) || !/^\d+$/.test(expires ?? ""))
    return null;
  if (Number(expires) * 1000 <= now) return null;
  return { workspaceId, id };
}
