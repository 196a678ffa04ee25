"use client";

import { useState } from "react";
import { Controller } from "react-hook-form";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { InsertLinkButton } from "@/components/links/insert-link-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { toPlainText } from "@/lib/markdown";
import { cn } from "@/lib/utils";
import {
  defaults,
  type FormOut,
  makeSchema,
  SEO_DESCRIPTION_MAX,
  SEO_TITLE_MAX,
  slugFromTitle,
} from "./blog-form";
import { BlogPreview, SearchSnippet } from "./blog-preview";
import { EditorFrame } from "./editor-frame";
import { appendToBody, BodyField, CountedField, FormSection, TitleField, useOrigin } from "./editor-kit";
import { MediaField } from "./media-field";
import { TagsInput } from "./tags-input";
import { type ContentEditorProps, useContentForm } from "./use-content-form";

export function BlogEditor({ item, readOnly, initialSchedule }: ContentEditorProps) {
  const ws = useWorkspace();
  const origin = useOrigin();
  // A new post's slug follows its title until someone edits the slug itself.
  const [slugTouched, setSlugTouched] = useState(Boolean(item));
  const [schema] = useState(() => makeSchema(Boolean(item)));
  const { form, errors, live, persist, frame } = useContentForm({
    item,
    readOnly,
    initialSchedule,
    schema,
    defaultValues: defaults(item),
    onFieldError: (name) => {
      if (name === "slug") setSlugTouched(true);
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
    persist({
      create: {
        type: "blog",
        title: values.title,
        body: values.body,
        scheduledAt,
        slug: slugTouched ? slug : undefined,
        blog,
      },
      update: { title: values.title, body: values.body, slug: slug !== item?.slug ? slug : undefined, blog },
    });
  };

  const title = live.title ?? "";
  const slug = live.slug ?? "";
  const body = live.body ?? "";
  const seoTitle = live.seoTitle ?? "";
  const seoDescription = live.seoDescription ?? "";
  const postPath = `/blog/${ws.slug}/${slug || "your-post"}`;
  const snippetDescription =
    seoDescription.trim() ||
    (live.excerpt ?? "").trim() ||
    toPlainText(body)
      .replace(/[#*_>`[\]()!-]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 160);

  return (
    <EditorFrame
      {...frame}
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
            <TitleField
              id="blog-title"
              error={errors.title?.message}
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
            <BodyField
              id="blog-body"
              label="Body"
              aside={
                <div className="flex items-center gap-2">
                  <InsertLinkButton
                    contentId={item?.id}
                    disabled={readOnly}
                    onInsert={(url, label) => appendToBody(form, label ? `[${label}](${url})` : url, "\n\n")}
                  />
                  <span className="text-muted-foreground text-xs">Markdown</span>
                </div>
              }
              error={errors.body?.message}
            >
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
            </BodyField>
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
              value={live.coverImageUrl ?? ""}
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
            <CountedField
              id="blog-seo-title"
              label="SEO title"
              text={seoTitle}
              max={SEO_TITLE_MAX}
              counterTestId="seo-title-counter"
              error={errors.seoTitle?.message}
            >
              <Input id="blog-seo-title" placeholder={title} {...form.register("seoTitle")} />
            </CountedField>
            <CountedField
              id="blog-seo-description"
              label="SEO description"
              text={seoDescription}
              max={SEO_DESCRIPTION_MAX}
              counterTestId="seo-description-counter"
              error={errors.seoDescription?.message}
            >
              <Textarea id="blog-seo-description" rows={3} {...form.register("seoDescription")} />
            </CountedField>
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
            excerpt={live.excerpt ?? ""}
            coverImageUrl={errors.coverImageUrl ? "" : (live.coverImageUrl ?? "").trim()}
            tags={live.tags ?? []}
            author={item?.author?.name || item?.author?.email || ws.name}
          />
        </div>
      }
    />
  );
}
