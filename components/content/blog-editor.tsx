"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { toPlainText } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import {
  defaults,
  type FormIn,
  type FormOut,
  makeSchema,
  SEO_DESCRIPTION_MAX,
  SEO_TITLE_MAX,
  slugFromTitle,
} from "./blog-form";
import { BlogPreview, SearchSnippet } from "./blog-preview";
import type { ContentItem } from "./content-meta";
import { EditorFrame } from "./editor-frame";
import { CharCounter, FormSection, useOrigin } from "./editor-kit";
import type { ScheduleDraft } from "./editor-schedule";
import { MediaField } from "./media-field";
import { TagsInput } from "./tags-input";
import { useContentSave } from "./use-content-save";

export function BlogEditor({
  item,
  readOnly,
  initialSchedule,
}: {
  item?: ContentItem;
  readOnly: boolean;
  initialSchedule?: ScheduleDraft;
}) {
  const ws = useWorkspace();
  const origin = useOrigin();
  // A new post's slug follows its title until someone edits the slug itself.
  const [slugTouched, setSlugTouched] = useState(Boolean(item));
  const [schema] = useState(() => makeSchema(Boolean(item)));
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(schema),
    mode: "onChange",
    defaultValues: defaults(item),
  });
  const { errors } = form.formState;
  const v = useWatch({ control: form.control }) as FormIn;
  const save = useContentSave({
    item,
    setFieldError: (field, message) => {
      if (!(field in schema.shape)) return false;
      form.setError(field as keyof FormIn, { message });
      if (field === "slug") setSlugTouched(true);
      return true;
    },
  });

  const titleField = form.register("title");
  const slugField = form.register("slug");

  const onSave = (values: FormOut, scheduledAt: Date | undefined) => {
    const blog = {
      excerpt: values.excerpt,
      coverImageUrl: values.coverImageUrl.trim() || null,
      tags: values.tags,
      seoTitle: values.seoTitle,
      seoDescription: values.seoDescription,
    };
    const slug = values.slug.trim() || undefined;
    if (!item) {
      save.create({
        type: "blog",
        title: values.title,
        body: values.body,
        scheduledAt,
        slug: slugTouched ? slug : undefined,
        blog,
      });
    } else {
      save.update(
        { title: values.title, body: values.body, slug: slug !== item.slug ? slug : undefined, blog },
        { onSuccess: () => form.reset(form.getValues()) },
      );
    }
  };

  const title = v.title ?? "";
  const slug = v.slug ?? "";
  const body = v.body ?? "";
  const seoTitle = v.seoTitle ?? "";
  const seoDescription = v.seoDescription ?? "";
  const postPath = `/blog/${ws.slug}/${slug || "your-post"}`;
  const snippetDescription =
    seoDescription.trim() ||
    (v.excerpt ?? "").trim() ||
    toPlainText(body)
      .replace(/[#*_>`[\]()!-]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 160);

  return (
    <EditorFrame
      form={form}
      mode={item ? "edit" : "create"}
      readOnly={readOnly}
      pending={save.pending}
      initialSchedule={initialSchedule}
      onSave={onSave}
      notice={
        item?.status === "published" && !readOnly ? (
          <p className="mb-4 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-sm text-warning">
            This post is live: saved changes show on your blog right away
            {item.slug ? " — and changing the slug changes its address." : "."}
          </p>
        ) : undefined
      }
      fields={
        <>
          <FormSection title="Post">
            <Field label="Title" htmlFor="blog-title" error={errors.title?.message}>
              <Input
                id="blog-title"
                maxLength={500}
                data-testid="title-input"
                {...titleField}
                onChange={(e) => {
                  void titleField.onChange(e);
                  if (!slugTouched)
                    form.setValue("slug", slugFromTitle(e.target.value), {
                      shouldValidate: true,
                      shouldDirty: true,
                    });
                }}
              />
            </Field>
            <Field
              label="Slug"
              htmlFor="blog-slug"
              error={errors.slug?.message}
              hint={
                slugTouched
                  ? `The post lives at ${postPath}.`
                  : `Follows the title until you edit it; a number is added if another post uses it. ${postPath}`
              }
            >
              <div
                className={cn(
                  "flex h-9 items-center rounded-md border border-input shadow-xs focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50 dark:bg-input/30",
                  errors.slug && "border-destructive",
                )}
              >
                <span
                  className="hidden max-w-[55%] shrink-0 truncate pl-3 text-muted-foreground text-sm sm:inline"
                  aria-hidden
                >
                  /blog/{ws.slug}/
                </span>
                <Input
                  id="blog-slug"
                  spellCheck={false}
                  autoCapitalize="none"
                  maxLength={200}
                  className="h-full border-0 bg-transparent shadow-none focus-visible:ring-0 sm:pl-0.5 dark:bg-transparent"
                  aria-invalid={errors.slug ? true : undefined}
                  data-testid="slug-input"
                  {...slugField}
                  onChange={(e) => {
                    setSlugTouched(true);
                    e.target.value = e.target.value.toLowerCase().replace(/\s+/g, "-");
                    void slugField.onChange(e);
                  }}
                />
              </div>
            </Field>
            <div className="grid gap-2">
              <div className="flex items-center justify-between gap-2">
                <Label htmlFor="blog-body">Body</Label>
                <span className="text-muted-foreground text-xs">Markdown</span>
              </div>
              <Textarea
                id="blog-body"
                rows={16}
                className="min-h-72 font-mono text-[13px] leading-relaxed"
                placeholder={
                  "## A heading\n\nWrite in **Markdown**: lists, [links](https://example.com), images…"
                }
                aria-invalid={errors.body ? true : undefined}
                data-testid="body-input"
                {...form.register("body")}
              />
              {errors.body && (
                <p role="alert" className="text-destructive text-sm">
                  {errors.body.message}
                </p>
              )}
            </div>
            <Field
              label="Excerpt"
              htmlFor="blog-excerpt"
              error={errors.excerpt?.message}
              hint="A sentence or two for the blog index and link previews."
            >
              <Textarea id="blog-excerpt" rows={2} maxLength={500} {...form.register("excerpt")} />
            </Field>
            <MediaField
              id="blog-cover"
              label="Cover image"
              kind="image"
              value={v.coverImageUrl ?? ""}
              disabled={readOnly}
              error={errors.coverImageUrl?.message}
              onChange={(url) =>
                form.setValue("coverImageUrl", url, { shouldDirty: true, shouldValidate: true })
              }
              testId="cover-url-input"
            />
            <Field
              label="Tags"
              htmlFor="blog-tags"
              error={errors.tags?.message ?? errors.tags?.find?.((t) => t?.message)?.message}
              hint="Press Enter or type a comma after each tag."
            >
              <Controller
                control={form.control}
                name="tags"
                render={({ field }) => (
                  <TagsInput
                    id="blog-tags"
                    value={field.value ?? []}
                    onChange={field.onChange}
                    disabled={readOnly}
                    invalid={Boolean(errors.tags)}
                  />
                )}
              />
            </Field>
          </FormSection>
          <FormSection title="Search engines" description="Left empty, the title and excerpt are used.">
            <Field
              label={
                <span className="flex w-full items-center justify-between gap-2">
                  SEO title
                  <CharCounter
                    value={seoTitle.trim().length}
                    max={SEO_TITLE_MAX}
                    testId="seo-title-counter"
                  />
                </span>
              }
              htmlFor="blog-seo-title"
              error={errors.seoTitle?.message}
            >
              <Input id="blog-seo-title" placeholder={title} {...form.register("seoTitle")} />
            </Field>
            <Field
              label={
                <span className="flex w-full items-center justify-between gap-2">
                  SEO description
                  <CharCounter
                    value={seoDescription.trim().length}
                    max={SEO_DESCRIPTION_MAX}
                    testId="seo-description-counter"
                  />
                </span>
              }
              htmlFor="blog-seo-description"
              error={errors.seoDescription?.message}
            >
              <Textarea id="blog-seo-description" rows={3} {...form.register("seoDescription")} />
            </Field>
          </FormSection>
        </>
      }
      preview={
        <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
          <SearchSnippet
            url={`${origin || "https://your-site"}${postPath}`}
            title={seoTitle.trim() || title}
            description={snippetDescription}
          />
          <BlogPreview
            title={title}
            body={body}
            excerpt={v.excerpt ?? ""}
            coverImageUrl={errors.coverImageUrl ? "" : (v.coverImageUrl ?? "").trim()}
            tags={v.tags ?? []}
            author={item?.author?.name || item?.author?.email || ws.name}
          />
        </div>
      }
    />
  );
}
