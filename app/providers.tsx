"use client";

import type { ReactNode } from "react";
import { config as zodConfig } from "zod/v4/core";
import { Toaster } from "@/components/ui/sonner";
import { TRPCReactProvider } from "@/lib/trpc/client";

// Zod 4 probes `new Function` to decide whether to compile fast parsers; under our nonce CSP (no
// 'unsafe-eval') the browser reports that probe as a violation even though Zod catches it. The
// browser parses little, so run Zod without the JIT there (the server keeps it).
// Only the config is imported here, so pages whose forms use no Zod do not load it.
if (typeof window !== "undefined") zodConfig({ jitless: true });

/**
 * The signed-in app's client providers (tRPC and React Query, toasts), around the pages
 * that use them: the workspace pages, onboarding and invitations. The root layout has only the theme,
 * so public pages (blog, sign-in) do not load them.
 */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <TRPCReactProvider>
      {children}
      <Toaster richColors closeButton position="bottom-right" />
    </TRPCReactProvider>
  );
}
