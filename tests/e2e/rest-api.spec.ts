import { expect, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

test("REST API: a key from Settings calls /api/v1 on the production build; the reference page renders under the CSP", async ({
  page,
  request,
}) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });

  const { slug } = await signUpWithWorkspace(
    page,
    {
      name: "Api Owner",
      email: uniqueEmail("api"),
      password: "correct horse battery staple",
    },
    "Api Co",
  );

  await page.goto(`/${slug}/settings/api-keys`);
  await page.getByTestId("new-api-key").click();
  await page.fill("#api-key-name", "Script");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key-value").textContent())!;
  await page.getByRole("button", { name: "Done" }).click();

  // The key works over real HTTP, with the rate-limit headers; the browser session alone does not.
  const created = await request.post("/api/v1/leads", {
    headers: {
      authorization: `Bearer ${key}`,
      "idempotency-key": "e2e-1",
      origin: "https://elsewhere.example",
    },
    data: { email: "e2e-lead@example.com", name: "E2E Lead" },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["x-ratelimit-limit"]).toBeTruthy();
  const listed = await request.get("/api/v1/leads?search=e2e-lead", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect((await listed.json()).data).toHaveLength(1);
  const withCookieOnly = await page.request.get("/api/v1/leads");
  expect(withCookieOnly.status()).toBe(401);
  expect(withCookieOnly.headers()["content-type"]).toBe("application/problem+json");
  expect((await request.get("/api/v1/openapi.json")).status()).toBe(200);

  // The lead shows in the app.
  await page.goto(`/${slug}/leads`);
  await expect(page.getByText("e2e-lead@example.com")).toBeVisible();

  // The reference, linked from Settings → API keys.
  await page.goto(`/${slug}/settings/api-keys`);
  await page.getByRole("link", { name: "REST API reference" }).click();
  await page.waitForURL(`**/${slug}/settings/api-docs`);
  await expect(page.getByText("REST API reference").first()).toBeVisible();
  // One entry per operation of the served OpenAPI document (the registry generates both).
  const doc = (await (await page.request.get("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(doc.paths).flatMap((p) =>
    Object.keys(p).filter((m) => ["get", "post", "patch", "delete"].includes(m)),
  );
  expect(operations.length).toBeGreaterThanOrEqual(25);
  await expect(page.getByTestId("api-endpoint")).toHaveCount(operations.length);
  await expect(page.locator("#op-orders-record")).toContainText("/api/v1/orders");
  const upsert = page.locator("#op-leads-upsert");
  await expect(upsert).toContainText("/api/v1/leads");
  await expect(upsert).toContainText("write scope");
  await expect(upsert).toContainText("Idempotency-Key");
  await expect(upsert).toContainText("curl -X POST");
  await expect(page.locator("#op-leads-list")).toContainText("cursor");
  await shot(page, "rest-api-docs");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "tests/artifacts/screenshots/rest-api-docs-top.png" });
  await upsert.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "tests/artifacts/screenshots/rest-api-docs-leads-upsert.png" });
  await page.locator("#op-content-create").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "tests/artifacts/screenshots/rest-api-docs-content-create.png" });
  expect(violations).toEqual([]);
});
