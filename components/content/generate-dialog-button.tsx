"use client";

import { type ComponentProps, useState } from "react";
import type { GenerateDialog as Dialog } from "./generate-dialog";

const load = () => import("./generate-dialog");

/**
 * "Generate with AI" on the content list: the dialog (its form, Zod schema and resolver) loads on
 * the first click, not with the list (issue 15, page weight), and opens as soon as it has. A pointer
 * resting on the button starts the load early.
 */
export function GenerateDialogButton(props: Omit<ComponentProps<typeof Dialog>, "defaultOpen">) {
  const [LoadedDialog, setLoadedDialog] = useState<typeof Dialog | null>(null);
  if (LoadedDialog) return <LoadedDialog {...props} defaultOpen />;
  return (
    <span
      className="contents"
      onPointerEnter={() => void load()}
      onClickCapture={(e) => {
        e.preventDefault();
        void load().then((m) => setLoadedDialog(() => m.GenerateDialog));
      }}
    >
      {props.trigger}
    </span>
  );
}
