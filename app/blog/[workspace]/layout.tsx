import type { Metadata } from "next";
import type { ReactNode } from "react";
import { BlogMark } from "@/components/blog/blog-mark";
import { Logo } from "@/components/brand/logo";
import { RssIcon } from "@/components/ui/static-icons";
import { absoluteUrl, blogDescription, rssPath } from "@/server/services/blog-feed";
import { loadBaseUrl, loadBlog } from "./data";

// Published posts must appear (and unpublished ones vanish) at once, and nothing may query the
// database at build time: render on request. The queries are two indexed lookups.
export const dynamic = "force-dynamic";
// Plain <a> links, not next/link: a reader's click loads the next page whole (a small HTML answer),
// and the blog ships none of the client router's link and prefetch code (issue 15's page weight).

type Params = { params: Promise<{ workspace: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { blog } = await loadBlog((await params).workspace);
  const base = await loadBaseUrl();
  return {
    title: { default: blog.name, template: `%s · ${blog.name}` },
    description: blogDescription(blog),
    alternates: { types: { "application/rss+xml": [{ url: base + rssPath(blog.slug), title: blog.name }] } },
    icons: blog.logoUrl ? { icon: absoluteUrl(blog.logoUrl, base) } : undefined,
  };
}

export default async function BlogLayout({ children, params }: Params & { children: ReactNode }) {
  const { blog } = await loadBlog((await params).workspace);
  return (
    <div className="flex min-h-dvh flex-col bg-background">
      <header className="sticky top-0 z-20 border-b bg-background/85 backdrop-blur supports-[backdrop-filter]:bg-background/70">
        <div className="mx-auto flex h-16 w-full max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
          <a
            href={`/blog/${blog.slug}`}
            className="flex min-w-0 items-center gap-2.5 rounded-md font-semibold tracking-tight outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <BlogMark name={blog.name} logoUrl={blog.logoUrl} />
            <span className="truncate">{blog.name}</span>
          </a>
          <nav className="flex items-center gap-1 text-sm">
            <a
              href={`/blog/${blog.slug}`}
              className="hidden rounded-md px-3 py-2 text-muted-foreground transition-colors hover:bg-accent hover:text-foreground sm:inline-flex"
            >
              All posts
            </a>
            <a
              href={rssPath(blog.slug)}
              className="inline-flex items-center gap-1.5 rounded-md px-3 py-2 text-muted-foreground transition-colors hover:bg-accent hover:text-foreground"
            >
              <RssIcon className="size-4 text-orange-500" aria-hidden />
              RSS
            </a>
          </nav>
        </div>
      </header>
      <main className="flex-1">{children}</main>
      <footer className="border-t bg-muted/30">
        <div className="mx-auto flex w-full max-w-6xl flex-col items-center justify-between gap-3 px-4 py-8 text-muted-foreground text-sm sm:flex-row sm:px-6">
          <p>
            © {new Date().getFullYear()} {blog.name}
          </p>
          <div className="flex items-center gap-4">
            <a href={rssPath(blog.slug)} className="transition-colors hover:text-foreground">
              RSS feed
            </a>
            <span className="inline-flex items-center gap-1.5">
              Powered by <Logo className="text-foreground [&>span:first-child]:size-5 [&_svg]:size-3" />
            </span>
          </div>
        </div>
      </footer>
    </div>
  );
}
