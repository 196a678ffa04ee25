"use client";
import { useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { MappingStep } from "./mapping-step";
import { ProgressStep, type Step } from "./progress-step";
import { UploadStep } from "./upload-step";

export function ImportWizard() {
  const ws = useWorkspace();
  const [state, setState] = useState<Step>({ step: "upload" });
  return (
    <div className="mx-auto grid max-w-5xl gap-6 p-6">
      <div>
        <h1 className="font-semibold text-2xl">Import leads</h1>
        <p className="text-muted-foreground text-sm">
          Upload a CSV (comma, semicolon or tab separated), match its columns, and import.
        </p>
      </div>
      <ol className="flex gap-4 text-sm" aria-label="Steps">
        {["Upload", "Match columns", "Import"].map((label, i) => {
          const current = { upload: 0, map: 1, run: 2, done: 2 }[state.step];
          return (
            <li key={label} className={i === current ? "font-medium" : "text-muted-foreground"}>
              {i + 1}. {label}
            </li>
          );
        })}
      </ol>
      {state.step === "upload" && (
        <UploadStep
          workspaceId={ws.id}
          onUploaded={(uploadId, filename) => setState({ step: "map", uploadId, filename })}
        />
      )}
      {state.step === "map" && (
        <MappingStep
          uploadId={state.uploadId}
          filename={state.filename}
          onBack={() => setState({ step: "upload" })}
          onStarted={(jobId) => setState({ step: "run", jobId, progress: 0 })}
        />
      )}
      {(state.step === "run" || state.step === "done") && (
        <ProgressStep state={state} setState={setState} onAgain={() => setState({ step: "upload" })} />
      )}
    </div>
  );
}
