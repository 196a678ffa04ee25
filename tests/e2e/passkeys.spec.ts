import { base32 } from "@better-auth/utils/base32";
import { createOTP } from "@better-auth/utils/otp";
import { expect, type Page, test } from "@playwright/test";
import { shot, signUpWithWorkspace, uniqueEmail } from "./helpers";

/*
 * Passkeys (issue 18 item 4) in Chromium, with its virtual authenticator (DevTools protocol) standing
 * in for Touch ID or a security key: it holds discoverable credentials and verifies the user at once.
 * The shared server runs without APP_URL on localhost, so the relying-party id is "localhost".
 */

const PASSWORD = "correct horse battery staple";

async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      ctap2Version: "ctap2_1",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
    close: async () => {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
      await cdp.detach();
    },
  };
}

async function addPasskey(page: Page, slug: string, name: string) {
  await page.goto(`/${slug}/settings/security`);
  await page.fill("#new-passkey-name", name);
  await page.getByRole("button", { name: "Add passkey" }).click();
  await expect(page.getByTestId("passkey-name")).toHaveText([name]);
}

test("a passkey added in Settings → Security signs in without a password; once deleted it no longer does", async ({
  page,
  context,
}) => {
  const authenticator = await virtualAuthenticator(page);
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Pat Key", email: uniqueEmail("passkey"), password: PASSWORD },
    "Passkey Co",
  );

  await page.goto(`/${slug}/settings/security`);
  await expect(page.getByTestId("passkeys-empty")).toBeVisible();
  await addPasskey(page, slug, "Laptop");
  const row = page.getByTestId("passkey-row");
  await expect(row).toContainText("Added");
  await expect(row).toContainText(/This device only|Synced/);
  const [credential] = await authenticator.credentials();
  expect(credential).toMatchObject({ rpId: "localhost", isResidentCredential: true });

  // Rename it.
  await page.getByRole("button", { name: "Rename Laptop" }).click();
  await page.getByRole("textbox", { name: "Passkey name" }).fill("Work laptop");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("passkey-name")).toHaveText(["Work laptop"]);
  await page.getByTestId("passkey-row").scrollIntoViewIfNeeded();
  await shot(page, "passkeys-settings");

  // Signed out, the passkey alone signs in and goes on to `next`.
  await context.clearCookies();
  await page.goto(`/sign-in?next=${encodeURIComponent(`/${slug}/settings/security`)}`);
  await shot(page, "passkeys-sign-in");
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  await page.waitForURL(`**/${slug}/settings/security`);
  await expect(page.getByTestId("passkey-name")).toHaveText(["Work laptop"]);

  // Without `next`, to the dashboard.
  await context.clearCookies();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/${slug}`);

  // Delete it (after confirming): the authenticator still offers it, the server refuses it.
  await page.goto(`/${slug}/settings/security`);
  await page.getByRole("button", { name: "Delete Work laptop" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Delete the passkey “Work laptop”?");
  await page.getByTestId("confirm-delete-passkey").click();
  await expect(page.getByTestId("passkeys-empty")).toBeVisible();

  await context.clearCookies();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "That passkey is not registered here any more" }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await shot(page, "passkeys-sign-in-deleted");
  await authenticator.close();
});

test("a passkey sign-in of an account with two-factor asks for no code", async ({ page, context }) => {
  const authenticator = await virtualAuthenticator(page);
  const email = uniqueEmail("passkey-2fa");
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Two Factor Key", email, password: PASSWORD },
    "Two Factor Keys",
  );

  await page.goto(`/${slug}/settings/security`);
  await page.fill("#two-factor-password", PASSWORD);
  await page.getByRole("button", { name: "Set up two-factor" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  const code = await createOTP(base32.decode(secret), { digits: 6, period: 30 }).totp();
  await page.fill("#totp-code", code);
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("two-factor-status")).toHaveText("On");
  await addPasskey(page, slug, "Phone");

  // The password still needs the code …
  await context.clearCookies();
  await page.goto("/sign-in");
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/two-factor**");

  // … the passkey does not.
  await context.clearCookies();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/${slug}`);
  await authenticator.close();
});

test("opened at an IP address, the pages say passkeys need a domain name instead of offering them", async ({
  browser,
}) => {
  // The shared server has no APP_URL, so it serves http://127.0.0.1 too; browsers refuse WebAuthn
  // for an IP address (it cannot be a relying-party id).
  const context = await browser.newContext({
    baseURL: `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`,
  });
  const page = await context.newPage();
  const { slug } = await signUpWithWorkspace(
    page,
    { name: "Ip Only", email: uniqueEmail("passkey-ip"), password: PASSWORD },
    "IP Only Co",
  );
  await page.goto(`/${slug}/settings/security`);
  await expect(page.getByTestId("passkeys-unavailable")).toContainText("not at an IP address");
  await expect(page.getByRole("button", { name: "Add passkey" })).toHaveCount(0);
  await page.getByTestId("passkeys-unavailable").scrollIntoViewIfNeeded();
  await shot(page, "passkeys-unavailable-on-ip");

  await context.clearCookies();
  await page.goto("/sign-in");
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue with a passkey" })).toHaveCount(0);
  await context.close();
});
