"use client";

import type { VariantProps } from "class-variance-authority";
import { AlertDialog as AlertDialogPrimitive } from "radix-ui";
import type * as React from "react";
import { buttonVariants } from "@/components/ui/button";
import { modalClasses } from "@/components/ui/modal-parts";
import { slotted } from "@/components/ui/slotted";
import { cn } from "@/lib/utils";

const AlertDialog = slotted(AlertDialogPrimitive.Root, "alert-dialog");
const AlertDialogTrigger = slotted(AlertDialogPrimitive.Trigger, "alert-dialog-trigger");
const AlertDialogPortal = slotted(AlertDialogPrimitive.Portal, "alert-dialog-portal");
const AlertDialogOverlay = slotted(
  AlertDialogPrimitive.Overlay,
  "alert-dialog-overlay",
  modalClasses.overlay,
);

function AlertDialogContent({
  className,
  ...props
}: React.ComponentProps<typeof AlertDialogPrimitive.Content>) {
  return (
    <AlertDialogPortal>
      <AlertDialogOverlay />
      <AlertDialogPrimitive.Content
        data-slot="alert-dialog-content"
        className={cn(modalClasses.centeredContent, className)}
        {...props}
      />
    </AlertDialogPortal>
  );
}

const AlertDialogHeader = slotted("div", "alert-dialog-header", modalClasses.centeredHeader);
const AlertDialogFooter = slotted("div", "alert-dialog-footer", modalClasses.centeredFooter);
const AlertDialogTitle = slotted(AlertDialogPrimitive.Title, "alert-dialog-title", "font-semibold text-lg");
const AlertDialogDescription = slotted(
  AlertDialogPrimitive.Description,
  "alert-dialog-description",
  modalClasses.description,
);

type ButtonStyleProps = VariantProps<typeof buttonVariants>;

/** Action and Cancel are buttons styled as `Button`; Cancel defaults to the outline variant. */
function alertDialogButton<C extends typeof AlertDialogPrimitive.Action | typeof AlertDialogPrimitive.Cancel>(
  Primitive: C,
  slot: string,
  defaultVariant?: ButtonStyleProps["variant"],
) {
  const Button: React.ElementType = Primitive;
  return function AlertDialogButton({
    className,
    variant = defaultVariant,
    size,
    ...props
  }: React.ComponentProps<C> & ButtonStyleProps) {
    return (
      <Button data-slot={slot} className={cn(buttonVariants({ variant, size }), className)} {...props} />
    );
  };
}

const AlertDialogAction = alertDialogButton(AlertDialogPrimitive.Action, "alert-dialog-action");
const AlertDialogCancel = alertDialogButton(AlertDialogPrimitive.Cancel, "alert-dialog-cancel", "outline");

export {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogOverlay,
  AlertDialogPortal,
  AlertDialogTitle,
  AlertDialogTrigger,
};
