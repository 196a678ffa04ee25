"use client";

import { AlertCircle, Inbox } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Spinner } from "@/components/ui/spinner";
import { formatDateTime } from "@/lib/utils";
import { type ContentItem, readMeta, StatusBadge, TYPE_META } from "./content-meta";
import { Notice } from "./notice";
import { zoneLabel } from "./zoned-time";

/** Types published to a video platform, whose figures arrive with that platform's metrics sync. */
const SHORT_VIDEO = new Set<ContentItem["type"]>(["tiktok", "youtube", "instagram"]);

/** True once a scheduled item's time has come (the publisher picks it up within moments). */
export function isDue(item: ContentItem) {
  const scheduledAt = item.scheduledAt ? new Date(item.scheduledAt) : null;
  return item.status === "scheduled" && scheduledAt !== null && scheduledAt.getTime() <= Date.now() + 1000;
}

/** Where the item stands: a one-line summary, what went wrong or what is left to do, ids and figures. */
export function StatusDetails({ item }: { item: ContentItem }) {
  const ws = useWorkspace();
  const meta = readMeta(item.metadata);
  const scheduledAt = item.scheduledAt ? new Date(item.scheduledAt) : null;
  const due = isDue(item);
  let summary: ReactNode;
  switch (item.status) {
    case "draft":
      summary = ws.canWrite ? "Not scheduled. Schedule it or publish it now." : "Not scheduled.";
      break;
    case "scheduled":
      summary = due ? (
        <span className="inline-flex items-center gap-1.5">
          <Spinner className="size-3.5" /> Due now — publishing shortly…
        </span>
      ) : (
        <>
          Publishes{" "}
          <span className="font-medium text-foreground">{formatDateTime(scheduledAt!, ws.timeZone)}</span>{" "}
          <span className="whitespace-nowrap">· {zoneLabel(ws.timeZone, scheduledAt!)}</span>
        </>
      );
      break;
    case "publishing":
      summary = "Publishing now — this page updates when it is done.";
      break;
    case "published":
      summary = (
        <>
          Published{" "}
          {item.publishedAt && (
            <span className="font-medium text-foreground">
              {formatDateTime(item.publishedAt, ws.timeZone)}
            </span>
          )}
        </>
      );
      break;
    case "sent_to_inbox":
      summary = "Not published yet.";
      break;
    case "failed":
      summary = "Publishing failed.";
      break;
  }
  const tiktok = item.type === "tiktok" ? meta.tiktokPublish : null;
  const youtube = item.type === "youtube" ? meta.youtubePublish : null;
  const instagram = item.type === "instagram" ? meta.instagramPublish : null;
  const platformUrl = youtube?.url ?? instagram?.permalink ?? meta.publishUrl;
  return (
    <div className="min-w-0 space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-muted-foreground text-sm">
        <StatusBadge status={item.status} testId="status-badge" />
        <span>{summary}</span>
      </div>
      {item.status === "failed" && (
        <Notice tone="error" icon={AlertCircle} role="alert" testId="publish-error">
          <p className="min-w-0 break-words">{meta.errorMessage ?? "The publisher gave no reason."}</p>
        </Notice>
      )}
      {item.status === "sent_to_inbox" && (
        <Notice tone="inbox" icon={Inbox} role="status" testId="inbox-notice">
          <p className="min-w-0">
            TikTok put the video in your TikTok inbox instead of posting it. Open TikTok on your phone, finish
            the post there, and it shows as published here after the next sync.
          </p>
        </Notice>
      )}
      {tiktok?.publishId && (item.status === "published" || item.status === "sent_to_inbox") && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm" data-testid="tiktok-publish-ids">
          <dt className="text-muted-foreground">TikTok post id</dt>
          <dd className="break-all font-mono text-xs leading-5" data-testid="tiktok-post-id">
            {tiktok.postId ?? "appears after TikTok's review"}
          </dd>
          <dt className="text-muted-foreground">Publish id</dt>
          <dd className="break-all font-mono text-muted-foreground text-xs leading-5">{tiktok.publishId}</dd>
        </dl>
      )}
      {youtube?.videoId && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm" data-testid="youtube-publish-ids">
          <dt className="text-muted-foreground">YouTube video id</dt>
          <dd className="break-all font-mono text-xs leading-5" data-testid="youtube-video-id">
            {youtube.videoId}
          </dd>
          {youtube.status && (
            <>
              <dt className="text-muted-foreground">Upload status</dt>
              <dd className="text-xs leading-5">{youtube.status}</dd>
            </>
          )}
        </dl>
      )}
      {(instagram?.mediaId || instagram?.containerId) && (
        <dl
          className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm"
          data-testid="instagram-publish-ids"
        >
          <dt className="text-muted-foreground">Instagram media id</dt>
          <dd className="break-all font-mono text-xs leading-5" data-testid="instagram-media-id">
            {instagram.mediaId ?? "appears when Instagram has processed the Reel"}
          </dd>
          {instagram.containerId && (
            <>
              <dt className="text-muted-foreground">Container id</dt>
              <dd className="break-all font-mono text-muted-foreground text-xs leading-5">
                {instagram.containerId}
              </dd>
            </>
          )}
          {instagram.status && (
            <>
              <dt className="text-muted-foreground">Status</dt>
              <dd className="text-xs leading-5">{instagram.status}</dd>
            </>
          )}
        </dl>
      )}
      {item.status === "published" && <MetricsLine item={item} timeZone={ws.timeZone} />}
      {item.status === "published" && item.type === "email" && meta.publishUrl && (
        <Link
          href={meta.publishUrl}
          className="text-primary text-sm underline"
          data-testid="email-campaign-link"
        >
          View the campaign's report
        </Link>
      )}
      {item.status === "published" && SHORT_VIDEO.has(item.type) && platformUrl && (
        <a
          href={platformUrl}
          target="_blank"
          rel="noreferrer"
          className="text-primary text-sm underline"
          data-testid="platform-link"
        >
          View on {TYPE_META[item.type].label}
        </a>
      )}
    </div>
  );
}

const count = new Intl.NumberFormat("en-US");

/** The latest figures (a video platform's metrics sync or manual entry) and when they were taken. */
function MetricsLine({ item, timeZone }: { item: ContentItem; timeZone: string }) {
  const m = item.metrics as {
    views: number;
    likes: number;
    shares: number;
    updatedAt: string | Date | null;
  };
  if (!m.updatedAt) {
    return (
      <p className="text-muted-foreground text-sm" data-testid="content-metrics">
        No metrics yet
        {SHORT_VIDEO.has(item.type) ? ` — they arrive with the next ${TYPE_META[item.type].label} sync` : ""}.
      </p>
    );
  }
  return (
    <p className="text-muted-foreground text-sm tabular-nums" data-testid="content-metrics">
      <span className="font-medium text-foreground" data-testid="metric-views">
        {count.format(m.views)}
      </span>{" "}
      views · <span className="font-medium text-foreground">{count.format(m.likes)}</span> likes ·{" "}
      <span className="font-medium text-foreground">{count.format(m.shares)}</span> shares · updated{" "}
      {formatDateTime(m.updatedAt, timeZone)}
    </p>
  );
}
