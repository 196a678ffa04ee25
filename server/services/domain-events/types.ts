import type { DomainEventType } from "@/server/db/schema";

export type { DomainEventType } from "@/server/db/schema";

/** A lead as webhook receivers see it (no internal columns). */
export interface LeadSnapshot {
  id: string;
  email: string;
  name: string | null;
  status: string;
  source: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  createdAt: Date | string;
}

/** What each event carries: enough for every consumer, taken in the transaction of the change. */
export interface DomainEventPayloads {
  "lead.created": { lead: LeadSnapshot };
  "lead.tagged": { leadId: string; tag: string };
  "lead.form_submitted": { leadId: string; formId: string };
  "lead.unsubscribed": { lead: LeadSnapshot; campaignId: string | null; via: string };
  "lead.imported": { jobId: string; batch: { index: number; count: number }; leads: LeadSnapshot[] };
  "content.published": { id: string; type: string; title: string; url: string | null; link: string };
  "content.failed": { id: string; type: string; title: string; error: string; link: string };
  "campaign.sent": { id: string; name: string };
  "order.created": Record<string, unknown> & { id: string };
}

export interface NewDomainEvent<T extends DomainEventType = DomainEventType> {
  workspaceId: string;
  type: T;
  payload: DomainEventPayloads[T];
}

/** A stored event, as consumers get it. */
export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { id: number; workspaceId: string; type: K; payload: DomainEventPayloads[K]; createdAt: Date };
}[T];

export function domainEvent<T extends DomainEventType>(
  workspaceId: string,
  type: T,
  payload: DomainEventPayloads[T],
): NewDomainEvent<T> {
  return { workspaceId, type, payload };
}

/** The columns of `leads` a snapshot takes (select them, or pick them from a returned row). */
export function leadSnapshot(row: LeadSnapshot): LeadSnapshot {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    source: row.source,
    tags: row.tags,
    customFields: row.customFields,
    createdAt: row.createdAt,
  };
}
