"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { toast } from "@/lib/toast";
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
      <SettingInput
        id="ai-base-url"
        label="Base URL"
        hint={
          view.details.environmentDefault
            ? `Server default: ${view.details.environmentDefault}`
            : "Empty: the server default"
        }
        value={baseUrl}
        onChange={setBaseUrl}
        placeholder="https://api.openai.com/v1"
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <SettingInput
          id="ai-model"
          label="Model"
          value={model}
          onChange={setModel}
          placeholder="gpt-4o-mini"
        />
        <SettingInput
          id="ai-key"
          label="API key"
          secret
          hint={view.details.hasKey ? "A key is stored (encrypted)" : undefined}
          value={apiKey}
          onChange={setApiKey}
          placeholder={view.details.hasKey ? "•••••••• (unchanged)" : "sk-…"}
        />
      </div>
      <div>
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save AI settings"}
        </Button>
      </div>
    </form>
  );
}

function SettingInput({
  id,
  label,
  hint,
  secret,
  value,
  onChange,
  placeholder,
}: {
  id: string;
  label: string;
  hint?: string;
  /** A password field that browsers should not fill in. */
  secret?: boolean;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint}>
      <Input
        id={id}
        type={secret ? "password" : undefined}
        autoComplete={secret ? "off" : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
      />
    </Field>
  );
}
