import { describe, expect, it } from "vitest";
import { signInMethodForPath } from "@/server/auth-providers";
import { anotherWayInRemains, type SignInMethods } from "@/server/services/sign-in-methods";

const at = new Date("2026-01-01T00:00:00Z");
const methods = (p: Partial<SignInMethods>): SignInMethods => ({
  password: false,
  passkeys: 0,
  linked: [],
  ...p,
});
const offered = new Set(["google", "github"]);

describe("anotherWayInRemains (unlinking keeps a way in)", () => {
  const github = { id: "a-github", providerId: "github", linkedAt: at };
  const google = { id: "a-google", providerId: "google", linkedAt: at };

  it("refuses the only identity, allows it beside a password, a passkey or another offered provider", () => {
    expect(anotherWayInRemains(methods({ linked: [github] }), github.id, offered)).toBe(false);
    expect(anotherWayInRemains(methods({ linked: [github], password: true }), github.id, offered)).toBe(true);
    expect(anotherWayInRemains(methods({ linked: [github], passkeys: 1 }), github.id, offered)).toBe(true);
    expect(anotherWayInRemains(methods({ linked: [github, google] }), github.id, offered)).toBe(true);
  });

  it("an identity from a provider this server no longer offers is no way in", () => {
    const onlyGithub = new Set(["github"]);
    expect(anotherWayInRemains(methods({ linked: [github, google] }), github.id, onlyGithub)).toBe(false);
    // Removing the retired one leaves the offered one.
    expect(anotherWayInRemains(methods({ linked: [github, google] }), google.id, onlyGithub)).toBe(true);
  });
});

describe("signInMethodForPath (sessions.sign_in_method)", () => {
  it("names the provider from better-auth's route params", () => {
    expect(signInMethodForPath("/callback/:id", { id: "github" })).toBe("github");
    expect(signInMethodForPath("/oauth2/callback/:providerId", { providerId: "oidc" })).toBe("oidc");
    expect(signInMethodForPath("/sign-in/email")).toBe("password");
    expect(signInMethodForPath("/two-factor/verify-totp")).toBe("password");
    expect(signInMethodForPath("/callback/:id")).toBeNull();
    expect(signInMethodForPath(undefined)).toBeNull();
  });
});
