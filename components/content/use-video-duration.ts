"use client";

import { useEffect, useState } from "react";

/** `sec` is null when the file does not say (e.g. a recording streamed without a duration). */
export type VideoShape = { sec: number | null; width: number; height: number };

/** The video's length in seconds, read from its metadata in the browser (null while unknown). */
export function useVideoDuration(url: string) {
  return useVideoShape(url)?.sec ?? null;
}

/** The video's length and frame size, read from its metadata in the browser (null while unknown). */
export function useVideoShape(url: string): VideoShape | null {
  const [shape, setShape] = useState<({ url: string } & VideoShape) | null>(null);
  useEffect(() => {
    if (!url || !/^(https?:\/\/|\/)/i.test(url)) return;
    const video = document.createElement("video");
    video.preload = "metadata";
    video.muted = true;
    const onMeta = () => {
      const sec = Number.isFinite(video.duration) ? video.duration : null;
      setShape({ url, sec, width: video.videoWidth, height: video.videoHeight });
    };
    video.addEventListener("loadedmetadata", onMeta);
    video.src = url;
    return () => {
      video.removeEventListener("loadedmetadata", onMeta);
      video.removeAttribute("src");
      video.load();
    };
  }, [url]);
  return shape?.url === url ? shape : null;
}

/** True for a video wider than tall (a frame size of 0 — audio only, unknown — is not). */
export function isLandscape(shape: VideoShape | null) {
  return Boolean(shape && shape.height > 0 && shape.width > shape.height);
}

export function formatDuration(sec: number) {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
