"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { EmailBlock } from "@/lib/email-blocks";
import { nativeSelect } from "../campaign-meta";
import { ImageFields, ProductFields, SocialFields } from "./block-media-fields";
import type { BlockFieldProps } from "./block-types";

export type { BlockFieldProps, BlockOf } from "./block-types";

const ALIGNS = ["left", "center", "right"] as const;

function AlignSelect({
  id,
  value,
  onChange,
  readOnly,
}: {
  id: string;
  value: (typeof ALIGNS)[number];
  onChange: (v: (typeof ALIGNS)[number]) => void;
  readOnly: boolean;
}) {
  return (
    <Field label="Alignment" htmlFor={id}>
      <select
        id={id}
        className={nativeSelect}
        disabled={readOnly}
        value={value}
        onChange={(e) => onChange(e.target.value as (typeof ALIGNS)[number])}
      >
        {ALIGNS.map((a) => (
          <option key={a} value={a}>
            {a[0]!.toUpperCase() + a.slice(1)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A hex colour: a swatch and the text field side by side. */
export function ColourField({
  id,
  label,
  value,
  onChange,
  error,
  readOnly,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  readOnly: boolean;
}) {
  return (
    <Field label={label} htmlFor={id} error={error}>
      <div className="flex items-center gap-2">
        <input
          type="color"
          aria-label={`${label} picker`}
          disabled={readOnly}
          value={/^#[0-9a-f]{6}$/i.test(value) ? value : "#000000"}
          onChange={(e) => onChange(e.target.value)}
          className="h-9 w-10 shrink-0 cursor-pointer rounded border bg-transparent p-0.5"
        />
        <Input id={id} disabled={readOnly} value={value} onChange={(e) => onChange(e.target.value)} />
      </div>
    </Field>
  );
}

function HeadingFields({ block, onChange, id, error, readOnly }: BlockFieldProps<"heading">) {
  return (
    <div className="grid gap-3 sm:grid-cols-[1fr_8rem_8rem]">
      <Field label="Heading" htmlFor={`${id}-text`} error={error("text")}>
        <Input
          id={`${id}-text`}
          data-testid="block-heading-text"
          disabled={readOnly}
          value={block.text}
          onChange={(e) => onChange({ text: e.target.value })}
        />
      </Field>
      <Field label="Size" htmlFor={`${id}-level`}>
        <select
          id={`${id}-level`}
          className={nativeSelect}
          disabled={readOnly}
          value={block.level}
          onChange={(e) => onChange({ level: e.target.value === "2" ? 2 : 1 })}
        >
          <option value="1">Large</option>
          <option value="2">Medium</option>
        </select>
      </Field>
      <AlignSelect
        id={`${id}-align`}
        value={block.align}
        readOnly={readOnly}
        onChange={(align) => onChange({ align })}
      />
    </div>
  );
}

function TextFields({ block, onChange, id, error, readOnly }: BlockFieldProps<"text">) {
  return (
    <div className="grid gap-3">
      <Field
        label="Text"
        htmlFor={`${id}-text`}
        hint="Markdown: **bold**, _italic_, [link](https://…), lists. Merge tags like {{first_name|there}}."
        error={error("text")}
      >
        <Textarea
          id={`${id}-text`}
          data-testid="block-text-text"
          rows={5}
          disabled={readOnly}
          value={block.text}
          onChange={(e) => onChange({ text: e.target.value })}
        />
      </Field>
      <div className="sm:max-w-[10rem]">
        <AlignSelect
          id={`${id}-align`}
          value={block.align}
          readOnly={readOnly}
          onChange={(align) => onChange({ align })}
        />
      </div>
    </div>
  );
}

function ButtonFields({ block, onChange, id, error, readOnly }: BlockFieldProps<"button">) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label="Label" htmlFor={`${id}-label`} error={error("label")}>
        <Input
          id={`${id}-label`}
          data-testid="block-button-label"
          disabled={readOnly}
          value={block.label}
          onChange={(e) => onChange({ label: e.target.value })}
        />
      </Field>
      <Field label="Link" htmlFor={`${id}-url`} error={error("url")}>
        <Input
          id={`${id}-url`}
          data-testid="block-button-url"
          type="url"
          disabled={readOnly}
          value={block.url}
          onChange={(e) => onChange({ url: e.target.value })}
        />
      </Field>
      <ColourField
        id={`${id}-bg`}
        label="Button colour"
        value={block.background}
        error={error("background")}
        readOnly={readOnly}
        onChange={(background) => onChange({ background })}
      />
      <ColourField
        id={`${id}-fg`}
        label="Text colour"
        value={block.color}
        error={error("color")}
        readOnly={readOnly}
        onChange={(color) => onChange({ color })}
      />
      <AlignSelect
        id={`${id}-align`}
        value={block.align}
        readOnly={readOnly}
        onChange={(align) => onChange({ align })}
      />
    </div>
  );
}

/** The fields of one block, by its type. */
export function BlockFields(p: BlockFieldProps<EmailBlock["type"]>) {
  const b = p.block;
  // Each branch narrows the block; the patcher is the same function for every type.
  const on = p.onChange as (patch: object) => void;
  switch (b.type) {
    case "heading":
      return <HeadingFields {...p} block={b} onChange={on} />;
    case "text":
      return <TextFields {...p} block={b} onChange={on} />;
    case "button":
      return <ButtonFields {...p} block={b} onChange={on} />;
    case "image":
      return <ImageFields {...p} block={b} onChange={on} />;
    case "product":
      return <ProductFields {...p} block={b} onChange={on} />;
    case "social":
      return <SocialFields {...p} block={b} onChange={on} />;
    case "divider":
      return (
        <div className="sm:max-w-xs">
          <ColourField
            id={`${p.id}-color`}
            label="Line colour"
            value={b.color}
            error={p.error("color")}
            readOnly={p.readOnly}
            onChange={(color) => on({ color })}
          />
        </div>
      );
    case "footer":
      return (
        <Field
          label="Note (optional)"
          htmlFor={`${p.id}-text`}
          hint="Every email ends with your postal address and an unsubscribe link; they are added for you."
          error={p.error("text")}
        >
          <Input
            id={`${p.id}-text`}
            disabled={p.readOnly}
            value={b.text}
            onChange={(e) => on({ text: e.target.value })}
          />
        </Field>
      );
  }
}
