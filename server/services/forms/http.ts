import type { Db } from "@/server/db";
import { DomainError, RateLimitError } from "@/server/errors";
import type { Actor } from "../context";
import { submitForm } from "./submit";

/** Errors and entered values carried back to the hosted page when the browser posted without JS. */
export interface FormFeedback {
  message: string;
  fieldErrors: Record<string, string[]>;
  values: Record<string, string>;
}

export function encodeFeedback(f: FormFeedback): string {
  return Buffer.from(JSON.stringify(f)).toString("base64url");
}

export function decodeFeedback(raw: string | undefined): FormFeedback | null {
  if (!raw || raw.length > 8000) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as FormFeedback;
    if (typeof v?.message !== "string" || typeof v.fieldErrors !== "object" || typeof v.values !== "object")
      return null;
    return v;
  } catch {
    return null;
  }
}

async function readValues(req: Request): Promise<Record<string, unknown> | null> {
  const type = req.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const body: unknown = await req.json();
      return body && typeof body === "object" && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : null;
    }
    const data = await req.formData();
    const out: Record<string, unknown> = {};
    for (const [k, v] of data.entries()) if (typeof v === "string") out[k] = v;
    return out;
  } catch {
    return null;
  }
}

/**
 * POST /api/forms/[workspace]/[form]: JSON in and out when the caller asks for JSON; otherwise a
 * plain HTML form post answered with a 303 back to the hosted page (`?ok=1`, or `?e=` with the errors).
 */
export async function handleFormPost(
  req: Request,
  p: { db: Db; workspaceSlug: string; formSlug: string; actor: Actor; baseUrl: string },
): Promise<Response> {
  const wantsJson = (req.headers.get("accept") ?? "").includes("application/json");
  const pageUrl = `${p.baseUrl}/f/${encodeURIComponent(p.workspaceSlug)}/${encodeURIComponent(p.formSlug)}`;
  const values = await readValues(req);
  if (!values)
    return Response.json({ error: "Send the form as form data or a JSON object" }, { status: 400 });
  const embed = values.embed === "1" ? "&embed=1" : "";
  try {
    const r = await submitForm(p.db, { ...p, values });
    if (wantsJson)
      return Response.json({ ok: true, pending: r.pending, message: r.message, redirectUrl: r.redirectUrl });
    const target =
      r.redirectUrl && !embed ? r.redirectUrl : `${pageUrl}?ok=1${r.pending ? "&pending=1" : ""}${embed}`;
    return new Response(null, { status: 303, headers: { location: target } });
  } catch (err) {
    if (err instanceof RateLimitError) {
      const headers = { "retry-after": String(err.retryAfterSeconds) };
      const message = `Too many signups from here. Try again in ${err.retryAfterSeconds} seconds.`;
      if (wantsJson) return Response.json({ error: message }, { status: 429, headers });
      return new Response(
        `<!doctype html><meta charset="utf-8"><title>Slow down</title><body style="font-family:system-ui;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>Slow down</h1><p>${message}</p><p><a href="${pageUrl}">Back to the form</a></p></body>`,
        { status: 429, headers: { ...headers, "content-type": "text/html; charset=utf-8" } },
      );
    }
    if (err instanceof DomainError && err.code === "NOT_FOUND") {
      return wantsJson
        ? Response.json({ error: "This form does not exist" }, { status: 404 })
        : new Response("This form does not exist", { status: 404 });
    }
    if (err instanceof DomainError && err.code === "BAD_REQUEST") {
      const fieldErrors = err.fieldErrors ?? {};
      if (wantsJson) return Response.json({ error: err.message, fieldErrors }, { status: 400 });
      const kept: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) {
        if (k !== "website" && typeof v === "string") kept[k] = v.slice(0, 300);
      }
      const e = encodeFeedback({ message: err.message, fieldErrors, values: kept });
      return new Response(null, { status: 303, headers: { location: `${pageUrl}?e=${e}${embed}` } });
    }
    throw err;
  }
}
