"use client";

import type { ComponentProps, ReactNode } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";

type DialogShellProps = {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** The button that opens the dialog (rendered as the trigger itself). */
  trigger?: ReactNode;
  title: ReactNode;
  titleClassName?: string;
  description?: ReactNode;
  className?: string;
  testId?: string;
  /** When given, the header and body sit in this form (so Enter submits from any field). */
  form?: ComponentProps<"form">;
  children: ReactNode;
};

/** A dialog's frame: optional trigger, title and description, then the body (fields, footer). */
export function DialogShell({
  open,
  onOpenChange,
  trigger,
  title,
  titleClassName,
  description,
  className,
  testId,
  form,
  children,
}: DialogShellProps) {
  const header = (
    <DialogHeader>
      <DialogTitle className={titleClassName}>{title}</DialogTitle>
      {description !== undefined && <DialogDescription>{description}</DialogDescription>}
    </DialogHeader>
  );
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {trigger && <DialogTrigger asChild>{trigger}</DialogTrigger>}
      <DialogContent className={className} data-testid={testId}>
        {form ? (
          <form {...form}>
            {header}
            {children}
          </form>
        ) : (
          <>
            {header}
            {children}
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** A form dialog's footer: Cancel, then the submit button holding `children`. */
export function FormFooter({
  onCancel,
  submitDisabled,
  submitTestId,
  children,
}: {
  onCancel: () => void;
  submitDisabled?: boolean;
  submitTestId?: string;
  children: ReactNode;
}) {
  return (
    <DialogFooter>
      <Button type="button" variant="outline" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" disabled={submitDisabled} data-testid={submitTestId}>
        {children}
      </Button>
    </DialogFooter>
  );
}
