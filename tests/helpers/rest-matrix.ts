import type { TenantFixture } from "./tenant-fixture";

/** One REST call aimed at workspace A's fixture rows. */
export interface RestMatrixEntry {
  /** Path parameters (`{id}` …) naming A's rows. */
  params?: (f: TenantFixture) => Record<string, string>;
  /** Query string. */
  query?: string;
  /** JSON body, or a CSV body for `csv: true`. */
  body?: (f: TenantFixture) => unknown;
  csv?: string;
  /** Its positive call removes the row: run after the others. */
  destructive?: boolean;
  /** Why the positive call cannot succeed here; it must then be a 4xx other than 401/403. */
  domainErrorBecause?: string;
}

/**
 * Every `/api/v1` route by operationId. isolation-rest.test.ts fails when the registry has a route
 * missing here (or this names one that is gone).
 */
export const restMatrix: Record<string, RestMatrixEntry> = {
  "leads.list": { query: "?limit=50" },
  "leads.get": { params: (f) => ({ id: f.rows.lead.id }) },
  "leads.upsert": { body: () => ({ email: "rest-new@tenant-a.test", name: "From REST" }) },
  "leads.update": { params: (f) => ({ id: f.rows.lead.id }), body: () => ({ name: "Lead A" }) },
  "leads.delete": { params: (f) => ({ id: f.rows.lead.id }), destructive: true },
  "leads.import": { csv: "email,name\nrest-import@tenant-a.test,Imported\n" },
  "content.list": {},
  "content.get": { params: (f) => ({ id: f.rows.content.id }) },
  "content.create": { body: () => ({ type: "blog", title: "REST post" }) },
  "content.update": { params: (f) => ({ id: f.rows.content.id }), body: () => ({ title: "Post A" }) },
  "content.delete": { params: (f) => ({ id: f.rows.content.id }), destructive: true },
  "content.publish": { params: (f) => ({ id: f.rows.content.id }), body: () => ({}) },
  "content.queue": {
    params: (f) => ({ id: f.rows.content.id }),
    body: () => ({}),
    domainErrorBecause: "the fixture's workspace has no posting slots",
  },
  "content.submitForApproval": {
    params: (f) => ({ id: f.rows.content.id }),
    body: () => ({ action: "publish" }),
    domainErrorBecause: "the fixture's workspace does not require approval",
  },
  "campaigns.list": {},
  "campaigns.get": { params: (f) => ({ id: f.rows.campaign.id }) },
  "campaigns.create": {
    body: () => ({ type: "one-time", name: "REST campaign", steps: [{ subject: "Hi", body: "<p>Hi</p>" }] }),
  },
  "campaigns.send": { params: (f) => ({ id: f.rows.campaign.id }), body: () => ({}) },
  "orders.record": {
    body: () => ({
      externalId: "rest-order-a",
      total: "19.90",
      currency: "USD",
      email: "buyer@tenant-a.test",
    }),
  },
  "orders.list": { query: "?attributed=all" },
  "analytics.overview": { query: "?preset=30d" },
  "analytics.attribution": { query: "?preset=30d" },
  "jobs.get": { params: (f) => ({ id: f.rows.job.id }) },
  "workspace.get": {},
  "workspace.update": { body: () => ({ fromName: "A Team" }) },
  "suppressions.list": { query: "?limit=50" },
  "suppressions.add": { body: () => ({ value: "rest-blocked@tenant-a.test" }) },
  "suppressions.delete": { params: (f) => ({ id: f.rows.suppression.id }), destructive: true },
};
