"use client";
import { FileUp } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { CardSection } from "@/components/ui/card-section";
import { FormError } from "@/components/ui/form-field";

/** Uploads the raw bytes (streamed to storage, never buffered) with upload progress. */
function uploadFile(workspaceId: string, file: File, onProgress: (pct: number) => void) {
  return new Promise<{ uploadId: string }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const qs = new URLSearchParams({ workspaceId, filename: file.name });
    xhr.open("POST", `/api/leads/import/upload?${qs}`);
    xhr.setRequestHeader("content-type", "text/csv");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: { uploadId?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // fall through to the generic message
      }
      if (xhr.status === 201 && body.uploadId) resolve({ uploadId: body.uploadId });
      else reject(new Error(body.error ?? `The upload failed (HTTP ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection dropped."));
    xhr.send(file);
  });
}

export function UploadStep(props: {
  workspaceId: string;
  onUploaded: (uploadId: string, filename: string) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const { uploadId } = await uploadFile(props.workspaceId, file, setProgress);
      props.onUploaded(uploadId, file.name);
    } catch (err) {
      setError((err as Error).message);
      setProgress(null);
    }
  };

  // A file chosen before the page finished loading fired its change event before React listened:
  // pick it up once, on mount, instead of leaving the user looking at a chosen file that did nothing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on mount only
  useEffect(() => {
    const early = input.current?.files?.[0];
    if (early) void send(early);
  }, []);

  return (
    <CardSection
      title="1. Upload a CSV file"
      description="The first line must hold the column names. Up to 200 MB."
      contentClassName="grid gap-3"
    >
      <label
        htmlFor="import-file"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void send(e.dataTransfer.files[0]);
        }}
        className={`flex cursor-pointer flex-col items-center justify-center gap-2 rounded-lg border-2 border-dashed p-10 text-center ${
          dragging ? "border-primary bg-muted" : "border-muted-foreground/30"
        }`}
      >
        <FileUp className="size-8 text-muted-foreground" aria-hidden />
        <span className="font-medium">Drop a CSV file here, or click to choose one</span>
        <span className="text-muted-foreground text-xs">
          Exports from Mailchimp, HubSpot, Google Contacts or a spreadsheet
        </span>
        <input
          ref={input}
          id="import-file"
          data-testid="import-file"
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
          className="sr-only"
          disabled={progress !== null}
          onChange={(e) => void send(e.target.files?.[0])}
        />
      </label>
      {progress !== null && (
        <div className="grid gap-1" aria-live="polite">
          <progress className="h-2 w-full" max={100} value={progress} />
          <span className="text-muted-foreground text-xs">Uploading… {progress}%</span>
        </div>
      )}
      <FormError>{error}</FormError>
    </CardSection>
  );
}
