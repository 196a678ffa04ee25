import { CheckCircle2, MailCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import type { HostedField, SignupForm } from "@/server/services/forms/forms";
import type { FormFeedback } from "@/server/services/forms/http";
import { BrowserTimeZoneField } from "./browser-time-zone-field";

const selectClass =
  "h-9 w-full rounded-md border border-input bg-transparent px-3 text-base shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-invalid:border-destructive md:text-sm dark:bg-input/30";

function Control({ field, value, invalid }: { field: HostedField; value: string; invalid: boolean }) {
  const id = `field-${field.key}`;
  const common = { id, name: field.key, required: field.required, "aria-invalid": invalid || undefined };
  switch (field.type) {
    case "boolean":
      return (
        <label className="flex items-center gap-2 text-sm">
          <input
            {...common}
            type="checkbox"
            value="yes"
            defaultChecked={value === "yes"}
            className="size-4 accent-primary"
          />
          {field.label}
          {field.required && <span className="text-destructive">*</span>}
        </label>
      );
    case "select":
      return (
        <select {...common} defaultValue={value} className={selectClass}>
          <option value="">Choose…</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    default:
      return (
        <Input
          {...common}
          type={field.type === "number" ? "text" : field.type === "date" ? "date" : "text"}
          inputMode={field.type === "number" ? "decimal" : undefined}
          autoComplete={field.type === "name" ? "name" : "off"}
          maxLength={field.type === "name" ? 255 : 1000}
          defaultValue={value}
        />
      );
  }
}

/** The signup form as people see it: plain HTML that posts without JavaScript. */
export function HostedForm({
  form,
  workspace,
  fields,
  action,
  ok,
  pending,
  embed,
  clickId,
  feedback,
}: {
  form: SignupForm;
  workspace: { name: string };
  fields: HostedField[];
  action: string;
  ok: boolean;
  pending: boolean;
  embed: boolean;
  /** The tracked-link click the visitor came from (`?ocid=`), posted back so the sign-up is credited to it. */
  clickId?: string | null;
  feedback: FormFeedback | null;
}) {
  const title = form.settings.title || form.name;
  const errors = feedback?.fieldErrors ?? {};
  const values = feedback?.values ?? {};
  const card = (
    <div
      className={cn(
        "w-full max-w-md rounded-xl bg-card text-card-foreground",
        !embed && "border p-6 shadow-sm sm:p-8",
      )}
    >
      {ok ? (
        <div
          role="status"
          className="flex flex-col items-center gap-3 py-6 text-center"
          data-testid="form-success"
        >
          {pending ? (
            <MailCheck className="size-10 text-primary" aria-hidden />
          ) : (
            <CheckCircle2 className="size-10 text-primary" aria-hidden />
          )}
          <h1 className="font-semibold text-xl">{pending ? "Check your inbox" : "You're in"}</h1>
          <p className="text-muted-foreground text-sm">
            {pending
              ? "We sent you an email with a link. Click it to confirm your subscription."
              : form.settings.successMessage || "Thanks! You're on the list."}
          </p>
        </div>
      ) : (
        <>
          <p className="font-medium text-muted-foreground text-xs uppercase tracking-wide">
            {workspace.name}
          </p>
          <h1 className="mt-1 font-semibold text-2xl tracking-tight">{title}</h1>
          {form.settings.description && (
            <p className="mt-2 whitespace-pre-line text-muted-foreground text-sm">
              {form.settings.description}
            </p>
          )}
          {feedback && (
            <p role="alert" className="mt-4 rounded-md bg-destructive/10 px-3 py-2 text-destructive text-sm">
              {feedback.message}
            </p>
          )}
          <form method="post" action={action} className="mt-6 grid gap-4" noValidate>
            {embed && <input type="hidden" name="embed" value="1" />}
            {clickId && <input type="hidden" name="ocid" value={clickId} />}
            <BrowserTimeZoneField />
            <Field label="Email" htmlFor="field-email" error={errors.email?.[0]}>
              <Input
                id="field-email"
                name="email"
                type="email"
                autoComplete="email"
                required
                maxLength={255}
                placeholder="you@example.com"
                defaultValue={values.email ?? ""}
              />
            </Field>
            {fields.map((f) =>
              f.type === "boolean" ? (
                <div key={f.key} className="grid gap-1">
                  <Control field={f} value={values[f.key] ?? ""} invalid={Boolean(errors[f.key])} />
                  {errors[f.key] && (
                    <p role="alert" className="text-destructive text-sm">
                      {errors[f.key]![0]}
                    </p>
                  )}
                </div>
              ) : (
                <Field
                  key={f.key}
                  htmlFor={`field-${f.key}`}
                  label={
                    <>
                      {f.label}
                      {!f.required && <span className="font-normal text-muted-foreground">(optional)</span>}
                    </>
                  }
                  error={errors[f.key]?.[0]}
                >
                  <Control field={f} value={values[f.key] ?? ""} invalid={Boolean(errors[f.key])} />
                </Field>
              ),
            )}
            {/* Honeypot: hidden from people and screen readers; bots that fill every field give themselves away. */}
            <div aria-hidden className="absolute -left-[10000px] h-px w-px overflow-hidden">
              <label htmlFor="field-website">Website</label>
              <input id="field-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
            </div>
            <Button type="submit" className="mt-2 w-full" data-testid="form-submit">
              {form.settings.buttonLabel || "Subscribe"}
            </Button>
            <p className="text-center text-muted-foreground text-xs">
              {form.doubleOptIn ? "We'll email you a link to confirm. " : ""}Unsubscribe at any time.
            </p>
          </form>
        </>
      )}
    </div>
  );
  if (embed) return <main className="flex justify-center bg-transparent p-4">{card}</main>;
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-10">
      {card}
      <p className="mt-6 text-muted-foreground text-xs">Powered by Organic</p>
    </main>
  );
}
