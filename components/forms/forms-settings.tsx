"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FileInput, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import { EmbedSnippets } from "./embed-snippets";
import { type Draft, emptyDraft, FormEditor, toDraft } from "./form-editor";

export function FormsSettings() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.forms.list.queryOptions({ workspaceId: ws.id }));
  const [editing, setEditing] = useState<Draft | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const remove = useMutation(
    trpc.forms.delete.mutationOptions({
      onSuccess: async () => {
        toast.success("Form deleted");
        setSelected(null);
        await queryClient.invalidateQueries({ queryKey: trpc.forms.list.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  if (editing) {
    return (
      <FormEditor
        key={editing.id ?? "new"}
        draft={editing}
        onDone={(f) => {
          setEditing(null);
          if (f) setSelected(f.id);
        }}
      />
    );
  }
  if (list.isPending) return <Skeleton className="h-48 w-full" />;
  if (list.isError) return <p className="text-destructive text-sm">{errorMessage(list.error)}</p>;
  const current = list.data.find((f) => f.id === selected) ?? list.data[0];
  const newButton = ws.canAdmin ? (
    <Button onClick={() => setEditing(emptyDraft())} data-testid="form-new">
      <Plus className="size-4" /> New form
    </Button>
  ) : undefined;

  if (list.data.length === 0) {
    return (
      <EmptyState
        icon={FileInput}
        title="No signup forms yet"
        description="Create a hosted signup page, or embed a form on your own site. New leads land in your list with the tags you choose."
        action={newButton}
      />
    );
  }

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[260px_minmax(0,1fr)]">
      <div className="grid content-start gap-2">
        <ul className="grid gap-1" aria-label="Signup forms">
          {list.data.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                onClick={() => setSelected(f.id)}
                aria-current={current?.id === f.id ? "true" : undefined}
                className="w-full rounded-md px-3 py-2 text-left text-sm outline-none hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring aria-[current]:bg-muted aria-[current]:font-medium"
              >
                <span className="block truncate">{f.name}</span>
                <span className="block truncate text-muted-foreground text-xs">/{f.slug}</span>
              </button>
            </li>
          ))}
        </ul>
        {newButton}
      </div>
      {current && (
        <Card>
          <CardHeader>
            <CardTitle className="flex flex-wrap items-center gap-2">
              {current.name}
              {current.doubleOptIn && <Badge variant="secondary">Double opt-in</Badge>}
            </CardTitle>
            <CardDescription>
              {current.fields.length
                ? `Email, ${current.fields.map((f) => f.label).join(", ")}`
                : "Email only"}
              {current.tags.length ? ` · tags ${current.tags.join(", ")}` : ""}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <EmbedSnippets
              workspaceSlug={ws.slug}
              formSlug={current.slug}
              fields={current.fields}
              buttonLabel={current.settings.buttonLabel}
            />
          </CardContent>
          {ws.canAdmin && (
            <CardFooter className="justify-end gap-2">
              <Button
                variant="ghost"
                className="text-destructive"
                onClick={() => {
                  if (confirm(`Delete "${current.name}"? Its page stops working; leads stay.`)) {
                    remove.mutate({ workspaceId: ws.id, id: current.id });
                  }
                }}
              >
                <Trash2 className="size-4" /> Delete
              </Button>
              <Button variant="outline" onClick={() => setEditing(toDraft(current))} data-testid="form-edit">
                Edit
              </Button>
            </CardFooter>
          )}
        </Card>
      )}
    </div>
  );
}
