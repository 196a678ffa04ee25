"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Bot, Clapperboard, Mail, Music2, type Plug, Send, ShoppingCart, SquarePlay } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { CardStatus, IntegrationView } from "@/server/services/integrations/index";
import { AiSettingsForm } from "./ai-settings-form";

const STATUS: Record<CardStatus, { label: string; variant: "success" | "warning" | "outline" }> = {
  connected: { label: "Connected", variant: "success" },
  needs_attention: { label: "Needs attention", variant: "warning" },
  not_connected: { label: "Not connected", variant: "outline" },
};

export function StatusBadge({ status }: { status: CardStatus }) {
  const s = STATUS[status];
  return (
    <Badge variant={s.variant} data-testid="integration-status">
      {s.label}
    </Badge>
  );
}

export const META: Record<IntegrationView["provider"], { name: string; icon: typeof Plug; blurb: string }> = {
  tiktok: {
    name: "TikTok",
    icon: Music2,
    blurb: "Publish scheduled videos and sync their views, likes and shares.",
  },
  youtube: {
    name: "YouTube",
    icon: SquarePlay,
    blurb: "Publish Shorts from your media library; views, likes and comments sync hourly.",
  },
  instagram: {
    name: "Instagram",
    icon: Clapperboard,
    blurb: "Publish Reels from your media library; views, likes and comments sync hourly.",
  },
  gmail: {
    name: "Gmail",
    icon: Mail,
    blurb: "Send campaign email through a Gmail or Google Workspace account.",
  },
  amazon: {
    name: "Amazon Seller",
    icon: ShoppingCart,
    blurb: "Orders for revenue analytics and Multi-Channel Fulfillment.",
  },
  openai: {
    name: "AI writer",
    icon: Bot,
    blurb: "Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM…) for drafts.",
  },
  smtp: { name: "SMTP", icon: Send, blurb: "Your own mail server for campaign and system email." },
};

/** The short-video platforms: OAuth, a metrics sync, and posts that fail while disconnected. */
const VIDEO_PROVIDERS = ["tiktok", "youtube", "instagram"] as const;
type VideoProvider = (typeof VIDEO_PROVIDERS)[number];
const isVideo = (p: IntegrationView["provider"]): p is VideoProvider =>
  (VIDEO_PROVIDERS as readonly string[]).includes(p);

/** The server's variables each OAuth provider needs (YouTube shares Gmail's Google app). */
const OAUTH_ENV: Partial<Record<IntegrationView["provider"], string>> = {
  tiktok: "TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET",
  youtube: "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET",
  instagram: "INSTAGRAM_CLIENT_ID and INSTAGRAM_CLIENT_SECRET",
  gmail: "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET",
};

