import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { CardFooter } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";

/**
 * The footer of a settings form that edits saved values: Discard puts the saved values back, the
 * submit button saves; both wait for a change, and nothing is pressable while saving.
 */
export function SaveFooter({
  dirty,
  invalid,
  pending,
  onDiscard,
  saveTestId,
  children,
}: {
  dirty: boolean;
  invalid: boolean;
  pending: boolean;
  onDiscard: () => void;
  saveTestId: string;
  /** The submit button's label. */
  children: ReactNode;
}) {
  return (
    <CardFooter className="mt-6 justify-end gap-2 border-t pt-6">
      <Button type="button" variant="ghost" disabled={!dirty || pending} onClick={onDiscard}>
        Discard
      </Button>
      <Button type="submit" disabled={!dirty || invalid || pending} data-testid={saveTestId}>
        {pending && <Spinner />}
        {children}
      </Button>
    </CardFooter>
  );
}
