"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { toast } from "@/lib/toast";
import { useTRPC } from "@/lib/trpc/client";
import type { MediaKind } from "@/server/db/schema/media";
import {
  isMediaMimeType,
  MEDIA_TYPES,
  type MediaLimits,
  type MediaMimeType,
} from "@/server/services/media-schemas";
import { formatBytes } from "./format";

/** What the upload endpoint answers with (dates as JSON strings). */
export interface UploadedAsset {
  id: string;
  kind: MediaKind;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  url: string;
}

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  status: "queued" | "uploading" | "done" | "error";
  /** 0–1 while uploading. */
  progress: number;
  error?: string;
  asset?: UploadedAsset;
}

function guessType(file: File): MediaMimeType | null {
  if (isMediaMimeType(file.type)) return file.type;
  const ext = file.name.slice(file.name.lastIndexOf(".") + 1).toLowerCase();
  for (const [mime, t] of Object.entries(MEDIA_TYPES)) {
    if ((t.aliases as readonly string[]).includes(ext)) return mime as MediaMimeType;
  }
  return null;
}

/**
 * The browser's quick check, to save a pointless upload. The server sniffs the real bytes and
 * decides; this only reads the name, the browser's type and the size.
 */
export function precheckFile(file: File, limits: MediaLimits | undefined, kind?: MediaKind): string | null {
  const mime = guessType(file);
  if (!mime) {
    return kind === "video"
      ? "Only MP4, MOV and WebM videos can be uploaded."
      : kind === "image"
        ? "Only JPEG, PNG, GIF and WebP images can be uploaded."
        : "Only JPEG, PNG, GIF or WebP images and MP4, MOV or WebM videos can be uploaded.";
  }
  const type = MEDIA_TYPES[mime];
  if (kind && type.kind !== kind)
    return `Choose ${kind === "image" ? "an image" : "a video"}, not a ${type.kind}.`;
  if (file.size === 0) return "The file is empty.";
  const max = limits ? (type.kind === "image" ? limits.imageMaxBytes : limits.videoMaxBytes) : undefined;
  if (max !== undefined && file.size > max) {
    return `${formatBytes(file.size)} is over the ${formatBytes(max)} limit for ${type.kind}s.`;
  }
  return null;
}

/** POSTs one file with XMLHttpRequest, which (unlike fetch) reports upload progress. */
export function uploadFile(opts: {
  workspaceId: string;
  file: File;
  kind?: MediaKind;
  onProgress: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<UploadedAsset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.set("workspaceId", opts.workspaceId);
    if (opts.kind) form.set("kind", opts.kind);
    form.set("file", opts.file, opts.file.name);
    xhr.open("POST", "/api/media/upload");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { error?: string } & Partial<UploadedAsset> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's error page
      }
      if (xhr.status === 201 && body.id) resolve(body as UploadedAsset);
      else reject(new Error(body.error ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The connection was lost. Check your network and try again."));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    opts.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/**
 * A queue of uploads, one at a time, each with its progress; refreshes the media lists as files
 * land. `onUploaded` runs for each file the server accepted.
 */
export function useMediaUpload(opts: {
  workspaceId: string;
  kind?: MediaKind;
  limits: MediaLimits | undefined;
  onUploaded?: (asset: UploadedAsset) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const controllers = useRef(new Map<string, AbortController>());
  const latest = useRef(opts);
  latest.current = opts;

  const patch = useCallback((id: string, p: Partial<UploadItem>) => {
    setItems((all) => all.map((i) => (i.id === id ? { ...i, ...p } : i)));
  }, []);

  const run = useCallback(
    async (item: UploadItem, file: File) => {
      const controller = controllers.current.get(item.id);
      if (!controller || controller.signal.aborted) {
        setItems((all) => all.filter((i) => i.id !== item.id));
        return;
      }
      patch(item.id, { status: "uploading" });
      try {
        const asset = await uploadFile({
          workspaceId: latest.current.workspaceId,
          file,
          kind: latest.current.kind,
          signal: controller.signal,
          onProgress: (progress) => patch(item.id, { progress }),
        });
        patch(item.id, { status: "done", progress: 1, asset });
        // The new tile shows the result; the row only needs a moment to be seen.
        setTimeout(() => setItems((all) => all.filter((i) => i.id !== item.id)), 4000);
        void queryClient.invalidateQueries({ queryKey: trpc.media.list.queryKey() });
        latest.current.onUploaded?.(asset);
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") {
          setItems((all) => all.filter((i) => i.id !== item.id));
        } else {
          const message = err instanceof Error ? err.message : "The upload failed.";
          patch(item.id, { status: "error", error: message });
          toast.error(`${file.name} was not uploaded`, { description: message });
        }
      } finally {
        controllers.current.delete(item.id);
      }
    },
    [patch, queryClient, trpc],
  );

  const upload = useCallback(
    (files: File[]) => {
      const added: UploadItem[] = files.map((file) => {
        const error = precheckFile(file, latest.current.limits, latest.current.kind) ?? undefined;
        return {
          id: crypto.randomUUID(),
          name: file.name,
          size: file.size,
          status: error ? "error" : "queued",
          progress: 0,
          error,
        };
      });
      setItems((all) => [...all.filter((i) => i.status !== "done"), ...added]);
      added.forEach((item, i) => {
        if (item.status === "error") return;
        controllers.current.set(item.id, new AbortController());
        const file = files[i]!;
        chain.current = chain.current.then(() => run(item, file));
      });
    },
    [run],
  );

  const cancel = useCallback((id: string) => {
    const controller = controllers.current.get(id);
    if (controller) controller.abort();
    else setItems((all) => all.filter((i) => i.id !== id));
  }, []);

  const dismiss = useCallback((id: string) => setItems((all) => all.filter((i) => i.id !== id)), []);

  return { items, upload, cancel, dismiss };
}
