"use client";

import { ArrowLeft, Lock, Sparkles } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { contentTypeIsOn } from "@/lib/features";
import { formatDateTime } from "@/lib/utils";
import { CONTENT_TYPE_LIST, type ContentType, TYPE_META } from "./content-meta";
import type { ScheduleDraft } from "./editor-schedule";
import { EDITORS } from "./editors";
import { GenerateDialog } from "./generate-dialog";
import { formatDayKey, parseDayKey, parseTimeKey, todayKey, zonedInstant } from "./zoned-time";

const NEW_TITLE: Record<ContentType, string> = {
  tiktok: "New TikTok video",
  youtube: "New YouTube Short",
  instagram: "New Instagram Reel",
  blog: "New blog post",
  email: "New email",
};

const BLURB: Record<ContentType, string> = {
  tiktok: "A caption with hashtags, a video from your library and who can watch.",
  youtube: "A vertical video up to 3 minutes with its title, description, tags and audience.",
  instagram: "A Reel from your library with its caption, hashtags and cover frame.",
  blog: "A Markdown post on your public blog, with cover image, tags and SEO.",
  email: "A subject, preheader and Markdown body for your list.",
};

export function NewContentPage({ type, date, time }: { type?: string; date?: string; time?: string }) {
  const ws = useWorkspace();
  // Types of a part switched off on this server are not offered (the server refuses them too).
  const types = CONTENT_TYPE_LIST.filter((t) => contentTypeIsOn(t, ws.features));
  const chosen = types.find((t) => t === type);
  // A calendar click brings its day (and, from the week view, its hour).
  const day = date && parseDayKey(date) && date >= todayKey(ws.timeZone) ? date : undefined;
  const hour = time && parseTimeKey(time) ? time : "09:00";
  const initialSchedule: ScheduleDraft | undefined = day
    ? { enabled: true, date: day, time: hour }
    : undefined;
  const back = (
    <LinkButton
      href={chosen ? `/${ws.slug}/content/new${day ? `?date=${day}` : ""}` : `/${ws.slug}/content`}
      icon={ArrowLeft}
      variant="ghost"
      size="sm"
      className="-ml-2 mb-2 text-muted-foreground"
    >
      {chosen ? "Choose another type" : "Content"}
    </LinkButton>
  );

  if (!ws.canWrite) {
    return (
      <>
        {back}
        <EmptyState
          icon={Lock}
          title="You have read-only access"
          description="Only members, admins and owners can create content in this workspace."
        />
      </>
    );
  }

  const dayLabel = day ? formatDayKey(day, { weekday: "long", month: "long", day: "numeric" }) : null;
  if (!chosen) {
    return (
      <>
        {back}
        <PageHeader
          title="New content"
          description={
            dayLabel ? `What would you like to publish on ${dayLabel}?` : "What would you like to write?"
          }
        />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {types.map((t) => {
            const meta = TYPE_META[t];
            const Icon = meta.icon;
            return (
              <Link
                key={t}
                href={`/${ws.slug}/content/new?type=${t}${day ? `&date=${day}` : ""}${time ? `&time=${hour}` : ""}`}
                className="group flex flex-col gap-3 rounded-lg border bg-card p-5 transition-colors hover:border-primary/50 hover:bg-accent/40 focus-visible:outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
                data-testid={`choose-${t}`}
              >
                <span className={`flex size-10 items-center justify-center rounded-lg border ${meta.badge}`}>
                  <Icon className="size-5" aria-hidden />
                </span>
                <span className="font-medium">{meta.noun}</span>
                <span className="text-muted-foreground text-sm">{BLURB[t]}</span>
              </Link>
            );
          })}
          <GenerateDialog
            trigger={
              <button
                type="button"
                className="flex flex-col gap-3 rounded-lg border border-primary/30 border-dashed bg-primary/5 p-5 text-left transition-colors hover:bg-primary/10 focus-visible:outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
              >
                <span className="flex size-10 items-center justify-center rounded-lg border border-primary/30 bg-primary/10 text-primary">
                  <Sparkles className="size-5" aria-hidden />
                </span>
                <span className="font-medium">Generate with AI</span>
                <span className="text-muted-foreground text-sm">
                  Name a product, pick a tone and length — get a draft to edit.
                </span>
              </button>
            }
          />
        </div>
      </>
    );
  }

  const Editor = EDITORS[chosen];
  const at = day ? zonedInstant(day, hour, ws.timeZone) : null;
  return (
    <>
      {back}
      <PageHeader
        title={NEW_TITLE[chosen]}
        description={
          at
            ? `Set to publish ${formatDateTime(at, ws.timeZone)} — change or untick it under Schedule.`
            : "Saved as a draft until you schedule or publish it."
        }
      />
      <Editor readOnly={false} initialSchedule={initialSchedule} />
    </>
  );
}
