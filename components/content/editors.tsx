"use client";

import dynamic from "next/dynamic";
import type { ComponentType } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { BlogEditor } from "./blog-editor";
import type { ContentType } from "./content-meta";
import { EmailEditor } from "./email-editor";
import { TikTokEditor } from "./tiktok-editor";
import type { ContentEditorProps } from "./use-content-form";

function EditorSkeleton() {
  return (
    <div className="grid gap-6 lg:grid-cols-2" aria-busy="true">
      <Skeleton className="h-96" />
      <Skeleton className="h-96" />
    </div>
  );
}

/** The editor of each content type. The newer short-video editors load as their own chunks. */
export const EDITORS: Record<ContentType, ComponentType<ContentEditorProps>> = {
  tiktok: TikTokEditor,
  youtube: dynamic(() => import("./youtube-editor").then((m) => m.YouTubeEditor), {
    loading: EditorSkeleton,
  }),
  instagram: dynamic(() => import("./instagram-editor").then((m) => m.InstagramEditor), {
    loading: EditorSkeleton,
  }),
  blog: BlogEditor,
  email: EmailEditor,
};
