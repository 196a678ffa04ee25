"use client";

import type { inferRouterOutputs } from "@trpc/server";
import { CopyButton } from "@/components/settings/copy-button";
import { Badge } from "@/components/ui/badge";
import type { AppRouter } from "@/server/api/root";

export type SenderDomainView = inferRouterOutputs<AppRouter>["email"]["sender"]["domains"][number];
type DomainRecord = SenderDomainView["records"][number];

const TITLE: Record<DomainRecord["kind"], string> = {
  verification: "Verification",
  dkim: "DKIM key",
  spf: "SPF",
  dmarc: "DMARC",
};

/** What each record does, in plain words. */
const WHY: Record<DomainRecord["kind"], string> = {
  verification:
    "Proves this workspace controls the domain. Required: campaigns from this domain can't be sent without it.",
  dkim: "The public half of the key we sign your mail with, so receivers can check the mail really comes from your domain and wasn't changed on the way. Recommended.",
  spf: "Lists the servers allowed to send mail for your domain. A domain has exactly one SPF record: if you already have one, add the include to it instead of adding a second record.",
  dmarc:
    "Tells receivers what to do with mail that fails SPF and DKIM, and where to send reports. p=none only monitors; tighten it to quarantine or reject once reports look clean.",
};

const STATUS = {
  ok: { label: "OK", variant: "success" },
  missing: { label: "Missing", variant: "warning" },
  wrong: { label: "Wrong", variant: "destructive" },
} as const;

function CheckBadge({ record }: { record: DomainRecord }) {
  const check = record.check;
  if (!check)
    return (
      <Badge variant="outline" data-testid="record-status" data-status="unchecked">
        Not checked
      </Badge>
    );
  const s = STATUS[check.status];
  // A missing DKIM/SPF/DMARC record doesn't stop sending: a warning, not an error.
  const variant = check.status === "missing" && !record.required ? "warning" : s.variant;
  return (
    <Badge variant={variant} data-testid="record-status" data-status={check.status}>
      {s.label}
    </Badge>
  );
}

function ValueRow({
  label,
  value,
  copyLabel,
  testId,
}: {
  label: string;
  value: string;
  copyLabel: string;
  testId?: string;
}) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-all font-mono" data-testid={testId}>
        {value}
      </dd>
      <CopyButton value={value} size="sm" label={copyLabel} />
    </>
  );
}

/** Every DNS record the domain needs, with copy buttons, what it is for and what the last check found. */
export function SenderDomainRecords({ domain }: { domain: SenderDomainView }) {
  return (
    <ul className="grid gap-2" data-testid="sender-domain-record">
      {domain.records.map((r) => (
        <li
          key={r.kind}
          className="grid gap-1.5 rounded-md bg-muted/40 p-2"
          data-testid="sender-domain-dns-record"
          data-kind={r.kind}
        >
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{TITLE[r.kind]}</span>
            <span className="text-muted-foreground text-xs">
              {r.type} · {r.required ? "required" : "recommended"}
            </span>
            <CheckBadge record={r} />
          </div>
          <p className="text-muted-foreground text-xs">{WHY[r.kind]}</p>
          {r.note && <p className="text-xs">{r.note}</p>}
          <dl className="grid grid-cols-[auto_1fr_auto] items-center gap-x-3 gap-y-1 text-xs">
            <ValueRow label="Name" value={r.name} copyLabel="Copy name" />
            <ValueRow
              label="Value"
              value={r.value}
              copyLabel="Copy value"
              testId={r.kind === "verification" ? "sender-domain-value" : `sender-domain-${r.kind}-value`}
            />
            {r.split && <ValueRow label="Split" value={r.split} copyLabel="Copy split value" />}
          </dl>
          {r.split && (
            <p className="text-muted-foreground text-xs">
              Longer than 255 characters: most DNS providers take the value as it is; zone files and some
              providers want the split form (several quoted strings in one record).
            </p>
          )}
          {r.check && (
            <p className="text-xs" data-testid="record-check-message">
              {r.check.message}
              {r.check.status !== "ok" && r.check.found.length > 0 && (
                <span className="block break-all font-mono text-muted-foreground">
                  Found: {r.check.found.join(" | ")}
                </span>
              )}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
