"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";

function toSlug(name: string) {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [timeZone, setTimeZone] = useState("UTC");
  useEffect(() => setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  const create = useMutation(
    trpc.workspace.create.mutationOptions({
      onSuccess: (ws) => {
        toast.success(`Workspace “${ws.name}” created`);
        router.push(`/${ws.slug}`);
        router.refresh();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const errs = fieldErrors(create.error);
  const nameError = name.length > 100 ? "Name must be at most 100 characters" : errs.name;

  return (
    <Card>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          // A URL derived from the name is only a suggestion: if another workspace already has it,
          // the server picks the next free one ("acme-goods-2"). A URL the person typed is kept or refused.
          create.mutate({ name, slug: slugTouched && slug ? slug : undefined, timeZone });
        }}
      >
        <CardContent className="grid gap-4">
          <Field label="Workspace name" htmlFor="ws-name" error={nameError}>
            <Input
              id="ws-name"
              name="name"
              placeholder="Acme Goods"
              value={name}
              required
              maxLength={120}
              onChange={(e) => {
                setName(e.target.value);
                if (!slugTouched) setSlug(toSlug(e.target.value));
              }}
            />
          </Field>
          <Field label="URL" htmlFor="ws-slug" error={errs.slug} hint="Lowercase letters, digits and dashes.">
            <div className="flex items-center rounded-md border bg-muted/50 focus-within:ring-2 focus-within:ring-ring/50">
              <span className="pl-3 text-sm text-muted-foreground">/</span>
              <Input
                id="ws-slug"
                name="slug"
                className="border-0 bg-transparent shadow-none focus-visible:ring-0"
                placeholder="acme-goods"
                value={slug}
                onChange={(e) => {
                  setSlugTouched(true);
                  setSlug(e.target.value.toLowerCase());
                }}
              />
            </div>
          </Field>
          <p className="text-xs text-muted-foreground">
            Time zone: <span className="font-medium text-foreground">{timeZone}</span> (change it later in
            settings)
          </p>
        </CardContent>
        <CardFooter className="mt-6">
          <Button type="submit" className="w-full" disabled={create.isPending || !name.trim()}>
            {create.isPending && <Spinner />}
            Create workspace
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
