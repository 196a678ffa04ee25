import type { inferRouterOutputs } from "@trpc/server";
import {
  AlertCircle,
  CheckCircle2,
  Clapperboard,
  Clock,
  FileText,
  Inbox,
  Loader2,
  type LucideIcon,
  Mail,
  Music2,
  PencilLine,
  Sparkles,
  SquarePlay,
} from "lucide-react";
import type { ComponentProps } from "react";
import { Badge } from "@/components/ui/badge";
import { CONTENT_STATUSES, CONTENT_TYPES, type ContentStatus, type ContentType } from "@/lib/enums";
import { cn } from "@/lib/utils";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;
export type ContentItem = Outputs["content"]["get"];
export type ContentListRow = Outputs["content"]["list"]["content"][number];
export type CalendarItem = Outputs["content"]["calendar"][number];
export type { ContentStatus, ContentType };

export const TYPE_META: Record<
  ContentType,
  { label: string; noun: string; icon: LucideIcon; badge: string; chip: string; dot: string }
> = {
  tiktok: {
    label: "TikTok",
    noun: "TikTok video",
    icon: Music2,
    badge: "border-pink-500/30 bg-pink-500/10 text-pink-700 dark:text-pink-300",
    chip: "border-l-pink-500 bg-pink-500/10 hover:bg-pink-500/20",
    dot: "bg-pink-500",
  },
  youtube: {
    label: "YouTube",
    noun: "YouTube Short",
    icon: SquarePlay,
    badge: "border-red-500/30 bg-red-500/10 text-red-700 dark:text-red-300",
    chip: "border-l-red-500 bg-red-500/10 hover:bg-red-500/20",
    dot: "bg-red-500",
  },
  instagram: {
    label: "Instagram",
    noun: "Instagram Reel",
    icon: Clapperboard,
    badge: "border-fuchsia-500/30 bg-fuchsia-500/10 text-fuchsia-700 dark:text-fuchsia-300",
    chip: "border-l-fuchsia-500 bg-fuchsia-500/10 hover:bg-fuchsia-500/20",
    dot: "bg-fuchsia-500",
  },
  blog: {
    label: "Blog",
    noun: "Blog post",
    icon: FileText,
    badge: "border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300",
    chip: "border-l-sky-500 bg-sky-500/10 hover:bg-sky-500/20",
    dot: "bg-sky-500",
  },
  email: {
    label: "Email",
    noun: "Email",
    icon: Mail,
    badge: "border-violet-500/30 bg-violet-500/10 text-violet-700 dark:text-violet-300",
    chip: "border-l-violet-500 bg-violet-500/10 hover:bg-violet-500/20",
    dot: "bg-violet-500",
  },
};

export const CONTENT_TYPE_LIST: readonly ContentType[] = CONTENT_TYPES;
export const CONTENT_STATUS_LIST: readonly ContentStatus[] = CONTENT_STATUSES;

export const STATUS_LABEL: Record<ContentStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  publishing: "Publishing",
  published: "Published",
  sent_to_inbox: "Sent to TikTok inbox",
  failed: "Failed",
};

export function TypeBadge({ type, className }: { type: ContentType; className?: string }) {
  const meta = TYPE_META[type];
  const Icon = meta.icon;
  return (
    <Badge variant="outline" className={cn(meta.badge, className)}>
      <Icon aria-hidden />
      {meta.label}
    </Badge>
  );
}

/** How each status looks as a badge: variant, icon and, for the inbox, its own pink tone. */
const STATUS_BADGE: Record<
  ContentStatus,
  { variant: ComponentProps<typeof Badge>["variant"]; icon: LucideIcon; className?: string }
> = {
  draft: { variant: "secondary", icon: PencilLine },
  scheduled: { variant: "outline", icon: Clock },
  publishing: { variant: "warning", icon: Loader2 },
  published: { variant: "success", icon: CheckCircle2 },
  sent_to_inbox: {
    variant: "outline",
    icon: Inbox,
    className: "border-pink-500/40 text-pink-700 dark:text-pink-300",
  },
  failed: { variant: "destructive", icon: AlertCircle },
};

