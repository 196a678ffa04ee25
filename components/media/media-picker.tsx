"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import type { MediaKind } from "@/server/db/schema/media";
import { FileName } from "./file-name";
import { assetSummary } from "./format";
import { MediaListStates } from "./media-list-states";
import { MediaThumb } from "./media-thumb";
import { UploadZone } from "./upload-zone";

const PAGE_SIZE = 12;

export interface PickedMedia {
  id: string;
  url: string;
  kind: MediaKind;
  filename: string;
}

interface PickerAsset extends PickedMedia {
  mimeType: string;
  sizeBytes: number;
}

/**
 * A dialog to pick a file from the workspace's media library, or upload one into it (the new file
 * is selected). `kind` limits both the list and the uploads. Opens from `trigger`.
 */
export function MediaPicker({
  workspaceId,
  kind,
  onSelect,
  trigger,
  canUpload = true,
}: {
  workspaceId: string;
  kind?: MediaKind;
  onSelect: (asset: PickedMedia) => void;
  trigger: ReactNode;
  /** False for viewers: they may browse but not upload. */
  canUpload?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const noun = kind === "image" ? "an image" : kind === "video" ? "a video" : "a file";
  return (
    <DialogShell
      open={open}
      onOpenChange={setOpen}
      trigger={trigger}
      className="sm:max-w-3xl"
      testId="media-picker"
      title={`Choose ${noun}`}
      description={`Pick from the media library${canUpload ? " or upload a new file" : ""}.`}
    >
      {open && (
        <PickerBody
          workspaceId={workspaceId}
          kind={kind}
          canUpload={canUpload}
          onPick={(asset) => {
            onSelect({ id: asset.id, url: asset.url, kind: asset.kind, filename: asset.filename });
            setOpen(false);
          }}
        />
      )}
    </DialogShell>
  );
}

function PickerBody({
  workspaceId,
  kind,
  canUpload,
  onPick,
}: {
  workspaceId: string;
  kind?: MediaKind;
  canUpload: boolean;
  onPick: (asset: PickedMedia) => void;
}) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<PickedMedia | null>(null);
  const limits = useQuery(trpc.media.limits.queryOptions({ workspaceId }, { staleTime: Infinity }));
  const list = useQuery(
    trpc.media.list.queryOptions(
      { workspaceId, kind, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      { placeholderData: keepPreviousData },
    ),
  );
  const noun = kind === "image" ? "image" : kind === "video" ? "video" : "file";

  return (
    <>
      {canUpload && (
        <UploadZone
          workspaceId={workspaceId}
          kind={kind}
          limits={limits.data}
          compact
          onUploaded={(asset) => {
            setPage(1);
            setSelected(asset);
          }}
        />
      )}
      <div className="min-h-40">
        <MediaListStates
          list={list}
          skeletonCount={4}
          empty={{
            title: `No ${noun}s in the library yet`,
            description: canUpload ? `Upload ${kind ? `a ${noun}` : "one"} above.` : undefined,
          }}
          pagination={{ page, pageSize: PAGE_SIZE, onPageChange: setPage, className: "mt-2" }}
        >
          <ul
            className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4"
            aria-label={`${noun}s`}
            aria-busy={list.isFetching}
          >
            {list.data?.items.map((asset) => (
              <li key={asset.id}>
                <PickerTile
                  asset={asset}
                  selected={selected?.id === asset.id}
                  onSelect={() => setSelected(asset)}
                  onConfirm={() => onPick(asset)}
                />
              </li>
            ))}
          </ul>
        </MediaListStates>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button
          disabled={!selected}
          onClick={() => selected && onPick(selected)}
          data-testid="media-picker-use"
        >
          Use this {selected?.kind ?? noun}
        </Button>
      </DialogFooter>
    </>
  );
}

function PickerTile({
  asset,
  selected,
  onSelect,
  onConfirm,
}: {
  asset: PickerAsset;
  selected: boolean;
  onSelect: () => void;
  onConfirm: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={selected}
      onClick={onSelect}
      onDoubleClick={onConfirm}
      className={cn(
        "relative flex w-full flex-col overflow-hidden rounded-lg border bg-card text-left outline-none transition-shadow focus-visible:ring-[3px] focus-visible:ring-ring/50",
        selected && "border-primary ring-2 ring-primary",
      )}
    >
      <MediaThumb asset={asset} className="pointer-events-none border-b" />
      {selected && (
        <span className="absolute top-1.5 right-1.5 flex size-6 items-center justify-center rounded-full bg-primary text-primary-foreground">
          <Check className="size-4" aria-hidden />
        </span>
      )}
      <span className="grid gap-0.5 p-2">
        <FileName name={asset.filename} className="text-xs" />
        <span className="text-[11px] text-muted-foreground">{assetSummary(asset)}</span>
      </span>
    </button>
  );
}
