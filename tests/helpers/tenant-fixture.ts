import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import {
  fulfillmentOrders,
  jobRuns,
  mediaAssets,
  notifications,
  outboxMessages,
  type Role,
  webhookDeliveries,
  workspaceMembers,
} from "@/server/db/schema";
import { recordOrder } from "@/server/services/attribution/orders";
import { saveImportUpload } from "@/server/services/leads-import/upload";
import { addMember, callerFor, createUser, twoWorkspaces } from "./fixtures";

/**
 * Workspace A with one user per role and one row of every kind a procedure can target, plus
 * workspace B (its owner and a lead of its own). The isolation and bad-input tests aim every call
 * at these rows. Rows are created through the routers where one exists (as a person would), and
 * inserted directly only for what has no procedure that creates it (media, jobs, notifications…).
 *
 * Lead imports store their upload on disk: set DATA_DIR (and resetStorage()) before calling this.
 */
export async function tenantFixture(db: Db) {
  const t = await twoWorkspaces(db);
  const wsId = t.ws.id;
  const owner = callerFor(db, t.owner);
  const tag = randomUUID().slice(0, 8);

  const lead = await owner.leads.create({
    workspaceId: wsId,
    email: `lead-a-${tag}@tenant-a.test`,
    name: "Lead of A",
    tags: ["a-tag"],
  });
  const field = await owner.leads.fields.create({ workspaceId: wsId, label: `Plan ${tag}`, type: "text" });
  const segment = await owner.segments.create({
    workspaceId: wsId,
    name: "Segment of A",
    criteria: { match: "all", conditions: [{ field: "tag", op: "has", value: "a-tag" }] },
  });
  const form = await owner.forms.create({ workspaceId: wsId, name: "Form of A", slug: `form-a-${tag}` });
  const content = await owner.content.create({ workspaceId: wsId, type: "blog", title: "Post of A" });
  const link = await owner.links.create({
    workspaceId: wsId,
    destination: `https://shop.tenant-a.test/products/${tag}`,
    label: "Link of A",
    contentId: content.id,
  });
  const store = await owner.attribution.stores.create({
    workspaceId: wsId,
    platform: "shopify",
    shop: `tenant-a-${tag}.myshopify.com`,
    secret: `shpss_tenant_a_${tag}_signing`,
  });
  const order = await recordOrder(db, wsId, "api", {
    externalId: `order-a-${tag}`,
    total: "42.00",
    currency: "USD",
    status: "completed",
    channel: "web",
    email: lead.email,
  });
  const campaign = await owner.email.campaigns.create({
    workspaceId: wsId,
    type: "one-time",
    name: "Campaign of A",
    steps: [{ subject: "Hello from A", body: "<p>Hi</p>" }],
  });
  const template = await owner.emailTemplates.create({
    workspaceId: wsId,
    name: `Template of A ${tag}`,
    subject: "Template subject of A",
    format: "blocks",
    blocks: [{ type: "heading", text: "Template of A" }],
  });
  const inviteeEmail = `invitee-${tag}@tenant-a.test`;
  const invitation = await owner.workspace.invitations.create({
    workspaceId: wsId,
    email: inviteeEmail,
    role: "member",
  });
  const invitationToken = new URL(invitation.url).pathname.split("/").pop()!;
  const invitee = await createUser(db, { email: inviteeEmail, name: "Invitee" });
  const toRevoke = await owner.workspace.invitations.create({
    workspaceId: wsId,
    email: `revokee-${tag}@tenant-a.test`,
    role: "viewer",
  });
  await owner.email.sender.update({
    workspaceId: wsId,
    fromName: "A Team",
    fromEmail: `team-${tag}@tenant-a.test`,
    postalAddress: "1 Analytical Way, London",
  });
  const senderDomain = await owner.email.sender.addDomain({ workspaceId: wsId, domain: "tenant-a.test" });
  const suppression = await owner.suppressions.add({
    workspaceId: wsId,
    value: `blocked-${tag}@tenant-a.test`,
  });
  const { apiKey, key: apiKeySecret } = await owner.apiKeys.create({ workspaceId: wsId, name: "Key of A" });
  const { endpoint, secret: endpointSecret } = await owner.webhooks.create({
    workspaceId: wsId,
    url: "https://hooks.tenant-a.test/in",
    events: ["lead.created"],
  });

  const [media] = await db
    .insert(mediaAssets)
    .values({
      workspaceId: wsId,
      kind: "image",
      filename: "a.png",
      mimeType: "image/png",
      sizeBytes: 10,
      storage: "local",
      storageKey: `media/${wsId}/${randomUUID()}.png`,
      createdBy: t.owner.id,
    })
    .returning();
  const [job] = await db
    .insert(jobRuns)
    .values({ workspaceId: wsId, kind: "fixture", status: "succeeded", progress: 100, createdBy: t.owner.id })
    .returning();
  const [outbox] = await db
    .insert(outboxMessages)
    .values({
      workspaceId: wsId,
      kind: "campaign",
      toAddress: lead.email,
      subject: "Outbox of A",
      text: "hi",
      status: "outbox",
    })
    .returning();
  const [fulfillment] = await db
    .insert(fulfillmentOrders)
    .values({
      workspaceId: wsId,
      leadId: lead.id,
      sellerFulfillmentOrderId: `a-${tag}`,
      displayableOrderId: `a-${tag}`,
      displayableOrderComment: "Thanks",
      shippingSpeedCategory: "Standard",
      destination: { name: "A", addressLine1: "1 Road", postalCode: "12345", countryCode: "US" },
      items: [{ sellerSku: "SKU-A", sellerFulfillmentOrderItemId: "1", quantity: 1 }],
    })
    .returning();
  const [delivery] = await db
    .insert(webhookDeliveries)
    .values({
      workspaceId: wsId,
      endpointId: endpoint.id,
      messageId: `msg_${tag}`,
      eventType: "lead.created",
      payload: { type: "lead.created", data: { id: lead.id } },
      status: "failed",
    })
    .returning();
  const upload = await saveImportUpload(
    { db, workspaceId: wsId, actor: { userId: t.owner.id, ip: null, userAgent: "vitest" } },
    { body: Buffer.from(`email,name\nimported-${tag}@tenant-a.test,Imported\n`), filename: "a.csv" },
  );
  // Notifications are per user: one for every member of A, so each role has one to read.
  const notes = await db
    .insert(notifications)
    .values(
      [t.owner, t.admin, t.member, t.viewer].map((u) => ({
        workspaceId: wsId,
        userId: u.id,
        kind: "fixture",
        title: "Notification of A",
      })),
    )
    .returning();
  const target = await addMember(db, wsId, "viewer");

  // B gets a lead too, so "B's own data" is not trivially empty.
  const bLead = await callerFor(db, t.otherOwner).leads.create({
    workspaceId: t.other.id,
    email: `lead-b-${tag}@tenant-b.test`,
  });

  const rows = {
    lead,
    field,
    segment,
    form,
    content,
    link,
    store,
    order,
    campaign,
    template,
    senderDomain,
    suppression,
    invitation: invitation.invitation,
    invitationToken,
    inviteeEmail,
    invitee,
    invitationToRevoke: toRevoke.invitation,
    apiKey,
    apiKeySecret,
    endpoint,
    endpointSecret,
    media: media!,
    job: job!,
    outbox: outbox!,
    fulfillment: fulfillment!,
    delivery: delivery!,
    upload,
    notification: notes[0]!,
    target,
  };
  // Runs the install (Settings → Instance); with one in the database nobody else claims the role.
  const instanceAdmin = await createUser(db, { name: "Instance admin", instanceAdmin: true });
  return { ...t, rows, bLead, instanceAdmin };
}
export type TenantFixture = Awaited<ReturnType<typeof tenantFixture>>;

