"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { OptionSelect } from "@/components/ui/option-select";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import type { LinkListItem } from "@/server/services/links/links";
import { LinkFields } from "./link-fields";

const NONE = "__none__";

/** New link, or editing one: destination, label, what it belongs to, and its UTM parameters. */
export function LinkDialog({ link, trigger }: { link?: LinkListItem; trigger: ReactNode }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [destination, setDestination] = useState("");
  const [label, setLabel] = useState("");
  // What the link belongs to: `content:<id>`, `step:<id>`, or nothing.
  const [target, setTarget] = useState<string | undefined>();
  const [utm, setUtm] = useState({ utmSource: "", utmMedium: "", utmCampaign: "" });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  // The latest content items to tie a link to (loaded when the dialog opens).
  const items = useQuery({
    ...trpc.content.list.queryOptions({ workspaceId: ws.id, limit: 100 }),
    enabled: open,
  });
  const steps = useQuery({ ...trpc.links.steps.queryOptions({ workspaceId: ws.id }), enabled: open });

  const reset = () => {
    setDestination(link?.destination ?? "");
    setLabel(link?.label ?? "");
    setTarget(
      link?.contentId
        ? `content:${link.contentId}`
        : link?.campaignStepId
          ? `step:${link.campaignStepId}`
          : undefined,
    );
    setUtm({
      utmSource: link?.utmSource ?? "",
      utmMedium: link?.utmMedium ?? "",
      utmCampaign: link?.utmCampaign ?? "",
    });
    setErrors({});
  };
  const done = (message: string) => {
    toast.success(message);
    setOpen(false);
    void queryClient.invalidateQueries({ queryKey: trpc.links.list.queryKey() });
  };
  const failed = (err: unknown) => {
    const byField = fieldErrors(err);
    setErrors(Object.keys(byField).length ? byField : { form: errorMessage(err) });
  };
  const create = useMutation(
    trpc.links.create.mutationOptions({ onSuccess: () => done("Link created"), onError: failed }),
  );
  const update = useMutation(
    trpc.links.update.mutationOptions({ onSuccess: () => done("Link saved"), onError: failed }),
  );
  const pending = create.isPending || update.isPending;

  const submit = () => {
    if (!destination.trim()) return setErrors({ destination: "Enter the address the link leads to" });
    setErrors({});
    // On a new link, UTM fields left empty take the content item's values (the server fills them).
    const utmInput = Object.fromEntries(
      Object.entries(utm).map(([k, v]) => [k, link || v.trim() ? v.trim() : undefined]),
    );
    const common = {
      workspaceId: ws.id,
      destination: destination.trim(),
      label,
      contentId: target?.startsWith("content:") ? target.slice(8) : null,
      campaignStepId: target?.startsWith("step:") ? target.slice(5) : null,
    };
    if (link) update.mutate({ ...common, ...utmInput, id: link.id });
    else create.mutate({ ...common, ...utmInput });
  };

  const options = [
    ...(items.data?.content ?? []).map((i) => ({
      value: `content:${i.id}`,
      label: `${i.title} (${i.type})`,
    })),
    ...(steps.data ?? []).map((s) => ({
      value: `step:${s.id}`,
      label: `${s.campaignName} · step ${s.position + 1}: ${s.subject || "(no subject)"} (email)`,
    })),
  ];
  // The tied item or step may be older than the ones listed: keep it choosable.
  if (target && !options.some((o) => o.value === target))
    options.unshift({
      value: target,
      label: link?.contentTitle ?? link?.campaignName ?? "What it belongs to now",
    });

  return (
    <DialogShell
      open={open}
      onOpenChange={(next) => {
        if (next) reset();
        setOpen(next);
      }}
      trigger={trigger}
      className="sm:max-w-lg"
      title={link ? "Edit link" : "New tracked link"}
      description={
        link
          ? "A new destination applies to the next click; the short address stays the same."
          : "A short address to put in captions, bios, posts and emails. Clicks are counted per day."
      }
      testId="link-dialog"
    >
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <LinkFields
          idPrefix="link"
          destination={destination}
          label={label}
          errors={errors}
          onDestination={setDestination}
          onLabel={setLabel}
        />
        <Field label="Belongs to" htmlFor="link-content" error={errors.contentId ?? errors.campaignStepId}>
          <OptionSelect
            id="link-content"
            value={target}
            onChange={setTarget}
            options={options}
            none={{ value: NONE, label: "Nothing in particular" }}
            testId="link-content"
          />
        </Field>
        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="mb-2 font-medium text-sm">
            UTM parameters{" "}
            <span className="font-normal text-muted-foreground">
              {link ? "(empty: left off)" : "(empty: from the item it belongs to)"}
            </span>
          </legend>
          {(
            [
              ["utmSource", "Source"],
              ["utmMedium", "Medium"],
              ["utmCampaign", "Campaign"],
            ] as const
          ).map(([key, name]) => (
            <Field key={key} label={name} htmlFor={`link-${key}`} error={errors[key]}>
              <Input
                id={`link-${key}`}
                value={utm[key]}
                maxLength={100}
                onChange={(e) => setUtm((u) => ({ ...u, [key]: e.target.value }))}
              />
            </Field>
          ))}
        </fieldset>
        {errors.form && (
          <p role="alert" className="text-destructive text-sm">
            {errors.form}
          </p>
        )}
        <FormFooter onCancel={() => setOpen(false)} submitDisabled={pending} submitTestId="link-save">
          {pending && <Spinner />}
          {link ? "Save" : "Create link"}
        </FormFooter>
      </form>
    </DialogShell>
  );
}
