"use client";

import { ExternalLink } from "lucide-react";
import { useEffect, useState } from "react";
import { CopyButton } from "@/components/settings/copy-button";
import { buttonVariants } from "@/components/ui/button";
import type { FormField } from "@/server/services/forms/schemas";

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The two ways to put a form on another site: an iframe of the hosted page, or a plain HTML form. */
export function EmbedSnippets({
  workspaceSlug,
  formSlug,
  fields,
  buttonLabel,
}: {
  workspaceSlug: string;
  formSlug: string;
  fields: FormField[];
  buttonLabel: string;
}) {
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const hosted = `${origin}/f/${workspaceSlug}/${formSlug}`;
  const iframe = `<iframe src="${hosted}?embed=1" title="Sign up" width="100%" height="${360 + fields.length * 76}" style="border:0;max-width:480px" loading="lazy"></iframe>`;
  const html = [
    `<form action="${origin}/api/forms/${workspaceSlug}/${formSlug}" method="post">`,
    `  <label>Email <input type="email" name="email" required></label>`,
    ...fields.map(
      (f) =>
        `  <label>${escapeHtml(f.label)} <input type="text" name="${f.key}"${f.required ? " required" : ""}></label>`,
    ),
    `  <!-- Leave this hidden field empty: it catches bots. -->`,
    `  <input type="text" name="website" tabindex="-1" autocomplete="off" style="position:absolute;left:-10000px" aria-hidden="true">`,
    `  <!-- The tracked-link click the visitor came from (?ocid=), so the sign-up is credited to it. -->`,
    `  <input type="hidden" name="ocid">`,
    `  <!-- The visitor's time zone, so emails arrive at their local hour. -->`,
    `  <input type="hidden" name="tz">`,
    `  <button type="submit">${escapeHtml(buttonLabel || "Subscribe")}</button>`,
    `</form>`,
    `<script>(function (f) { f.ocid.value = new URLSearchParams(location.search).get("ocid") || ""; try { f.tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) {} })(document.currentScript.previousElementSibling);</script>`,
  ].join("\n");

  return (
    <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <code
          className="min-w-0 flex-1 truncate rounded-md bg-muted px-2 py-1.5 text-xs"
          data-testid="form-hosted-url"
        >
          {hosted}
        </code>
        <a
          href={hosted}
          target="_blank"
          rel="noreferrer"
          className={buttonVariants({ variant: "outline", size: "sm" })}
        >
          <ExternalLink className="size-4" /> Open page
        </a>
      </div>
      {[
        {
          id: "iframe",
          title: "Embed with an iframe",
          hint: "Paste where the form should appear.",
          code: iframe,
        },
        {
          id: "html",
          title: "Plain HTML form",
          hint: "Style it like your site. After signing up, people land on the hosted thank-you page (or your redirect URL).",
          code: html,
        },
      ].map((s) => (
        <div key={s.id} className="grid min-w-0 gap-2">
          <div className="flex items-center justify-between gap-2">
            <div>
              <p className="font-medium text-sm">{s.title}</p>
              <p className="text-muted-foreground text-xs">{s.hint}</p>
            </div>
            <CopyButton value={s.code} size="sm" data-testid={`form-copy-${s.id}`} />
          </div>
          <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-all rounded-md border bg-muted/50 p-3 text-xs">
            {s.code}
          </pre>
        </div>
      ))}
    </div>
  );
}
