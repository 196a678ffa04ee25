"use client";

import type { ReactNode } from "react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Spinner } from "@/components/ui/spinner";

type ConfirmDialogProps = {
  /** Controlled open state; leave both out to let the trigger open it. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** The button that opens the dialog (rendered as the trigger itself). */
  trigger?: ReactNode;
  title: ReactNode;
  description: ReactNode;
  /** Anything shown between the description and the buttons (an error, a notice). */
  children?: ReactNode;
  cancelLabel?: string;
  confirmLabel: ReactNode;
  onConfirm: () => void;
  destructive?: boolean;
  confirmDisabled?: boolean;
  confirmTestId?: string;
  /** While the server works: both buttons are disabled and the confirm button spins. */
  pending?: boolean;
  /** Stay open after confirming, until the caller closes it, so a refusal can be read here. */
  keepOpen?: boolean;
};

/** The one "are you sure?" dialog: title, description, Cancel and a confirm button. */
export function ConfirmDialog({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  children,
  cancelLabel = "Cancel",
  confirmLabel,
  onConfirm,
  destructive = false,
  confirmDisabled = false,
  confirmTestId,
  pending = false,
  keepOpen = false,
}: ConfirmDialogProps) {
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      {trigger && <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>}
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        {children}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>{cancelLabel}</AlertDialogCancel>
          <AlertDialogAction
            variant={destructive ? "destructive" : undefined}
            data-testid={confirmTestId}
            disabled={pending || confirmDisabled}
            onClick={(e) => {
              if (keepOpen) e.preventDefault();
              onConfirm();
            }}
          >
            {pending && <Spinner />}
            {confirmLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
