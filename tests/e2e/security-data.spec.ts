import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Issue #12 items 7 and 16 in the browser. Rows an older version could have written (a segment rule
 * dated 2026-02-30) and another member with an API key are seeded straight into the server's
 * database: PostgreSQL when E2E_DATABASE_URL is set, otherwise the embedded database's socket in
 * E2E_DATA_DIR.
 */
function databaseUrl(): string {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("security-data.spec needs E2E_DATABASE_URL or E2E_DATA_DIR to seed the database");
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "pglite.lock.json"), "utf8")) as {
    socketDir: string;
  };
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(lock.socketDir)}`;
}

async function withDb<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

test("a segment stored with an impossible date is listed as needing a fix, and the editor says why", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Sam Segments", email: uniqueEmail("seg"), password: "correct horse battery" },
    `Broken Rules ${Date.now().toString(36).slice(-4)}`,
  );
  const brokenId = await withDb(async (c) => {
    const ws = (await c.query<{ id: string }>("select id from workspaces where slug = $1", [slug])).rows[0]!
      .id;
    await c.query(
      `insert into leads (workspace_id, email, tags) values ($1, 'vip@example.test', '{vip}'), ($1, 'plain@example.test', '{}')`,
      [ws],
    );
    await c.query(`insert into segments (workspace_id, name, criteria) values ($1, 'VIPs', $2)`, [
      ws,
      JSON.stringify({ match: "all", conditions: [{ field: "tag", op: "has", value: "vip" }] }),
    ]);
    const { rows } = await c.query<{ id: string }>(
      `insert into segments (workspace_id, name, criteria) values ($1, 'Before Feb 30', $2) returning id`,
      [
        ws,
        JSON.stringify({
          match: "all",
          conditions: [{ field: "created", op: "before", value: "2026-02-30" }],
        }),
      ],
    );
    return rows[0]!.id;
  });

  await page.goto(`/${slug}/leads/segments`);
  await expect(page.getByTestId("segment-needs-fixing")).toHaveText("Needs fixing");
  await expect(page.getByText("Condition 1: 2026-02-30 is not a real date")).toBeVisible();
  await expect(page.getByText("1 leads")).toBeVisible();
  await shot(page, "security-01-segment-needs-fixing");

  await page.goto(`/${slug}/leads/segments/${brokenId}`);
  await expect(page.getByTestId("segment-needs-fixing")).toContainText("2026-02-30 is not a real date");
  await expect(page.locator("#segment-condition-1-error")).toHaveText(
    "Condition 1: 2026-02-30 is not a real date",
  );
  await shot(page, "security-02-segment-editor-error");

  await page.getByLabel("Condition 1 date").fill("2026-02-28");
  await expect(page.getByText("Condition 1: 2026-02-30 is not a real date")).toHaveCount(1); // the banner, until saved
  await page.getByTestId("segment-save").click();
  await expect(page.getByText("Segment saved")).toBeVisible();
  await page.goto(`/${slug}/leads/segments`);
  await expect(page.getByTestId("segment-needs-fixing")).toHaveCount(0);
  await ctx.close();
});

test("the removal dialog says how many API keys of that member will be revoked", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Olga Owner", email: uniqueEmail("owner"), password: "correct horse battery" },
    `Key Holders ${Date.now().toString(36).slice(-4)}`,
  );
  const adminEmail = uniqueEmail("admin");
  await withDb(async (c) => {
    const ws = (await c.query<{ id: string }>("select id from workspaces where slug = $1", [slug])).rows[0]!
      .id;
    const user = (
      await c.query<{ id: string }>("insert into users (email, name) values ($1, 'Ada Admin') returning id", [
        adminEmail,
      ])
    ).rows[0]!.id;
    await c.query("insert into workspace_members (workspace_id, user_id, role) values ($1, $2, 'admin')", [
      ws,
      user,
    ]);
    await c.query(
      `insert into api_keys (workspace_id, name, prefix, key_hash, created_by)
       values ($1, 'zapier', 'org_live_abc', md5(random()::text), $2),
              ($1, 'old', 'org_live_def', md5(random()::text), $2)`,
      [ws, user],
    );
    await c.query("update api_keys set revoked_at = now() where workspace_id = $1 and name = 'old'", [ws]);
  });

  await page.goto(`/${slug}/settings/members`);
  await page.getByTestId(`remove-member-${adminEmail}`).click();
  await expect(page.getByRole("alertdialog")).toContainText(
    "1 API key created by Ada Admin will be revoked.",
  );
  await shot(page, "security-03-remove-member-keys");
  await ctx.close();
});
