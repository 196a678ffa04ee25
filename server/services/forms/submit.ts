import { and, eq, inArray, sql } from "drizzle-orm";
import { consume, type LimitRule } from "@/lib/ratelimit";
import type { Db } from "@/server/db";
import {
  customFieldDefinitions,
  type LeadStatus,
  leads,
  outboxMessages,
  signupForms,
  workspaces,
} from "@/server/db/schema";
import { ValidationError } from "@/server/errors";
import { enqueue } from "@/server/queue";
import { sendSystemEmailJob } from "@/server/queue/jobs/system-email";
import { outboxCopy } from "@/server/services/email/outbox";
import { record } from "../activity";
import type { Actor } from "../context";
import { emitLeadEvent, type LeadEvent } from "../leads/lead-events";
import { normalizeEmail, normalizeTags, validateCustomFields } from "../leads/normalize";
import { CONFIRM_TTL_DAYS, confirmUrl, verifyConfirmParams } from "./confirm-link";
import { getPublicForm, type SignupForm, shapeForm } from "./forms";

export const FORM_IP_LIMIT: LimitRule = { name: "form-submit-ip", points: 10, durationSeconds: 60 };
export const FORM_EMAIL_LIMIT: LimitRule = { name: "form-submit-email", points: 3, durationSeconds: 3600 };
/** The visually hidden field people never fill in and form-filling bots usually do. */
export const HONEYPOT_FIELD = "website";

export interface SubmitResult {
  /** Waiting for the confirmation link (double opt-in). */
  pending: boolean;
  message: string;
  redirectUrl: string | null;
}

const SUPPRESSED: LeadStatus[] = ["unsubscribed", "bounced", "complained"];

function asText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** Checks the submitted values against the form; every problem is reported at once, by field. */
async function validateSubmission(db: Db, form: SignupForm, values: Record<string, unknown>) {
  const errors: Record<string, string[]> = {};
  const email = normalizeEmail(values.email);
  if (!email.ok) errors.email = [email.reason];

  let name: string | null = null;
  const customInput: Record<string, unknown> = {};
  for (const field of form.fields) {
    const raw = asText(values[field.key]).trim();
    if (field.required && raw === "") {
      errors[field.key] = [`${field.label} is required`];
      continue;
    }
    if (field.key === "name") {
      if (raw.length > 255) errors.name = [`${field.label} is longer than 255 characters`];
      else name = raw || null;
    } else if (raw !== "") customInput[field.key] = raw;
  }

  const keys = Object.keys(customInput);
  const defs = keys.length
    ? await db
        .select()
        .from(customFieldDefinitions)
        .where(
          and(
            eq(customFieldDefinitions.workspaceId, form.workspaceId),
            inArray(customFieldDefinitions.key, keys),
          ),
        )
    : [];
  const checked = validateCustomFields(defs, customInput);
  for (const [key, message] of Object.entries(checked.errors)) errors[key] = [message];
  const custom = Object.fromEntries(Object.entries(checked.values).filter(([, v]) => v !== null));

  if (Object.keys(errors).length || !email.ok) {
    throw new ValidationError("Please correct the highlighted fields", errors);
  }
  return { email: email.email, name, custom };
}

async function queueConfirmationEmail(
  db: Db,
  p: { workspaceId: string; workspaceName: string; formName: string; email: string; url: string },
) {
  const [msg] = await db
    .insert(outboxMessages)
    .values(
      outboxCopy(
        {
          workspaceId: p.workspaceId,
          kind: "double-opt-in",
          toAddress: p.email,
          subject: `Confirm your subscription to ${p.workspaceName}`,
          text: [
            `Someone — hopefully you — signed up to "${p.formName}" from ${p.workspaceName} with this address.`,
            "",
            `Confirm your subscription: ${p.url}`,
            "",
            `The link expires in ${CONFIRM_TTL_DAYS} days. If you did not sign up, ignore this email and you will not hear from us.`,
          ].join("\n"),
        },
        { seal: true },
      ),
    )
    .returning({ id: outboxMessages.id });
  await enqueue(sendSystemEmailJob, { outboxId: msg!.id }, { jobId: `system-email-${msg!.id}` });
}

/**
 * A public form submission: rate limits (per IP, then per address), honeypot, validation, then one
 * lead created or merged (tags and fields added; status never downgraded, a suppressed lead never
 * re-activated). With double opt-in a new lead stays `pending` until the emailed link is opened.
 */
