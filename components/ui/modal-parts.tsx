"use client";

import { XIcon } from "lucide-react";
import { Dialog as DialogPrimitive } from "radix-ui";

/** Classes the modal primitives (dialog, alert dialog, sheet) share, so they look and animate alike. */
export const modalClasses = {
  overlay:
    "fixed inset-0 z-50 bg-black/50 data-[state=closed]:animate-out data-[state=open]:animate-in data-[state=closed]:fade-out-0 data-[state=open]:fade-in-0",
  /** Dialog and alert dialog: a centred panel, header and footer. */
  centeredContent:
    "fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100dvh-2rem)] w-full max-w-[calc(100%-2rem)] -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto rounded-lg border bg-background p-6 shadow-lg outline-none duration-200 data-[state=closed]:animate-out data-[state=open]:animate-in data-[state=closed]:fade-out-0 data-[state=open]:fade-in-0 data-[state=closed]:zoom-out-95 data-[state=open]:zoom-in-95 sm:max-w-lg dark:bg-card",
  centeredHeader: "flex flex-col gap-2 text-center sm:text-left",
  centeredFooter: "flex flex-col-reverse gap-2 sm:flex-row sm:justify-end",
  description: "text-muted-foreground text-sm",
  /** The × in the top-right corner of a dialog or sheet. */
  close:
    "absolute top-4 right-4 rounded-xs opacity-70 outline-none transition-opacity hover:opacity-100 focus-visible:opacity-100 focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:pointer-events-none [&_svg:not([class*='size-'])]:size-4 [&_svg]:pointer-events-none [&_svg]:shrink-0",
} as const;

/** The × button of a dialog or sheet (both are Radix dialogs); `slot` names it for styling and tests. */
export function ModalCloseButton({ slot }: { slot: string }) {
  return (
    <DialogPrimitive.Close data-slot={slot} className={modalClasses.close}>
      <XIcon />
      <span className="sr-only">Close</span>
    </DialogPrimitive.Close>
  );
}
