import { expect, type Page, test } from "@playwright/test";
import {
  GITHUB_CLIENT_ID,
  GITHUB_CLIENT_SECRET,
  type GithubStandIn,
  startGithubStandIn,
} from "../fixtures/stand-ins/github";
import {
  GOOGLE_CLIENT_ID,
  GOOGLE_CLIENT_SECRET,
  type GoogleStandIn,
  startGoogleStandIn,
} from "../fixtures/stand-ins/google";
import { createFirstWorkspace, shot, uniqueEmail } from "./helpers";
import { startOwnServer } from "./own-server";

/*
 * "Continue with GitHub / Google" (issue 18 item 2) in a browser. The shared test server has no
 * sign-in providers, so this spec starts its own production server with GitHub and Google pointed at
 * stand-ins in this process; the browser really goes to their authorize pages and back.
 */

const PORT = Number(process.env.E2E_PORT ?? 3210) + 21;
let server: Awaited<ReturnType<typeof startOwnServer>> | undefined;
let github: GithubStandIn;
let google: GoogleStandIn;

test.use({ baseURL: `http://localhost:${PORT}` });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  [github, google] = await Promise.all([startGithubStandIn(), startGoogleStandIn()]);
  server = await startOwnServer(PORT, {
    GITHUB_CLIENT_ID,
    GITHUB_CLIENT_SECRET,
    GITHUB_AUTH_BASE_URL: github.url,
    GITHUB_API_BASE_URL: github.url,
    GOOGLE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET,
    GOOGLE_AUTH_BASE_URL: google.url,
    GOOGLE_OAUTH_BASE_URL: google.url,
    GOOGLE_USERINFO_URL: `${google.url}/v1/userinfo`,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await Promise.all([github?.close(), google?.close()]);
});

/** The sign-in form's refusal (Next's route announcer is an alert too). */
const formAlert = (page: Page) => page.locator("form [role=alert]");
const methodRow = (page: Page, id: string) => page.getByTestId(`sign-in-method-${id}`);

test("Continue with GitHub to the dashboard; link Google and unlink GitHub in Settings → Security", async ({
  page,
}) => {
  const email = uniqueEmail("octo");
  github.signInAs({ email, name: "Octavia Hub", login: "octavia" });
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto("/sign-in");
  await expect(page.getByTestId("sign-in-with-google")).toHaveText("Continue with Google");
  await shot(page, "social-01-sign-in-buttons");
  await page.getByTestId("sign-in-with-github").click();
  await page.waitForURL(`${github.url}/login/oauth/authorize**`);
  await expect(page.getByText("@octavia")).toBeVisible();
  await shot(page, "social-02-github-authorize");
  await page.getByRole("link", { name: "Authorize" }).click();

  const slug = await createFirstWorkspace(page, "Octo Co");
  await shot(page, "social-03-dashboard-after-github");

  await page.goto(`/${slug}/settings/security`);
  const githubRow = methodRow(page, "github");
  await expect(githubRow).toContainText("your only way in");
  await expect(methodRow(page, "google")).toContainText("Not linked");
  await expect(methodRow(page, "password")).toContainText("Not set");

  // The last way in: the server refuses, the card says why.
  page.on("dialog", (d) => d.accept());
  await githubRow.getByRole("button", { name: "Unlink" }).click();
  await expect(page.getByTestId("sign-in-methods-error")).toContainText("only way to sign in");
  await expect(githubRow).toContainText("Linked");
  await shot(page, "social-04-unlink-refused");

  // Link Google with the same verified address.
  google.signInAs({ email, name: "Octavia Gee" });
  await methodRow(page, "google").getByRole("button", { name: "Link" }).click();
  await page.waitForURL(`${google.url}/o/oauth2/v2/auth**`);
  await shot(page, "social-05-google-consent");
  await page.getByRole("link", { name: "Allow" }).click();
  await page.waitForURL(`**/${slug}/settings/security`);
  await expect(page.getByText("Google is linked")).toBeVisible();
  await expect(methodRow(page, "google")).toContainText("Linked");
  await expect(githubRow).not.toContainText("only way in");
  await shot(page, "social-06-google-linked");

  // Now GitHub can go; Google is then the only way in.
  await githubRow.getByRole("button", { name: "Unlink" }).click();
  await expect(githubRow).toContainText("Not linked");
  await expect(methodRow(page, "google")).toContainText("your only way in");
  await shot(page, "social-07-github-unlinked");

  // Signed out, Google brings the same person back to the same workspace.
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.getByTestId("sign-in-with-google").click();
  await page.getByRole("link", { name: "Allow" }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/${slug}`));
  await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
});

test("Continue with Google as a new user; a cancelled consent and an unverified address come back as sentences", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 860 });
  google.signInAs({ email: uniqueEmail("gigi"), name: "Gigi Google" });
  await page.goto("/sign-in");
  await page.getByTestId("sign-in-with-google").click();
  await page.getByRole("link", { name: "Allow" }).click();
  await createFirstWorkspace(page, "Gigi Co");
  await shot(page, "social-08-dashboard-after-google");

  await page.context().clearCookies();
  github.signInAs({ email: uniqueEmail("cancel") });
  await page.goto("/sign-in");
  await page.getByTestId("sign-in-with-github").click();
  await page.getByRole("link", { name: "Cancel" }).click();
  await page.waitForURL("**/sign-in?**");
  await expect(formAlert(page)).toHaveText("Sign-in was cancelled at the provider.");
  await shot(page, "social-09-consent-cancelled");

  github.signInAs({ email: uniqueEmail("unverified"), verified: false });
  await page.getByTestId("sign-in-with-github").click();
  await page.getByRole("link", { name: "Authorize" }).click();
  await page.waitForURL("**/sign-in?**");
  await expect(formAlert(page)).toContainText("did not confirm a verified email address");
  await shot(page, "social-10-unverified-address");
});
