"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { OptionSelect } from "@/components/ui/option-select";
import {
  type BouncesView,
  IMAP_DEFAULT_PORT,
  IMAP_SECURITY,
  IMAP_SECURITY_LABELS,
  type ImapSecurity,
} from "@/server/services/email/bounce-mailbox-schemas";

export interface MailboxDraft {
  enabled: boolean;
  host: string;
  port: string;
  security: ImapSecurity;
  username: string;
  password: string;
  folder: string;
}

export const mailboxDraftOf = (view: BouncesView): MailboxDraft => ({
  enabled: view.mailbox?.enabled ?? false,
  host: view.mailbox?.host ?? "",
  port: String(view.mailbox?.port ?? IMAP_DEFAULT_PORT.tls),
  security: view.mailbox?.security ?? "tls",
  username: view.mailbox?.username ?? "",
  password: "",
  folder: view.mailbox?.folder ?? "INBOX",
});

/** The IMAP bounce mailbox's fields; the password is write-only ("set" when one is stored). */
export function MailboxFields({
  draft,
  onChange,
  passwordSet,
  readOnly,
}: {
  draft: MailboxDraft;
  onChange: (next: MailboxDraft) => void;
  passwordSet: boolean;
  readOnly: boolean;
}) {
  const set = (patch: Partial<MailboxDraft>) => onChange({ ...draft, ...patch });
  return (
    <div className="grid items-start gap-4 sm:grid-cols-[2fr_1fr]" data-testid="bounce-mailbox-fields">
      <Field label="IMAP server" htmlFor="imap-host">
        <Input
          id="imap-host"
          data-testid="imap-host"
          disabled={readOnly}
          placeholder="imap.yourprovider.com"
          autoComplete="off"
          value={draft.host}
          onChange={(e) => set({ host: e.target.value })}
        />
      </Field>
      <Field label="Port" htmlFor="imap-port">
        <Input
          id="imap-port"
          data-testid="imap-port"
          inputMode="numeric"
          disabled={readOnly}
          value={draft.port}
          onChange={(e) => set({ port: e.target.value })}
        />
      </Field>
      <Field label="Security" htmlFor="imap-security">
        <OptionSelect
          id="imap-security"
          testId="imap-security"
          disabled={readOnly}
          value={draft.security}
          options={IMAP_SECURITY.map((s) => ({ value: s, label: IMAP_SECURITY_LABELS[s] }))}
          onChange={(v) => {
            const security = (v ?? "tls") as ImapSecurity;
            // Follow the usual port while it still is the previous choice's usual one.
            const port =
              draft.port === String(IMAP_DEFAULT_PORT[draft.security])
                ? String(IMAP_DEFAULT_PORT[security])
                : draft.port;
            set({ security, port });
          }}
        />
      </Field>
      <Field label="Folder" htmlFor="imap-folder">
        <Input
          id="imap-folder"
          data-testid="imap-folder"
          disabled={readOnly}
          value={draft.folder}
          onChange={(e) => set({ folder: e.target.value })}
        />
      </Field>
      <Field label="Username" htmlFor="imap-username">
        <Input
          id="imap-username"
          data-testid="imap-username"
          autoComplete="off"
          disabled={readOnly}
          value={draft.username}
          onChange={(e) => set({ username: e.target.value })}
        />
      </Field>
      {readOnly ? (
        <p className="text-sm text-muted-foreground" data-testid="imap-password-state">
          Password: {passwordSet ? "set" : "not set"}
        </p>
      ) : (
        <Field
          label="Password"
          htmlFor="imap-password"
          hint={
            passwordSet
              ? "Set. Leave empty to keep it (only for the same server and username)."
              : "Stored encrypted; never shown again."
          }
        >
          <Input
            id="imap-password"
            data-testid="imap-password"
            type="password"
            autoComplete="new-password"
            placeholder={passwordSet ? "••••••••" : ""}
            value={draft.password}
            onChange={(e) => set({ password: e.target.value })}
          />
        </Field>
      )}
    </div>
  );
}
