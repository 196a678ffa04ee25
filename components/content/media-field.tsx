"use client";

import { FolderOpen, X } from "lucide-react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { MediaPicker } from "@/components/media/media-picker";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** A media URL: typed, or picked from the workspace's media library. */
export function MediaField({
  id,
  label,
  kind,
  value,
  onChange,
  error,
  hint,
  disabled,
  testId,
}: {
  id: string;
  label: string;
  kind: "image" | "video";
  value: string;
  /** `assetId` is set when the file came from the library, null when typed. */
  onChange: (url: string, assetId: string | null) => void;
  error?: string;
  hint?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const ws = useWorkspace();
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <div className="flex flex-col gap-2 sm:flex-row">
        <div className="relative flex-1">
          <Input
            id={id}
            type="url"
            inputMode="url"
            placeholder={kind === "video" ? "https://… or pick a video" : "https://… or pick an image"}
            value={value}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value, null)}
            aria-invalid={error ? true : undefined}
            className={value ? "pr-8" : undefined}
            data-testid={testId}
          />
          {value && !disabled && (
            <button
              type="button"
              className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-0.5 text-muted-foreground hover:text-foreground"
              onClick={() => onChange("", null)}
              aria-label={`Clear ${label.toLowerCase()}`}
            >
              <X className="size-4" aria-hidden />
            </button>
          )}
        </div>
        {!disabled && (
          <MediaPicker
            workspaceId={ws.id}
            kind={kind}
            onSelect={(asset) => onChange(asset.url, asset.id)}
            trigger={
              <Button type="button" variant="outline" className="shrink-0">
                <FolderOpen aria-hidden />
                Media library
              </Button>
            }
          />
        )}
      </div>
    </Field>
  );
}
