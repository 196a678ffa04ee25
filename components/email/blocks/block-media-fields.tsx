"use client";

import { useQuery } from "@tanstack/react-query";
import { ImageIcon, Plus, Trash2 } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { MediaPicker } from "@/components/media/media-picker";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { MAX_SOCIAL_LINKS, SOCIAL_LABELS, SOCIAL_PLATFORMS, type SocialPlatform } from "@/lib/email-blocks";
import { useTRPC } from "@/lib/trpc/client";
import { nativeSelect } from "../campaign-meta";
import type { BlockFieldProps } from "./block-types";

/** An image URL field with "Choose from media library". */
function ImageUrlField({
  id,
  label,
  value,
  onChange,
  error,
  readOnly,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  readOnly: boolean;
}) {
  const ws = useWorkspace();
  return (
    <Field label={label} htmlFor={id} hint="An https:// URL, or a file from the media library." error={error}>
      <div className="flex gap-2">
        <Input id={id} disabled={readOnly} value={value} onChange={(e) => onChange(e.target.value)} />
        {!readOnly && (
          <MediaPicker
            workspaceId={ws.id}
            kind="image"
            canUpload={ws.canWrite}
            onSelect={(a) => onChange(a.url)}
            trigger={
              <Button type="button" variant="outline" className="shrink-0" data-testid="block-image-library">
                <ImageIcon aria-hidden />
                Library
              </Button>
            }
          />
        )}
      </div>
    </Field>
  );
}

export function ImageFields({ block, onChange, id, error, readOnly }: BlockFieldProps<"image">) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <ImageUrlField
          id={`${id}-src`}
          label="Image"
          value={block.src}
          error={error("src")}
          readOnly={readOnly}
          onChange={(src) => onChange({ src })}
        />
      </div>
      <Field
        label="Description (alt text)"
        htmlFor={`${id}-alt`}
        hint="Read aloud, and shown when images are off."
        error={error("alt")}
      >
        <Input
          id={`${id}-alt`}
          disabled={readOnly}
          value={block.alt}
          onChange={(e) => onChange({ alt: e.target.value })}
        />
      </Field>
      <Field label="Width (px, at most 600)" htmlFor={`${id}-width`} error={error("width")}>
        <Input
          id={`${id}-width`}
          type="number"
          min={20}
          max={600}
          disabled={readOnly}
          value={block.width}
          onChange={(e) => onChange({ width: Number(e.target.value) || 0 })}
        />
      </Field>
      <div className="sm:col-span-2">
        <Field label="Link (optional)" htmlFor={`${id}-href`} error={error("href")}>
          <Input
            id={`${id}-href`}
            type="url"
            disabled={readOnly}
            value={block.href ?? ""}
            onChange={(e) => onChange({ href: e.target.value.trim() ? e.target.value : undefined })}
          />
        </Field>
      </div>
    </div>
  );
}

/** A product card: picked from the catalogue (Settings → Brand) or typed in. */
export function ProductFields({ block, onChange, id, error, readOnly }: BlockFieldProps<"product">) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const brand = useQuery(trpc.workspace.brand.get.queryOptions({ workspaceId: ws.id }));
  const products = brand.data?.products ?? [];
  // The catalogue entry this card shows, while its title still matches one.
  const picked = products.find((p) => p.name === block.title)?.name ?? "";
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field
        label="From your catalogue"
        htmlFor={`${id}-pick`}
        hint={products.length ? undefined : "Add products in Settings → Brand to pick them here."}
        className="sm:col-span-2"
      >
        <select
          id={`${id}-pick`}
          data-testid="block-product-pick"
          className={nativeSelect}
          disabled={readOnly || products.length === 0}
          value={picked}
          onChange={(e) => {
            const p = products.find((x) => x.name === e.target.value);
            if (p) onChange({ title: p.name, price: p.price, ...(p.url ? { url: p.url } : {}) });
          }}
        >
          <option value="">{products.length ? "Pick a product…" : "No products yet"}</option>
          {products.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
              {p.price ? ` — ${p.price}` : ""}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Title" htmlFor={`${id}-title`} error={error("title")}>
        <Input
          id={`${id}-title`}
          disabled={readOnly}
          value={block.title}
          onChange={(e) => onChange({ title: e.target.value })}
        />
      </Field>
      <Field label="Price" htmlFor={`${id}-price`} error={error("price")}>
        <Input
          id={`${id}-price`}
          disabled={readOnly}
          value={block.price}
          onChange={(e) => onChange({ price: e.target.value })}
        />
      </Field>
      <Field label="Link" htmlFor={`${id}-url`} error={error("url")}>
        <Input
          id={`${id}-url`}
          type="url"
          disabled={readOnly}
          value={block.url}
          onChange={(e) => onChange({ url: e.target.value })}
        />
      </Field>
      <Field label="Button label" htmlFor={`${id}-cta`} error={error("buttonLabel")}>
        <Input
          id={`${id}-cta`}
          disabled={readOnly}
          value={block.buttonLabel}
          onChange={(e) => onChange({ buttonLabel: e.target.value })}
        />
      </Field>
      <div className="sm:col-span-2">
        <ImageUrlField
          id={`${id}-image`}
          label="Image (optional)"
          value={block.image ?? ""}
          error={error("image")}
          readOnly={readOnly}
          onChange={(v) => onChange({ image: v.trim() ? v : undefined })}
        />
      </div>
    </div>
  );
}

export function SocialFields({ block, onChange, id, error, readOnly }: BlockFieldProps<"social">) {
  const set = (links: typeof block.links) => onChange({ links });
  return (
    <div className="grid gap-2">
      {block.links.map((l, j) => (
        <div key={`${l.platform}-${j}`} className="grid grid-cols-[9rem_1fr_auto] items-start gap-2">
          <select
            aria-label={`Link ${j + 1} platform`}
            className={nativeSelect}
            disabled={readOnly}
            value={l.platform}
            onChange={(e) =>
              set(
                block.links.map((x, k) =>
                  k === j ? { ...x, platform: e.target.value as SocialPlatform } : x,
                ),
              )
            }
          >
            {SOCIAL_PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {SOCIAL_LABELS[p]}
              </option>
            ))}
          </select>
          <div className="grid gap-1">
            <Input
              id={`${id}-link-${j}`}
              aria-label={`Link ${j + 1} URL`}
              type="url"
              disabled={readOnly}
              value={l.url}
              onChange={(e) => set(block.links.map((x, k) => (k === j ? { ...x, url: e.target.value } : x)))}
            />
            {error(`links.${j}.url`) && <p className="text-destructive text-sm">{error(`links.${j}.url`)}</p>}
          </div>
          <Button
            type="button"
            size="icon"
            variant="ghost"
            aria-label={`Remove link ${j + 1}`}
            disabled={readOnly || block.links.length === 1}
            onClick={() => set(block.links.filter((_, k) => k !== j))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      {!readOnly && block.links.length < MAX_SOCIAL_LINKS && (
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-self-start"
          onClick={() => set([...block.links, { platform: "website", url: "https://" }])}
        >
          <Plus aria-hidden />
          Add link
        </Button>
      )}
    </div>
  );
}
