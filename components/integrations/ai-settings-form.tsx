"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { errorMessage, useTRPC } from "@/lib/trpc/client";
import type { IntegrationView } from "@/server/services/integrations/index";

export function AiSettingsForm({ view }: { view: IntegrationView }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [baseUrl, setBaseUrl] = useState((view.details.baseUrl as string | null) ?? "");
  const [model, setModel] = useState((view.details.model as string | null) ?? "");
  const [apiKey, setApiKey] = useState("");
  const save = useMutation(
    trpc.integrations.saveAi.mutationOptions({
      onSuccess: () => {
        toast.success("AI settings saved");
        setApiKey("");
        qc.invalidateQueries({ queryKey: trpc.integrations.list.queryKey() });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  return (
    <form
      className="mt-3 grid gap-3 border-t pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ workspaceId: ws.id, baseUrl, model, ...(apiKey ? { apiKey } : {}) });
      }}
    >
      <Field
        label="Base URL"
        htmlFor="ai-base-url"
        hint={
          view.details.environmentDefault
            ? `Server default: ${view.details.environmentDefault}`
            : "Empty: the server default"
        }
      >
        <Input
          id="ai-base-url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          placeholder="https://api.openai.com/v1"
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Model" htmlFor="ai-model">
          <Input
            id="ai-model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            placeholder="gpt-4o-mini"
          />
        </Field>
        <Field
          label="API key"
          htmlFor="ai-key"
          hint={view.details.hasKey ? "A key is stored (encrypted)" : undefined}
        >
          <Input
            id="ai-key"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={view.details.hasKey ? "•••••••• (unchanged)" : "sk-…"}
          />
        </Field>
      </div>
      <div>
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save AI settings"}
        </Button>
      </div>
    </form>
  );
}
