import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { consume, type LimitRule } from "@/lib/ratelimit";
import type { Db } from "@/server/db";
import {
  customFieldDefinitions,
  formSubmissions,
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
import { recordFormSignup, submittedClickId, workspaceClickId } from "../attribution/touches";
import type { Actor } from "../context";
import { transactWithEvents } from "../domain-events/record";
import { domainEvent, leadSnapshot } from "../domain-events/types";
import { normalizeTags, validateCustomFields } from "../leads/normalize";
import { normalizeEmail } from "../leads/schemas";
import { leadTimeZone } from "../leads/time-zone";
import { CONFIRM_TTL_DAYS, confirmUrl, verifyConfirmParams } from "./confirm-link";
import { getPublicForm, type SignupForm, shapeForm } from "./forms";

export const FORM_IP_LIMIT: LimitRule = { name: "form-submit-ip", points: 10, durationSeconds: 60 };
export const FORM_EMAIL_LIMIT: LimitRule = { name: "form-submit-email", points: 3, durationSeconds: 3600 };
/** The visually hidden field people never fill in and form-filling bots usually do. */
export const HONEYPOT_FIELD = "website";
/** The hidden field a form's page fills with the browser's IANA time zone. */
export const TIME_ZONE_FIELD = "tz";

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
 * A public form submission: rate limits (per IP, then per address), honeypot, validation, then a new
 * lead is created (with double opt-in it stays `pending` until the emailed link is opened). A post
 * for an address that is already a lead changes nothing yet, whatever the form's opt-in setting:
 * anyone can type anyone's address, so the submission is stored and applied only when its emailed
 * link is opened (`confirmSubscription`), filling empty fields only. A suppressed lead is left alone.
 * Every case answers the same, so the form never tells who is on the list.
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
  const clickId = await submittedClickId(db, workspace.id, p.values);
  // The browser's zone (the hosted page and the embed snippet post it as `tz`) wins over a country field.
  const timeZone = await leadTimeZone(db, {
    explicit: [p.values[TIME_ZONE_FIELD]],
    customFields: input.custom,
  });

  // The lead and its events commit together (triggered campaigns, webhooks cannot miss it).
  const outcome = await transactWithEvents(db, async (tx, events) => {
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
          timeZone,
        })
        .returning();
      events.push(domainEvent(workspace.id, "lead.created", { lead: leadSnapshot(row!) }));
      // A new address signed up: a touch at once (a known lead's counts when they confirm it).
      await recordFormSignup(tx, { workspaceId: workspace.id, formId: form.id, leadId: row!.id, clickId });
      // With double opt-in the form counts as submitted when its link is opened (confirmSubscription).
      if (status === "active")
        events.push(domainEvent(workspace.id, "lead.form_submitted", { leadId: row!.id, formId: form.id }));
      return { leadId: row!.id, status: row!.status, created: true, submissionId: null };
    }
    if (SUPPRESSED.includes(existing.status)) {
      return { leadId: existing.id, status: existing.status, created: false, submissionId: null };
    }
    await tx
      .delete(formSubmissions)
      .where(
        and(
          eq(formSubmissions.workspaceId, workspace.id),
          lt(formSubmissions.createdAt, sql`now() - make_interval(days => ${CONFIRM_TTL_DAYS})`),
        ),
      );
    const [submission] = await tx
      .insert(formSubmissions)
      .values({
        workspaceId: workspace.id,
        formId: form.id,
        leadId: existing.id,
        name: input.name,
        customFields: input.custom,
        tags: normalizeTags(form.tags),
        clickId,
      })
      .returning({ id: formSubmissions.id });
    return { leadId: existing.id, status: existing.status, created: false, submissionId: submission!.id };
  });

  await record(
    db,
    p.actor,
    workspace.id,
    "form.submitted",
    { type: "lead", id: outcome.leadId },
    {
      formId: form.id,
      form: form.name,
      created: outcome.created,
      status: outcome.status,
      ...(outcome.submissionId && { awaitingConfirmation: true }),
    },
  );
  const submissionId = outcome.submissionId ?? undefined;
  if ((outcome.created && outcome.status === "pending") || submissionId) {
    await queueConfirmationEmail(db, {
      workspaceId: workspace.id,
      workspaceName: workspace.name,
      formName: form.name,
      email: input.email,
      url: confirmUrl({ leadId: outcome.leadId, formId: form.id, submissionId }),
    });
  }
  // Known, new and suppressed addresses all hear the same: the form must not reveal who is a lead.
  return done(form.doubleOptIn);
}

