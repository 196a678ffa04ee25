"use client";

import { Dialog as DialogPrimitive } from "radix-ui";
import type * as React from "react";
import { ModalCloseButton, modalClasses } from "@/components/ui/modal-parts";
import { slotted } from "@/components/ui/slotted";
import { cn } from "@/lib/utils";

const Dialog = slotted(DialogPrimitive.Root, "dialog");
const DialogTrigger = slotted(DialogPrimitive.Trigger, "dialog-trigger");
const DialogPortal = slotted(DialogPrimitive.Portal, "dialog-portal");
const DialogClose = slotted(DialogPrimitive.Close, "dialog-close");
const DialogOverlay = slotted(DialogPrimitive.Overlay, "dialog-overlay", modalClasses.overlay);

function DialogContent({
  className,
  children,
  showCloseButton = true,
  ...props
}: React.ComponentProps<typeof DialogPrimitive.Content> & { showCloseButton?: boolean }) {
  return (
    <DialogPortal>
      <DialogOverlay />
      <DialogPrimitive.Content
        data-slot="dialog-content"
        className={cn(modalClasses.centeredContent, className)}
        {...props}
      >
        {children}
        {showCloseButton && <ModalCloseButton slot="dialog-close" />}
      </DialogPrimitive.Content>
    </DialogPortal>
  );
}

const DialogHeader = slotted("div", "dialog-header", modalClasses.centeredHeader);
const DialogFooter = slotted("div", "dialog-footer", modalClasses.centeredFooter);
const DialogTitle = slotted(DialogPrimitive.Title, "dialog-title", "font-semibold text-lg leading-none");
const DialogDescription = slotted(
  DialogPrimitive.Description,
  "dialog-description",
  modalClasses.description,
);

export {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogOverlay,
  DialogPortal,
  DialogTitle,
  DialogTrigger,
};
