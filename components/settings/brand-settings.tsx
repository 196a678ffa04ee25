"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PackagePlus, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { InputField } from "@/components/ui/form-field";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import {
  type BrandSettings,
  brandSettingsInput,
  type Product,
} from "@/server/services/workspaces/brand-schemas";

const emptyProduct = (): Product => ({ name: "", description: "", url: "", price: "" });

/** The inputs of one product, in order; `idPart` names their element ids (p-name-0, p-price-0…). */
const PRODUCT_FIELDS: { key: keyof Product; idPart: string; label: string; placeholder?: string }[] = [
  { key: "name", idPart: "name", label: "Name" },
  { key: "price", idPart: "price", label: "Price", placeholder: "$24.99" },
  { key: "url", idPart: "url", label: "Link", placeholder: "https://amazon.com/dp/…" },
  { key: "description", idPart: "desc", label: "Description" },
];

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
      <CardSection
        title="Brand voice"
        description={`How your brand sounds. The AI writer follows it for every draft${readOnly ? "." : " — be specific."}`}
      >
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
      </CardSection>

      <CardSection
        title="Products"
        description="What you sell. Pick one when you generate content and the draft is about it."
        contentClassName="grid gap-4"
        footerClassName="flex flex-wrap justify-between gap-2 border-t pt-6"
        footer={
          readOnly ? undefined : (
            <>
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
            </>
          )
        }
      >
        {draft.products.length === 0 && (
          <EmptyState
            icon={PackagePlus}
            title="No products yet"
            description={readOnly ? "An admin can add the products you sell." : "Add the products you sell."}
          />
        )}
        {draft.products.map((p, i) => (
          <fieldset
            key={i}
            className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2"
            data-testid={`product-${i}`}
          >
            <legend className="sr-only">Product {i + 1}</legend>
            {PRODUCT_FIELDS.map((f) => (
              <InputField
                key={f.key}
                id={`p-${f.idPart}-${i}`}
                label={f.label}
                error={issues[`products.${i}.${f.key}`]}
                disabled={readOnly}
                placeholder={f.placeholder}
                value={p[f.key]}
                onChange={(e) => setProduct(i, { [f.key]: e.target.value })}
              />
            ))}
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
      </CardSection>
    </form>
  );
}
