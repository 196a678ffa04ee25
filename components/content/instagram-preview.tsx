"use client";

import { Camera, Heart, MessageCircle, MoreHorizontal, Music2, Send } from "lucide-react";
import { INSTAGRAM_HASHTAGS_MAX } from "@/server/services/content/schemas";
import { Chip, PhoneFrame, PreviewChips } from "./phone-frame";
import { HighlightedCaption } from "./tiktok-preview";

/** An Instagram Reel as the Reels tab shows it: account, caption, audio line and side buttons. */
export function InstagramPreview({
  caption,
  videoUrl,
  coverSec,
  handle,
  shareToFeed,
  hashtags,
}: {
  caption: string;
  videoUrl: string;
  coverSec: number;
  handle: string;
  shareToFeed: boolean;
  hashtags: number;
}) {
  const seconds = Number.isFinite(coverSec) ? Math.max(0, coverSec) : 0;
  return (
    <div className="mx-auto w-full max-w-[18rem]" data-testid="instagram-preview">
      <PhoneFrame videoUrl={videoUrl} coverSec={seconds} testId="instagram-preview">
        <div className="absolute inset-x-4 top-7 flex items-center justify-between">
          <p className="font-semibold text-base">Reels</p>
          <Camera className="size-5" aria-hidden />
        </div>
        <div className="absolute right-2 bottom-24 flex flex-col items-center gap-3 text-[10px]" aria-hidden>
          <span className="flex flex-col items-center">
            <Heart className="size-6" />0
          </span>
          <span className="flex flex-col items-center">
            <MessageCircle className="size-6" />0
          </span>
          <span className="flex flex-col items-center">
            <Send className="size-6" />
          </span>
          <MoreHorizontal className="size-6" />
          <span className="size-6 rounded-md border-2 border-white bg-gradient-to-br from-fuchsia-500 via-pink-500 to-amber-400" />
        </div>
        <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/85 via-black/50 to-transparent p-3 pt-10 pr-14">
          <div className="flex items-center gap-2">
            <span
              className="flex size-7 shrink-0 items-center justify-center rounded-full bg-gradient-to-br from-amber-400 via-pink-500 to-fuchsia-600 p-[2px]"
              aria-hidden
            >
              <span className="flex size-full items-center justify-center rounded-full bg-zinc-800 font-bold text-[11px] uppercase">
                {handle.slice(0, 1)}
              </span>
            </span>
            <span className="truncate font-semibold text-[12px]">{handle}</span>
            <span className="shrink-0 rounded-md border border-white/70 px-2 py-0.5 font-semibold text-[10px]">
              Follow
            </span>
          </div>
          <div className="mt-2 max-h-24 overflow-y-auto text-[12px] leading-snug">
            {caption.trim() ? (
              <HighlightedCaption text={caption} />
            ) : (
              <p className="text-white/50 italic">Your caption appears here</p>
            )}
          </div>
          <p className="mt-2 flex items-center gap-1 text-[11px] text-white/80">
            <Music2 className="size-3" aria-hidden />
            <span className="truncate">{handle} · Original audio</span>
          </p>
        </div>
      </PhoneFrame>
      <PreviewChips>
        <Chip>{shareToFeed ? "Reels and feed" : "Reels tab only"}</Chip>
        <Chip
          className={hashtags > INSTAGRAM_HASHTAGS_MAX ? "border-destructive/40 text-destructive" : undefined}
        >
          {hashtags} hashtag{hashtags === 1 ? "" : "s"}
        </Chip>
        <Chip>Cover at {seconds.toFixed(1)} s</Chip>
      </PreviewChips>
    </div>
  );
}