/**
 * Strings that identify workspace A's rows: none may appear in anything another tenant, a
 * signed-out caller or a too-low role gets back (responses and error messages alike).
 */
export function secretsOfA(f: TenantFixture): string[] {
  const r = f.rows;
  return [
    f.ws.id,
    f.ws.slug,
    f.owner.email,
    f.admin.email,
    f.member.email,
    f.viewer.email,
    r.target.user.email,
    r.lead.id,
    r.lead.email,
    r.field.id,
    r.segment.id,
    r.form.id,
    r.form.slug,
    r.content.id,
    r.link.id,
    r.link.code,
    r.store.id,
    r.store.shop,
    r.order.id,
    r.order.externalId,
    r.campaign.id,
    r.template.id,
    r.template.name,
    r.senderDomain.id,
    r.suppression.id,
    r.suppression.value,
    r.senderDomain.record.value,
    r.invitation.id,
    r.invitationToRevoke.id,
    r.invitationToRevoke.email,
    r.inviteeEmail,
    r.apiKey.id,
    r.apiKeySecret,
    r.endpointSecret,
    r.invitationToken,
    r.endpoint.id,
    r.media.id,
    r.job.id,
    r.outbox.id,
    r.fulfillment.id,
    r.delivery.id,
    r.upload.uploadId,
    r.notification.id,
    r.target.member.id,
    "Lead of A",
    "Campaign of A",
    "Post of A",
    "Link of A",
  ];
}

