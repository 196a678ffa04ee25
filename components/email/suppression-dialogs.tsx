"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FileUp, Plus } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogShell, FormFooter } from "@/components/ui/dialog-shell";
import { FormError, InputField } from "@/components/ui/form-field";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

// The server's cap (services/email/suppression-schemas.ts), kept here so this file imports no Zod.
const MAX_BYTES = 5 * 1024 * 1024;

function useRefreshList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.suppressions.pathKey() });
  };
}

/** Add one address or a whole domain by hand. */
export function AddSuppressionDialog() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const refresh = useRefreshList();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const add = useMutation(
    trpc.suppressions.add.mutationOptions({
      onSuccess: (row) => {
        toast.success(`${row.value} is on the suppression list`);
        setOpen(false);
        setValue("");
        setNote("");
        refresh();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <DialogShell
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setError(null);
      }}
      trigger={
        <Button data-testid="add-suppression">
          <Plus aria-hidden />
          Add
        </Button>
      }
      title="Add to the suppression list"
      description="An address (someone@example.com) or a whole domain (example.com, which also covers its subdomains). Nothing is sent to it from now on, whatever the lead's status."
      form={{
        onSubmit: (e) => {
          e.preventDefault();
          setError(null);
          add.mutate({ workspaceId: ws.id, value, note: note.trim() || undefined });
        },
      }}
    >
      <div className="grid gap-4 py-2">
        <InputField
          id="suppression-value"
          label="Address or domain"
          placeholder="someone@example.com or example.com"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={error}
          autoFocus
          data-testid="suppression-value"
        />
        <InputField
          id="suppression-note"
          label="Note (optional)"
          placeholder="Why, for whoever reads the list later"
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <FormFooter
        onCancel={() => setOpen(false)}
        submitDisabled={add.isPending || !value.trim()}
        submitTestId="suppression-add-submit"
      >
        {add.isPending && <Spinner />}
        Add to list
      </FormFooter>
    </DialogShell>
  );
}

type ImportResult = {
  added: number;
  already: number;
  invalid: number;
  invalidRows: { line: number; value: string; reason: string }[];
};

/** Import a CSV whose first column holds addresses or domains (optional reason and note columns). */
export function ImportSuppressionsDialog() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const refresh = useRefreshList();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const run = useMutation(
    trpc.suppressions.import.mutationOptions({
      onSuccess: (r) => {
        setResult(r);
        refresh();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  const submit = async () => {
    setError(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setError("The file is larger than 5 MB: split it and import each part");
      return;
    }
    run.mutate({ workspaceId: ws.id, csv: await file.text(), fileName: file.name });
  };
  return (
    <DialogShell
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setError(null);
        setResult(null);
        setFile(null);
      }}
      trigger={
        <Button variant="outline" data-testid="import-suppressions">
          <FileUp aria-hidden />
          Import CSV
        </Button>
      }
      title="Import a suppression list"
      description="A CSV with one address or domain per row in the first column (a header row is fine). An optional second column gives the reason (bounced, complained, unsubscribed), a third a note. Up to 5 MB."
      testId="import-suppressions-dialog"
    >
      {result ? (
        <div className="grid gap-3 text-sm" data-testid="suppression-import-result">
          <p>
            <strong>{result.added}</strong> added, <strong>{result.already}</strong> already on the list,{" "}
            <strong>{result.invalid}</strong> not an address or domain.
          </p>
          {result.invalidRows.length > 0 && (
            <ul className="max-h-40 overflow-auto rounded-md border p-2 text-muted-foreground">
              {result.invalidRows.map((r) => (
                <li key={r.line}>
                  Line {r.line}: <code className="break-all">{r.value || "(empty)"}</code> — {r.reason}
                </li>
              ))}
            </ul>
          )}
          <div className="flex justify-end">
            <Button onClick={() => setOpen(false)}>Done</Button>
          </div>
        </div>
      ) : (
        <div className="grid gap-4">
          <input
            type="file"
            accept=".csv,text/csv,text/plain"
            aria-label="CSV file"
            data-testid="suppression-file"
            className="text-sm file:mr-3 file:rounded-md file:border file:bg-background file:px-3 file:py-1.5"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <FormError>{error}</FormError>
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              disabled={!file || run.isPending}
              onClick={submit}
              data-testid="suppression-import-submit"
            >
              {run.isPending && <Spinner />}
              Import
            </Button>
          </div>
        </div>
      )}
    </DialogShell>
  );
}
