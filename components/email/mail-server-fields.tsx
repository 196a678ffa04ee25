"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { OptionSelect } from "@/components/ui/option-select";
import { DEFAULT_PORT, SMTP_SECURITY, SMTP_SECURITY_LABELS, type SmtpSecurity } from "@/lib/enums";
import type { MailServerView } from "@/server/services/email/mail-server-schemas";

export interface OwnDraft {
  host: string;
  port: string;
  security: SmtpSecurity;
  username: string;
  password: string;
}

export const ownDraftOf = (view: MailServerView): OwnDraft => ({
  host: view.own?.host ?? "",
  port: String(view.own?.port ?? DEFAULT_PORT.starttls),
  security: view.own?.security ?? "starttls",
  username: view.own?.username ?? "",
  password: "",
});

/** The own SMTP server's fields; the password is write-only ("set" when one is stored). */
export function OwnServerFields({
  draft,
  onChange,
  passwordSet,
  readOnly,
  errors,
}: {
  draft: OwnDraft;
  onChange: (next: OwnDraft) => void;
  passwordSet: boolean;
  readOnly: boolean;
  errors: Record<string, string | undefined>;
}) {
  const set = (patch: Partial<OwnDraft>) => onChange({ ...draft, ...patch });
  return (
    <div className="grid items-start gap-4 sm:grid-cols-[2fr_1fr]" data-testid="mail-server-own">
      <Field label="Host" htmlFor="smtp-host" error={errors.host}>
        <Input
          id="smtp-host"
          data-testid="smtp-host"
          disabled={readOnly}
          placeholder="smtp.yourprovider.com"
          autoComplete="off"
          value={draft.host}
          onChange={(e) => set({ host: e.target.value })}
        />
      </Field>
      <Field label="Port" htmlFor="smtp-port" error={errors.port}>
        <Input
          id="smtp-port"
          data-testid="smtp-port"
          inputMode="numeric"
          disabled={readOnly}
          value={draft.port}
          onChange={(e) => set({ port: e.target.value })}
        />
      </Field>
      <Field label="Security" htmlFor="smtp-security" className="sm:col-span-2">
        <OptionSelect
          id="smtp-security"
          testId="smtp-security"
          disabled={readOnly}
          value={draft.security}
          options={SMTP_SECURITY.map((s) => ({ value: s, label: SMTP_SECURITY_LABELS[s] }))}
          onChange={(v) => {
            const security = (v ?? "starttls") as SmtpSecurity;
            // Follow the usual port while it still is the previous choice's usual one.
            const port =
              draft.port === String(DEFAULT_PORT[draft.security])
                ? String(DEFAULT_PORT[security])
                : draft.port;
            set({ security, port });
          }}
        />
      </Field>
      <Field label="Username" htmlFor="smtp-username">
        <Input
          id="smtp-username"
          data-testid="smtp-username"
          autoComplete="off"
          disabled={readOnly}
          value={draft.username}
          onChange={(e) => set({ username: e.target.value })}
        />
      </Field>
      {!readOnly && (
        <Field
          label="Password"
          htmlFor="smtp-password"
          error={errors.password}
          hint={
            passwordSet
              ? "Set. Leave empty to keep it (it is kept only for the same host and username)."
              : "Stored encrypted; never shown again."
          }
        >
          <Input
            id="smtp-password"
            data-testid="smtp-password"
            type="password"
            autoComplete="new-password"
            placeholder={passwordSet ? "••••••••" : ""}
            value={draft.password}
            onChange={(e) => set({ password: e.target.value })}
          />
        </Field>
      )}
      {readOnly && (
        <p className="text-sm text-muted-foreground" data-testid="smtp-password-state">
          Password: {passwordSet ? "set" : "not set"}
        </p>
      )}
    </div>
  );
}