/** A fresh user holding `role` in workspace A (so a positive call cannot disturb the shared ones). */
export async function freshMember(db: Db, workspaceId: string, role: Role): Promise<SessionUser> {
  const u = await createUser(db, { name: `fresh ${role}` });
  await db.insert(workspaceMembers).values({ workspaceId, userId: u.id, role });
  return u;
}

/**
 * A digest of every row belonging to `workspaceId` in every table that has a workspace_id column
 * (plus the workspace row itself): equal before and after means nothing of that tenant changed.
 * Analytics rollups are left out: they are derived aggregates that the rollup run (which any
 * analytics read may start) recomputes for all workspaces at once.
 */
export async function tenantDigest(db: Db, workspaceId: string): Promise<Record<string, string>> {
  tenantTables ??= rowsOf<{ table_name: string }>(
    await db.execute(sql`
      select table_name from information_schema.columns
      where column_name = 'workspace_id' and table_schema = current_schema()
        and table_name not like 'rollup\\_%' and table_name not like 'analytics\\_%'
      order by table_name`),
  ).map((r) => r.table_name);
  // One round trip: a row per table with its count and the md5 of its rows in a fixed order.
  const parts = tenantTables.map(
    (name) =>
      sql`select ${name}::text as name, count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest
          from ${sql.identifier(name)} t where t.workspace_id = ${workspaceId}`,
  );
  parts.push(
    sql`select 'workspaces' as name, coalesce(md5(t::text), '') as digest from workspaces t where t.id = ${workspaceId}`,
  );
  const res = await db.execute(sql.join(parts, sql` union all `));
  return Object.fromEntries(rowsOf<{ name: string; digest: string }>(res).map((r) => [r.name, r.digest]));
}
let tenantTables: string[] | undefined;

/**
 * `tenantDigest` for a run of many calls: the digest is taken again only when a transaction may
 * have written since the last one. A snapshot with no transaction in progress names the next
 * transaction id (PostgreSQL's `pg_current_snapshot()`, xmin = xmax); every insert, update or
 * delete, committed or rolled back, takes an id of its own, so the same snapshot again means no
 * row of any table changed since. With a transaction in progress, or any id taken since (a job, or
 * on PostgreSQL any write to any database of the server: ids are the server's, so there the digest
 * is taken afresh nearly every time), the digest is taken afresh.
 */
export function tenantDigests(db: Db, workspaceId: string): () => Promise<Record<string, string>> {
  let last: { snapshot: string; digest: Record<string, string> } | undefined;
  return async () => {
    const [{ snapshot, idle }] = rowsOf<{ snapshot: string; idle: boolean }>(
      await db.execute(sql`select s::text as snapshot, pg_snapshot_xmin(s) = pg_snapshot_xmax(s) as idle
        from pg_current_snapshot() s`),
    ) as [{ snapshot: string; idle: boolean }];
    if (idle && last?.snapshot === snapshot) return last.digest;
    const digest = await tenantDigest(db, workspaceId);
    last = idle ? { snapshot, digest } : undefined;
    return digest;
  };
}

function rowsOf<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}
