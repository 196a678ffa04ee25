"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowLeft, ExternalLink, Upload } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LinkButton } from "@/components/ui/link-button";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useTRPC } from "@/lib/trpc/client";
import type { MediaKind } from "@/server/db/schema/media";
import { DeleteMediaButton } from "./delete-media-button";
import { FileName } from "./file-name";
import { assetSummary } from "./format";
import { MediaListStates } from "./media-list-states";
import { MediaThumb } from "./media-thumb";
import { UploadZone } from "./upload-zone";
import type { UploadedAsset } from "./use-media-upload";

const PAGE_SIZE = 24;
const UPLOAD_INPUT_ID = "media-library-upload";

type Filter = "all" | MediaKind;

export interface MediaTileAsset extends UploadedAsset {
  usageCount: number;
}

export function MediaLibrary() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>("all");
  const [page, setPage] = useState(1);
  const limits = useQuery(trpc.media.limits.queryOptions({ workspaceId: ws.id }, { staleTime: Infinity }));
  const list = useQuery(
    trpc.media.list.queryOptions(
      {
        workspaceId: ws.id,
        kind: filter === "all" ? undefined : filter,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  const total = list.data?.total;
  const libraryEmpty = filter === "all" && total === 0;

  return (
    <>
      <PageHeader
        title="Media library"
        description={
          <>
            Images and videos for blog covers and short videos.
            {total !== undefined &&
              total > 0 &&
              filter === "all" &&
              ` ${total} ${total === 1 ? "file" : "files"}.`}
            {!ws.canWrite && " You have read-only access."}
          </>
        }
        actions={
          <>
            <LinkButton href={`/${ws.slug}/content`} icon={ArrowLeft}>
              Content
            </LinkButton>
            {ws.canWrite && (
              <Button asChild>
                <label htmlFor={UPLOAD_INPUT_ID} className="cursor-pointer">
                  <Upload aria-hidden />
                  Upload
                </label>
              </Button>
            )}
          </>
        }
      />

      {ws.canWrite && (
        <UploadZone workspaceId={ws.id} limits={limits.data} inputId={UPLOAD_INPUT_ID} className="mb-6" />
      )}

      {!libraryEmpty && (
        <Tabs
          value={filter}
          onValueChange={(v) => {
            setFilter(v as Filter);
            setPage(1);
          }}
          className="mb-4"
        >
          <TabsList aria-label="Filter by type">
            <TabsTrigger value="all">All</TabsTrigger>
            <TabsTrigger value="image">Images</TabsTrigger>
            <TabsTrigger value="video">Videos</TabsTrigger>
          </TabsList>
        </Tabs>
      )}

      <MediaListStates
        list={list}
        empty={{
          title: libraryEmpty ? "No media yet" : filter === "image" ? "No images yet" : "No videos yet",
          description: ws.canWrite
            ? "Upload images and videos here, then pick them as a blog cover or a short video."
            : "Members of this workspace can upload images and videos here.",
        }}
        pagination={{ page, pageSize: PAGE_SIZE, onPageChange: setPage, className: "mt-4" }}
      >
        <ul
          data-testid="media-grid"
          aria-busy={list.isFetching}
          className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-5"
        >
          {list.data?.items.map((asset) => (
            <MediaTile key={asset.id} asset={asset} canDelete={ws.canWrite} workspaceId={ws.id} />
          ))}
        </ul>
      </MediaListStates>
    </>
  );
}

function MediaTile({
  asset,
  canDelete,
  workspaceId,
}: {
  asset: MediaTileAsset;
  canDelete: boolean;
  workspaceId: string;
}) {
  const n = asset.usageCount;
  return (
    <li data-testid="media-tile" className="group flex flex-col overflow-hidden rounded-lg border bg-card">
      <MediaThumb asset={asset} className="border-b" />
      <div className="flex flex-1 flex-col gap-2 p-3">
        <div className="min-w-0">
          <FileName name={asset.filename} className="text-sm" />
          <p className="text-muted-foreground text-xs tabular-nums">
            {assetSummary(asset)}
            {asset.width && asset.height ? ` · ${asset.width}×${asset.height}` : ""}
          </p>
        </div>
        <div className="mt-auto flex items-center justify-between gap-2">
          {n > 0 ? (
            <Badge variant="secondary">Used by {n}</Badge>
          ) : (
            <Badge variant="outline" className="text-muted-foreground">
              Unused
            </Badge>
          )}
          <div className="flex items-center">
            <Button variant="ghost" size="icon-sm" asChild className="text-muted-foreground">
              <a href={asset.url} target="_blank" rel="noreferrer" aria-label={`Open ${asset.filename}`}>
                <ExternalLink aria-hidden />
              </a>
            </Button>
            {canDelete && <DeleteMediaButton workspaceId={workspaceId} asset={asset} />}
          </div>
        </div>
      </div>
    </li>
  );
}
