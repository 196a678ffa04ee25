"use client";

import { Video } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/** A phone-shaped 9:16 screen showing the video's cover frame (or a placeholder), for the previews. */
export function PhoneFrame({
  videoUrl,
  coverSec,
  testId,
  children,
}: {
  videoUrl: string;
  coverSec: number;
  testId: string;
  /** The app's overlay: header, side buttons, caption. */
  children: ReactNode;
}) {
  const playable = /^https?:\/\//i.test(videoUrl) || videoUrl.startsWith("/api/media/");
  const seconds = Number.isFinite(coverSec) ? Math.max(0, coverSec) : 0;
  return (
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
          data-testid={`${testId}-video`}
        />
      ) : (
        <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 bg-gradient-to-b from-zinc-800 via-zinc-900 to-black text-zinc-400">
          <Video className="size-8" aria-hidden />
          <span className="text-xs">No video yet</span>
        </div>
      )}
      {children}
    </div>
  );
}

/** The small rounded facts under a preview ("Private", "Cover at 1.5 s"…). */
export function PreviewChips({ children }: { children: ReactNode }) {
  return (
    <ul className="mt-3 flex flex-wrap justify-center gap-1.5 text-muted-foreground text-xs">{children}</ul>
  );
}

export function Chip({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <li className={cn("inline-flex items-center gap-1 rounded-full border px-2 py-0.5", className)}>
      {children}
    </li>
  );
}
