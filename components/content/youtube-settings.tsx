"use client";

import { Controller, type UseFormReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { cn } from "@/lib/utils";
import { YOUTUBE_PRIVACY } from "@/server/services/content/schemas";
import { FormSection } from "./editor-kit";
import type { FormIn, FormOut } from "./youtube-form";

export const PRIVACY_LABEL: Record<(typeof YOUTUBE_PRIVACY)[number], string> = {
  public: "Public — everyone can watch",
  unlisted: "Unlisted — anyone with the link",
  private: "Private — only you",
};

type Form = UseFormReturn<FormIn, unknown, FormOut>;

/** "Is it made for kids?": YouTube requires an answer, so neither is chosen until someone picks. */
function MadeForKids({ form, readOnly }: { form: Form; readOnly: boolean }) {
  const error = form.formState.errors.madeForKids?.message;
  const value = form.watch("madeForKids");
  return (
    <fieldset className="grid gap-2" aria-describedby="youtube-kids-hint" data-testid="made-for-kids">
      <legend className="mb-2 font-medium text-sm">
        Is this video made for kids? <span className="text-destructive">(required)</span>
      </legend>
      <p id="youtube-kids-hint" className="text-muted-foreground text-xs">
        Wherever you are, you are legally required to comply with the Children's Online Privacy Protection Act
        (COPPA) and similar laws, and YouTube asks you to say whether each video is made for kids. On videos
        made for kids, personalised ads, comments and notifications are turned off. It cannot be published
        until you answer.
      </p>
      <div className="grid gap-2 sm:grid-cols-2">
        {(
          [
            ["yes", "Yes, it's made for kids"],
            ["no", "No, it's not made for kids"],
          ] as const
        ).map(([option, label]) => (
          <label
            key={option}
            htmlFor={`youtube-kids-${option}`}
            className={cn(
              "flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm transition-colors hover:bg-accent/40",
              value === option && "border-primary bg-primary/5",
              error && "border-destructive",
              readOnly && "cursor-not-allowed opacity-60",
            )}
          >
            <input
              id={`youtube-kids-${option}`}
              type="radio"
              value={option}
              className="size-4 accent-primary"
              data-testid={`made-for-kids-${option}`}
              {...form.register("madeForKids", { onChange: () => form.clearErrors("madeForKids") })}
            />
            {label}
          </label>
        ))}
      </div>
      {error && (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Toggle({
  form,
  name,
  label,
  hint,
  readOnly,
}: {
  form: Form;
  name: "scheduleWithYouTube" | "containsSyntheticMedia" | "notifySubscribers";
  label: string;
  hint: string;
  readOnly: boolean;
}) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <div className="grid gap-1">
          <div className="flex items-start gap-2">
            <Switch
              className="mt-px"
              id={`youtube-${name}`}
              checked={field.value}
              onCheckedChange={field.onChange}
              disabled={readOnly}
              aria-describedby={`youtube-${name}-hint`}
              data-testid={`youtube-${name}`}
            />
            <Label htmlFor={`youtube-${name}`}>{label}</Label>
          </div>
          <p id={`youtube-${name}-hint`} className="pl-10 text-muted-foreground text-xs">
            {hint}
          </p>
        </div>
      )}
    />
  );
}

/** Who can watch, the made-for-kids declaration and how YouTube publishes it. */
export function YouTubeSettings({ form, readOnly }: { form: Form; readOnly: boolean }) {
  const { errors } = form.formState;
  return (
    <FormSection title="Audience and publishing" description="Applied when the Short is uploaded to YouTube.">
      <MadeForKids form={form} readOnly={readOnly} />
      <Field label="Visibility" htmlFor="youtube-privacy" error={errors.privacyStatus?.message}>
        <Controller
          control={form.control}
          name="privacyStatus"
          render={({ field }) => (
            <Select value={field.value} onValueChange={field.onChange} disabled={readOnly}>
              <SelectTrigger id="youtube-privacy" className="w-full sm:w-72" data-testid="youtube-privacy">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {YOUTUBE_PRIVACY.map((p) => (
                  <SelectItem key={p} value={p}>
                    {PRIVACY_LABEL[p]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        />
      </Field>
      <Toggle
        form={form}
        name="scheduleWithYouTube"
        label="Let YouTube publish at the scheduled time (uploads now as private)"
        hint="When you schedule it, the video is uploaded at once as private and YouTube makes it public at that time, so processing is done by then. Off: Organic uploads it at the scheduled time."
        readOnly={readOnly}
      />
      <Toggle
        form={form}
        name="containsSyntheticMedia"
        label="Altered or synthetic content"
        hint="Turn on if it shows realistic people, places or events that were made or changed with AI or other tools; YouTube adds a label."
        readOnly={readOnly}
      />
      <Toggle
        form={form}
        name="notifySubscribers"
        label="Notify subscribers"
        hint="YouTube tells your subscribers when it is published."
        readOnly={readOnly}
      />
    </FormSection>
  );
}
