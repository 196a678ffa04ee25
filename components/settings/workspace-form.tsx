"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, ImageUp, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Avatar, AvatarFallback, AvatarImage } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { CardContent } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { useOnDemand } from "@/hooks/use-on-demand";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { cn, initials } from "@/lib/utils";
import { resizeImageToDataUrl } from "./resize-image";
import { SaveFooter } from "./save-footer";
import { TimeZoneSelect } from "./time-zone-select";

interface Values {
  name: string;
  slug: string;
  logoUrl: string | null;
  timeZone: string;
}

type FieldName = keyof Values;

const loadWorkspaceRules = () => import("@/server/services/workspaces/schemas");

function firstIssue(result: { success: boolean; error?: { issues: { message: string }[] } }) {
  return result.success ? undefined : result.error?.issues[0]?.message;
}

export function WorkspaceForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const readOnly = !ws.canAdmin;

  const [saved, setSaved] = useState<Values>({
    name: ws.name,
    slug: ws.slug,
    logoUrl: ws.logoUrl,
    timeZone: ws.timeZone,
  });
  const [values, setValues] = useState<Values>(saved);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [logoError, setLogoError] = useState<string>();
  const [processingLogo, setProcessingLogo] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const changes: Partial<Values> = {};
  if (values.name.trim() !== saved.name) changes.name = values.name.trim();
  if (values.slug.trim() !== saved.slug) changes.slug = values.slug.trim();
  if (values.logoUrl !== saved.logoUrl) changes.logoUrl = values.logoUrl;
  if (values.timeZone !== saved.timeZone) changes.timeZone = values.timeZone;
  const dirty = Object.keys(changes).length > 0;

  // The name and slug rules (Zod) load when the form is first focused; the server checks them too.
  const [rules, loadRules] = useOnDemand(loadWorkspaceRules);
  const clientErrors: Partial<Record<FieldName, string>> = {
    name:
      changes.name !== undefined && rules
        ? firstIssue(rules.workspaceNameSchema.safeParse(values.name))
        : undefined,
    slug:
      changes.slug !== undefined && rules ? firstIssue(rules.slugSchema.safeParse(values.slug)) : undefined,
  };
  const errorFor = (f: FieldName) => clientErrors[f] ?? serverErrors[f];
  const invalid = Boolean(clientErrors.name || clientErrors.slug);

  const update = useMutation(
    trpc.workspace.update.mutationOptions({
      onSuccess: async (row) => {
        const next = { name: row.name, slug: row.slug, logoUrl: row.logoUrl, timeZone: row.timeZone };
        setSaved(next);
        setValues(next);
        setServerErrors({});
        toast.success("Workspace settings saved");
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.workspace.get.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.workspace.activity.list.queryKey() }),
        ]);
        if (row.slug !== ws.slug) router.replace(`/${row.slug}/settings`);
        else router.refresh();
      },
      onError: (err) => {
        setServerErrors(fieldErrors(err));
        toast.error(errorMessage(err));
      },
    }),
  );

  function set<K extends FieldName>(field: K, value: Values[K]) {
    setValues((v) => ({ ...v, [field]: value }));
    setServerErrors((e) => ({ ...e, [field]: undefined }));
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (readOnly || !dirty || invalid) return;
    update.mutate({ workspaceId: ws.id, ...changes });
  }

  async function onPickLogo(file: File | undefined) {
    if (!file) return;
    setLogoError(undefined);
    setProcessingLogo(true);
    try {
      set("logoUrl", await resizeImageToDataUrl(file));
    } catch (err) {
      setLogoError(err instanceof Error ? err.message : "That image could not be used");
    } finally {
      setProcessingLogo(false);
      if (fileInput.current) fileInput.current.value = "";
    }
  }

  const slugChanged = changes.slug !== undefined && !clientErrors.slug;
  const disabled = readOnly || update.isPending;

  return (
    <CardSection
      title="Workspace"
      description={
        readOnly
          ? "Only admins and owners can change these settings."
          : "The name, address, logo and time zone everyone in this workspace sees."
      }
      bare
    >
      <form
        onSubmit={onSubmit}
        onFocusCapture={() => void loadRules()}
        noValidate
        aria-label="Workspace settings"
      >
        <CardContent className="grid gap-6">
          <Field label="Name" htmlFor="settings-name" error={errorFor("name")}>
            <Input
              id="settings-name"
              name="name"
              value={values.name}
              maxLength={120}
              autoComplete="organization"
              disabled={disabled}
              onChange={(e) => set("name", e.target.value)}
            />
          </Field>

          <Field
            label="URL slug"
            htmlFor="settings-slug"
            error={errorFor("slug")}
            hint="Lowercase letters, digits and dashes. Changing it changes every link to this workspace."
          >
            <div
              className={cn(
                "flex h-9 items-center rounded-md border border-input shadow-xs focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50 dark:bg-input/30",
                errorFor("slug") && "border-destructive",
                disabled && "opacity-50",
              )}
            >
              <span className="pl-3 text-sm text-muted-foreground" aria-hidden>
                /
              </span>
              <Input
                id="settings-slug"
                name="slug"
                value={values.slug}
                maxLength={60}
                spellCheck={false}
                autoCapitalize="none"
                disabled={disabled}
                className="h-full border-0 bg-transparent pl-0.5 shadow-none focus-visible:ring-0 disabled:opacity-100 dark:bg-transparent"
                onChange={(e) => set("slug", e.target.value.toLowerCase().replace(/\s+/g, "-"))}
              />
            </div>
          </Field>
          {slugChanged && (
            <div
              role="status"
              className="-mt-3 flex gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-sm text-warning"
              data-testid="slug-warning"
            >
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
              <p>
                Links and bookmarks to <span className="font-medium">/{saved.slug}</span> will stop working.
                After saving, this workspace lives at <span className="font-medium">/{values.slug}</span>.
              </p>
            </div>
          )}

          <div className="grid gap-2">
            <Label htmlFor={readOnly ? undefined : "settings-logo"}>Logo</Label>
            <div className="flex flex-wrap items-center gap-4">
              <Avatar className="size-16 rounded-lg border">
                {values.logoUrl && (
                  <AvatarImage src={values.logoUrl} alt={`${values.name || ws.name} logo`} />
                )}
                <AvatarFallback className="rounded-lg bg-primary text-lg font-semibold text-primary-foreground">
                  {initials(values.name || ws.name)}
                </AvatarFallback>
              </Avatar>
              {!readOnly && (
                <div className="flex flex-wrap gap-2">
                  <input
                    ref={fileInput}
                    id="settings-logo"
                    type="file"
                    accept="image/png,image/jpeg,image/gif,image/webp,image/svg+xml"
                    className="sr-only"
                    tabIndex={-1}
                    aria-describedby="settings-logo-hint"
                    data-testid="logo-input"
                    onChange={(e) => onPickLogo(e.target.files?.[0])}
                  />
                  <Button
                    type="button"
                    variant="outline"
                    size="sm"
                    disabled={disabled || processingLogo}
                    onClick={() => fileInput.current?.click()}
                  >
                    {processingLogo ? <Spinner /> : <ImageUp aria-hidden />}
                    {values.logoUrl ? "Replace image" : "Upload image"}
                  </Button>
                  {values.logoUrl && (
                    <Button
                      type="button"
                      variant="ghost"
                      size="sm"
                      disabled={disabled || processingLogo}
                      onClick={() => {
                        setLogoError(undefined);
                        set("logoUrl", null);
                      }}
                    >
                      <Trash2 aria-hidden /> Remove
                    </Button>
                  )}
                </div>
              )}
            </div>
            {!readOnly && (
              <p id="settings-logo-hint" className="text-xs text-muted-foreground">
                PNG, JPEG, GIF, WebP or SVG. We shrink it to 256 px in your browser; save to apply.
              </p>
            )}
            {(logoError ?? serverErrors.logoUrl) && (
              <p role="alert" className="text-sm text-destructive">
                {logoError ?? serverErrors.logoUrl}
              </p>
            )}
          </div>

          <Field
            label="Time zone"
            htmlFor="settings-timezone"
            error={errorFor("timeZone")}
            hint="Used for schedules, reports and activity times. Type a city to jump to it."
          >
            <TimeZoneSelect
              id="settings-timezone"
              value={values.timeZone}
              disabled={disabled}
              onValueChange={(tz) => set("timeZone", tz)}
              data-testid="settings-timezone"
            />
          </Field>
        </CardContent>
        {!readOnly && (
          <SaveFooter
            dirty={dirty}
            invalid={invalid}
            pending={update.isPending}
            onDiscard={() => {
              setValues(saved);
              setServerErrors({});
              setLogoError(undefined);
            }}
            saveTestId="settings-save"
          >
            Save changes
          </SaveFooter>
        )}
      </form>
    </CardSection>
  );
}
