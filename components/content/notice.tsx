import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

const TONES = {
  error: "border-destructive/30 bg-destructive/10 text-destructive",
  inbox: "border-pink-500/30 bg-pink-500/10 text-pink-800 dark:text-pink-200",
};

/** A tinted box with an icon, for a failure or a notice next to a piece of content. */
export function Notice({
  tone,
  icon: Icon,
  role,
  testId,
  children,
}: {
  tone: keyof typeof TONES;
  icon: LucideIcon;
  role: "alert" | "status";
  testId: string;
  children: ReactNode;
}) {
  return (
    <div
      role={role}
      className={cn("flex gap-2 rounded-md border px-3 py-2 text-sm", TONES[tone])}
      data-testid={testId}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      {children}
    </div>
  );
}