export async function submitForm(
  db: Db,
  p: {
    workspaceSlug: string;
    formSlug: string;
    values: Record<string, unknown>;
    actor: Actor;
    baseUrl: string;
  },
): Promise<SubmitResult> {
  const { form, workspace } = await getPublicForm(db, p.workspaceSlug, p.formSlug);
  await consume(FORM_IP_LIMIT, `${workspace.id}:${p.actor.ip ?? "unknown"}`);

  const done = (pending: boolean): SubmitResult => ({
    pending,
    message: pending
      ? "Almost there — check your inbox and click the link to confirm your subscription."
      : form.settings.successMessage || "Thanks! You're on the list.",
    redirectUrl: form.settings.redirectUrl || null,
  });
  // A bot gets the same answer as a person, so it learns nothing; nothing is written.
  if (asText(p.values[HONEYPOT_FIELD]).trim() !== "") return done(form.doubleOptIn);

  const input = await validateSubmission(db, form, p.values);
  await consume(FORM_EMAIL_LIMIT, `${workspace.id}:${input.email}`);

  const events: LeadEvent[] = [];
  const outcome = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.workspaceId, workspace.id), eq(leads.email, input.email)))
      .for("update");
    if (!existing) {
      const status: LeadStatus = form.doubleOptIn ? "pending" : "active";
      const [row] = await tx
        .insert(leads)
        .values({
          workspaceId: workspace.id,
          email: input.email,
          name: input.name,
          tags: normalizeTags(form.tags),
          source: `form:${form.slug}`,
          status,
          customFields: input.custom,
        })
        .returning({ id: leads.id, status: leads.status });
      events.push({ type: "lead.created", workspaceId: workspace.id, leadId: row!.id });
      return { leadId: row!.id, status: row!.status, created: true };
    }
    const tags = normalizeTags([...existing.tags, ...form.tags]);
    const known = new Set(existing.tags.map((t) => t.toLowerCase()));
    for (const tag of tags) {
      if (!known.has(tag.toLowerCase()))
        events.push({ type: "tag.added", workspaceId: workspace.id, leadId: existing.id, tag });
    }
    // Pending → active when this form needs no confirmation; anything else keeps its status.
    const status: LeadStatus =
      existing.status === "pending" && !form.doubleOptIn ? "active" : existing.status;
    await tx
      .update(leads)
      .set({
        name: input.name ?? existing.name,
        tags,
        customFields: sql`${leads.customFields} || ${JSON.stringify(input.custom)}::jsonb`,
        status,
        updatedAt: new Date(),
      })
      .where(and(eq(leads.id, existing.id), eq(leads.workspaceId, workspace.id)));
    return { leadId: existing.id, status, created: false };
  });

  await record(
    db,
    p.actor,
    workspace.id,
    "form.submitted",
    { type: "lead", id: outcome.leadId },
    { formId: form.id, form: form.name, created: outcome.created, status: outcome.status },
  );
  const pending = outcome.status === "pending";
  if (pending) {
    await queueConfirmationEmail(db, {
      workspaceId: workspace.id,
      workspaceName: workspace.name,
      formName: form.name,
      email: input.email,
      url: confirmUrl(p.baseUrl, { leadId: outcome.leadId, formId: form.id }),
    });
  } else if (outcome.status === "active") {
    events.push({
      type: "form.submitted",
      workspaceId: workspace.id,
      leadId: outcome.leadId,
      formId: form.id,
    });
  }
  for (const e of events) await emitLeadEvent(db, e);
  // A suppressed address hears the same as anyone else: the form must not reveal who unsubscribed.
  return done(pending || (SUPPRESSED.includes(outcome.status) && form.doubleOptIn));
}

export type ConfirmResult =
  | { status: "confirmed" | "already-confirmed"; workspaceName: string; form: SignupForm }
  | { status: "invalid" | "expired" | "inactive" };

/** Opens a double opt-in link: a valid one turns the pending lead active, once; anything else changes nothing. */
export async function confirmSubscription(
  db: Db,
  params: URLSearchParams,
  actor: Actor,
): Promise<ConfirmResult> {
  const v = verifyConfirmParams(params);
  if (!v.ok) return { status: v.reason };
  const [row] = await db.select().from(signupForms).where(eq(signupForms.id, v.claims.formId));
  if (!row) return { status: "invalid" };
  const form = shapeForm(row);
  const [ws] = await db
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, form.workspaceId));
  const workspaceName = ws?.name ?? "";

  const [updated] = await db
    .update(leads)
    .set({ status: "active", updatedAt: new Date() })
    .where(
      and(
        eq(leads.id, v.claims.leadId),
        eq(leads.workspaceId, form.workspaceId),
        eq(leads.status, "pending"),
      ),
    )
    .returning({ id: leads.id });
  if (!updated) {
    const [lead] = await db
      .select({ status: leads.status })
      .from(leads)
      .where(and(eq(leads.id, v.claims.leadId), eq(leads.workspaceId, form.workspaceId)));
    if (lead?.status === "active") return { status: "already-confirmed", workspaceName, form };
    return { status: lead ? "inactive" : "invalid" };
  }
  await record(
    db,
    actor,
    form.workspaceId,
    "lead.confirmed",
    { type: "lead", id: updated.id },
    { formId: form.id },
  );
  await emitLeadEvent(db, {
    type: "form.submitted",
    workspaceId: form.workspaceId,
    leadId: updated.id,
    formId: form.id,
  });
  return { status: "confirmed", workspaceName, form };
}
