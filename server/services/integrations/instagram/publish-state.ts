import "server-only";
import type { Db } from "@/server/db";
import type { ContainerStatus } from "@/server/integrations/instagram/client";
import { savePlatformState } from "../../content/platform-state";

/** What a Reel remembers of its publishing (content.metadata.instagram_publish), and its fields. */

export interface InstagramFields {
  shareToFeed?: boolean;
  coverTimeMs?: number;
  videoUrl?: string | null;
  mediaId?: string | null;
}

export interface InstagramPublishState {
  contentId: string;
  /** The REELS container (IG_CONTAINER_ID): stored before anything could publish it. */
  containerId: string;
  containerCreatedAt: string;
  status: ContainerStatus;
  /** Meta's `status` text when the container failed. */
  statusText?: string | null;
  /** Set just before media_publish is called: a retry then looks for the Reel before publishing again. */
  publishRequestedAt?: string | null;
  /** The published media (IG_MEDIA_ID): stored as soon as media_publish answers. */
  mediaId?: string | null;
  permalink?: string | null;
  /** The caption sent, to recognise the Reel among the account's media when an answer was lost. */
  caption: string;
  /** Containers that expired before publishing (a new one replaced each). */
  expiredContainerIds?: string[];
}

export async function saveInstagramPublishState(
  db: Db,
  item: { id: string; workspaceId: string },
  state: InstagramPublishState,
) {
  await savePlatformState(db, item, "instagram_publish", state);
}

/** Container error subcodes Meta documents, in words; anything else shows Meta's own text. */
const ERROR_HINTS: Record<string, string> = {
  "2207026": "the video format is not supported (use MP4 or MOV, H.264 or HEVC, AAC audio)",
  "2207052": "Meta could not download the video from its address",
  "2207003": "Meta took too long to download the video",
  "2207042": "the account reached Instagram's publishing limit",
};

/**
 * Download failures: our address may have been slow or briefly unreachable. An ERROR container is
 * never published, so another attempt with a new container cannot post twice.
 */
export function isDownloadFailure(statusText: string | null | undefined) {
  const code = /\b(22\d{5})\b/.exec(statusText ?? "")?.[1];
  return code === "2207052" || code === "2207003";
}

export function describeContainerError(statusText: string | null | undefined) {
  if (!statusText) return "Instagram gave no reason";
  const code = /\b(22\d{5})\b/.exec(statusText)?.[1];
  const hint = code ? ERROR_HINTS[code] : undefined;
  return hint ? `${hint} (${statusText})` : statusText;
}
