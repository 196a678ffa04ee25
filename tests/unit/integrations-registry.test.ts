import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env, resetEnvCache } from "@/lib/env";
import { ValidationError } from "@/server/errors";
import { AmazonClient } from "@/server/integrations/amazon/client";
import { OpenAIClient } from "@/server/integrations/openai/client";
import {
  getIntegration,
  INTEGRATION_IDS,
  INTEGRATIONS,
  integrationEnabled,
  UnknownIntegrationError,
} from "@/server/integrations/registry";

const root = path.join(import.meta.dirname, "../..");

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("integrations registry", () => {
  it("lists TikTok, YouTube, Instagram, Gmail, Amazon and OpenAI, each keyed by its own id", () => {
    expect(INTEGRATION_IDS).toEqual(["tiktok", "youtube", "instagram", "gmail", "amazon", "openai"]);
    for (const id of INTEGRATION_IDS) expect(INTEGRATIONS[id].id).toBe(id);
  });

  it.each(INTEGRATION_IDS)(
    "%s has a label, a feature flag, configured(), a client factory and a health check",
    (id) => {
      const p = getIntegration(id);
      expect(p.label.trim()).not.toBe("");
      if (p.featureFlag !== null) expect(typeof env()[p.featureFlag]).toBe("boolean");
      expect(typeof p.configured()).toBe("boolean");
      expect(typeof p.client).toBe("function");
      expect(typeof p.health).toBe("function");
    },
  );

  it.each(INTEGRATION_IDS)("%s lives in its own folder: client, schemas, token store and health", (id) => {
    for (const file of ["client.ts", "schemas.ts", "token-store.ts", "health.ts"]) {
      expect(fs.existsSync(path.join(root, "server/integrations", id, file)), `${id}/${file}`).toBe(true);
    }
  });

  it("client factories build the provider's typed client", () => {
    const openai = getIntegration("openai").client({ baseUrl: "http://127.0.0.1:9/v1", apiKey: "k" });
    expect(openai).toBeInstanceOf(OpenAIClient);
    expect(openai.baseUrl).toBe("http://127.0.0.1:9/v1");
    const amazon = getIntegration("amazon").client({
      credentials: { clientId: "c", clientSecret: "s", refreshToken: "Atzr|r" },
      region: "eu",
    });
    expect(amazon).toBeInstanceOf(AmazonClient);
    expect(typeof getIntegration("tiktok").client().refreshTikTokToken).toBe("function");
    expect(typeof getIntegration("gmail").client().sendGmailRaw).toBe("function");
  });

  it("reports a provider without app credentials as not configured, without calling anyone", async () => {
    for (const name of ["TIKTOK_CLIENT_KEY", "GOOGLE_CLIENT_ID", "OPENAI_API_KEY", "OPENAI_BASE_URL"]) {
      vi.stubEnv(name, "");
    }
    resetEnvCache();
    expect(getIntegration("tiktok").configured()).toBe(false);
    expect(getIntegration("gmail").configured()).toBe(false);
    await expect(getIntegration("tiktok").health()).resolves.toBe("not_configured");
    await expect(getIntegration("gmail").health()).resolves.toBe("not_configured");
    await expect(getIntegration("openai").health()).resolves.toBe("not_configured");

    vi.stubEnv("TIKTOK_CLIENT_KEY", "key");
    vi.stubEnv("TIKTOK_CLIENT_SECRET", "secret");
    resetEnvCache();
    expect(getIntegration("tiktok").configured()).toBe(true);
  });

  it("follows each provider's feature flag; the AI writer has none", () => {
    vi.stubEnv("ENABLE_TIKTOK_INTEGRATION", "false");
    vi.stubEnv("ENABLE_EMAIL_MARKETING", "true");
    vi.stubEnv("ENABLE_ANALYTICS", "false");
    resetEnvCache();
    expect(integrationEnabled("tiktok")).toBe(false);
    expect(integrationEnabled("gmail")).toBe(true);
    expect(integrationEnabled("amazon")).toBe(false);
    expect(integrationEnabled("openai")).toBe(true);
  });

  it("refuses an unknown provider with an error naming the known ones", () => {
    expect(() => getIntegration("myspace")).toThrow(UnknownIntegrationError);
    expect(() => getIntegration("myspace")).toThrow(
      'Unknown integration "myspace". Known integrations: tiktok, youtube, instagram, gmail, amazon, openai.',
    );
    // A bad request (400), never a 500; and nothing on Object.prototype passes for a provider.
    expect(() => getIntegration("toString")).toThrow(ValidationError);
    expect(() => integrationEnabled("smtp" as never)).toThrow(UnknownIntegrationError);
  });
});
