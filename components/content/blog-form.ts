import { z } from "zod";
import {
  BODY_MAX,
  blogFieldsSchema,
  contentSlugSchema,
  titleSchema,
} from "@/server/services/content/schemas";
import { type ContentItem, readMeta } from "./content-meta";
import { checkedBy } from "./editor-kit";

export const SEO_TITLE_MAX = 70;

export const SEO_DESCRIPTION_MAX = 160;

/** The slug a title suggests: lowercase ASCII words joined by single dashes. */
export function slugFromTitle(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
}

export function makeSchema(slugRequired: boolean) {
  return z.object({
    title: titleSchema,
    // Empty on a new post means "derive it from the title" (the server also makes it unique).
    slug: checkedBy(contentSlugSchema, { optional: !slugRequired }),
    body: z.string().max(BODY_MAX, "Body is too long"),
    excerpt: checkedBy(blogFieldsSchema.shape.excerpt),
    coverImageUrl: checkedBy(blogFieldsSchema.shape.coverImageUrl, { optional: true }),
    tags: blogFieldsSchema.shape.tags.unwrap(),
    seoTitle: checkedBy(blogFieldsSchema.shape.seoTitle),
    seoDescription: checkedBy(blogFieldsSchema.shape.seoDescription),
  });
}

type Schema = ReturnType<typeof makeSchema>;

export type FormIn = z.input<Schema>;

export type FormOut = z.output<Schema>;

export function defaults(item?: ContentItem): FormIn {
  const b = readMeta(item?.metadata).blog;
  return {
    title: item?.title ?? "",
    slug: item?.slug ?? "",
    body: item?.body ?? "",
    excerpt: b.excerpt ?? "",
    coverImageUrl: b.coverImageUrl ?? "",
    tags: Array.isArray(b.tags) ? b.tags : [],
    seoTitle: b.seoTitle ?? "",
    seoDescription: b.seoDescription ?? "",
  };
}
