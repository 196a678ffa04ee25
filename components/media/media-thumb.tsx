import { Film } from "lucide-react";
import { cn } from "@/lib/utils";

/** A preview of an asset: the image itself, or a video's first frame (metadata only is fetched). */
export function MediaThumb({
  asset,
  className,
}: {
  asset: { kind: "image" | "video"; url: string; filename: string };
  className?: string;
}) {
  return (
    <div className={cn("relative aspect-video overflow-hidden bg-muted", className)}>
      {asset.kind === "image" ? (
        // biome-ignore lint/performance/noImgElement: user uploads of any size, served by our own route
        <img src={asset.url} alt={asset.filename} loading="lazy" className="size-full object-contain" />
      ) : (
        <>
          {/* #t=0.1 makes browsers paint the first frame instead of a blank box. */}
          <video
            src={`${asset.url}#t=0.1`}
            preload="metadata"
            muted
            playsInline
            aria-label={asset.filename}
            className="size-full object-contain"
          />
          <span className="absolute bottom-1.5 left-1.5 flex items-center gap-1 rounded bg-black/70 px-1.5 py-0.5 font-medium text-[11px] text-white">
            <Film className="size-3" aria-hidden />
            Video
          </span>
        </>
      )}
    </div>
  );
}