export function StatusBadge({
  status,
  className,
  testId,
  title,
}: {
  status: ContentStatus;
  className?: string;
  testId?: string;
  /** A tooltip, e.g. why publishing failed. */
  title?: string;
}) {
  const { variant, icon: Icon, className: tone } = STATUS_BADGE[status];
  return (
    <Badge
      variant={variant}
      className={cn(tone, className)}
      title={title}
      data-testid={testId}
      data-status={status}
    >
      <Icon className={status === "publishing" ? "size-3 animate-spin" : undefined} aria-hidden />
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function AiBadge({ className }: { className?: string }) {
  return (
    <Badge
      variant="outline"
      className={cn("border-primary/30 text-primary", className)}
      data-testid="ai-badge"
    >
      <Sparkles aria-hidden />
      AI draft
    </Badge>
  );
}

/** What the metadata column says about an item (it is free-form JSON on the server). */
export function readMeta(metadata: Record<string, unknown> | null | undefined) {
  const m = metadata ?? {};
  const error = m.error as { message?: string; at?: string; attempts?: number } | undefined;
  const result = m.publish_result as { url?: string; at?: string; externalId?: string } | undefined;
  const tiktokPublish = m.tiktok_publish as
    | { publishId?: string; status?: string; postId?: string | null; failReason?: string | null }
    | undefined;
  const youtubePublish = m.youtube_publish as
    | { videoId?: string | null; status?: string | null; url?: string | null }
    | undefined;
  const instagramPublish = m.instagram_publish as
    | {
        containerId?: string | null;
        mediaId?: string | null;
        status?: string | null;
        permalink?: string | null;
      }
    | undefined;
  return {
    aiGenerated: m.ai_generated === true,
    generator: typeof m.generator === "string" ? m.generator : null,
    errorMessage: typeof error?.message === "string" ? error.message : null,
    publishUrl: typeof result?.url === "string" ? result.url : null,
    /** TikTok's publish id, public post id (after moderation) and last status, if it went to TikTok. */
    tiktokPublish: {
      publishId: tiktokPublish?.publishId ?? null,
      postId: tiktokPublish?.postId ?? null,
      status: tiktokPublish?.status ?? null,
      failReason: tiktokPublish?.failReason ?? null,
    },
    /** YouTube's video id, upload/processing status and watch URL, if it went to YouTube. */
    youtubePublish: {
      videoId: youtubePublish?.videoId ?? null,
      status: youtubePublish?.status ?? null,
      url: youtubePublish?.url ?? null,
    },
    /** Instagram's media container, the published Reel's id and permalink, if it went to Instagram. */
    instagramPublish: {
      containerId: instagramPublish?.containerId ?? null,
      mediaId: instagramPublish?.mediaId ?? null,
      status: instagramPublish?.status ?? null,
      permalink: instagramPublish?.permalink ?? null,
    },
    tiktok: (m.tiktok ?? {}) as Partial<{
      privacyLevel: string;
      allowComments: boolean;
      allowDuet: boolean;
      allowStitch: boolean;
      coverTimeMs: number;
      videoUrl: string | null;
      mediaId: string | null;
    }>,
    youtube: (m.youtube ?? {}) as Partial<{
      privacyStatus: string;
      madeForKids: boolean | null;
      tags: string[];
      categoryId: string;
      notifySubscribers: boolean;
      scheduleWith: string;
      containsSyntheticMedia: boolean;
      videoUrl: string | null;
      mediaId: string | null;
    }>,
    instagram: (m.instagram ?? {}) as Partial<{
      shareToFeed: boolean;
      coverTimeMs: number;
      videoUrl: string | null;
      mediaId: string | null;
    }>,
    blog: (m.blog ?? {}) as Partial<{
      excerpt: string;
      coverImageUrl: string | null;
      tags: string[];
      seoTitle: string;
      seoDescription: string;
    }>,
    email: (m.email ?? {}) as Partial<{ subject: string; preheader: string; segmentId: string | null }>,
  };
}

export const OFFLINE_GENERATOR = "offline-template";
