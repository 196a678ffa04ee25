"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { MailCheck, UserPlus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogFooter } from "@/components/ui/dialog";
import { DialogShell } from "@/components/ui/dialog-shell";
import { Field } from "@/components/ui/field";
import { InputField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { OptionSelect, optionsOf } from "@/components/ui/option-select";
import { Spinner } from "@/components/ui/spinner";
import { EMAIL_PATTERN } from "@/lib/email-address";
import { INVITATION_TTL_DAYS } from "@/lib/enums";
import { toast } from "@/lib/toast";
import { errorMessage, fieldErrors, useTRPC } from "@/lib/trpc/client";
import { CopyButton } from "./copy-button";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "./roles";

const INVITE_ROLES = ["admin", "member", "viewer"] as const;
type InviteRole = (typeof INVITE_ROLES)[number];
const ROLE_OPTIONS = optionsOf(INVITE_ROLES, (r) => ROLE_LABELS[r]);

export function InviteMemberDialog() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<InviteRole>("member");
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string | undefined>>({});
  const [result, setResult] = useState<{ email: string; url: string; delivery: "email" | "link" } | null>(
    null,
  );

  const create = useMutation(
    trpc.workspace.invitations.create.mutationOptions({
      onSuccess: async ({ invitation, url, delivery }) => {
        setResult({ email: invitation.email, url, delivery });
        toast.success(`Invitation created for ${invitation.email}`);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.workspace.invitations.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.workspace.activity.list.queryKey() }),
        ]);
      },
      onError: (err) => {
        setServerErrors(fieldErrors(err));
        toast.error(errorMessage(err));
      },
    }),
  );

  // The server's rule (workspaces/schemas.ts emailSchema) without loading Zod on the Members page.
  const typedEmail = email.trim().toLowerCase();
  const emailValid = typedEmail.length <= 255 && EMAIL_PATTERN.test(typedEmail);
  const emailError =
    (submitted && !emailValid ? "Enter a valid email address" : undefined) ?? serverErrors.email;

  function reset() {
    setEmail("");
    setRole("member");
    setSubmitted(false);
    setServerErrors({});
    setResult(null);
    create.reset();
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!emailValid) return;
    create.mutate({ workspaceId: ws.id, email: typedEmail, role });
  }

  return (
    <DialogShell
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
      trigger={
        <Button data-testid="invite-button">
          <UserPlus aria-hidden /> Invite member
        </Button>
      }
      titleClassName={result ? "flex items-center gap-2" : undefined}
      title={
        result ? (
          <>
            <MailCheck className="size-5 text-success" aria-hidden /> Invitation created
          </>
        ) : (
          "Invite a member"
        )
      }
      description={
        !result ? (
          <>
            They get an email with a link to join {ws.name}. The link works for {INVITATION_TTL_DAYS} days.
          </>
        ) : result.delivery === "email" ? (
          <>
            We are emailing <span className="font-medium text-foreground">{result.email}</span> a link to
            join. It expires in {INVITATION_TTL_DAYS} days.
          </>
        ) : (
          <>
            No mail server is configured, so no email goes out: send this link to{" "}
            <span className="font-medium text-foreground">{result.email}</span> yourself. It expires in{" "}
            {INVITATION_TTL_DAYS} days and is shown only once. They join by signing in with that address, once
            it is verified.
          </>
        )
      }
      form={result ? undefined : { onSubmit, noValidate: true, className: "grid gap-4" }}
    >
      {result ? (
        <>
          {result.delivery === "link" && (
            <div className="grid gap-2">
              <label htmlFor="invite-link" className="font-medium text-sm">
                Invitation link
              </label>
              <div className="flex flex-col gap-2 sm:flex-row">
                <Input
                  id="invite-link"
                  data-testid="invite-link"
                  readOnly
                  value={result.url}
                  className="font-mono text-xs md:text-xs"
                  onFocus={(e) => e.currentTarget.select()}
                />
                <CopyButton value={result.url} data-testid="invite-copy" />
              </div>
            </div>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={reset}>
              Invite someone else
            </Button>
            <DialogClose asChild>
              <Button type="button">Done</Button>
            </DialogClose>
          </DialogFooter>
        </>
      ) : (
        <>
          <InputField
            id="invite-email"
            label="Email"
            error={emailError}
            data-testid="invite-email"
            type="email"
            autoComplete="off"
            placeholder="teammate@example.com"
            value={email}
            disabled={create.isPending}
            onChange={(e) => {
              setEmail(e.target.value);
              setServerErrors((s) => ({ ...s, email: undefined }));
            }}
          />
          <Field label="Role" htmlFor="invite-role" error={serverErrors.role} hint={ROLE_DESCRIPTIONS[role]}>
            <OptionSelect
              id="invite-role"
              testId="invite-role"
              describedBy="invite-role-hint"
              value={role}
              onChange={(v) => v && setRole(v as InviteRole)}
              options={ROLE_OPTIONS}
              disabled={create.isPending}
            />
          </Field>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={create.isPending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" data-testid="invite-submit" disabled={create.isPending}>
              {create.isPending && <Spinner />}
              Send invitation
            </Button>
          </DialogFooter>
        </>
      )}
    </DialogShell>
  );
}
