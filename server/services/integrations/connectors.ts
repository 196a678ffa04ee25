import "server-only";
import type { Db } from "@/server/db";
import { deleteIntegrationRow } from "@/server/integrations/store";
import { completeGmailConnect, disconnectGmail, startGmailConnect } from "./gmail";
import { completeInstagramConnect, disconnectInstagram, startInstagramConnect } from "./instagram";
import type { DisconnectableProvider, OAuthProvider } from "./schemas";
import { completeTikTokConnect, disconnectTikTok, startTikTokConnect } from "./tiktok";
import { completeYouTubeConnect, disconnectYouTube, startYouTubeConnect } from "./youtube";

/**
 * How a workspace connects and disconnects each provider, by id: the router and the OAuth callback
 * pick from these tables instead of switching on the provider's name. Amazon connects with a form
 * (its own router); the AI endpoint is saved as settings and only disconnects here.
 */

type StartConnect = (
  db: Db,
  p: { workspaceId: string; userId: string; baseUrl: string },
) => Promise<{ url: string }>;
type CompleteConnect = (
  db: Db,
  p: { state: string; code: string; userId: string; ip?: string | null; userAgent?: string | null },
) => Promise<{ workspaceId: string }>;
type Disconnect = (
  db: Db,
  p: { workspaceId: string; userId: string | null },
) => Promise<{ revoked: boolean }>;

export const OAUTH_CONNECTORS = {
  tiktok: { start: startTikTokConnect, complete: completeTikTokConnect },
  youtube: { start: startYouTubeConnect, complete: completeYouTubeConnect },
  instagram: { start: startInstagramConnect, complete: completeInstagramConnect },
  gmail: { start: startGmailConnect, complete: completeGmailConnect },
} as const satisfies Record<OAuthProvider, { start: StartConnect; complete: CompleteConnect }>;

export const DISCONNECTORS = {
  tiktok: disconnectTikTok,
  youtube: disconnectYouTube,
  instagram: disconnectInstagram,
  gmail: disconnectGmail,
  openai: async (db, p) => {
    await deleteIntegrationRow(db, p.workspaceId, "openai");
    return { revoked: false };
  },
} as const satisfies Record<DisconnectableProvider, Disconnect>;
