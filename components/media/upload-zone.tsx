"use client";

import { CheckCircle2, CircleAlert, Upload, X } from "lucide-react";
import { type DragEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/utils";
import type { MediaKind } from "@/server/db/schema/media";
import { type MediaLimits, mimeTypesOf } from "@/server/services/media-schemas";
import { FileName } from "./file-name";
import { formatBytes } from "./format";
import { type UploadedAsset, type UploadItem, useMediaUpload } from "./use-media-upload";

function limitsHint(limits: MediaLimits | undefined, kind?: MediaKind) {
  const image = `JPEG, PNG, GIF or WebP${limits ? ` up to ${formatBytes(limits.imageMaxBytes)}` : ""}`;
  const video = `MP4, MOV or WebM${limits ? ` up to ${formatBytes(limits.videoMaxBytes)}` : ""}`;
  if (kind === "image") return `Images: ${image}`;
  if (kind === "video") return `Videos: ${video}`;
  return `Images: ${image} · Videos: ${video}`;
}

/**
 * Drop files here or choose them; each upload shows its progress. `inputId` lets another control
 * (a header button as a <label>) open the same file chooser.
 */
export function UploadZone({
  workspaceId,
  kind,
  limits,
  onUploaded,
  inputId,
  compact = false,
  className,
}: {
  workspaceId: string;
  kind?: MediaKind;
  limits: MediaLimits | undefined;
  onUploaded?: (asset: UploadedAsset) => void;
  inputId?: string;
  compact?: boolean;
  className?: string;
}) {
  const generatedId = useId();
  const id = inputId ?? `upload-${generatedId}`;
  const [dragging, setDragging] = useState(false);
  const { items, upload, cancel, dismiss } = useMediaUpload({ workspaceId, kind, limits, onUploaded });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length) upload(files);
  };

  return (
    <div className={cn("grid gap-3", className)}>
      <section
        aria-label="Upload files"
        data-testid="media-dropzone"
        data-dragging={dragging || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        className={cn(
          "flex flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed bg-muted/20 text-center transition-colors",
          compact ? "px-4 py-4 sm:flex-row sm:gap-4 sm:text-left" : "px-6 py-8",
          dragging && "border-primary bg-primary/5",
        )}
      >
        <div
          className={cn(
            "flex shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground",
            compact ? "size-9" : "size-11",
          )}
        >
          <Upload className="size-5" aria-hidden />
        </div>
        <div className={cn("grid gap-0.5", compact && "sm:flex-1")}>
          <p className="font-medium text-sm">
            {dragging ? "Drop to upload" : "Drag files here, or choose them from your computer"}
          </p>
          <p className="text-muted-foreground text-xs">{limitsHint(limits, kind)}</p>
        </div>
        <Button asChild variant="outline" size="sm" className={compact ? undefined : "mt-1"}>
          <label htmlFor={id} className="cursor-pointer">
            Choose files
          </label>
        </Button>
        <input
          id={id}
          type="file"
          multiple
          accept={mimeTypesOf(kind).join(",")}
          className="sr-only"
          data-testid="media-file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = "";
            if (files.length) upload(files);
          }}
        />
      </section>
      {items.length > 0 && (
        <ul className="grid gap-2" aria-label="Uploads" aria-live="polite">
          {items.map((item) => (
            <UploadRow
              key={item.id}
              item={item}
              onCancel={() => cancel(item.id)}
              onDismiss={() => dismiss(item.id)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function UploadRow({
  item,
  onCancel,
  onDismiss,
}: {
  item: UploadItem;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  const percent = Math.round(item.progress * 100);
  const active = item.status === "queued" || item.status === "uploading";
  return (
    <li
      data-testid="upload-item"
      data-status={item.status}
      className="flex items-center gap-3 rounded-md border bg-card px-3 py-2 text-sm"
    >
      <span className="shrink-0">
        {item.status === "done" ? (
          <CheckCircle2 className="size-4 text-success" aria-hidden />
        ) : item.status === "error" ? (
          <CircleAlert className="size-4 text-destructive" aria-hidden />
        ) : (
          <Spinner className="size-4 text-muted-foreground" />
        )}
      </span>
      <div className="grid min-w-0 flex-1 gap-1">
        <div className="flex items-baseline justify-between gap-3">
          <FileName name={item.name} />
          <span className="shrink-0 text-muted-foreground text-xs tabular-nums">
            {item.status === "uploading"
              ? `${percent}% of ${formatBytes(item.size)}`
              : item.status === "queued"
                ? "Waiting…"
                : item.status === "done"
                  ? "Uploaded"
                  : formatBytes(item.size)}
          </span>
        </div>
        {active && (
          <div
            role="progressbar"
            aria-label={`Uploading ${item.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-1.5 overflow-hidden rounded-full bg-muted"
          >
            <div
              className="h-full rounded-full bg-primary transition-[width]"
              style={{ width: `${percent}%` }}
            />
          </div>
        )}
        {item.status === "error" && <p className="text-destructive text-xs">{item.error}</p>}
      </div>
      <Button
        type="button"
        variant="ghost"
        size="icon-sm"
        onClick={active ? onCancel : onDismiss}
        aria-label={active ? `Cancel upload of ${item.name}` : `Dismiss ${item.name}`}
      >
        <X aria-hidden />
      </Button>
    </li>
  );
}
