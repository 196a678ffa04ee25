"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Share2 } from "lucide-react";
import { type ReactNode, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import type { PickedMedia } from "@/components/media/media-picker";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import {
  type RepurposeWords,
  SHORT_VIDEO_PLATFORMS,
  type ShortVideoPlatform,
} from "@/server/services/content/repurpose-schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { DateTimeFields } from "./date-time-fields";
import {
  ChoiceSet,
  MadeForKidsChoice,
  PlatformChoices,
  RadioCard,
  VideoChoice,
  WordsChoice,
} from "./post-everywhere-fields";
import { addDaysToKey, todayKey, zonedInstant, zoneLabel } from "./zoned-time";

type When = "draft" | "together" | "stagger";

/** The source's own video, named for people: its library file or its URL's last part. */
function ownVideoOf(item: ContentItem): string | null {
  if (item.type !== "tiktok" && item.type !== "youtube" && item.type !== "instagram") return null;
  const v = readMeta(item.metadata)[item.type];
  if (v.mediaId || v.videoUrl) return v.videoUrl?.split("/").pop() || "This post's video";
  return null;
}

/**
 * "Post everywhere": one video → a linked draft per short-video platform (`content.postEverywhere`),
 * left as drafts or scheduled together or staggered. Loaded on first open (post-everywhere-button).
 */
export function PostEverywhereDialog({
  item,
  taken,
  trigger,
  defaultOpen = false,
}: {
  item: ContentItem;
  /** Platforms that already hold a post of this video. */
  taken: ReadonlySet<string>;
  trigger: ReactNode;
  defaultOpen?: boolean;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const free = SHORT_VIDEO_PLATFORMS.filter((p) => p !== item.type && !taken.has(p));
  const [open, setOpen] = useState(defaultOpen);
  const [picked, setPicked] = useState<Set<ShortVideoPlatform>>(() => new Set(free));
  const [video, setVideo] = useState<PickedMedia | null>(null);
  const [when, setWhen] = useState<When>("draft");
  const [stagger, setStagger] = useState("30");
  const [date, setDate] = useState(() => addDaysToKey(todayKey(ws.timeZone), 1));
  const [time, setTime] = useState("09:00");
  const [visibility, setVisibility] = useState<"public" | "private">("public");
  const [kids, setKids] = useState<"yes" | "no" | null>(null);
  const [words, setWords] = useState<RepurposeWords>("fitted");
  const [error, setError] = useState<{ field?: "video" | "kids" | "time"; message: string }>();
  const ownVideo = ownVideoOf(item);

  const post = useMutation(
    trpc.content.postEverywhere.mutationOptions({
      onSuccess: (r) => {
        const n = r.created.length;
        const first = r.created[0]?.scheduledAt;
        // The offline writer is named here and in each draft's editor, never in the words.
        const description = [first && `From ${formatDateTime(first, ws.timeZone)}.`, r.words.notice]
          .filter(Boolean)
          .join(" ");
        toast.success(
          first ? `Scheduled ${n} post${n === 1 ? "" : "s"}` : `Created ${n} draft${n === 1 ? "" : "s"}`,
          description ? { description } : undefined,
        );
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.content.pathKey() });
      },
      onError: (err) => setError({ message: errorMessage(err) }),
    }),
  );

  const youtube = picked.has("youtube");
  const at = when === "draft" ? null : zonedInstant(date, time, ws.timeZone);
  const submit = () => {
    if (picked.size === 0) return setError({ message: "Pick at least one platform" });
    if (!ownVideo && !video) return setError({ field: "video", message: "Pick the video to post" });
    if (when !== "draft") {
      if (!at) return setError({ field: "time", message: "Pick a date and a time" });
      if (at.getTime() <= Date.now())
        return setError({ field: "time", message: "That time has passed — pick one in the future" });
      if (youtube && !kids)
        return setError({
          field: "kids",
          message: "Answer whether this video is made for kids: YouTube requires it before publishing.",
        });
    }
    const minutes = Number(stagger);
    if (when === "stagger" && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 10_080))
      return setError({ field: "time", message: "Stagger by 1 to 10,080 minutes" });
    setError(undefined);
    post.mutate({
      workspaceId: ws.id,
      id: item.id,
      platforms: SHORT_VIDEO_PLATFORMS.filter((p) => picked.has(p)),
      mediaId: ownVideo ? undefined : video?.id,
      scheduledAt: at ?? undefined,
      staggerMinutes: when === "stagger" ? minutes : 0,
      visibility,
      madeForKids: youtube && kids ? kids === "yes" : undefined,
      words,
    });
  };

  return (
    <DialogShell
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(undefined);
        if (next) setPicked(new Set(free));
      }}
      trigger={trigger}
      className="max-h-[90vh] overflow-y-auto sm:max-w-xl"
      titleClassName="flex items-center gap-2"
      testId="post-everywhere-dialog"
      title={
        <>
          <Share2 className="size-5" aria-hidden />
          Post everywhere
        </>
      }
      description="One video, a linked post per platform, each with words that fit the platform's limits."
    >
      <form
        className="grid gap-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <ChoiceSet legend="Platforms">
          <PlatformChoices
            item={item}
            taken={taken}
            picked={picked}
            onToggle={(p, on) => {
              setPicked((prev) => {
                const next = new Set(prev);
                if (on) next.add(p);
                else next.delete(p);
                return next;
              });
              setError(undefined);
            }}
          />
        </ChoiceSet>

        <VideoChoice
          ownVideo={ownVideo}
          picked={video}
          onPick={(asset) => {
            setVideo(asset);
            setError(undefined);
          }}
          error={error?.field === "video" ? error.message : undefined}
        />

        <WordsChoice value={words} onChange={setWords} />

        <ChoiceSet legend="When" error={error?.field === "time" ? error.message : undefined}>
          <div className="grid gap-2 sm:grid-cols-3">
            {(
              [
                ["draft", "Draft only"],
                ["together", "Schedule together"],
                ["stagger", "Stagger"],
              ] as const
            ).map(([value, label]) => (
              <RadioCard
                key={value}
                name="pe-when"
                value={value}
                current={when}
                onChange={(v) => {
                  setWhen(v);
                  setError(undefined);
                }}
                testId={`pe-when-${value}`}
              >
                {label}
              </RadioCard>
            ))}
          </div>
          {when !== "draft" && (
            <div className="grid gap-3 rounded-md border bg-muted/30 p-3">
              <DateTimeFields
                idPrefix="pe-schedule"
                className="grid grid-cols-2 gap-3"
                date={date}
                time={time}
                minDate={todayKey(ws.timeZone)}
                onDateChange={setDate}
                onTimeChange={setTime}
                invalid={error?.field === "time"}
              />
              {when === "stagger" && (
                <div className="flex items-center gap-2 text-sm">
                  <Label htmlFor="pe-stagger">Each next platform</Label>
                  <Input
                    id="pe-stagger"
                    type="number"
                    min={1}
                    max={10_080}
                    className="w-24"
                    value={stagger}
                    onChange={(e) => setStagger(e.target.value)}
                    data-testid="pe-stagger"
                  />
                  <span className="text-muted-foreground">minutes later</span>
                </div>
              )}
              <p className="text-muted-foreground text-xs">
                {at ? `${formatDateTime(at, ws.timeZone)} · ` : ""}
                {zoneLabel(ws.timeZone, at ?? new Date())}
              </p>
            </div>
          )}
        </ChoiceSet>

        <ChoiceSet legend="Who can watch" hint="Instagram Reels are always public.">
          <div className="grid gap-2 sm:grid-cols-2">
            {(
              [
                ["public", "Public"],
                ["private", "Private / only me"],
              ] as const
            ).map(([value, label]) => (
              <RadioCard
                key={value}
                name="pe-visibility"
                value={value}
                current={visibility}
                onChange={setVisibility}
                testId={`pe-visibility-${value}`}
              >
                {label}
              </RadioCard>
            ))}
          </div>
        </ChoiceSet>

        {youtube && (
          <MadeForKidsChoice
            value={kids}
            required={when !== "draft"}
            error={error?.field === "kids" ? error.message : undefined}
            onChange={(v) => {
              setKids(v);
              setError(undefined);
            }}
          />
        )}

        {error && !error.field && (
          <p role="alert" className="text-destructive text-sm" data-testid="pe-error">
            {error.message}
          </p>
        )}
        <FormFooter
          onCancel={() => setOpen(false)}
          submitDisabled={post.isPending || picked.size === 0}
          submitTestId="pe-submit"
        >
          {post.isPending && <Spinner />}
          {post.isPending && words === "write"
            ? "Writing the words…"
            : when === "draft"
              ? "Create drafts"
              : "Schedule posts"}
        </FormFooter>
      </form>
    </DialogShell>
  );
}
