"use client";

import { Check, Film, FolderOpen } from "lucide-react";
import type { ReactNode } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { MediaPicker, type PickedMedia } from "@/components/media/media-picker";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import {
  type RepurposeWords,
  SHORT_VIDEO_LABEL,
  SHORT_VIDEO_PLATFORMS,
  type ShortVideoPlatform,
} from "@/server/services/content/repurpose-schemas";
import { type ContentItem, TYPE_META } from "./content-meta";
import { PlatformIcon } from "./platform-group";

const OPTION =
  "flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm transition-colors hover:bg-accent/40 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring/50";

/** A titled group of choices. */
export function ChoiceSet({
  legend,
  hint,
  error,
  testId,
  children,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="grid gap-2" data-testid={testId} aria-invalid={error ? true : undefined}>
      <legend className="mb-2 font-medium text-sm">{legend}</legend>
      {hint && <p className="-mt-1 text-muted-foreground text-xs">{hint}</p>}
      {children}
      {error && (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** One radio choice drawn as a card, highlighted when chosen. */
export function RadioCard<T extends string>({
  name,
  value,
  current,
  onChange,
  invalid,
  testId,
  children,
}: {
  name: string;
  value: T;
  current: T | null;
  onChange: (value: T) => void;
  invalid?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <label
      className={cn(
        OPTION,
        current === value && "border-primary bg-primary/5",
        invalid && "border-destructive",
      )}
    >
      <input
        type="radio"
        name={name}
        value={value}
        checked={current === value}
        onChange={() => onChange(value)}
        className="size-4 accent-primary"
        data-testid={testId}
      />
      {children}
    </label>
  );
}

/**
 * A checkbox per short-video platform. The source's own platform is "this post" and those already
 * holding a post of this video are ticked and locked.
 */
export function PlatformChoices({
  item,
  taken,
  picked,
  onToggle,
}: {
  item: ContentItem;
  taken: ReadonlySet<string>;
  picked: ReadonlySet<ShortVideoPlatform>;
  onToggle: (platform: ShortVideoPlatform, on: boolean) => void;
}) {
  return (
    <div className="grid gap-2 sm:grid-cols-3">
      {SHORT_VIDEO_PLATFORMS.map((p) => {
        const own = p === item.type;
        const locked = own || taken.has(p);
        const on = locked || picked.has(p);
        return (
          <label
            key={p}
            className={cn(
              OPTION,
              "flex-col items-start gap-1.5",
              on && "border-primary bg-primary/5",
              locked && "cursor-default opacity-70 hover:bg-transparent",
            )}
            data-testid={`pe-platform-${p}`}
          >
            <span className="flex w-full items-center gap-2">
              <PlatformIcon type={p} />
              <span className="font-medium">{SHORT_VIDEO_LABEL[p]}</span>
              <input
                type="checkbox"
                className="ml-auto size-4 accent-primary"
                checked={on}
                disabled={locked}
                onChange={(e) => onToggle(p, e.target.checked)}
                aria-label={TYPE_META[p].label}
                data-testid={`pe-check-${p}`}
              />
            </span>
            <span className="text-muted-foreground text-xs">
              {own ? "This post" : taken.has(p) ? "Already posted" : on ? "New draft" : "Not included"}
            </span>
          </label>
        );
      })}
    </div>
  );
}

/** The group's video: the source's own, or one picked from the media library. */
export function VideoChoice({
  ownVideo,
  picked,
  onPick,
  error,
}: {
  /** A label for the source's own video, when it has one. */
  ownVideo: string | null;
  picked: PickedMedia | null;
  onPick: (asset: PickedMedia) => void;
  error?: string;
}) {
  const ws = useWorkspace();
  if (ownVideo) {
    return (
      <p className="flex items-center gap-2 text-sm" data-testid="pe-video">
        <Film className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        <span className="text-muted-foreground">Video:</span>
        <span className="truncate font-medium" title={ownVideo}>
          {ownVideo}
        </span>
      </p>
    );
  }
  return (
    <ChoiceSet
      legend="Video"
      hint="This item has no video yet: pick one from the media library."
      error={error}
    >
      <div className="flex flex-wrap items-center gap-2" data-testid="pe-video">
        <MediaPicker
          workspaceId={ws.id}
          kind="video"
          onSelect={onPick}
          trigger={
            <Button type="button" variant="outline" size="sm" data-testid="pe-pick-video">
              <FolderOpen aria-hidden />
              {picked ? "Change video" : "Media library"}
            </Button>
          }
        />
        {picked && (
          <span className="flex min-w-0 items-center gap-1.5 text-sm">
            <Check className="size-4 shrink-0 text-success" aria-hidden />
            <span className="truncate">{picked.filename}</span>
          </span>
        )}
      </div>
    </ChoiceSet>
  );
}

/** YouTube's made-for-kids question, asked once for the group; required before scheduling. */
export function MadeForKidsChoice({
  value,
  required,
  error,
  onChange,
}: {
  value: "yes" | "no" | null;
  required: boolean;
  error?: string;
  onChange: (value: "yes" | "no") => void;
}) {
  return (
    <ChoiceSet
      legend={
        <>Is this video made for kids? {required && <span className="text-destructive">(required)</span>}</>
      }
      hint="YouTube asks this of every video (COPPA); it cannot be published until you answer."
      error={error}
      testId="pe-made-for-kids"
    >
      <div className="grid gap-2 sm:grid-cols-2">
        {(
          [
            ["yes", "Yes, it's made for kids"],
            ["no", "No, it's not made for kids"],
          ] as const
        ).map(([option, label]) => (
          <RadioCard
            key={option}
            name="pe-kids"
            value={option}
            current={value}
            onChange={onChange}
            invalid={Boolean(error)}
            testId={`pe-kids-${option}`}
          >
            {label}
          </RadioCard>
        ))}
      </div>
    </ChoiceSet>
  );
}

const WORDS: [RepurposeWords, string, string][] = [
  [
    "fitted",
    "Keep the post's words (fitted)",
    "Shortened to each platform's caption, hashtag and title limits.",
  ],
  [
    "write",
    "Write per platform",
    "A caption and title for each by your AI writer, then fitted to its limits.",
  ],
];

/** Whose words the drafts carry: this item's, fitted, or written for each platform (then fitted). */
export function WordsChoice({
  value,
  onChange,
}: {
  value: RepurposeWords;
  onChange: (value: RepurposeWords) => void;
}) {
  return (
    <ChoiceSet
      legend="Words"
      hint={
        value === "write" ? "Without an AI endpoint, the offline template writer writes them." : undefined
      }
      testId="pe-words"
    >
      <div className="grid gap-2 sm:grid-cols-2">
        {WORDS.map(([option, label, hint]) => (
          <RadioCard
            key={option}
            name="pe-words"
            value={option}
            current={value}
            onChange={onChange}
            testId={`pe-words-${option}`}
          >
            <span className="grid gap-0.5">
              <span>{label}</span>
              <span className="text-muted-foreground text-xs">{hint}</span>
            </span>
          </RadioCard>
        ))}
      </div>
    </ChoiceSet>
  );
}