export type ConfirmResult =
  | { status: "confirmed" | "already-confirmed"; workspaceName: string; form: SignupForm }
  | { status: "invalid" | "expired" | "inactive" };

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * Applies a stored submission for a lead that already existed, once (the row is deleted in the same
 * transaction): a pending lead turns active, the form's tags are added, and only the name and custom
 * fields that are still empty are filled — what the lead already holds is never overwritten.
 */
async function applySubmission(
  db: Db,
  claims: { leadId: string; submissionId: string },
  form: SignupForm,
): Promise<{ status: "confirmed" | "already-confirmed" | "invalid" | "inactive" }> {
  const ws = form.workspaceId;
  return transactWithEvents(db, async (tx, events) => {
    const [lead] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.id, claims.leadId), eq(leads.workspaceId, ws)))
      .for("update");
    const [submission] = await tx
      .delete(formSubmissions)
      .where(
        and(
          eq(formSubmissions.id, claims.submissionId),
          eq(formSubmissions.workspaceId, ws),
          eq(formSubmissions.leadId, claims.leadId),
          eq(formSubmissions.formId, form.id),
        ),
      )
      .returning();
    if (!lead) return { status: "invalid" };
    if (SUPPRESSED.includes(lead.status)) return { status: "inactive" };
    if (!submission) return { status: lead.status === "active" ? "already-confirmed" : "invalid" };

    const tags = normalizeTags([...lead.tags, ...submission.tags]);
    const known = new Set(lead.tags.map((t) => t.toLowerCase()));
    for (const tag of tags) {
      if (!known.has(tag.toLowerCase()))
        events.push(domainEvent(ws, "lead.tagged", { leadId: lead.id, tag }));
    }
    const fill = Object.fromEntries(
      Object.entries(submission.customFields).filter(([k]) => isEmpty(lead.customFields[k])),
    );
    await tx
      .update(leads)
      .set({
        name: isEmpty(lead.name) ? (submission.name ?? lead.name) : lead.name,
        tags,
        customFields: sql`${leads.customFields} || ${JSON.stringify(fill)}::jsonb`,
        status: "active",
        updatedAt: new Date(),
      })
      .where(and(eq(leads.id, lead.id), eq(leads.workspaceId, ws)));
    events.push(domainEvent(ws, "lead.form_submitted", { leadId: lead.id, formId: form.id }));
    const click = await workspaceClickId(tx, ws, submission.clickId);
    await recordFormSignup(tx, { workspaceId: ws, formId: form.id, leadId: lead.id, clickId: click });
    return { status: "confirmed" };
  });
}

/**
 * Opens a double opt-in link: a valid one turns the pending lead active (or applies the stored
 * submission it names), once; anything else changes nothing.
 */
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

  if (v.claims.submissionId) {
    const applied = await applySubmission(
      db,
      { leadId: v.claims.leadId, submissionId: v.claims.submissionId },
      form,
    );
    if (applied.status === "invalid" || applied.status === "inactive") return { status: applied.status };
    if (applied.status === "confirmed") {
      await record(
        db,
        actor,
        form.workspaceId,
        "lead.confirmed",
        { type: "lead", id: v.claims.leadId },
        { formId: form.id, submission: true },
      );
    }
    return { status: applied.status, workspaceName, form };
  }

  const updated = await transactWithEvents(db, async (tx, events) => {
    const [row] = await tx
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
    if (row) {
      events.push(domainEvent(form.workspaceId, "lead.form_submitted", { leadId: row.id, formId: form.id }));
    }
    return row;
  });
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
  return { status: "confirmed", workspaceName, form };
}
