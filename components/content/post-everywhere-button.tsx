"use client";

import { Share2 } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import type { ContentItem } from "./content-meta";
import { useContentGroup } from "./platform-group";
import type { PostEverywhereDialog as Dialog } from "./post-everywhere-dialog";

const load = () => import("./post-everywhere-dialog");
// Not imported from repurpose-schemas: that would bring Zod onto the editor page before any click.
const SHORT_VIDEO_PLATFORMS = ["tiktok", "youtube", "instagram"] as const;

/**
 * "Post everywhere" beside the status actions: the dialog loads on the first click (page weight),
 * as the generate dialog does. Hidden once every short-video platform has a post of this video.
 */
export function PostEverywhereButton({ item }: { item: ContentItem }) {
  const ws = useWorkspace();
  const group = useContentGroup(item);
  const [LoadedDialog, setLoadedDialog] = useState<typeof Dialog | null>(null);
  const taken = new Set<string>((group.data ?? []).map((s) => s.type));
  const free = SHORT_VIDEO_PLATFORMS.filter((p) => p !== item.type && !taken.has(p));
  if (!ws.canWrite || free.length === 0 || (item.groupId && group.isPending)) return null;
  const trigger = (
    <Button variant="outline" size="sm" data-testid="post-everywhere">
      <Share2 aria-hidden />
      Post everywhere
    </Button>
  );
  if (LoadedDialog) return <LoadedDialog item={item} taken={taken} trigger={trigger} defaultOpen />;
  return (
    <span
      className="contents"
      onPointerEnter={() => void load()}
      onClickCapture={(e) => {
        e.preventDefault();
        void load().then((m) => setLoadedDialog(() => m.PostEverywhereDialog));
      }}
    >
      {trigger}
    </span>
  );
}
