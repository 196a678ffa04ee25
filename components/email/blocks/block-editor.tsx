"use client";

import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { Controller, useFormContext } from "react-hook-form";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/lazy-dropdown-menu";
import { BLOCK_LABELS, type EmailBlock, type EmailBlockType, MAX_BLOCKS, newBlock } from "@/lib/email-blocks";
import type { CampaignDraft } from "../campaign-form";
import { BlockFields } from "./block-fields";

const ADDABLE: EmailBlockType[] = [
  "heading",
  "text",
  "image",
  "button",
  "product",
  "divider",
  "social",
  "footer",
];

/** The message at `path` in react-hook-form's error tree (`3.links.0.url`), if any. */
function errorAt(tree: unknown, path: string): string | undefined {
  let node: unknown = tree;
  for (const key of path.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  const message = node && typeof node === "object" ? (node as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : undefined;
}

/**
 * The block editor of one step: add, reorder, edit and remove blocks. The document is one form value
 * (`steps.i.blocks`), checked by the same schema the server applies; the preview renders it live.
 */
export function BlockEditor({ index: i, readOnly }: { index: number; readOnly: boolean }) {
  const { control, formState } = useFormContext<CampaignDraft>();
  const errors = formState.errors.steps?.[i]?.blocks;
  // A problem of the whole list (too many blocks, two footers) rather than of one block.
  const listError = errorAt(errors, "root") ?? errorAt({ list: errors }, "list");
  return (
    <Controller
      control={control}
      name={`steps.${i}.blocks`}
      render={({ field }) => {
        const blocks: EmailBlock[] = field.value ?? [];
        const set = (next: EmailBlock[]) => field.onChange(next);
        const move = (from: number, to: number) => {
          const next = [...blocks];
          const [b] = next.splice(from, 1);
          next.splice(to, 0, b!);
          set(next);
        };
        const hasFooter = blocks.some((b) => b.type === "footer");
        return (
          <div className="grid gap-3" data-testid="block-editor">
            {listError && (
              <p role="alert" className="text-destructive text-sm">
                {listError}
              </p>
            )}
            {blocks.length === 0 && (
              <p className="rounded-md border border-dashed p-4 text-center text-muted-foreground text-sm">
                No blocks yet: add a heading, text or image below.
              </p>
            )}
            {blocks.map((b, j) => (
              <section
                // Blocks have no ids of their own: position and type identify them while editing.
                key={`${j}-${b.type}`}
                aria-label={`Block ${j + 1}: ${BLOCK_LABELS[b.type]}`}
                data-testid={`block-${j}`}
                className="grid gap-3 rounded-md border bg-card p-3"
              >
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium text-sm">{BLOCK_LABELS[b.type]}</span>
                  {!readOnly && (
                    <div className="flex gap-1">
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label={`Move block ${j + 1} up`}
                        disabled={j === 0}
                        onClick={() => move(j, j - 1)}
                      >
                        <ArrowUp aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label={`Move block ${j + 1} down`}
                        disabled={j === blocks.length - 1}
                        onClick={() => move(j, j + 1)}
                      >
                        <ArrowDown aria-hidden />
                      </Button>
                      <Button
                        type="button"
                        size="icon"
                        variant="ghost"
                        aria-label={`Remove block ${j + 1}`}
                        onClick={() => set(blocks.filter((_, k) => k !== j))}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    </div>
                  )}
                </div>
                <BlockFields
                  block={b}
                  id={`step-${i}-block-${j}`}
                  readOnly={readOnly}
                  error={(key) => errorAt(errors, `${j}.${key}`)}
                  onChange={(patch) =>
                    set(blocks.map((x, k) => (k === j ? ({ ...x, ...patch } as EmailBlock) : x)))
                  }
                />
              </section>
            ))}
            {!readOnly && blocks.length < MAX_BLOCKS && (
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button
                    type="button"
                    variant="outline"
                    className="justify-self-start"
                    data-testid="add-block"
                  >
                    <Plus aria-hidden />
                    Add block
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="start">
                  {ADDABLE.filter((t) => t !== "footer" || !hasFooter).map((t) => (
                    <DropdownMenuItem
                      key={t}
                      data-testid={`add-block-${t}`}
                      onSelect={() => {
                        // New blocks go before the footer, which stays last.
                        const at = blocks.findIndex((x) => x.type === "footer");
                        const next = [...blocks];
                        next.splice(at === -1 || t === "footer" ? next.length : at, 0, newBlock(t));
                        set(next);
                      }}
                    >
                      {BLOCK_LABELS[t]}
                    </DropdownMenuItem>
                  ))}
                </DropdownMenuContent>
              </DropdownMenu>
            )}
          </div>
        );
      }}
    />
  );
}
