import "server-only";
import type { Db } from "@/server/db";
import { emitLeadCreatedWebhook } from "@/server/services/webhooks/events";

/** Things that happen to a lead which campaigns can start on (triggered campaigns). */
export type LeadEvent =
  | { type: "lead.created"; workspaceId: string; leadId: string }
  | { type: "tag.added"; workspaceId: string; leadId: string; tag: string }
  | { type: "form.submitted"; workspaceId: string; leadId: string; formId: string };

type Listener = (db: Db, event: LeadEvent) => Promise<void>;

const g = globalThis as unknown as { organicLeadListeners?: Listener[] };
const listeners = () => (g.organicLeadListeners ??= []);

/** Registers a listener (the email module registers the one that enrols leads in triggered campaigns). */
export function onLeadEvent(listener: Listener) {
  if (!listeners().includes(listener)) listeners().push(listener);
}

/** Tells every listener; leads services call this after the change is committed. */
export async function emitLeadEvent(db: Db, event: LeadEvent) {
  for (const l of listeners()) await l(db, event);
  if (event.type === "lead.created") await emitLeadCreatedWebhook(db, event.workspaceId, event.leadId);
}
