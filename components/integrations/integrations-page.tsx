"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bot, Mail, Music2, type Plug, Send, ShoppingCart } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";
import type { CardStatus, IntegrationView } from "@/server/services/integrations/index";
import AmazonCard from "./amazon-card";

const META: Record<IntegrationView["provider"], { name: string; icon: typeof Plug; blurb: string }> = {
  tiktok: {
    name: "TikTok",
    icon: Music2,
    blurb: "Publish scheduled videos and sync their views, likes and shares.",
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

/** The Integrations page: one card per provider; admins manage, everyone else sees status. */
export function IntegrationsPage() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const params = useSearchParams();
  const list = useQuery(trpc.integrations.list.queryOptions({ workspaceId: ws.id }));

  useEffect(() => {
    const provider = params.get("provider");
    const name =
      provider && provider in META ? META[provider as IntegrationView["provider"]].name : "The account";
    if (params.get("connected")) toast.success(`${name} is connected`);
    else if (params.get("error") === "denied") toast.error(`${name}: access was not granted`);
    else if (params.get("error")) toast.error(params.get("message") ?? `${name} could not be connected`);
  }, [params]);

  return (
    <div>
      <PageHeader
        title="Integrations"
        description={
          ws.canAdmin
            ? "Connect the accounts Organic publishes, sends and syncs with. Tokens and keys are stored encrypted."
            : "The accounts this workspace is connected to. Owners and admins manage them."
        }
      />
      {list.isPending ? (
        <div className="grid gap-4 md:grid-cols-2">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-52 rounded-xl" />
          ))}
        </div>
      ) : list.isError ? (
        <p className="text-destructive text-sm">{errorMessage(list.error)}</p>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {list.data.map((view) =>
            view.provider === "amazon" ? (
              view.enabled ? (
                <div key="amazon" data-testid="integration-amazon">
                  <AmazonCard workspaceSlug={ws.slug} canManage={ws.canAdmin} />
                </div>
              ) : (
                <IntegrationCard key="amazon" view={view} />
              )
            ) : (
              <IntegrationCard key={view.provider} view={view} />
            ),
          )}
        </div>
      )}
    </div>
  );
}

function IntegrationCard({ view }: { view: IntegrationView }) {
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
  const oauth = view.provider === "tiktok" || view.provider === "gmail";

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
            {view.provider === "tiktok" && (
              <>
                <dt className="text-muted-foreground">Last sync</dt>
                <dd>
                  {view.lastSyncAt ? formatDateTime(view.lastSyncAt, ws.timeZone) : "Never"}
                  {view.lastSyncStatus === "ok" && typeof view.details.videos === "number"
                    ? ` · ${view.details.videos} videos, ${view.details.matched} matched`
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
            Not set up on this server:{" "}
            {view.provider === "tiktok"
              ? "TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET"
              : "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"}{" "}
            are needed.
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
                connect.mutate({ workspaceId: ws.id, provider: view.provider as "tiktok" | "gmail" })
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
                  provider: view.provider as "tiktok" | "gmail" | "openai" | "smtp",
                })
              }
            >
              {test.isPending ? "Testing…" : "Test"}
            </Button>
          )}
          {view.provider === "tiktok" && connected && (
            <Button
              size="sm"
              variant="outline"
              disabled={sync.isPending}
              onClick={() => sync.mutate({ workspaceId: ws.id, provider: "tiktok" })}
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
      <AlertDialog open={confirm} onOpenChange={setConfirm}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Disconnect {meta.name}?</AlertDialogTitle>
            <AlertDialogDescription>
              {view.provider === "tiktok"
                ? "Scheduled TikTok posts will fail until an account is connected again. The access token is revoked at TikTok."
                : view.provider === "gmail"
                  ? "Campaign mail goes through SMTP or the outbox instead. Google's authorization is revoked."
                  : "The workspace's AI settings and key are removed; drafts use the server default."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={(e) => {
                e.preventDefault();
                disconnect.mutate({
                  workspaceId: ws.id,
                  provider: view.provider as "tiktok" | "gmail" | "openai",
                });
              }}
            >
              Disconnect
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  );
}

function AiSettingsForm({ view }: { view: IntegrationView }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [baseUrl, setBaseUrl] = useState((view.details.baseUrl as string | null) ?? "");
  const [model, setModel] = useState((view.details.model as string | null) ?? "");
  const [apiKey, setApiKey] = useState("");
  const save = useMutation(
    trpc.integrations.saveAi.mutationOptions({
      onSuccess: () => {
        toast.success("AI settings saved");
        setApiKey("");
        qc.invalidateQueries({ queryKey: trpc.integrations.list.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  return (
    <form
      className="mt-3 grid gap-3 border-t pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ workspaceId: ws.id, baseUrl, model, ...(apiKey ? { apiKey } : {}) });
      }}
    >
      <Field
        label="Base URL"
        htmlFor="ai-base-url"
        hint={
          view.details.environmentDefault
            ? `Server default: ${view.details.environmentDefault}`
            : "Empty: the server default"
        }
      >
        <Input
          id="ai-base-url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          placeholder="https://api.openai.com/v1"
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Model" htmlFor="ai-model">
          <Input
            id="ai-model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            placeholder="gpt-4o-mini"
          />
        </Field>
        <Field
          label="API key"
          htmlFor="ai-key"
          hint={view.details.hasKey ? "A key is stored (encrypted)" : undefined}
        >
          <Input
            id="ai-key"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={view.details.hasKey ? "•••••••• (unchanged)" : "sk-…"}
          />
        </Field>
      </div>
      <div>
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save AI settings"}
        </Button>
      </div>
    </form>
  );
}
