"use client";

import { useTheme } from "next-themes";
import type * as React from "react";
import { useEffect, useState } from "react";
import type { ToasterProps } from "sonner";
import { onSonnerLoaded, setToasterMounted, sonnerState } from "@/lib/toast";

/** Sonner's toaster, rendered once the first toast has loaded Sonner (lib/toast.ts). */
function Toaster(props: ToasterProps) {
  const { theme } = useTheme();
  const [sonner, setSonner] = useState(sonnerState);
  useEffect(() => onSonnerLoaded(() => setSonner(sonnerState())), []);
  // After Sonner's own effects (children's run first): its toaster listens before the queue is shown.
  useEffect(() => {
    if (!sonner) return;
    setToasterMounted(true);
    return () => setToasterMounted(false);
  }, [sonner]);
  if (!sonner) return null;
  const sonnerTheme: ToasterProps["theme"] = theme === "light" || theme === "dark" ? theme : "system";
  return (
    <sonner.Toaster
      theme={sonnerTheme}
      className="toaster group"
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
          "--border-radius": "var(--radius)",
        } as React.CSSProperties
      }
      {...props}
    />
  );
}

export { Toaster };
