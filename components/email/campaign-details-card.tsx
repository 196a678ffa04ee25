"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormContext } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc/client";
import type { CampaignDraft } from "./campaign-form";

/** Name and the sender overrides (empty = the workspace's sending settings). */
export function CampaignDetailsCard({ readOnly }: { readOnly: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const sender = useQuery(trpc.email.sender.get.queryOptions({ workspaceId: ws.id }));
  const { register, formState } = useFormContext<CampaignDraft>();
  const { errors } = formState;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Details</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Field label="Campaign name" htmlFor="campaign-name" error={errors.name?.message}>
          <Input
            id="campaign-name"
            data-testid="campaign-name"
            disabled={readOnly}
            placeholder="November newsletter"
            {...register("name")}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-3">
          {(
            [
              ["fromName", "from-name", "From name", sender.data?.fromName ?? "Workspace default"],
              ["fromEmail", "from-email", "From address", sender.data?.fromEmail ?? "Workspace default"],
              ["replyTo", "reply-to", "Reply-to", sender.data?.replyTo || "Same as from"],
            ] as const
          ).map(([key, id, label, placeholder]) => (
            <Field key={key} label={label} htmlFor={id} error={errors.sender?.[key]?.message}>
              <Input
                id={id}
                type={key === "fromName" ? undefined : "email"}
                disabled={readOnly}
                placeholder={placeholder}
                {...register(`sender.${key}`)}
              />
            </Field>
          ))}
        </div>
        <p className="text-xs text-muted-foreground">
          Leave the sender fields empty to use the workspace's{" "}
          <Link href={`/${ws.slug}/settings/sending`} className="underline">
            sending settings
          </Link>
          .
        </p>
      </CardContent>
    </Card>
  );
}
