"use client";

import {
  Bookmark,
  Globe,
  Heart,
  Lock,
  MessageCircle,
  Music2,
  Share2,
  UserRound,
  Users,
  Video,
} from "lucide-react";
import { cn } from "@/lib/utils";

const TAG = /([#@][\p{L}\p{N}_.]*[\p{L}\p{N}_])/gu;

/** Caption text with #hashtags and @mentions picked out, as TikTok shows them. */
export function HighlightedCaption({ text, className }: { text: string; className?: string }) {
  const parts = text.split(TAG);
  return (
    <p className={cn("whitespace-pre-wrap break-words", className)}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span
            key={i}
            className={cn("font-semibold", part.startsWith("#") ? "text-amber-200" : "text-cyan-200")}
            data-token={part.startsWith("#") ? "hashtag" : "mention"}
          >
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </p>
  );
}

const PRIVACY: Record<string, { label: string; icon: typeof Globe }> = {
  PUBLIC_TO_EVERYONE: { label: "Everyone", icon: Globe },
  MUTUAL_FOLLOW_FRIENDS: { label: "Friends", icon: Users },
  FOLLOWER_OF_CREATOR: { label: "Followers", icon: UserRound },
  SELF_ONLY: { label: "Only me", icon: Lock },
};

export function TikTokPreview({
  caption,
  videoUrl,
  coverTimeMs,
  handle,
  privacyLevel,
  allowComments,
  allowDuet,
  allowStitch,
}: {
  caption: string;
  videoUrl: string;
  coverTimeMs: number;
  handle: string;
  privacyLevel: string;
  allowComments: boolean;
  allowDuet: boolean;
  allowStitch: boolean;
}) {
  const privacy = PRIVACY[privacyLevel] ?? PRIVACY.SELF_ONLY!;
  const PrivacyIcon = privacy.icon;
  const playable = /^https?:\/\//i.test(videoUrl) || videoUrl.startsWith("/api/media/");
  const seconds = Number.isFinite(coverTimeMs) ? Math.max(0, coverTimeMs / 1000) : 0;
  return (
    <div className="mx-auto w-full max-w-[18rem]" data-testid="tiktok-preview">
      <div className="relative aspect-[9/19] overflow-hidden rounded-[2.25rem] border-[6px] border-zinc-900 bg-black text-white shadow-xl ring-1 ring-zinc-700 dark:border-zinc-700">
        <div
          className="absolute top-1.5 left-1/2 z-10 h-4 w-20 -translate-x-1/2 rounded-full bg-zinc-900"
          aria-hidden
        />
        {playable ? (
          <video
            key={`${videoUrl}#${seconds}`}
            src={`${videoUrl}#t=${seconds.toFixed(1)}`}
            className="absolute inset-0 size-full object-cover"
            muted
            playsInline
            preload="metadata"
            aria-label="Video cover frame"
          />
        ) : (
          <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 bg-gradient-to-b from-zinc-800 via-zinc-900 to-black text-zinc-400">
            <Video className="size-8" aria-hidden />
            <span className="text-xs">No video yet</span>
          </div>
        )}
        <div className="absolute inset-x-0 top-7 flex justify-center gap-4 font-semibold text-[11px] text-white/70">
          <span>Following</span>
          <span className="text-white underline decoration-2 underline-offset-4">For You</span>
        </div>
        <div className="absolute right-2 bottom-24 flex flex-col items-center gap-3 text-[10px]" aria-hidden>
          <span className="flex size-9 items-center justify-center rounded-full border-2 border-white bg-zinc-700 font-bold text-xs uppercase">
            {handle.slice(0, 1)}
          </span>
          <span className="flex flex-col items-center">
            <Heart className="size-6 fill-white" />0
          </span>
          <span className={cn("flex flex-col items-center", !allowComments && "opacity-30")}>
            <MessageCircle className="size-6 fill-white" />
            {allowComments ? "0" : "Off"}
          </span>
          <span className="flex flex-col items-center">
            <Bookmark className="size-6 fill-white" />0
          </span>
          <span className="flex flex-col items-center">
            <Share2 className="size-6" />0
          </span>
        </div>
        <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/85 via-black/50 to-transparent p-3 pt-10 pr-14">
          <p className="font-semibold text-sm">@{handle}</p>
          <div className="mt-1 max-h-32 overflow-y-auto text-[12px] leading-snug">
            {caption.trim() ? (
              <HighlightedCaption text={caption} />
            ) : (
              <p className="text-white/50 italic">Your caption appears here</p>
            )}
          </div>
          <p className="mt-2 flex items-center gap-1 text-[11px] text-white/80">
            <Music2 className="size-3" aria-hidden />
            <span className="truncate">original sound · {handle}</span>
          </p>
        </div>
      </div>
      <ul className="mt-3 flex flex-wrap justify-center gap-1.5 text-muted-foreground text-xs">
        <li className="inline-flex items-center gap-1 rounded-full border px-2 py-0.5">
          <PrivacyIcon className="size-3" aria-hidden />
          {privacy.label}
        </li>
        <li className="rounded-full border px-2 py-0.5">Comments {allowComments ? "on" : "off"}</li>
        <li className="rounded-full border px-2 py-0.5">Duet {allowDuet ? "on" : "off"}</li>
        <li className="rounded-full border px-2 py-0.5">Stitch {allowStitch ? "on" : "off"}</li>
        <li className="rounded-full border px-2 py-0.5">Cover at {seconds.toFixed(1)} s</li>
      </ul>
    </div>
  );
}
