"use client";

import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export interface ShipmentItem {
  sellerSku: string;
  quantity: number;
}

/** The shipment's lines: a seller SKU and a quantity each, at least one. */
export function ShipmentItems({
  items,
  issues,
  onChange,
}: {
  items: ShipmentItem[];
  /** Problems by path ("items.0.sellerSku", "items"). */
  issues: Record<string, string>;
  onChange: (items: ShipmentItem[]) => void;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-2 font-medium text-sm">Items (by seller SKU)</legend>
      {items.map((it, i) => (
        <div key={i} className="flex items-end gap-2">
          <Field
            label={i === 0 ? "SKU" : <span className="sr-only">SKU</span>}
            htmlFor={`ff-sku-${i}`}
            error={issues[`items.${i}.sellerSku`]}
            className="flex-1"
          >
            <Input
              id={`ff-sku-${i}`}
              value={it.sellerSku}
              placeholder="SAMPLE-KIT"
              onChange={(e) =>
                onChange(items.map((x, j) => (j === i ? { ...x, sellerSku: e.target.value } : x)))
              }
            />
          </Field>
          <Field
            label={i === 0 ? "Qty" : <span className="sr-only">Qty</span>}
            htmlFor={`ff-qty-${i}`}
            className="w-20"
          >
            <Input
              id={`ff-qty-${i}`}
              type="number"
              min={1}
              max={999}
              value={it.quantity}
              onChange={(e) =>
                onChange(items.map((x, j) => (j === i ? { ...x, quantity: Number(e.target.value) || 0 } : x)))
              }
            />
          </Field>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label="Remove item"
            disabled={items.length === 1}
            onClick={() => onChange(items.filter((_, j) => j !== i))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      {issues.items && <p className="text-destructive text-sm">{issues.items}</p>}
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="justify-self-start"
        onClick={() => onChange([...items, { sellerSku: "", quantity: 1 }])}
      >
        <Plus aria-hidden /> Add item
      </Button>
    </fieldset>
  );
}
