"use client";

import { Globe, Link2, Lock, MessageSquareText, Repeat2, Share2, ThumbsDown, ThumbsUp } from "lucide-react";
import { Chip, PhoneFrame, PreviewChips } from "./phone-frame";
import { HighlightedCaption } from "./tiktok-preview";

const PRIVACY = {
  public: { label: "Public", icon: Globe },
  unlisted: { label: "Unlisted", icon: Link2 },
  private: { label: "Private", icon: Lock },
} as const;

/** A YouTube Short as the Shorts player shows it: title over the video, channel, side buttons. */
export function YouTubePreview({
  title,
  description,
  tags,
  videoUrl,
  channel,
  privacyStatus,
  madeForKids,
  scheduleWithYouTube,
  synthetic,
}: {
  title: string;
  description: string;
  tags: string[];
  videoUrl: string;
  channel: string;
  privacyStatus: keyof typeof PRIVACY;
  madeForKids: "" | "yes" | "no";
  scheduleWithYouTube: boolean;
  synthetic: boolean;
}) {
  const privacy = PRIVACY[privacyStatus] ?? PRIVACY.private;
  const PrivacyIcon = privacy.icon;
  return (
    <div className="mx-auto w-full max-w-[18rem]" data-testid="youtube-preview">
      <PhoneFrame videoUrl={videoUrl} coverSec={0} testId="youtube-preview">
        <p className="absolute top-7 left-4 font-semibold text-sm">Shorts</p>
        <div className="absolute right-2 bottom-24 flex flex-col items-center gap-3 text-[10px]" aria-hidden>
          <span className="flex flex-col items-center">
            <ThumbsUp className="size-6 fill-white" />
            Like
          </span>
          <span className="flex flex-col items-center">
            <ThumbsDown className="size-6 fill-white" />
            Dislike
          </span>
          <span
            className={
              madeForKids === "yes" ? "flex flex-col items-center opacity-30" : "flex flex-col items-center"
            }
          >
            <MessageSquareText className="size-6 fill-white" />
            {madeForKids === "yes" ? "Off" : "0"}
          </span>
          <span className="flex flex-col items-center">
            <Share2 className="size-6" />
            Share
          </span>
          <span className="flex flex-col items-center">
            <Repeat2 className="size-6" />
            Remix
          </span>
        </div>
        <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/85 via-black/50 to-transparent p-3 pt-10 pr-14">
          <div className="flex items-center gap-2">
            <span
              className="flex size-7 shrink-0 items-center justify-center rounded-full bg-red-600 font-bold text-[11px] uppercase"
              aria-hidden
            >
              {channel.slice(0, 1)}
            </span>
            <span className="truncate font-semibold text-[12px]">@{channel}</span>
            <span className="shrink-0 rounded-full bg-white px-2 py-0.5 font-semibold text-[10px] text-black">
              Subscribe
            </span>
          </div>
          <p
            className="mt-2 line-clamp-2 break-words font-medium text-[13px] leading-snug"
            data-testid="youtube-preview-title"
          >
            {title.trim() || <span className="text-white/50 italic">Your title appears here</span>}
          </p>
          {description.trim() && (
            <div className="mt-1 max-h-16 overflow-y-auto text-[11px] text-white/80 leading-snug">
              <HighlightedCaption text={description} />
            </div>
          )}
        </div>
      </PhoneFrame>
      <PreviewChips>
        <Chip>
          <PrivacyIcon className="size-3" aria-hidden />
          {scheduleWithYouTube ? "Private until the scheduled time" : privacy.label}
        </Chip>
        {madeForKids === "" ? (
          <Chip className="border-warning/40 text-warning">Made for kids: not answered</Chip>
        ) : (
          <Chip>{madeForKids === "yes" ? "Made for kids" : "Not made for kids"}</Chip>
        )}
        <Chip>{tags.length ? `${tags.length} tag${tags.length === 1 ? "" : "s"}` : "No tags"}</Chip>
        {synthetic && <Chip>Altered or synthetic content</Chip>}
      </PreviewChips>
    </div>
  );
}
