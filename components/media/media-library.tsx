"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowLeft, ExternalLink, ImageIcon, Upload } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PaginationBar } from "@/components/ui/pagination";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { MediaKind } from "@/server/db/schema/media";
import { DeleteMediaButton } from "./delete-media-button";
import { formatBytes, typeLabel } from "./format";
import { MediaThumb } from "./media-thumb";
import { UploadZone } from "./upload-zone";

const PAGE_SIZE = 24;
const UPLOAD_INPUT_ID = "media-library-upload";

type Filter = "all" | MediaKind;

export interface MediaTileAsset {
  id: string;
  kind: MediaKind;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  url: string;
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
            Images and videos for blog covers and TikTok posts.
            {total !== undefined &&
              total > 0 &&
              filter === "all" &&
              ` ${total} ${total === 1 ? "file" : "files"}.`}
            {!ws.canWrite && " You have read-only access."}
          </>
        }
        actions={
          <>
            <Button variant="outline" asChild>
              <Link href={`/${ws.slug}/content`}>
                <ArrowLeft aria-hidden />
                Content
              </Link>
            </Button>
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

      {list.isError ? (
        <div role="alert" className="flex flex-col items-start gap-3 text-sm">
          <p className="text-destructive">{errorMessage(list.error)}</p>
          <Button variant="outline" size="sm" onClick={() => list.refetch()}>
            Try again
          </Button>
        </div>
      ) : list.isPending ? (
        <MediaGridSkeleton />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          icon={ImageIcon}
          title={libraryEmpty ? "No media yet" : filter === "image" ? "No images yet" : "No videos yet"}
          description={
            ws.canWrite
              ? "Upload images and videos here, then pick them as a blog cover or a TikTok video."
              : "Members of this workspace can upload images and videos here."
          }
        />
      ) : (
        <>
          <ul
            data-testid="media-grid"
            aria-busy={list.isFetching}
            className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-5"
          >
            {list.data.items.map((asset) => (
              <MediaTile key={asset.id} asset={asset} canDelete={ws.canWrite} workspaceId={ws.id} />
            ))}
          </ul>
          {list.data.total > PAGE_SIZE && (
            <PaginationBar
              className="mt-4"
              page={page}
              pageSize={PAGE_SIZE}
              total={list.data.total}
              onPageChange={setPage}
            />
          )}
        </>
      )}
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
          <p className="truncate font-medium text-sm" title={asset.filename}>
            {asset.filename}
          </p>
          <p className="text-muted-foreground text-xs tabular-nums">
            {typeLabel(asset.mimeType)} · {formatBytes(asset.sizeBytes)}
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

export function MediaGridSkeleton({ count = 10 }: { count?: number }) {
  return (
    <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4 xl:grid-cols-5" aria-hidden>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="overflow-hidden rounded-lg border">
          <Skeleton className="aspect-video rounded-none" />
          <div className="grid gap-2 p-3">
            <Skeleton className="h-3.5 w-3/4" />
            <Skeleton className="h-3 w-1/2" />
            <Skeleton className="mt-1 h-5 w-16" />
          </div>
        </div>
      ))}
    </div>
  );
}
