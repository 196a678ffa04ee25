"use client";

import { ThemeProvider } from "next-themes";
import type { ReactNode } from "react";
import { z } from "zod";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import { TRPCReactProvider } from "@/lib/trpc/client";

// Zod 4 probes `new Function` to decide whether to compile fast parsers; under our nonce CSP (no
// 'unsafe-eval') the browser reports that probe as a violation even though Zod catches it. The
// browser parses little, so run Zod without the JIT there (the server keeps it).
if (typeof window !== "undefined") z.config({ jitless: true });

export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
    >
      <TRPCReactProvider>
        <TooltipProvider delayDuration={300}>{children}</TooltipProvider>
        <Toaster richColors closeButton position="bottom-right" />
      </TRPCReactProvider>
    </ThemeProvider>
  );
}
