"use client";

import { useEffect, useState } from "react";

/** The video's length in seconds, read from its metadata in the browser (null while unknown). */
export function useVideoDuration(url: string) {
  const [duration, setDuration] = useState<{ url: string; sec: number } | null>(null);
  useEffect(() => {
    if (!url || !/^(https?:\/\/|\/)/i.test(url)) return;
    const video = document.createElement("video");
    video.preload = "metadata";
    video.muted = true;
    const onMeta = () => {
      if (Number.isFinite(video.duration)) setDuration({ url, sec: video.duration });
    };
    video.addEventListener("loadedmetadata", onMeta);
    video.src = url;
    return () => {
      video.removeEventListener("loadedmetadata", onMeta);
      video.removeAttribute("src");
      video.load();
    };
  }, [url]);
  return duration?.url === url ? duration.sec : null;
}

export function formatDuration(sec: number) {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
