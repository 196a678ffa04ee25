import type { ReactNode } from "react";
import { Logo } from "@/components/brand/logo";

// A plain anchor, not next/link: the sign-in page keeps to the framework's scripts (issue 15).
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-10">
      <header className="mb-8">
        <a href="/" aria-label="Organic home">
          <Logo className="text-lg" />
        </a>
      </header>
      <main className="w-full max-w-sm">{children}</main>
      <footer className="mt-8 max-w-sm text-center text-xs text-muted-foreground">
        Plan, write, publish and measure TikTok videos, blog posts and emails — self-hosted.
      </footer>
    </div>
  );
}
