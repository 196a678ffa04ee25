import "server-only";
import type { Db } from "@/server/db";
import type { IntegrationHealth } from "@/server/integrations/health";
import type { PreflightItem, Publisher } from "../content/publisher";

/*
 * A short-video publishing platform (TikTok, YouTube Shorts, Instagram Reels): everything the app
 * needs from one, behind one shape. Adding a platform is its API client in
 * `server/integrations/<platform>/`, its service in `server/services/integrations/<platform>/`
 * exporting one `VideoPlatform`, a line in platforms.ts, and its editor panel.
 *
 * The rules every implementation keeps (the tests hold each to them):
 * - publish stores the platform's durable id for the attempt (TikTok's publish_id, YouTube's upload
 *   session URI then video id, Instagram's container id) on the item BEFORE the call that could
 *   create the post returns, and a retry resumes from it — a crash between "called" and "answer
 *   stored" never posts twice;
 * - a failure is a PublishError in words a person can act on, retryable or not;
 * - metrics land in content_metric_snapshots / content_metrics like TikTok's.
 */

export type VideoPlatformId = "tiktok" | "youtube" | "instagram";

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

/** What the editor shows about the connected account and what it may choose. */
export interface PlatformAccountInfo {
  accountName: string | null;
  /** Options the account allows (e.g. TikTok privacy levels), platform-specific. */
  options: Record<string, unknown>;
}

/** A platform's limits, used by the editors, "Post everywhere" and the caption writer. */
export interface PlatformLimits {
  captionMax: number;
  /** Null where the platform has no title (TikTok, Instagram use the caption). */
  titleMax: number | null;
  hashtagsMax: number | null;
  /** Longest video accepted as a short, in seconds. */
  maxDurationSeconds: number;
}

export interface MetricsSyncResult {
  /** Items whose figures were read. */
  matched: number;
  /** What the platform returned in all (videos, media). */
  read: number;
}

export interface VideoPlatform {
  id: VideoPlatformId;
  label: string;
  limits: PlatformLimits;
  connect: { start: StartConnect; complete: CompleteConnect };
  disconnect: Disconnect;
  /** Null when the workspace has not connected the platform (or it is off). */
  accountInfo(db: Db, workspaceId: string): Promise<PlatformAccountInfo | null>;
  /**
   * What stops an item from going out, known without calling the platform (no video, not
   * connected, a required choice not made): the editor shows it before anyone clicks, and the
   * publisher's preflight refuses with the same words.
   */
  publishBlocker?(
    db: Db,
    item: Pick<PreflightItem, "workspaceId" | "metadata" | "body">,
  ): Promise<{ message: string; field: string } | null>;
  /** validate (preflight: a 4xx when scheduling/publishing) and publish (with status polling). */
  publisher: Publisher;
  /** Reads the figures of the workspace's published items; throws when the platform refuses. */
  syncMetrics(db: Db, workspaceId: string): Promise<MetricsSyncResult | { skipped: string }>;
  /** The provider is reachable with our app credentials; never throws. */
  health(): Promise<IntegrationHealth>;
}
