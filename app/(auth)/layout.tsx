import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/brand/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-10">
      <header className="mb-8">
        <Link href="/" aria-label="Organic home">
          <Logo className="text-lg" />
        </Link>
      </header>
      <main className="w-full max-w-sm">{children}</main>
      <footer className="mt-8 max-w-sm text-center text-xs text-muted-foreground">
        Plan, write, publish and measure TikTok videos, blog posts and emails — self-hosted.
      </footer>
    </div>
  );
}
