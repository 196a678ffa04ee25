"use client";

import { type ReactNode, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/** A button that asks first: `children` is the trigger, the rest the question and its answer. */
export function ConfirmButton({
  children,
  ...confirm
}: {
  children: ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  confirmTestId: string;
  destructive?: boolean;
  onConfirm: () => void;
}) {
  const [open, setOpen] = useState(false);
  return <ConfirmDialog open={open} onOpenChange={setOpen} trigger={children} {...confirm} />;
}
