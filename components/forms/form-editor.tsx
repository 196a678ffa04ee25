"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardContent, CardFooter } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { FORM_SETTINGS_DEFAULTS } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { SignupForm } from "@/server/services/forms/forms";
import type { FormField, FormSettings } from "@/server/services/forms/schemas";

const selectClass =
  "h-9 rounded-md border border-input bg-transparent px-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

export interface Draft {
  id?: string;
  name: string;
  slug: string;
  fields: FormField[];
  tags: string;
  doubleOptIn: boolean;
  settings: FormSettings;
}

export const emptyDraft = (): Draft => ({
  name: "",
  slug: "",
  fields: [{ key: "name", label: "Name", required: false }],
  tags: "",
  doubleOptIn: true,
  settings: { ...FORM_SETTINGS_DEFAULTS },
});

export const toDraft = (f: SignupForm): Draft => ({
  id: f.id,
  name: f.name,
  slug: f.slug,
  fields: f.fields,
  tags: f.tags.join(", "),
  doubleOptIn: f.doubleOptIn,
  settings: f.settings,
});

export function FormEditor({
  draft: initial,
  onDone,
}: {
  draft: Draft;
  onDone: (form?: SignupForm) => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [d, setD] = useState(initial);
  const defs = useQuery(trpc.leads.fields.list.queryOptions({ workspaceId: ws.id }));
  const options = [
    { key: "name", label: "Name" },
    ...(defs.data ?? []).map((x) => ({ key: x.key, label: x.label })),
  ];
  const unused = options.filter((o) => !d.fields.some((f) => f.key === o.key));
  const setSettings = (p: Partial<FormSettings>) =>
    setD((x) => ({ ...x, settings: { ...x.settings, ...p } }));

  const onSuccess = async (form: SignupForm) => {
    toast.success("Form saved");
    await queryClient.invalidateQueries({ queryKey: trpc.forms.list.queryKey() });
    onDone(form);
  };
  const create = useMutation(trpc.forms.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.forms.update.mutationOptions({ onSuccess }));
  const error = create.error ?? update.error;
  const errs = error ? fieldErrors(error) : {};
  const saving = create.isPending || update.isPending;

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    const payload = {
      workspaceId: ws.id,
      name: d.name,
      slug: d.slug.trim() || undefined,
      fields: d.fields,
      tags: d.tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      doubleOptIn: d.doubleOptIn,
      settings: d.settings,
    };
    if (d.id) update.mutate({ ...payload, id: d.id });
    else create.mutate(payload);
  };

  return (
    <form onSubmit={save}>
      <CardSection
        title={d.id ? `Edit “${initial.name}”` : "New signup form"}
        description="What people fill in, and what happens to them after."
        bare
      >
        <CardContent className="grid gap-5">
          {error && (
            <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-destructive text-sm">
              {errorMessage(error)}
            </p>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" htmlFor="form-name" error={errs.name}>
              <Input
                id="form-name"
                value={d.name}
                maxLength={255}
                required
                onChange={(e) => setD({ ...d, name: e.target.value })}
              />
            </Field>
            <Field
              label="Address"
              htmlFor="form-slug"
              error={errs.slug}
              hint={`/f/${ws.slug}/${d.slug || "…"}`}
            >
              <Input
                id="form-slug"
                value={d.slug}
                maxLength={64}
                placeholder="made from the name"
                onChange={(e) => setD({ ...d, slug: e.target.value.toLowerCase() })}
              />
            </Field>
            <Field
              label="Heading"
              htmlFor="form-title"
              hint="Shown on the page; the name is used when empty."
            >
              <Input
                id="form-title"
                value={d.settings.title}
                maxLength={120}
                onChange={(e) => setSettings({ title: e.target.value })}
              />
            </Field>
            <Field label="Button label" htmlFor="form-button">
              <Input
                id="form-button"
                value={d.settings.buttonLabel}
                maxLength={40}
                onChange={(e) => setSettings({ buttonLabel: e.target.value })}
              />
            </Field>
          </div>
          <Field label="Description" htmlFor="form-description">
            <Textarea
              id="form-description"
              rows={2}
              maxLength={1000}
              value={d.settings.description}
              onChange={(e) => setSettings({ description: e.target.value })}
            />
          </Field>

          <fieldset className="grid gap-2">
            <legend className="mb-1 font-medium text-sm">Fields</legend>
            <p className="text-muted-foreground text-xs">Email is always asked for and required.</p>
            <ul className="grid gap-2">
              {d.fields.map((f, i) => (
                <li key={f.key} className="flex flex-wrap items-center gap-2 rounded-md border p-2">
                  <Badge variant="secondary" className="font-mono">
                    {f.key}
                  </Badge>
                  <Input
                    aria-label={`Label for ${f.key}`}
                    className="min-w-40 flex-1"
                    value={f.label}
                    maxLength={120}
                    onChange={(e) =>
                      setD({
                        ...d,
                        fields: d.fields.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)),
                      })
                    }
                  />
                  <label htmlFor={`form-required-${f.key}`} className="flex items-center gap-2 text-sm">
                    <Switch
                      id={`form-required-${f.key}`}
                      checked={f.required}
                      onCheckedChange={(v) =>
                        setD({ ...d, fields: d.fields.map((x, j) => (j === i ? { ...x, required: v } : x)) })
                      }
                    />
                    Required
                  </label>
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon-sm"
                    aria-label={`Remove ${f.label}`}
                    onClick={() => setD({ ...d, fields: d.fields.filter((_, j) => j !== i) })}
                  >
                    <X className="size-4" />
                  </Button>
                </li>
              ))}
            </ul>
            {unused.length > 0 && (
              <select
                aria-label="Add a field"
                className={`${selectClass} w-fit`}
                value=""
                onChange={(e) => {
                  const o = options.find((x) => x.key === e.target.value);
                  if (o)
                    setD({ ...d, fields: [...d.fields, { key: o.key, label: o.label, required: false }] });
                }}
              >
                <option value="">+ Add a field…</option>
                {unused.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
            {errs.fields && <p className="text-destructive text-sm">{errs.fields}</p>}
          </fieldset>

          <Field
            label="Tags to apply"
            htmlFor="form-tags"
            hint="Comma-separated; added to everyone who signs up."
          >
            <Input
              id="form-tags"
              value={d.tags}
              placeholder="newsletter, spring-launch"
              onChange={(e) => setD({ ...d, tags: e.target.value })}
            />
          </Field>
          <label htmlFor="form-double-opt-in" className="flex items-start gap-3 rounded-md border p-3">
            <Switch
              id="form-double-opt-in"
              checked={d.doubleOptIn}
              onCheckedChange={(v) => setD({ ...d, doubleOptIn: v })}
              data-testid="form-double-opt-in"
            />
            <span className="grid gap-0.5">
              <span className="font-medium text-sm">Double opt-in</span>
              <span className="text-muted-foreground text-xs">
                New signups get an email with a confirmation link and stay pending until they click it.
              </span>
            </span>
          </label>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Success message" htmlFor="form-success">
              <Input
                id="form-success"
                value={d.settings.successMessage}
                maxLength={500}
                onChange={(e) => setSettings({ successMessage: e.target.value })}
              />
            </Field>
            <Field
              label="Redirect after signup"
              htmlFor="form-redirect"
              error={errs["settings.redirectUrl"]}
              hint="Optional, http(s) only."
            >
              <Input
                id="form-redirect"
                type="url"
                value={d.settings.redirectUrl}
                placeholder="https://example.com/thanks"
                onChange={(e) => setSettings({ redirectUrl: e.target.value })}
              />
            </Field>
          </div>
        </CardContent>
        <CardFooter className="justify-end gap-2">
          <Button type="button" variant="outline" onClick={() => onDone()}>
            Cancel
          </Button>
          <Button type="submit" disabled={saving} data-testid="form-save">
            {saving && <Spinner />} Save form
          </Button>
        </CardFooter>
      </CardSection>
    </form>
  );
}