export function IntegrationCard({ view }: { view: IntegrationView }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const meta = META[view.provider];
  const Icon = meta.icon;
  const [confirm, setConfirm] = useState(false);
  const invalidate = () => qc.invalidateQueries({ queryKey: trpc.integrations.list.queryKey() });

  const connect = useMutation(
    trpc.integrations.connect.mutationOptions({
      onSuccess: ({ url }) => {
        window.location.assign(url);
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const test = useMutation(
    trpc.integrations.test.mutationOptions({
      onSuccess: (r) => (r.ok ? toast.success(r.detail) : toast.error(r.detail)),
      onError: (e) => toast.error(errorMessage(e)),
      onSettled: invalidate,
    }),
  );
  const sync = useMutation(
    trpc.integrations.sync.mutationOptions({
      onSuccess: (r) => (r.ok ? toast.success(r.detail) : toast.error(r.detail)),
      onError: (e) => toast.error(errorMessage(e)),
      onSettled: invalidate,
    }),
  );
  const disconnect = useMutation(
    trpc.integrations.disconnect.mutationOptions({
      onSuccess: () => {
        toast.success(`${meta.name} is disconnected`);
        setConfirm(false);
      },
      onError: (e) => toast.error(errorMessage(e)),
      onSettled: invalidate,
    }),
  );

  const connected = view.status !== "not_connected";
  const video = isVideo(view.provider);
  const oauth = video || view.provider === "gmail";

  return (
    <Card data-testid={`integration-${view.provider}`} className={view.enabled ? undefined : "opacity-70"}>
      <CardHeader>
        <div className="flex items-start justify-between gap-3">
          <div className="flex min-w-0 items-center gap-3">
            <div className="flex size-10 shrink-0 items-center justify-center rounded-lg border bg-muted/50">
              <Icon className="size-5" aria-hidden />
            </div>
            <div className="min-w-0">
              <CardTitle>{meta.name}</CardTitle>
              <CardDescription className="mt-0.5">{meta.blurb}</CardDescription>
            </div>
          </div>
          {view.enabled ? (
            <StatusBadge status={view.status} />
          ) : (
            <Badge variant="outline">Switched off</Badge>
          )}
        </div>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">
        {!view.enabled ? (
          <p className="text-muted-foreground">Switched off on this server by its feature flag.</p>
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="text-muted-foreground">Account</dt>
            <dd className="truncate" data-testid="integration-account">
              {view.accountName ?? "—"}
            </dd>
            {video && (
              <>
                <dt className="text-muted-foreground">Last sync</dt>
                <dd>
                  {view.lastSyncAt ? formatDateTime(view.lastSyncAt, ws.timeZone) : "Never"}
                  {view.lastSyncStatus === "ok" && typeof view.details.videos === "number"
                    ? ` · ${view.details.videos} ${view.details.videos === 1 ? "video" : "videos"}, ${view.details.matched} matched`
                    : view.lastSyncStatus === "error"
                      ? " · failed"
                      : ""}
                </dd>
              </>
            )}
            {view.provider === "gmail" && connected && (
              <>
                <dt className="text-muted-foreground">Sent today</dt>
                <dd>
                  {view.details.sentToday} of {view.details.dailyLimit}
                </dd>
              </>
            )}
            {view.provider === "openai" && (
              <>
                <dt className="text-muted-foreground">Model</dt>
                <dd className="truncate">{(view.details.model as string | null) ?? "Server default"}</dd>
              </>
            )}
            {view.provider === "smtp" && (
              <>
                <dt className="text-muted-foreground">Source</dt>
                <dd>
                  {view.details.source === "workspace"
                    ? "Workspace email settings"
                    : view.details.source === "environment"
                      ? "Server (SMTP_URL)"
                      : "Not set — mail stays in the in-app outbox"}
                </dd>
              </>
            )}
          </dl>
        )}
        {view.enabled && !view.configured && (
          <p className="text-muted-foreground">
            Not set up on this server: {OAUTH_ENV[view.provider] ?? "its settings"} are needed.
          </p>
        )}
        {view.enabled && view.lastError && (
          <p
            className={view.status === "needs_attention" ? "text-warning" : "text-muted-foreground"}
            data-testid="integration-error"
          >
            {view.lastError}
          </p>
        )}
        {view.provider === "openai" && view.enabled && ws.canAdmin && <AiSettingsForm view={view} />}
      </CardContent>
      {view.enabled && ws.canAdmin && (
        <CardFooter className="flex flex-wrap gap-2">
          {oauth && (
            <Button
              size="sm"
              variant={connected ? "outline" : "default"}
              disabled={!view.configured || connect.isPending}
              onClick={() =>
                connect.mutate({ workspaceId: ws.id, provider: view.provider as VideoProvider | "gmail" })
              }
            >
              {connected ? "Reconnect" : "Connect"}
            </Button>
          )}
          {(connected || view.provider === "openai") && (
            <Button
              size="sm"
              variant="outline"
              disabled={test.isPending}
              onClick={() =>
                test.mutate({
                  workspaceId: ws.id,
                  provider: view.provider as VideoProvider | "gmail" | "openai" | "smtp",
                })
              }
            >
              {test.isPending ? "Testing…" : "Test"}
            </Button>
          )}
          {video && connected && (
            <Button
              size="sm"
              variant="outline"
              disabled={sync.isPending}
              onClick={() => sync.mutate({ workspaceId: ws.id, provider: view.provider as VideoProvider })}
            >
              {sync.isPending ? "Syncing…" : "Sync now"}
            </Button>
          )}
          {connected &&
            view.provider !== "smtp" &&
            (oauth || view.details.hasKey || view.details.baseUrl) && (
              <Button size="sm" variant="ghost" className="text-destructive" onClick={() => setConfirm(true)}>
                Disconnect
              </Button>
            )}
        </CardFooter>
      )}
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Disconnect ${meta.name}?`}
        description={
          video
            ? `Scheduled ${meta.name} posts will fail until an account is connected again. The access token is revoked at ${meta.name}.`
            : view.provider === "gmail"
              ? "Campaign mail goes through SMTP or the outbox instead. Google's authorization is revoked."
              : "The workspace's AI settings and key are removed; drafts use the server default."
        }
        confirmLabel="Disconnect"
        keepOpen
        onConfirm={() =>
          disconnect.mutate({
            workspaceId: ws.id,
            provider: view.provider as VideoProvider | "gmail" | "openai",
          })
        }
      />
    </Card>
  );
}
