"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PackagePlus, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  type BrandSettings,
  brandSettingsInput,
  type Product,
} from "@/server/services/workspaces/brand-schemas";

const emptyProduct = (): Product => ({ name: "", description: "", url: "", price: "" });

/** Brand voice and product catalogue: what the AI writer uses to draft content. */
export function BrandSettingsForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const brand = useQuery(trpc.workspace.brand.get.queryOptions({ workspaceId: ws.id }));
  const [draft, setDraft] = useState<BrandSettings | null>(null);
  useEffect(() => {
    if (brand.data && !draft) setDraft(brand.data);
  }, [brand.data, draft]);

  const save = useMutation(
    trpc.workspace.brand.update.mutationOptions({
      onSuccess: async () => {
        toast.success("Brand settings saved");
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.brand.get.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  if (!draft) {
    return (
      <Card aria-busy="true">
        <CardContent className="grid gap-4">
          <Skeleton className="h-24 w-full" />
          <Skeleton className="h-40 w-full" />
        </CardContent>
      </Card>
    );
  }

  const check = brandSettingsInput.safeParse(draft);
  const issues = check.success
    ? {}
    : Object.fromEntries(check.error.issues.map((i) => [i.path.join("."), i.message]));
  const setProduct = (i: number, patch: Partial<Product>) =>
    setDraft({ ...draft, products: draft.products.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const readOnly = !ws.canAdmin;

  return (
    <form
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (check.success) save.mutate({ workspaceId: ws.id, ...check.data });
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle>Brand voice</CardTitle>
          <CardDescription>
            How your brand sounds. The AI writer follows it for every draft
            {readOnly ? "." : " — be specific."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Field label="Voice and style" htmlFor="brand-voice" error={issues.brandVoice}>
            <Textarea
              id="brand-voice"
              data-testid="brand-voice"
              rows={5}
              disabled={readOnly}
              placeholder="Warm, playful and a little nerdy. Short sentences. We say “deck”, never “product”. No exclamation marks in subject lines."
              value={draft.brandVoice}
              onChange={(e) => setDraft({ ...draft, brandVoice: e.target.value })}
            />
          </Field>
          <p className="mt-1 text-right text-xs text-muted-foreground">{draft.brandVoice.length} / 2,000</p>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Products</CardTitle>
          <CardDescription>
            What you sell. Pick one when you generate content and the draft is about it.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {draft.products.length === 0 && (
            <EmptyState
              icon={PackagePlus}
              title="No products yet"
              description={
                readOnly ? "An admin can add the products you sell." : "Add the products you sell."
              }
            />
          )}
          {draft.products.map((p, i) => (
            <fieldset
              key={i}
              className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2"
              data-testid={`product-${i}`}
            >
              <legend className="sr-only">Product {i + 1}</legend>
              <Field label="Name" htmlFor={`p-name-${i}`} error={issues[`products.${i}.name`]}>
                <Input
                  id={`p-name-${i}`}
                  disabled={readOnly}
                  value={p.name}
                  onChange={(e) => setProduct(i, { name: e.target.value })}
                />
              </Field>
              <Field label="Price" htmlFor={`p-price-${i}`} error={issues[`products.${i}.price`]}>
                <Input
                  id={`p-price-${i}`}
                  disabled={readOnly}
                  placeholder="$24.99"
                  value={p.price}
                  onChange={(e) => setProduct(i, { price: e.target.value })}
                />
              </Field>
              <Field label="Link" htmlFor={`p-url-${i}`} error={issues[`products.${i}.url`]}>
                <Input
                  id={`p-url-${i}`}
                  disabled={readOnly}
                  placeholder="https://amazon.com/dp/…"
                  value={p.url}
                  onChange={(e) => setProduct(i, { url: e.target.value })}
                />
              </Field>
              <Field label="Description" htmlFor={`p-desc-${i}`} error={issues[`products.${i}.description`]}>
                <Input
                  id={`p-desc-${i}`}
                  disabled={readOnly}
                  value={p.description}
                  onChange={(e) => setProduct(i, { description: e.target.value })}
                />
              </Field>
              {!readOnly && (
                <div className="sm:col-span-2">
                  <Button
                    type="button"
                    variant="ghost"
                    size="sm"
                    className="text-destructive"
                    onClick={() => setDraft({ ...draft, products: draft.products.filter((_, j) => j !== i) })}
                  >
                    <Trash2 className="size-4" aria-hidden /> Remove {p.name || "product"}
                  </Button>
                </div>
              )}
            </fieldset>
          ))}
          {issues.products && (
            <p role="alert" className="text-sm text-destructive">
              {issues.products}
            </p>
          )}
        </CardContent>
        {!readOnly && (
          <CardFooter className="flex flex-wrap justify-between gap-2 border-t pt-6">
            <Button
              type="button"
              variant="outline"
              data-testid="add-product"
              onClick={() => setDraft({ ...draft, products: [...draft.products, emptyProduct()] })}
            >
              <PackagePlus className="size-4" aria-hidden /> Add product
            </Button>
            <Button type="submit" data-testid="brand-save" disabled={!check.success || save.isPending}>
              {save.isPending && <Spinner />} Save changes
            </Button>
          </CardFooter>
        )}
      </Card>
    </form>
  );
}
